"""Live service benchmark (issue 10; not a timed test), on loopback only.

Starts ``sitrep serve --watch`` on a fresh database with one feed on a local feed server
(tests/watch/feeds.py: tiny wire-style reports), then measures

1. API latency (GET /events?view=summary&limit=100 and GET /status) while idle, and while
   the watcher ingests a burst of ``--burst`` items;
2. freshness: ``--items`` items published one by one ``--spacing`` seconds apart; for each,
   the time from its appearance in the feed to an event citing it in ``GET /changes``
   (median, p95), with the feed polled every ``--interval`` seconds.

    cd bench && ../.venv/bin/python live_latency.py --interval 30 --items 10 --spacing 11
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
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--spacing", type=float, default=11.0)
    ap.add_argument("--burst", type=int, default=150)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
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
