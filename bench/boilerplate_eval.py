"""Line-level precision/recall of the plain-text boilerplate classifier against a gold file.

    .venv/bin/python bench/boilerplate_eval.py [GOLD.json] [DIR]

Defaults: ../shared/gold/seeds_gold.json and ../shared/seeds. Each gold article lists
its ``boilerplate_lines``; a predicted line counts once per occurrence (multiset),
compared after stripping surrounding whitespace. The file is read the way
``sitrep ingest`` reads it (header block, HTML extraction), so this measures the
shipped path, not a re-implementation.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from sitrep.ingest.boilerplate import clean_text
from sitrep.ingest.readers import RawDocument, read_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()


def main(argv: list[str]) -> int:
    gold_path = Path(argv[1]) if len(argv) > 1 else SHARED / "gold" / "seeds_gold.json"
    folder = Path(argv[2]) if len(argv) > 2 else SHARED / "seeds"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for entry in gold["articles"]:
        if "boilerplate_lines" not in entry:
            continue
        docs = [d for d in read_source(str(folder / entry["file"]), 50_000_000) if isinstance(d, RawDocument)]
        removed = [ln for d in docs for ln in clean_text(d.text).removed]
        pred = Counter(ln.strip() for ln in removed)
        want = Counter(ln.strip() for ln in entry["boilerplate_lines"])
        hit = sum((pred & want).values())
        tp, fp, fn = tp + hit, fp + sum((pred - want).values()), fn + sum((want - pred).values())
        for line in sorted((pred - want).elements()):
            print(f"  false positive  {entry['file']}: {line!r}")
        for line in sorted((want - pred).elements()):
            print(f"  missed          {entry['file']}: {line!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"boilerplate lines: precision {precision:.3f} recall {recall:.3f} "
          f"(tp {tp}, fp {fp}, fn {fn}) on {gold_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
