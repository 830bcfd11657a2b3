"""Measure event typing on real ACLED notes (../shared/dev/acled_2020_nonafg.csv).

    .venv/bin/python bench/acled_typing.py [CSV] [--limit N]

1. The shipped default (hand-written lexicon, no trained model): event_type accuracy and
   sub_event_type macro-F1 over every note (targets: >= 0.85 and >= 0.60).
2. ``sitrep train`` on a stratified 80 % split, scored on the other 20 %: the model alone
   and the model combined with the lexicon (what ``classify`` does with a trained model).

The dev file is evaluation data only: nothing here writes it into the project. Prints a
table; with ``--record`` also writes bench/results/acled_typing.json (the committed figures).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / ".." / "shared" / "dev" / "acled_2020_nonafg.csv"
OUT = ROOT / "bench" / "results" / "acled_typing.json"


def score(gold: list[str], pred: list[str | None]) -> dict[str, float]:
    from sitrep.extract.trigger_lexicon import event_type_of

    p = [x or "NONE" for x in pred]
    ev_g = [event_type_of(g) for g in gold]
    ev_p = [event_type_of(x) if x else "NONE" for x in pred]
    labels = sorted(set(gold))
    return {
        "n": len(gold),
        "event_type_accuracy": round(float(accuracy_score(ev_g, ev_p)), 4),
        "sub_event_accuracy": round(float(accuracy_score(gold, p)), 4),
        "sub_event_macro_f1": round(float(f1_score(gold, p, labels=labels, average="macro",
                                                   zero_division=0)), 4),
        "event_type_macro_f1": round(float(f1_score(ev_g, ev_p, labels=sorted(set(ev_g)),
                                                    average="macro", zero_division=0)), 4),
        "null_rate": round(sum(x is None for x in pred) / max(1, len(pred)), 4),
    }


def per_class(gold: list[str], pred: list[str | None]) -> dict[str, dict[str, float]]:
    labels = sorted(set(gold))
    p = [x or "NONE" for x in pred]
    f1s = f1_score(gold, p, labels=labels, average=None, zero_division=0)
    support = Counter(gold)
    return {lab: {"f1": round(float(f), 3), "n": support[lab]} for lab, f in zip(labels, f1s, strict=True)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows (quick look)")
    ap.add_argument("--no-train", action="store_true")
    ap.add_argument("--record", action="store_true",
                    help="write bench/results/acled_typing.json (the committed figures)")
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.exists():
        print(f"{path}: not found (the dev CSV lives in ../shared/dev)", file=sys.stderr)
        return 2
    # The shipped default must be measured without any user model on this machine.
    empty = tempfile.mkdtemp(prefix="sitrep-nomodel-")
    os.environ["SITREP_MODEL_DIR"] = empty
    from sitrep.extract import model_store
    from sitrep.extract.train import fit, read_acled, split
    from sitrep.extract.typing import classify_many

    texts, labels, skipped = read_acled(path)
    if args.limit:
        texts, labels = texts[: args.limit], labels[: args.limit]
    t0 = time.perf_counter()
    lex_pred = [c.label for c in classify_many(texts)]
    secs = time.perf_counter() - t0
    results: dict[str, object] = {
        "csv": path.name, "rows": len(texts), "skipped": skipped,
        "lexicon_all": score(labels, lex_pred),
        "lexicon_notes_per_second": round(len(texts) / secs, 1),
        "lexicon_per_class": per_class(labels, lex_pred),
    }
    if not args.no_train:
        x_tr, y_tr, x_te, y_te = split(texts, labels, test_size=0.2, seed=0)
        t0 = time.perf_counter()
        est = fit(x_tr, y_tr)
        train_secs = time.perf_counter() - t0
        model_pred = list(est.predict(x_te))
        lex_te = [c.label for c in classify_many(x_te)]
        with tempfile.TemporaryDirectory() as tmp:
            model_store.save(model_store.TypingModel(est, {"bench": True}), Path(tmp))
            os.environ["SITREP_MODEL_DIR"] = tmp
            combined = [c.label for c in classify_many(x_te)]
            os.environ["SITREP_MODEL_DIR"] = empty
        results.update({
            "split": {"n_train": len(x_tr), "n_test": len(x_te), "seed": 0,
                      "train_seconds": round(train_secs, 1)},
            "lexicon_test20": score(y_te, lex_te),
            "model_test20": score(y_te, model_pred),
            "model_plus_lexicon_test20": score(y_te, combined),
        })
    if args.record:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    rows = [k for k in ("lexicon_all", "lexicon_test20", "model_test20", "model_plus_lexicon_test20")
            if k in results]
    print(f"{'setting':28s} {'n':>5s} {'event_acc':>9s} {'sub_acc':>8s} {'sub_mF1':>8s} {'null':>6s}")
    for k in rows:
        r = results[k]
        assert isinstance(r, dict)
        print(f"{k:28s} {r['n']:5d} {r['event_type_accuracy']:9.3f} {r['sub_event_accuracy']:8.3f} "
              f"{r['sub_event_macro_f1']:8.3f} {r['null_rate']:6.3f}")
    print(f"lexicon speed: {results['lexicon_notes_per_second']} notes/s" + (f"   -> {OUT.relative_to(ROOT)}" if args.record else ""))
    pc = results["lexicon_per_class"]
    assert isinstance(pc, dict)
    for lab, v in sorted(pc.items(), key=lambda kv: -kv[1]["n"]):
        print(f"  {lab:38s} n={v['n']:5d} F1={v['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
