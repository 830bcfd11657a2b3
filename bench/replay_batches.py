"""Replay the next batches of a one-run on a copy of a database, exactly as ``run()`` does
them (``_analysed_batches`` + ``_store_batch``, then the control refresh): CPU-seconds per
batch, split into analysis, store + fuse, and inside that fusion, calibration and each store
call. Used for ``bench/results/growth_20k.md`` (what grows with the database)::

    .venv/bin/python bench/replay_batches.py STATE.duckdb /tmp/work.duckdb 6 [--dump out.json]

``--dump`` writes the events and control rows after the replay (to check two trees give
the same). ``--refuse`` first replaces the copy's events by one ``fuse()`` of all its stored
mentions and re-derives its control (not timed): a state whose events are what the current
fusion makes of its mentions, as a one-run with this code would have stored them (a state
built by older code otherwise carries events that a batch re-fusing their window rewrites);
``STATE WORK 0 --refuse`` just writes that state. ``--check-full`` also fuses every batch in
full (``fresh=None``: every reloaded event rebuilt, as before incremental fusion), in turn
before and after the incremental call on the same inputs, stops if the events either would
write differ, and reports the CPU-s of each (fusion + calibration + the comparison with the
stored events) as ``full`` and ``incremental``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run_benchmarks import timed  # noqa: E402  (one definition of the stage timer)

STORE_CALLS = ("events_near", "events_near_provinces", "get_mentions", "get_articles", "upsert_events",
               "delete_events", "replace_mentions", "replace_claims", "mark_control_dirty", "mark_analysed")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("work")
    ap.add_argument("batches", type=int)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--refuse", action="store_true", help="re-fuse the copy in one call first")
    ap.add_argument("--check-full", action="store_true", help="A/B each batch's fusion against a full one")
    args = ap.parse_args(argv)

    import sitrep.confidence
    import sitrep.fuse
    import sitrep.pipeline as pipeline
    from sitrep.nlp import get_nlp
    from sitrep.store import Store

    shutil.copy(args.source, args.work)
    spent: dict[str, float] = {}
    if args.check_full:
        check_full(spent)
    timed(sitrep.fuse, "fuse", spent, clock=time.process_time, optional=True)
    timed(sitrep.confidence, "calibrate", spent, clock=time.process_time, optional=True)
    for name in STORE_CALLS:
        timed(Store, name, spent, key=f"store.{name}", clock=time.process_time, optional=True)
    get_nlp()
    rows: list[dict[str, float]] = []
    opts = pipeline.RunOptions(batch_size=args.batch_size)
    with Store(args.work) as store:
        if args.refuse:
            refuse(store)
        todo = store.unanalysed_article_ids(skip_failed=True)
        size = args.batch_size
        summary = pipeline.RunSummary()
        for i in range(args.batches):
            ids = todo[i * size:(i + 1) * size]
            c = time.process_time()
            (articles, results, failures), = list(pipeline._analysed_batches(store, [ids], opts, None))
            c2 = time.process_time()
            spent.clear()
            pipeline._store_batch(store, articles, results, failures, summary)
            c3 = time.process_time()
            rows.append({"batch": c3 - c, "store_fuse": c3 - c2, **spent})
            print(json.dumps({k: round(v, 2) for k, v in rows[-1].items()}), flush=True)
        c = time.process_time()
        pipeline.refresh_control(store, units=store.dirty_control_units())
        control = time.process_time() - c
        if args.dump:
            from sitrep.model import to_dict

            def dump(obj: Any) -> str:
                return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True)

            args.dump.write_text(json.dumps({
                "events": sorted(dump(e) for e in store.get_events()),
                "control": sorted(map(str, store.con.execute("SELECT * FROM control").fetchall()))}))
    total = {k: round(sum(r.get(k, 0.0) for r in rows), 2) for k in {k for r in rows for k in r}}
    print(json.dumps({"source": args.source, "total": dict(sorted(total.items())), "control": round(control, 2),
                      "events_new": summary.events_new}))
    return 0


def check_full(spent: dict[str, float]) -> None:
    """Wrap ``fuse`` so each incremental call is also made in full, on the same inputs, in
    turn first and second; the events each would write (calibrated, unequal to their stored
    selves) and the ids each removes must be the same."""
    import sitrep.fuse
    from sitrep.confidence import calibrate

    inner = sitrep.fuse.fuse
    calls = [0]

    def fuse(mentions: Any, articles: Any, existing: Any = (), *, fresh: Any = None) -> Any:
        pool = {m.id: m for m in mentions}
        before = {e.id: e for e in existing}
        out: dict[str, Any] = {}
        calls[0] += 1
        for mode in ("full", "incremental")[::1 if calls[0] % 2 else -1]:
            c = time.process_time()
            result = inner(mentions, articles, existing, fresh=None if mode == "full" else fresh)
            written = sorted((e for e in calibrate(result.events, pool) if before.get(e.id) != e),
                             key=lambda e: e.id)
            spent[mode] = spent.get(mode, 0.0) + time.process_time() - c
            out[mode] = (result, written, result.removed)
        if out["full"][1:] != out["incremental"][1:]:
            raise SystemExit("incremental fusion writes other events than a full re-fusion")
        return out["incremental"][0]

    sitrep.fuse.fuse = fuse


def refuse(store: Any) -> None:
    """Replace the stored events by one fusion of every stored mention (ids kept where the
    stored events had them), and re-derive the control timeline."""
    from sitrep.confidence import calibrate
    from sitrep.fuse import fuse
    from sitrep.pipeline import refresh_control

    mentions = {m.id: m for m in store.get_mentions()}
    articles = {a.id: a for a in store.get_articles({m.article_id for m in mentions.values()})}
    with store.transaction():
        old = store.get_events()
        result = fuse(list(mentions.values()), articles, old)
        store.delete_events([e.id for e in old])
        store.upsert_events(calibrate(result.events, mentions))
    refresh_control(store)
    print(json.dumps({"refused": len(mentions), "events": store.count("events")}), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
