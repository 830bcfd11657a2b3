"""Ingest throughput on a synthetic corpus built from the demo corpus.

    .venv/bin/python bench/ingest_speed.py [N]

Writes N articles (default 1000) to a temporary .jsonl: each is a demo-corpus article
with its paragraphs rotated and a numbered sentence appended, so ids differ while the
near-duplicate index has real candidate groups to check. Prints articles/s for
``ingest`` (read, clean, language, outlet, date, dedup) and for ``ingest_into`` a fresh
DuckDB file.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from sitrep.ingest import IngestOptions, ingest, ingest_into
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 1000
    base = ingest([str(ROOT / "examples" / "corpus")]).articles
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(n):
                a = base[i % len(base)]
                paras = a.text.split("\n\n")
                k = (i // len(base)) % max(1, len(paras))
                text = "\n\n".join(paras[k:] + paras[:k]) + f"\n\nUpdate number {i} was filed later."
                out.write(json.dumps({"text": text, "title": a.title, "url": a.url,
                                      "outlet": a.outlet}) + "\n")
        options = IngestOptions(progress=False)
        started = time.perf_counter()
        result = ingest([str(path)], options)
        seconds = time.perf_counter() - started
        groups = sum(a.duplicate_of is not None for a in result.articles)
        print(f"ingest: {len(result.articles)} articles in {seconds:.1f} s "
              f"({len(result.articles) / seconds:.0f} articles/s), {groups} grouped as near-copies, "
              f"{len(result.failures)} failures")
        started = time.perf_counter()
        with Store(Path(tmp) / "speed.duckdb") as store:
            report = ingest_into(store, [str(path)], options)
        seconds = time.perf_counter() - started
        print(f"ingest_into: {len(report.added)} stored in {seconds:.1f} s "
              f"({len(report.added) / seconds:.0f} articles/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
