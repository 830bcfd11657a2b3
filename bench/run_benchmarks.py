"""Throughput, memory, scaling, incremental cost, Spark, API and dashboard benchmarks.

    .venv/bin/python bench/run_benchmarks.py --sizes 1000,10000        # ~1 h on 2 cores
    .venv/bin/python bench/run_benchmarks.py --sizes 1000 --quick      # ~10 min
    .venv/bin/python bench/run_benchmarks.py --throughput --record    # issue 12's three figures
    .venv/bin/python bench/run_benchmarks.py --throughput --throughput-size 20 --incremental-scale 3 \
        --work /tmp/bench-smoke                                       # the same run, small: a check

``--throughput`` measures issue 12's three throughput figures side by side in one run (~15 min
on a quiet machine): on the 300-article generated corpus the full pipeline (1 process), bare
spaCy and the pipeline with 2 workers, one after the other, then 100 articles added to that
300-article database and to it replicated 33 times (9,900 articles); the results go to
``throughput.json`` / ``throughput.md`` (``bench/results/`` with ``--record``), with the load
average of the machine at each measurement.

Every measurement runs in a fresh child process (so peak RSS is that task's own, from
``resource.getrusage``) on corpora made by ``bench/generate_corpus.py`` (cached in
``--work``, default /tmp/sitrep-bench). Results go to ``<work>/results/benchmarks.json``
(one record per measurement) and ``benchmarks.md`` beside it; with ``--record`` they go to
``bench/results/`` instead (the committed figures), so an ad-hoc or partial run never
rewrites them with its noise.

Measured, per corpus size:
- ``spacy``: bare ``spacy.load(MODEL).pipe`` over the same texts (the floor we compare to);
- ``pipeline``: ``sitrep.pipeline.run`` on 1 process and with ``n_process=2``, with
  ingest / fuse / control time taken by wrapping those stage functions (the rest is
  analysis: nlp + extract + claims + store writes);
- ``fuse_all``: one ``fuse()`` call over every stored mention (fusion's own scaling);
- ``incremental``: 100 new articles added to the database of that size, with a check
  that the ids of pre-existing events survive unless fusion merged them (with
  ``--incremental-scale K``, also to the smallest size's database replicated K times);
- ``spark``: ``sitrep.spark.run_spark`` in local[2] on the same JSONL (``--spark-sizes``);
- ``api`` / ``dashboard``: ``GET /events`` latency (p50/p95, TestClient, 200 requests) and
  the dashboard's first render in headless Chromium on the largest database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def _rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(kids, 1)}


def _texts(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def timed(owner: Any, name: str, bucket: dict[str, float], *, key: str | None = None,
          clock: Callable[[], float] = time.perf_counter, optional: bool = False) -> None:
    """Wrap ``owner.name`` so the ``clock`` seconds spent inside accumulate in
    ``bucket[key or name]`` (``optional``: an owner without ``name`` — an older tree — is
    left alone)."""
    inner: Callable[..., Any] | None = getattr(owner, name, None) if optional else getattr(owner, name)
    if inner is None:
        return
    slot = key or name

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = clock()
        try:
            return inner(*args, **kwargs)
        finally:
            bucket[slot] = bucket.get(slot, 0.0) + clock() - t

    setattr(owner, name, wrapper)


# ---------------------------------------------------------------- child tasks

def task_spacy(corpus: str) -> dict[str, Any]:
    import spacy

    from sitrep.nlp import MODEL

    texts = _texts(corpus)
    nlp = spacy.load(MODEL)
    t, c = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=16):
        pass
    s, cpu = time.perf_counter() - t, time.process_time() - c
    words = sum(len(x.split()) for x in texts)
    return {"seconds": round(s, 2), "timed_cpu_s": round(cpu, 2),
            "words_per_timed_cpu_s": round(words / cpu), "articles": len(texts), "words": words,
            "words_per_s": round(words / s), "articles_per_s": round(len(texts) / s, 2), **_rss_mb()}


def _instrumented_run(sources: list[str], db: str, n_process: int, batch_size: int) -> dict[str, Any]:
    import sitrep.control
    import sitrep.fuse
    import sitrep.ingest
    import sitrep.pipeline
    from sitrep.pipeline import RunOptions, run
    from sitrep.store import Store

    spent: dict[str, float] = {}
    timed(sitrep.ingest, "ingest_into", spent)
    timed(sitrep.fuse, "fuse", spent)
    timed(sitrep.pipeline, "refresh_control", spent)
    with Store(db) as store:
        before = {e.id for e in store.get_events()}
        t, c, kids = time.perf_counter(), time.process_time(), _cpu_children()
        summary = run(sources, store, RunOptions(batch_size=batch_size, n_process=n_process))
        # the analysis workers' CPU counts too (they are joined when run returns)
        total, cpu = time.perf_counter() - t, time.process_time() - c + _cpu_children() - kids
        after = {e.id for e in store.get_events()}
        n_mentions = store.count("mentions")
    lost = sorted(before - after)
    return {
        "seconds": round(total, 2), "timed_cpu_s": round(cpu, 2), "ingest_s": round(spent.get("ingest_into", 0), 2),
        "fuse_s": round(spent.get("fuse", 0), 2), "control_s": round(spent.get("refresh_control", 0), 2),
        "analyse_s": round(total - sum(spent.values()), 2),
        "articles_added": summary.articles_added, "events": summary.events,
        "events_new": summary.events_new, "events_updated": summary.events_updated,
        "events_removed": summary.events_removed, "mentions_total": n_mentions,
        "preexisting_events": len(before), "preexisting_ids_missing": len(lost),
        "preexisting_ids_missing_not_merged": max(0, len(lost) - summary.events_removed),
        **_rss_mb(),
    }


def task_pipeline(corpus: str, db: str, n_process: str = "1", batch_size: str = "32") -> dict[str, Any]:
    out = _instrumented_run([corpus], db, int(n_process), int(batch_size))
    texts = _texts(corpus)
    words = sum(len(x.split()) for x in texts)
    out.update(articles=len(texts), words=words, n_process=int(n_process),
               words_per_timed_cpu_s=round(words / out["timed_cpu_s"]),
               words_per_s=round(words / out["seconds"]),
               articles_per_s=round(len(texts) / out["seconds"], 2))
    return out


def task_incremental(db: str, add: str) -> dict[str, Any]:
    out = _instrumented_run([add], db, 1, 32)
    out["added_articles"] = len(_texts(add))
    return out


def task_fuse_all(db: str) -> dict[str, Any]:
    from sitrep.fuse import fuse
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        mentions = store.get_mentions()
        articles = {a.id: a for a in store.get_articles()}
    t = time.perf_counter()
    result = fuse(mentions, articles)
    s = time.perf_counter() - t
    return {"seconds": round(s, 2), "mentions": len(mentions), "events": len(result.events),
            "us_per_mention": round(1e6 * s / max(1, len(mentions)), 1), **_rss_mb()}


def task_fuse_scaled(db: str, k: str = "10") -> dict[str, Any]:
    """fuse() over the stored mentions replicated ``k`` times (no NLP needed), two ways:

    - ``coverage``: every replica reports the same occurrences (new article and mention
      ids, same text, place, date): k times the reports of the same events;
    - ``timespan``: replica i is moved i * 53 weeks later: k times the events, at the
      same density per province and day.
    """
    from sitrep.fuse import fuse

    out: dict[str, Any] = {"k": int(k)}
    for mode in ("coverage", "timespan"):
        ms, arts = _replicas(db, int(k), mode)
        t = time.perf_counter()
        result = fuse(ms, arts)
        out[mode] = {"mentions": len(ms), "events": len(result.events),
                     "seconds": round(time.perf_counter() - t, 2)}
    return out


def task_replicate(src: str, dst: str, k: str = "10", mode: str = "timespan") -> dict[str, Any]:
    """A k-times bigger database without k times the NLP: the analysed corpus of ``src``
    replicated (new article/mention ids; ``timespan`` moves replica i 53 weeks later,
    ``coverage`` keeps the dates), fused in one call and stored in bulk. Used for the
    incremental-cost and API/dashboard measurements at 10k scale."""
    import duckdb
    import pyarrow as pa

    from sitrep.fuse import fuse
    from sitrep.pipeline import refresh_control
    from sitrep.store import EVENT_COLUMNS, Store, _dump

    ms, arts = _replicas(src, int(k), mode)
    t = time.perf_counter()
    events = fuse(ms, arts).events
    fuse_s = time.perf_counter() - t
    Path(dst).unlink(missing_ok=True)
    with Store(dst) as store:
        con: duckdb.DuckDBPyConnection = store.con
        a_rows = [(a.id, a.source, a.url, a.outlet, a.wire, a.title, a.language, a.published,
                   a.published_basis, a.published_confidence, a.duplicate_of, _dump(a))
                  for a in arts.values()]
        cols = ["id", "source", "url", "outlet", "wire", "title", "language", "published",
                "published_basis", "published_confidence", "duplicate_of", "data"]
        con.register("arts_tbl", pa.table({c: [r[i] for r in a_rows] for i, c in enumerate(cols)}))
        con.execute(f"INSERT INTO articles ({', '.join(cols)}) SELECT * FROM arts_tbl")
        con.execute("UPDATE articles SET analysed = true")
        con.register("ment_tbl", pa.table({
            "id": [m.id for m in ms], "article_id": [m.article_id for m in ms],
            "event_type": [m.event_type for m in ms], "sub_event_type": [m.sub_event_type for m in ms],
            "data": [_dump(m) for m in ms]}))
        con.execute("INSERT INTO mentions SELECT * FROM ment_tbl")
        rows = [(e.id, e.date.start, e.date.end, e.date.precision, e.event_type, e.sub_event_type,
                 e.actor1.name if e.actor1 else None, e.actor2.name if e.actor2 else None,
                 e.place.admin1 if e.place else None, e.place.admin2 if e.place else None,
                 e.place.name if e.place else None, e.place.lat if e.place else None,
                 e.place.lon if e.place else None, e.fatalities, e.status, e.n_sources,
                 e.first_reported, _dump(e), e.place.id if e.place else None,
                 e.place.admin2_id if e.place else None)
                for e in events]  # the columns upsert_events writes
        con.register("ev_tbl", pa.table({c: [r[i] for r in rows] for i, c in enumerate(EVENT_COLUMNS)}))
        con.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) SELECT * FROM ev_tbl")
        store.backfill_bands()  # raw inserts: the near-duplicate band keys ingest looks up
        refresh_control(store)
        counts = {t: store.count(t) for t in ("articles", "mentions", "events", "control")}
    return {"k": int(k), "mode": mode, "fuse_s": round(fuse_s, 2), **counts}


def _replicas(db: str, k: int, mode: str) -> tuple[list[Any], dict[str, Any]]:
    from dataclasses import replace as dc_replace

    from sitrep.model import DateInterval, stable_id
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        mentions = store.get_mentions()
        articles = {a.id: a for a in store.get_articles()}
    ms, arts = [], {}
    for i in range(k):
        shift = dt.timedelta(weeks=53 * i if mode == "timespan" else 0)
        for a in articles.values():
            aid = stable_id(a.id, i) if i else a.id
            arts[aid] = dc_replace(a, id=aid, published=a.published + shift if a.published else None,
                                   duplicate_of=(stable_id(a.duplicate_of, i) if i else a.duplicate_of)
                                   if a.duplicate_of else None)
        for m in mentions:
            date = m.date
            if date is not None and shift:
                iv = date.interval
                date = dc_replace(date, interval=DateInterval(iv.start + shift, iv.end + shift,
                                                              iv.precision))
            ms.append(dc_replace(m, id=stable_id(m.id, i) if i else m.id,
                                 article_id=stable_id(m.article_id, i) if i else m.article_id,
                                 date=date))
    return ms, arts


def task_spark(corpus: str, out: str) -> dict[str, Any]:
    from sitrep.spark import run_spark

    t = time.perf_counter()
    s = run_spark(corpus, out, master="local[2]", partitions=4)
    total = time.perf_counter() - t
    words = sum(len(x.split()) for x in _texts(corpus))
    return {"seconds": round(total, 2), "phases": s.seconds, "articles": s.articles,
            "events": s.events, "mentions": s.mentions, "words_per_s": round(words / total),
            "driver": _rss_mb()}


def task_api(db: str, n: str = "200") -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from sitrep.api import create_app
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        n_events = store.count("events")
    client = TestClient(create_app(db))
    client.get("/events")  # warm-up (connection, caches)
    lat: list[float] = []
    for i in range(int(n)):
        t = time.perf_counter()
        r = client.get("/events", params={"offset": (i * 100) % max(1, n_events)})
        lat.append(1000 * (time.perf_counter() - t))
        r.raise_for_status()
    lat.sort()
    return {"events_in_db": n_events, "requests": len(lat), "p50_ms": round(statistics.median(lat), 1),
            "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 1), "max_ms": round(lat[-1], 1)}


def task_dashboard(db: str, runs: str = "3") -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.serve.server import serving

    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    times: list[float] = []
    with serving(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        for _ in range(int(runs)):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            times.append(time.perf_counter() - t)
            page.close()
        browser.close()
    return {"runs_s": [round(x, 2) for x in times], "median_s": round(statistics.median(times), 2)}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "spacy": task_spacy, "pipeline": task_pipeline, "incremental": task_incremental,
    "fuse_all": task_fuse_all, "fuse_scaled": task_fuse_scaled, "replicate": task_replicate,
    "spark": task_spark, "api": task_api, "dashboard": task_dashboard,
}


# ---------------------------------------------------------------- driver

def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def child(task: str, *args: str, timeout: float = 7200) -> dict[str, Any]:
    """Run one task in a fresh interpreter; its last stdout line is the JSON result.

    ``cpu_s`` is the CPU time of the child and its own children (spaCy's worker
    processes, the JVM): on a shared machine it is the load-independent figure.
    """
    t = time.perf_counter()
    cpu = _cpu_children()
    load_start = round(os.getloadavg()[0], 1)
    proc = subprocess.run([sys.executable, __file__, "--child", task, *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"})
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {"task": task, "error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update(task=task, wall_s=round(time.perf_counter() - t, 2),
                  cpu_s=round(_cpu_children() - cpu, 2), load_avg_start=load_start,
                  load_avg=round(os.getloadavg()[0], 1))
    if "words" in result:
        result["words_per_cpu_s"] = round(result["words"] / max(result["cpu_s"], 1e-9))
    print(f"  {task} {' '.join(Path(a).name for a in args)}: {json.dumps(result)}", file=sys.stderr)
    return result


def corpus(work: Path, n: int, seed: int = 7) -> str:
    path = work / f"corpus_{n}_s{seed}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_corpus.py"), "--n", str(n),
                        "--seed", str(seed), "--out", str(path)], check=True)
    return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--compare-sizes", default="1000",
                    help="sizes for the spaCy floor, 2-process run (each costs a full pass)")
    ap.add_argument("--spark-sizes", default="1000")
    ap.add_argument("--work", type=Path, default=Path("/tmp/sitrep-bench"))
    ap.add_argument("--quick", action="store_true", help="skip Spark, API and dashboard")
    ap.add_argument("--replicated", action="store_true",
                    help="after a run of the smallest size: 10x database by replication, "
                         "incremental add, API and dashboard on ~10k events, fusion scaling")
    ap.add_argument("--incremental-scale", type=int, default=0, metavar="K",
                    help="also add the same 100 articles to the smallest size's database "
                         "replicated K times (K x the articles, no K x the NLP)")
    ap.add_argument("--record", action="store_true",
                    help="write the results to bench/results/ (the committed figures) "
                         "instead of <work>/results/")
    ap.add_argument("--throughput", action="store_true",
                    help="issue 12's three throughput figures in one run: pipeline vs bare spaCy, "
                         "2 workers vs 1, +100 articles at 9,900 vs 300 (implies --sizes 300 "
                         "--compare-sizes 300 --quick --incremental-scale 33; throughput.md)")
    ap.add_argument("--throughput-size", type=int, default=300, metavar="N",
                    help="the corpus size of --throughput (300, the recorded figures; a small N "
                         "checks that the run works end to end in a few minutes)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(TASKS[args.child[0]](*args.child[1:])))
        return 0
    if args.throughput:
        args.sizes = args.compare_sizes = str(args.throughput_size)
        args.quick = True
        args.incremental_scale = args.incremental_scale or 33

    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    compare = {int(s) for s in args.compare_sizes.split(",") if s}
    spark_sizes = {int(s) for s in args.spark_sizes.split(",") if s}
    run_id = dt.datetime.now().isoformat(timespec="seconds")
    records: list[dict[str, Any]] = []

    out = RESULTS if args.record else args.work / "results"

    name = "throughput" if args.throughput else "benchmarks"

    def keep(size: int | None, r: dict[str, Any]) -> None:
        records.append({"run": run_id, "size": size, **r})
        _save(records, out, name)

    if args.replicated:  # 10k scale without 10x the NLP: replicate the smallest size's DB
        n = min(sizes)
        base = args.work / f"db_{n}.duckdb"
        rep = args.work / f"db_{n}_x10.duckdb"
        keep(10 * n, child("replicate", str(base), str(rep), "10", "timespan"))
        inc = args.work / f"db_{n}_x10_inc.duckdb"
        shutil.copy(rep, inc)
        keep(10 * n, child("incremental", str(inc), corpus(args.work, 100, seed=1001)))
        ev = args.work / f"db_{n}_x2.duckdb"
        keep(2 * n, child("replicate", str(base), str(ev), "2", "timespan"))
        keep(2 * n, child("api", str(ev)))
        keep(2 * n, child("dashboard", str(ev)))
        keep(n, child("fuse_scaled", str(base), "10"))
        return 0

    add = corpus(args.work, 100, seed=1001)
    for n in sizes:
        src = corpus(args.work, n)
        db = args.work / f"db_{n}.duckdb"
        db.unlink(missing_ok=True)
        print(f"size {n}", file=sys.stderr)
        keep(n, child("pipeline", src, str(db), "1"))
        if args.throughput:  # the three runs of the same texts next to each other
            keep(n, child("spacy", src))
            keep(n, _two_workers(args.work, n))
        else:
            keep(n, child("fuse_all", str(db)))
        inc = args.work / f"db_{n}_inc.duckdb"
        shutil.copy(db, inc)
        keep(n, child("incremental", str(inc), add))
        if n in compare and not args.throughput:
            keep(n, child("spacy", src))
    if not args.quick:
        big = args.work / f"db_{max(sizes)}.duckdb"
        keep(max(sizes), child("api", str(big)))
        keep(max(sizes), child("dashboard", str(big)))
    for n in sorted(compare & set(sizes)) if not args.throughput else []:
        keep(n, _two_workers(args.work, n))
    if args.incremental_scale > 1:
        n, k = min(sizes), args.incremental_scale
        rep = args.work / f"db_{n}_x{k}.duckdb"
        keep(k * n, child("replicate", str(args.work / f"db_{n}.duckdb"), str(rep), str(k), "timespan"))
        inc = args.work / f"db_{n}_x{k}_inc.duckdb"
        shutil.copy(rep, inc)
        keep(k * n, child("incremental", str(inc), add))
    for n in sorted(spark_sizes) if not args.quick else []:
        keep(n, child("spark", corpus(args.work, n), str(args.work / f"spark_{n}")))
    return 0


def _two_workers(work: Path, n: int) -> dict[str, Any]:
    db2 = work / f"db_{n}_np2.duckdb"
    db2.unlink(missing_ok=True)
    return child("pipeline", corpus(work, n), str(db2), "2")


def _save(records: list[dict[str, Any]], folder: Path, name: str = "benchmarks") -> None:
    """This run's records merged into ``folder``/``name``.json (earlier runs kept) and
    its Markdown summary in ``folder``/``name``.md."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    old = json.loads(path.read_text()) if path.exists() else []
    runs = {r["run"] for r in records}
    merged = [r for r in old if r.get("run") not in runs] + records
    path.write_text(json.dumps(merged, indent=1) + "\n")
    (folder / f"{name}.md").write_text(summary_markdown(records))


def headline(records: list[dict[str, Any]]) -> list[str]:
    """The three throughput figures of one run, side by side (issue 12 item 4)."""
    def find(task: str, **match: Any) -> dict[str, Any] | None:
        found = [r for r in records if r.get("task") == task and "error" not in r
                 and all(r.get(k) == v for k, v in match.items())]
        return found[-1] if found else None

    out: list[str] = []
    for size in sorted({r["size"] for r in records if r.get("task") == "pipeline"}):
        one, two = find("pipeline", size=size, n_process=1), find("pipeline", size=size, n_process=2)
        floor = find("spacy", size=size)
        if one and floor:
            out.append(f"- {size} articles: full pipeline {one['words_per_cpu_s']:,} words per CPU-second "
                       f"vs bare spaCy {floor['words_per_cpu_s']:,} (ratio "
                       f"{one['words_per_cpu_s'] / floor['words_per_cpu_s']:.2f}; whole-process CPU-s "
                       f"{one['cpu_s']} vs {floor['cpu_s']}; load average {one.get('load_avg')} / "
                       f"{floor.get('load_avg')} on 2 cores)")
        if one and two:
            out.append(f"- {size} articles: 2 workers {two['articles_per_s']} articles per wall-second vs 1 "
                       f"process {one['articles_per_s']} (x{two['articles_per_s'] / one['articles_per_s']:.2f}; "
                       f"CPU-s {two['cpu_s']} vs {one['cpu_s']}; load average "
                       f"{one.get('load_avg')} / {two.get('load_avg')} on 2 cores)")
    incs = sorted((r for r in records if r.get("task") == "incremental" and "error" not in r),
                  key=lambda r: r["size"])
    if len(incs) >= 2:
        small, big = incs[0], incs[-1]  # the run's own CPU (workers included), not start-up
        out.append(f"- adding 100 articles: {small['timed_cpu_s']} CPU-s to a {small['size']:,}-article "
                   f"database, {big['timed_cpu_s']} CPU-s to a {big['size']:,}-article one "
                   f"(x{big['timed_cpu_s'] / max(small['timed_cpu_s'], 1e-9):.2f}; whole process "
                   f"{small['cpu_s']} vs {big['cpu_s']} CPU-s, "
                   f"x{big['cpu_s'] / max(small['cpu_s'], 1e-9):.2f})")
    return ["## Throughput (headline)", "", *out, ""] if out else []


def summary_markdown(records: list[dict[str, Any]]) -> str:
    """The latest run as a Markdown table per task."""
    lines = [f"# Benchmarks ({records[0]['run'] if records else ''}, 2-core machine)", "",
             *headline(records)]
    by_task: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_task.setdefault(r.get("task", "?"), []).append(r)
    for task, rows in by_task.items():
        cols = [c for c in rows[0] if c not in {"run", "task"}]
        for r in rows[1:]:
            cols += [c for c in r if c not in cols and c not in {"run", "task"}]
        lines += [f"## {task}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for r in rows:
            lines.append("| " + " | ".join(json.dumps(r.get(c)) if isinstance(r.get(c), dict | list)
                                           else str(r.get(c, "")) for c in cols) + " |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
