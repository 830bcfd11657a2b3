"""Live service benchmark (issue 10; not a timed test), on loopback only.

Starts ``sitrep serve --watch`` on a fresh database with one feed on a local feed server
(tests/watch/feeds.py: tiny wire-style reports), then measures

1. API latency (GET /events?view=summary&limit=100 and GET /status) while idle, and while
   the watcher ingests a burst of ``--burst`` items;
2. freshness: ``--items`` items published one by one ``--spacing`` seconds apart; for each,
   the time from its appearance in the feed to an event citing it in ``GET /changes``
   (median, p95), with the feed polled every ``--interval`` seconds.

    cd bench && ../.venv/bin/python live_latency.py --interval 30 --items 10 --spacing 11

``--post N`` instead measures reads during a write in one process: N articles posted to
``POST /ingest`` while a client reads ``/events`` in a loop (read latency and count).
The app comes from ``sitrep`` on the import path, so the same command measures an older
checkout: ``PYTHONPATH=/path/to/old/checkout ../.venv/bin/python live_latency.py --post 150``
(this script's own helpers still come from this checkout's ``tests/``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a checkout given there provides sitrep

from tests.serve.server import free_port  # noqa: E402
from tests.watch.feeds import FeedServer  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed_gets(api: str, stop: threading.Event | None, n: int | None = None) -> list[float]:
    out: list[float] = []
    with httpx.Client(timeout=30) as client:
        while (stop is None or not stop.is_set()) and (n is None or len(out) < n):
            for path in ("/events?view=summary&limit=100&min_confidence=0", "/status"):
                started = time.perf_counter()
                assert client.get(api + path).status_code == 200
                out.append(time.perf_counter() - started)
    return out


def post_while_reading(n: int) -> dict[str, object]:
    """Reads of /events while ``n`` articles are posted to POST /ingest (one process)."""
    import uvicorn

    from sitrep.api import create_app
    from tests.watch.feeds import article

    db = Path(tempfile.mkdtemp(prefix="sitrep-post-")) / "post.duckdb"
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(str(db), token="t"), host="127.0.0.1",
                                           port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    api = f"http://127.0.0.1:{port}"

    def post(numbers: range) -> None:
        httpx.post(api + "/ingest", headers={"X-Sitrep-Token": "t"}, timeout=900, json={"articles": [
            {"text": article(k)["text"], "url": article(k)["link"], "outlet": "Wire"} for k in numbers]})

    while True:
        try:
            httpx.get(api + "/health", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    post(range(0, 1))  # loads the language model
    done, lat = threading.Event(), []

    def reader() -> None:
        with httpx.Client(timeout=900) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get(api + "/events?view=summary&limit=100&min_confidence=0")
                lat.append(time.perf_counter() - started)

    thread = threading.Thread(target=reader)
    thread.start()
    started = time.perf_counter()
    post(range(1, n + 1))
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    server.should_exit = True
    return {"posted": n, "post_seconds": round(seconds, 1), "reads": len(lat),
            "read_p50_ms": round(1000 * statistics.median(lat), 1),
            "read_p95_ms": round(1000 * pct(lat, 0.95), 1), "read_max_ms": round(1000 * max(lat), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--spacing", type=float, default=11.0)
    ap.add_argument("--burst", type=int, default=150)
    ap.add_argument("--post", type=int, default=0, help="measure reads during POST /ingest of N articles")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.post:
        print(json.dumps(post_while_reading(args.post), indent=None if args.json else 2))
        return
    tmp = Path(tempfile.mkdtemp(prefix="sitrep-live-"))
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with FeedServer() as fs:
        fs.publish(*range(5))
        (tmp / "sources.yaml").write_text(
            f"allow_private: true\nsources:\n  - name: wire\n    feed: {fs.url}/feed.xml\n"
            f"    outlet: Wire\n    interval: {args.interval}\n", encoding="utf-8")
        server = subprocess.Popen(
            [sys.executable, "-m", "sitrep", "serve", "--db", str(tmp / "live.duckdb"), "--port", str(port),
             "--watch", str(tmp / "sources.yaml"), "--log-format", "json"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"))  # noqa: SIM115
        try:
            while True:
                try:
                    if httpx.get(api + "/status", timeout=2).json()["snapshot"]["articles"] == 5:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
            idle = timed_gets(api, None, n=200)
            # a burst: API reads while the watcher ingests it
            first = 1000
            fs.publish(*range(first, first + args.burst))
            stop = threading.Event()
            busy: list[float] = []
            reader = threading.Thread(target=lambda: busy.extend(timed_gets(api, stop)))
            reader.start()
            while httpx.get(api + "/status", timeout=30).json()["snapshot"]["articles"] < 5 + args.burst:
                time.sleep(0.5)
            stop.set()
            reader.join()
            # freshness: one item at a time
            seq = httpx.get(api + "/status").json()["snapshot"]["last_seq"]
            published: dict[str, float] = {}
            seen: dict[str, float] = {}
            for k in range(args.items):
                n = 5000 + k
                fs.publish(n)
                published[f"/{n}"] = time.monotonic()
                end = time.monotonic() + args.spacing
                while time.monotonic() < end or (k == args.items - 1 and len(seen) < len(published)
                                                  and time.monotonic() < end + 3 * args.interval):
                    r = httpx.get(f"{api}/changes?after_seq={seq}&limit=1000", timeout=30).json()
                    for item in r["items"]:
                        for src in item.get("sources") or []:
                            key = "/" + (src.get("url") or "").rsplit("/", 1)[-1]
                            if key in published and key not in seen:
                                seen[key] = time.monotonic()
                    time.sleep(0.25)
            lags = [seen[k] - published[k] for k in seen]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=120)
    result = {
        "interval_s": args.interval, "items": args.items, "items_seen": len(lags),
        "freshness_median_s": round(statistics.median(lags), 2) if lags else None,
        "freshness_p95_s": round(pct(lags, 0.95), 2) if lags else None,
        "api_idle_p50_ms": round(1000 * statistics.median(idle), 1),
        "api_idle_p95_ms": round(1000 * pct(idle, 0.95), 1),
        "api_ingesting_p50_ms": round(1000 * statistics.median(busy), 1) if busy else None,
        "api_ingesting_p95_ms": round(1000 * pct(busy, 0.95), 1) if busy else None,
        "api_requests": {"idle": len(idle), "ingesting": len(busy)}, "burst_items": args.burst,
    }
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
