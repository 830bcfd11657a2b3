"""Measure fusion alone: gold mentions in, fused events out, compared with gold events.

Also times fusion on a synthetic corpus (the gold mentions copied K times, each copy
shifted by 40 days so copies are different occurrences) to show it stays near-linear.

    .venv/bin/python bench/fusion_eval.py [--copies 1,10,50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gold_mentions import gold_mentions, load_gold  # noqa: E402

from sitrep.control import derive_control  # noqa: E402
from sitrep.fuse import fuse  # noqa: E402
from sitrep.model import DateInterval, DateRef, Mention, stable_id  # noqa: E402


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision/recall of a clustering of mention ids."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for m, c in pred.items():
        by_pred.setdefault(c, set()).add(m)
    for m, c in gold.items():
        by_gold.setdefault(c, set()).add(m)
    p = sum(len(by_pred[pred[m]] & by_gold[gold[m]]) / len(by_pred[pred[m]]) for m in pred)
    r = sum(len(by_pred[pred[m]] & by_gold[gold[m]]) / len(by_gold[gold[m]]) for m in pred)
    return p / len(pred), r / len(pred)


def shifted(m: Mention, k: int) -> Mention:
    delta = dt.timedelta(days=40 * k)
    assert m.date is not None
    iv = m.date.interval
    return replace(m, id=stable_id(m.id, k),
                   date=DateRef(None, DateInterval(iv.start + delta, iv.end + delta,
                                                   iv.precision)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", default="1,10,50")
    args = ap.parse_args()
    mentions, articles, truth = gold_mentions(load_gold())
    events = fuse(mentions, articles).events
    pred = {m: e.id for e in events for m in e.mention_ids}
    p, r = bcubed(pred, truth)
    gold_events = len(set(truth.values()))
    split = sum(1 for g in set(truth.values())
                if len({pred[m] for m, t in truth.items() if t == g}) > 1)
    merged = [sorted({truth[m] for m in e.mention_ids}) for e in events
              if len({truth[m] for m in e.mention_ids}) > 1]
    exact = sum(1 for e in events if len({truth[m] for m in e.mention_ids}) == 1
                and Counter(truth.values())[truth[e.mention_ids[0]]] == len(e.mention_ids))
    print(f"gold mentions: {len(mentions)}  gold events: {gold_events}  "
          f"fused events: {len(events)}")
    print(f"B-cubed precision {p:.3f}  recall {r:.3f}  "
          f"F1 {2 * p * r / (p + r):.3f}")
    print(f"gold events reproduced exactly: {exact}/{gold_events}  split: {split}  "
          f"merged groups: {merged}")
    rows = derive_control(events, {m.id: m for m in mentions})
    print("control rows:", [(s.unit_name, s.date.isoformat(), s.controller, s.confirmed)
                            for s in rows])
    for k in (int(x) for x in args.copies.split(",")):
        corpus = [shifted(m, i) for i in range(k) for m in mentions]
        t0 = time.perf_counter()
        n = len(fuse(corpus, articles).events)
        dt_s = time.perf_counter() - t0
        print(f"copies={k:4d} mentions={len(corpus):6d} events={n:6d} "
              f"fuse {dt_s:.3f}s ({1e3 * dt_s / len(corpus):.3f} ms/mention)")


if __name__ == "__main__":
    main()
