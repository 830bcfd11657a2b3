"""The live service as a user runs it (real processes, loopback only):

- while ``sitrep serve --watch`` ingests a stream of feed items, CLI exports and API reads
  succeed and every read sees whole rounds only (no unanalysed article, no control unit
  waiting for its refresh, every event's articles present); SIGTERM ends it cleanly;
- ``kill -9`` of ``sitrep watch`` in the middle of a batch, then a restart: nothing
  committed is lost, nothing is duplicated, and the result equals an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from sitrep.store import Store
from tests.serve.server import free_port
from tests.watch.feeds import FeedServer

ROOT = Path(__file__).resolve().parents[2]
SITREP = [sys.executable, "-m", "sitrep"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}


def _sources(path: Path, feed: str, interval: float) -> Path:
    path.write_text(f"allow_private: true\nsources:\n  - name: wire\n    feed: {feed}\n"
                    f"    outlet: Wire\n    interval: {interval}\n", encoding="utf-8")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SITREP, *args], capture_output=True, text=True, env=ENV, timeout=120)


def _consistent(db: Path) -> tuple[int, int]:
    """A read sees whole rounds: (articles, events) of what it sees."""
    with Store(db, read_only=True) as store:
        assert store.snapshot is not None  # the writer holds the database: its snapshot
        articles = store.article_ids()
        assert store.unanalysed_article_ids(skip_failed=True) == []
        assert store.dirty_control_units() == []
        events = store.get_events()
        assert all(set(e.article_ids) <= articles for e in events)
        return len(articles), len(events)


def test_reads_while_serve_watch_ingests(tmp_path: Path) -> None:
    total, step = 60, 15
    db = tmp_path / "live.duckdb"
    port = free_port()
    with FeedServer() as fs:
        fs.publish(*range(step))
        sources = _sources(tmp_path / "sources.yaml", f"{fs.url}/feed.xml", 0.3)
        server = subprocess.Popen(
            [*SITREP, "serve", "--db", str(db), "--port", str(port), "--watch", str(sources),
             "--batch-size", "8", "--changes-file", str(tmp_path / "changes.jsonl")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
        log: list[str] = []
        drain = threading.Thread(target=lambda: log.extend(server.stderr or ()), daemon=True)
        drain.start()
        api = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert time.monotonic() < deadline and server.poll() is None, log
                try:
                    if httpx.get(f"{api}/health", timeout=2).json()["status"] == "ok":
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)

            def publisher() -> None:
                for start in range(step, total, step):
                    time.sleep(0.4)
                    fs.publish(*range(start, start + step))

            feeding = threading.Thread(target=publisher, daemon=True)
            feeding.start()
            seen: list[tuple[int, int]] = []
            latencies: list[float] = []
            cli_runs = 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                status = httpx.get(f"{api}/status", timeout=10).json()
                page = httpx.get(f"{api}/events?min_confidence=0&limit=1", timeout=10)
                latencies.append(time.perf_counter() - started)
                assert page.status_code == 200
                seen.append(_consistent(db))
                if cli_runs < 2:  # CLI exports against the database the server writes
                    events = _cli("events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0")
                    assert events.returncode == 0, events.stderr
                    rows = [json.loads(line) for line in events.stdout.splitlines()]
                    assert len({r["id"] for r in rows}) == len(rows)
                    cli_runs += 1
                if status["snapshot"]["articles"] == total and status["watch"]["queue"] == 0:
                    break
                time.sleep(0.1)
            assert status["snapshot"]["articles"] == total, status
            assert [a for a, _ in seen] == sorted(a for a, _ in seen)  # never goes back
            assert any(0 < a < total for a, _ in seen)  # some reads landed mid-stream
            assert max(latencies) < 5.0, latencies
            # every read-only command works beside the writer and agrees with the API
            final = _cli("events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0")
            api_total = httpx.get(f"{api}/events?min_confidence=0&limit=1").json()["total"]
            event_ids = {json.loads(line)["id"] for line in final.stdout.splitlines()}
            assert final.returncode == 0 and len(event_ids) == api_total > total // 3
            readers = [subprocess.Popen([*SITREP, *args, "--db", str(db)], env=ENV, text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                       for args in (["control"], ["claims"], ["articles"], ["changes", "--since", "1h"],
                                    ["report", "--out", str(tmp_path / "r.md")])]
            for reader in readers:  # many readers at once, beside the writer
                _, err = reader.communicate(timeout=120)
                assert reader.returncode == 0, (reader.args, err)
            changed = httpx.get(f"{api}/changes?since=1h&limit=10000").json()
            assert {i["event_id"] for i in changed["items"] if i["kind"] == "new_event"} == event_ids
            assert httpx.get(f"{api}/status").json()["watch"]["sources"][0]["last_error"] is None
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            drain.join(timeout=5)
        events = [json.loads(line) for line in log if line.startswith("{")]
        assert any(e.get("event") == "watch_stopped" for e in events)  # a graceful stop
        assert any(e.get("event") == "round_committed" for e in events)
        told = [json.loads(x) for x in (tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
        assert ({i["event_id"] for i in told if i["kind"] == "new_event"}
                - {i["event_id"] for i in told if i["kind"] == "removed_event"}) == event_ids
    # the server is gone: the database itself opens, holding what the snapshot showed
    with Store(db, read_only=True) as store:
        assert store.snapshot is None and {e.id for e in store.get_events()} == event_ids


def _fingerprint(db: Path) -> dict[str, Any]:
    with Store(db, read_only=True) as store:
        return {
            "articles": sorted(store.article_ids()),
            "analysed": store.unanalysed_article_ids() == [],
            "mentions": sorted(m.id for m in store.get_mentions()),
            "events": sorted((e.id, e.n_sources, e.article_ids) for e in store.get_events()),
            "control": sorted((s.unit_id, s.date.isoformat(), s.controller) for s in store.get_control()),
            "new_logged": sorted(r["event_id"] for r in store.changes_since() if r["kind"] == "event_new"),
        }


def test_kill_9_mid_batch_then_restart_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    n = 24
    with FeedServer() as fs:
        fs.publish(*range(n))
        sources = _sources(tmp_path / "sources.yaml", f"{fs.url}/feed.xml", 60)
        killed = tmp_path / "killed.duckdb"
        watcher = subprocess.Popen(
            [*SITREP, "watch", str(sources), "--db", str(killed), "--batch-size", "4"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
        assert watcher.stderr is not None
        for line in watcher.stderr:
            if '"batch_committed"' in line and json.loads(line)["batch"] == 2:
                watcher.send_signal(signal.SIGKILL)  # while batch 3 is being analysed
                break
        watcher.wait(timeout=30)
        assert watcher.returncode == -signal.SIGKILL
        with Store(killed, read_only=True) as store:  # what survived: whole batches only
            stored = store.count("articles")
            done = n - len(store.unanalysed_article_ids())
            analysed_with_mentions = {m.article_id for m in store.get_mentions()}
        assert stored == n and done % 4 == 0 and 8 <= done < n
        assert len(analysed_with_mentions) <= done

        again = _cli("watch", str(sources), "--db", str(killed), "--once", "--batch-size", "4")
        assert again.returncode == 0, again.stderr
        reference = tmp_path / "reference.duckdb"
        clean = _cli("watch", str(sources), "--db", str(reference), "--once", "--batch-size", "4")
        assert clean.returncode == 0, clean.stderr
    after, expected = _fingerprint(killed), _fingerprint(reference)
    assert after["analysed"] and len(after["articles"]) == n
    assert after == expected
    assert len(after["new_logged"]) == len(set(after["new_logged"]))  # no event told twice
