"""kill -9 integrity of the main job, end to end through the real command line.

``sitrep run`` is killed with SIGKILL right after it reports its first committed batch
(``--verbose`` prints one line per commit), or after its twelfth; the database must then open, hold only
whole batches (every analysed article has exactly its mentions and claims, no event or
control row points at something missing, no duplicate ids), and a rerun must converge
to exactly the database of a clean uninterrupted run (event ids and their mention
groupings, mentions, claims, control). See also ``bench/pipeline_crash.py`` (kills at
timed points).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sitrep.store import Store
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

SITREP = [sys.executable, "-m", "sitrep"]
BATCH = "1"  # one article per transaction: many commits, so the kill lands mid-run


def _run(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*SITREP, "run", str(CORPUS), "--db", str(db), "--batch-size", BATCH,
                           *extra], capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _run_and_kill_after_commit(db: Path, batch: int) -> None:
    proc = subprocess.Popen([*SITREP, "run", str(CORPUS), "--db", str(db), "--batch-size",
                             BATCH, "--verbose"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if line.startswith(f"batch {batch}/"):
                os.kill(proc.pid, signal.SIGKILL)
                break
        else:
            pytest.fail(f"sitrep run --verbose printed no 'batch {batch}/N committed' line")
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def _snapshot(db: Path) -> dict[str, Any]:
    with Store(db, read_only=True) as st:
        return {
            "events": sorted((e.id, e.mention_ids) for e in st.get_events()),
            "mentions": sorted(m.id for m in st.get_mentions()),
            "claims": sorted(c.id for c in st.get_claims()),
            "control": sorted((s.unit_id, s.date.isoformat(), s.controller, s.confirmed,
                               s.event_ids) for s in st.get_control()),
            "articles": st.count("articles"),
            "unanalysed": len(st.unanalysed_article_ids()),
        }


def _by_article(db: Path, table: str) -> dict[str, set[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, set[str]] = {}
        for aid, mid in con.execute(f"SELECT article_id, id FROM {table}").fetchall():
            out.setdefault(aid, set()).add(mid)
        return out
    finally:
        con.close()


def _check_consistent(db: Path, clean: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in ("articles", "mentions", "events", "claims"):
            n, distinct = con.execute(f"SELECT count(*), count(DISTINCT id) FROM {table}"
                                      ).fetchone() or (0, 0)
            assert n == distinct, f"duplicate ids in {table}"
        analysed = {r[0] for r in con.execute("SELECT id FROM articles WHERE analysed")
                    .fetchall()}
        articles = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
        mention_ids = {r[0] for r in con.execute("SELECT id FROM mentions").fetchall()}
        events = [json.loads(r[0]) for r in con.execute("SELECT data FROM events").fetchall()]
        control = [json.loads(r[0]) for r in con.execute("SELECT data FROM control").fetchall()]
    finally:
        con.close()
    assert analysed, "the first batch was reported committed but is not in the database"
    # whole batches only: an analysed article has exactly the mentions and claims a clean
    # run gives it, an unanalysed one has none
    for table in ("mentions", "claims"):
        got, want = _by_article(db, table), _by_article(clean, table)
        assert set(got) <= analysed, f"{table} of articles not marked analysed"
        for aid in analysed:
            assert got.get(aid, set()) == want.get(aid, set()), (table, aid)
    for e in events:  # no event points at a missing mention or article
        assert set(e["mention_ids"]) <= mention_ids, e["id"]
        assert set(e["article_ids"]) <= articles, e["id"]
        assert e["mention_ids"]
    event_ids = {e["id"] for e in events}
    for s in control:
        assert set(s["event_ids"]) <= event_ids, s["unit_id"]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    _run(db)
    return db


@pytest.mark.parametrize("batch", [1, 12])
def test_kill_9_after_a_commit_then_rerun_equals_a_clean_run(clean: Path, batch: int,
                                                             tmp_path: Path) -> None:
    want = _snapshot(clean)
    assert want["unanalysed"] == 0 and want["events"] and want["control"] and want["claims"]

    killed = tmp_path / "killed.duckdb"
    _run_and_kill_after_commit(killed, batch)
    got = _snapshot(killed)  # the file opens, and the run stopped midway
    assert 0 < got["unanalysed"] <= want["articles"] - batch
    _check_consistent(killed, clean)

    proc = _run(killed)
    assert "articles_added" in proc.stdout
    assert _snapshot(killed) == want
    _run(killed)  # and a third run changes nothing
    assert _snapshot(killed) == want
    for export in (["events", "--format", "acled-csv"], ["control", "--format", "jsonl"],
                   ["claims", "--format", "jsonl"]):  # what users see is the same, byte for byte
        assert _export(killed, export) == _export(clean, export), export


def _export(db: Path, args: list[str]) -> str:
    proc = subprocess.run([*SITREP, *args, "--db", str(db)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0 and proc.stdout, proc.stderr[-2000:]
    return proc.stdout
