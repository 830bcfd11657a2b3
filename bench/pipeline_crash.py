"""kill -9 the main job mid-run, rerun it, and compare with an uninterrupted run.

    .venv/bin/python bench/pipeline_crash.py [CORPUS] [--after 9,12] [--batch-size 2]

Prints, per kill time, how far the killed run got and whether the rerun converged to
exactly the events (ids and mention groupings), mentions, claims and control rows of a
clean run. Not a unit test: it depends on timing.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SITREP = str(ROOT / ".venv" / "bin" / "sitrep")


def snapshot(db: Path) -> tuple[Any, ...]:
    from sitrep.store import Store

    with Store(db, read_only=True) as st:
        events = {(e.id, e.mention_ids) for e in st.get_events()}
        return (events, st.count("mentions"), st.count("claims"), st.count("control"),
                len(st.unanalysed_article_ids()))


def run(db: Path, corpus: str, batch: int, kill_after: float | None = None) -> None:
    cmd = [SITREP, "run", "--db", str(db), "--batch-size", str(batch), corpus]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        proc.wait()
        return
    time.sleep(kill_after)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "examples" / "corpus"))
    ap.add_argument("--after", default="9,12")
    ap.add_argument("--batch-size", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean.duckdb"
        run(clean, args.corpus, args.batch_size)
        want = snapshot(clean)
        ok = True
        for after in (float(x) for x in args.after.split(",")):
            db = Path(tmp) / f"killed-{after}.duckdb"
            run(db, args.corpus, args.batch_size, kill_after=after)
            got = snapshot(db)
            run(db, args.corpus, args.batch_size)
            final = snapshot(db)
            same = final[:4] == want[:4]
            ok &= same
            if not same:
                diff = [n for n, a, b in zip(("events", "mentions", "claims", "control"),
                                             final, want, strict=False) if a != b]
                print("  differs in:", diff, "events only here:",
                      sorted(final[0] - want[0])[:3], "only in clean:",
                      sorted(want[0] - final[0])[:3])
            print(f"killed after {after:.0f}s: {len(got[0])} events, {got[1]} mentions, "
                  f"{got[4]} articles unanalysed -> rerun: {len(final[0])} events, "
                  f"{final[1]} mentions, {final[3]} control rows; equal to clean run: {same}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
