"""Scale-out: the single-machine stage functions, run on Apache Spark.

    input (JSONL / Parquet of articles)
      │ mapPartitions  ingest.parse_text + ingest.build_article   (per record)
      │ reduceByKey    exact copies (same content id): first in input order wins
      │ fingerprints   MinHash LSH band keys per article ─► groupByKey(band)
      │                ─► candidate pairs ─► verified best match per article
      │                ─► driver: duplicate_of roots in input order (as ingest does)
      │ mapPartitions  pipeline.analyse (nlp + extract + claims), spaCy and the
      │                gazetteer loaded once per executor process (get_nlp / default())
      │ groupByKey     fusion blocks (fuse's block key; blocks joined through articles
      │                that hold a place-less mention) ─► fuse() per group
      │ driver         derive_control over the (small) event set
      ▼
    out/{articles,mentions,claims,events,control,failures}/*.parquet

No stage is re-implemented here: every value comes from the same functions
``sitrep.pipeline.run`` calls, and the grouping is chosen so that fusion, which never
compares observations of different blocks, sees exactly the groups it would see in one
process — single-process and Spark runs produce identical events (tests/test_spark.py).

Every table holds flat key columns plus ``data``, the record as JSON (``model.to_dict``),
so ``duckdb`` can query the output in place (``read_parquet('out/events/*.parquet')``)
and :func:`load_into` rebuilds the records for a :class:`~sitrep.store.Store`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.ingest.dedup import band_keys
from sitrep.model import Article, Claim, ControlState, Event, Failure, Mention, from_dict, to_dict

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from sitrep.store import Store

__all__ = ["TABLES", "SparkRunSummary", "load_into", "output_profile", "run_spark",
           "spark_session"]

#: output tables, each a directory of Parquet files under the output directory
TABLES = ("articles", "mentions", "claims", "events", "control", "failures")


@dataclass(slots=True)
class SparkRunSummary:
    """What a Spark run produced (counts) and where it wrote it."""

    out: str
    articles: int = 0
    duplicates: int = 0
    mentions: int = 0
    claims: int = 0
    events: int = 0
    control: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase

    def lap(self, phase: str, since: float) -> float:
        """Record the time since ``since`` under ``phase``; returns now."""
        now = time.perf_counter()
        self.seconds[phase] = round(now - since, 3)
        return now


def spark_session(master: str | None = "local[2]", shuffle_partitions: int = 4,
                  app_name: str = "sitrep") -> SparkSession:
    """A Spark session for sitrep: loopback only, no UI, executors on this Python.

    ``master=None`` leaves the master to ``spark-submit``. ``PYSPARK_PYTHON`` is only
    set when absent, so a cluster's packed-venv python (``--archives``) is respected.
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
               .config("spark.default.parallelism", str(shuffle_partitions))
               .config("spark.driver.host", os.environ["SPARK_LOCAL_IP"])
               .config("spark.python.worker.reuse", "true"))
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# ---------------------------------------------------------------- input -> Articles

def _records(spark: SparkSession, path: str) -> RDD[tuple[int, str, str]]:
    """(input order, source name, payload) for every record of a JSONL or Parquet input.

    The payload is a JSON object text; for Parquet written by sitrep (an ``id`` and a
    ``data`` column) it is the stored Article itself, prefixed with ``"article:"``.
    """
    p = Path(path)
    parquet = p.suffix == ".parquet" or (p.is_dir() and any(p.glob("*.parquet")))
    if not parquet:
        lines = spark.sparkContext.textFile(path)
        return (lines.zipWithIndex()
                .filter(lambda t: bool(t[0].strip()))
                .map(lambda t: (t[1], f"{path}#{t[1] + 1}", t[0])))
    df = spark.read.parquet(path)
    own = {"id", "data"} <= set(df.columns)

    def payload(row: Any, n: int) -> tuple[int, str, str]:
        if own:
            return n, f"{path}#{n + 1}", "article:" + row["data"]
        return n, f"{path}#{n + 1}", json.dumps(row.asDict(), default=str, ensure_ascii=False)

    return df.rdd.zipWithIndex().map(lambda t: payload(t[0], t[1]))


def _build(part: Iterable[tuple[int, str, str]]) -> Iterator[tuple[int, Article | Failure]]:
    """Runs on executors: one record -> Article (the ingest stage's own helpers) or Failure."""
    from sitrep.errors import InputError
    from sitrep.ingest import IngestOptions, build_article
    from sitrep.ingest.readers import parse_text

    options = IngestOptions(progress=False)
    for n, source, payload in part:
        if payload.startswith("article:"):
            yield n, from_dict(Article, json.loads(payload[len("article:"):]))
            continue
        for doc in parse_text(source, payload, "json"):
            if isinstance(doc, Failure):
                yield n, doc
                continue
            try:
                yield n, build_article(doc, options)
            except InputError as exc:
                yield n, Failure(exc.source, exc.reason)
            except Exception as exc:  # a bug on one record must not kill the job
                yield n, Failure(doc.source, f"internal error while ingesting: {exc!r}")


# ---------------------------------------------------------------- syndication grouping

def _best_match(later: Article, earlier: list[Article]) -> str | None:
    """The earlier article ingest's DuplicateIndex.match would pick for ``later``."""
    from sitrep.ingest.dedup import DuplicateIndex

    index = DuplicateIndex()
    for a in earlier:
        index.add(a.id, a.text)  # root = itself: roots are resolved on the driver
    return index.match(later.text)


def _syndication(arts: RDD[tuple[int, Article]]) -> dict[str, str]:
    """``duplicate_of`` for every near-copy, exactly as sequential ingest assigns it.

    Ingest compares each article with the earlier ones sharing an LSH band and takes the
    root of the best verified match. Here the band keys and the verification run
    distributed; only the few (article, best earlier match) pairs reach the driver, which
    resolves roots in input order so groups never chain.
    """
    by_id = arts.map(lambda t: (t[1].id, t))
    pairs = (arts.flatMap(lambda t: [(k, (t[0], t[1].id)) for k in band_keys(t[1].text)])
             .groupByKey()
             .flatMap(lambda kv: _pairs(sorted(kv[1])))
             .distinct())  # (later id, earlier id)
    if pairs.isEmpty():
        return {}
    with_earlier = pairs.map(lambda p: (p[1], p[0])).join(by_id).map(lambda kv: (kv[1][0], kv[1][1][1]))
    grouped = with_earlier.groupByKey().join(by_id)  # later id -> (earlier articles, (n, later))
    best = grouped.map(lambda kv: (kv[1][1][0], kv[0], _best_match(kv[1][1][1], list(kv[1][0]))))
    roots: dict[str, str] = {}
    for _n, aid, match in sorted(best.collect()):
        if match is not None:
            roots[aid] = roots.get(match, match)
    return roots


def _pairs(members: list[tuple[int, str]]) -> Iterator[tuple[str, str]]:
    for i, (_n, later) in enumerate(members):
        for _m, earlier in members[:i]:
            yield later, earlier


def _refine_dates(spark: SparkSession, arts: RDD[tuple[int, Article]]) -> RDD[tuple[int, Article]]:
    """Ingest's cross-article dating (``refine_dates``) for articles with no confident date.

    It compares an undated article with related ones, so it needs the corpus in one
    place: it runs on the driver, in ingest_into's batches and order, and only when some
    article lacks a confident date (inputs with a ``published`` field never do).
    """
    from sitrep.ingest import IngestOptions
    from sitrep.ingest.context import refine_dates

    if arts.filter(lambda t: t[1].published_confidence < 0.9).isEmpty():
        return arts
    ordered = sorted(arts.collect(), key=lambda t: t[0])
    size = IngestOptions().batch_size
    pool: list[Article] = []
    out: list[tuple[int, Article]] = []
    for i in range(0, len(ordered), size):
        chunk = ordered[i:i + size]
        refined = refine_dates([a for _n, a in chunk], pool)
        pool.extend(a for a in refined if a.published_confidence >= 0.8)
        out += [(n, a) for (n, _old), a in zip(chunk, refined, strict=True)]
    return spark.sparkContext.parallelize(out, max(1, arts.getNumPartitions()))


# ---------------------------------------------------------------- analysis and fusion

def _analyse(part: Iterable[Article], profile: str,
             ) -> Iterator[tuple[Article, list[Mention], list[Claim]] | Failure]:
    """Runs on executors; spaCy and the gazetteer are cached per Python worker process.
    ``profile``: the driver's conflict profile (its folder), made active on the executor.

    An article whose analysis raises becomes a Failure (stage "analyse"), as in ``run``.
    """
    from sitrep.pipeline import analyse
    from sitrep.profile import use_profile

    use_profile(profile)
    failures: list[Failure] = []
    yield from analyse(list(part), failures=failures)
    yield from failures


def _keyed(m: Mention) -> tuple[str, str | None, bool]:
    """(article id, fuse's block key, place-less?) of a mention.

    ``block_key`` is None both for a place-less mention (fuse attaches it to events of
    its own article, whatever their block) and for one fusion skips (hypothetical,
    planned, negated), which needs no company.
    """
    from sitrep.fuse import block_key

    key = block_key(m)
    placeless = key is None and (m.place is None or m.place.place is None)
    return m.article_id, key, placeless


def _groups(keys: list[tuple[str, str | None, bool]]) -> dict[str, str]:
    """Fusion group of every block and article: blocks joined by a place-less mention.

    fuse() links a place-less mention only to events holding a mention of the same
    article, whatever their block, so such an article's blocks must be fused together.
    Union-find over (article, block) pairs; the group name is its smallest member.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    placeless = {aid for aid, _block, alone in keys if alone}
    for aid, block, _alone in keys:
        art = "article:" + aid
        find(art)
        if block is not None:
            find("block:" + block)
            if aid in placeless:
                union(art, "block:" + block)
    return {x: find(x) for x in parent}


def _fuse_group(pairs: list[tuple[Mention, Article]], originals: dict[str, Article],
                profile: str) -> list[Event]:
    from sitrep.confidence import calibrate
    from sitrep.fuse import fuse
    from sitrep.profile import use_profile

    use_profile(profile)
    articles = {**originals, **{a.id: a for _m, a in pairs}}
    mentions = [m for m, _a in pairs]
    return calibrate(fuse(mentions, articles).events, {m.id: m for m in mentions})


# ---------------------------------------------------------------- the job

def run_spark(input_path: str, out_dir: str, *, master: str | None = "local[2]",
              partitions: int = 4, spark: SparkSession | None = None,
              profile: str | None = None) -> SparkRunSummary:
    """Run the whole pipeline on Spark and write Parquet tables to ``out_dir``, with the
    conflict ``profile`` (a name or folder; None: ``SITREP_PROFILE`` or the default) on
    the driver and every executor; ``out_dir/profile.json`` records it for ``load_into``."""
    from sitrep.control import CLASH, TERRITORIAL, derive_control
    from sitrep.profile import use_profile

    folder = str(use_profile(profile).folder)
    t = time.perf_counter()
    spark = spark or spark_session(master, partitions)
    summary = SparkRunSummary(out=out_dir)
    t = summary.lap("session", t)
    built: RDD[Any] = _records(spark, input_path).repartition(partitions).mapPartitions(_build).cache()
    summary.failures = [f for _n, f in built.filter(lambda t: isinstance(t[1], Failure)).collect()]
    firsts: RDD[tuple[int, Article]] = (built.filter(lambda t: isinstance(t[1], Article))
              .map(lambda t: (t[1].id, t))
              .reduceByKey(lambda a, b: a if a[0] <= b[0] else b)
              .values().cache())
    t = summary.lap("ingest", t)
    roots = _syndication(firsts)
    summary.duplicates = len(roots)
    t = summary.lap("syndication", t)
    rb = spark.sparkContext.broadcast(roots)
    arts = firsts.map(lambda t: (t[0], replace(t[1], duplicate_of=rb.value.get(t[1].id))))
    arts = _refine_dates(spark, arts)
    results: RDD[Any] = arts.values().mapPartitions(lambda part: _analyse(part, folder)).cache()
    summary.failures += results.filter(lambda r: isinstance(r, Failure)).collect()
    analysed: RDD[Any] = results.filter(lambda r: not isinstance(r, Failure))
    analysed.count()
    t = summary.lap("analyse", t)

    mentions = analysed.flatMap(lambda r: r[1]).cache()
    # each mention travels with its article minus the text (fuse reads outlet, url,
    # published, duplicate_of); the originals of syndicated copies are few: broadcast
    slim = analysed.flatMap(lambda r: [(m, replace(r[0], text="", boilerplate=())) for m in r[1]])
    keyed = slim.map(lambda ma: (_keyed(ma[0]), ma)).cache()
    group_of = _groups(keyed.keys().distinct().collect())
    gb = spark.sparkContext.broadcast(group_of)
    root_ids = set(roots.values())
    ob = spark.sparkContext.broadcast({
        a.id: replace(a, text="", boilerplate=())
        for a in analysed.map(lambda r: r[0]).filter(lambda a: a.id in root_ids).collect()})

    def group(k: tuple[str, str | None, bool]) -> str:
        return gb.value["block:" + k[1] if k[1] is not None else "article:" + k[0]]

    events = sorted(
        keyed.map(lambda kv: (group(kv[0]), kv[1])).groupByKey()
        .flatMap(lambda kv: _fuse_group(list(kv[1]), ob.value, folder))
        .collect(),
        key=lambda e: (e.date.start, e.id))
    t = summary.lap("fuse", t)

    relevant = {*TERRITORIAL, CLASH}  # the mentions refresh_control passes
    wanted = {mid for e in events if e.sub_event_type in relevant for mid in e.mention_ids}
    wb = spark.sparkContext.broadcast(wanted)
    control_mentions = {m.id: m for m in mentions.filter(lambda m: m.id in wb.value).collect()}
    control = derive_control(events, control_mentions)
    t = summary.lap("control", t)

    summary.articles = _write(spark, analysed.map(lambda r: r[0]), out_dir, "articles")
    summary.mentions = _write(spark, mentions, out_dir, "mentions")
    summary.claims = _write(spark, analysed.flatMap(lambda r: r[2]), out_dir, "claims")
    summary.events = _write_local(events, out_dir, "events")
    summary.control = _write_local(control, out_dir, "control")
    _write_local(summary.failures, out_dir, "failures")
    _write_profile(out_dir)
    summary.lap("write", t)
    for rdd in (built, firsts, results, mentions, keyed):
        rdd.unpersist()
    return summary


# ---------------------------------------------------------------- Parquet out and back

def _columns(obj: Any) -> dict[str, Any]:
    """Flat key columns of a record (what filters and joins need), plus ``data``."""
    cols: dict[str, Any]
    if isinstance(obj, Article):
        cols = {"id": obj.id, "url": obj.url, "outlet": obj.outlet, "wire": obj.wire,
                "title": obj.title, "language": obj.language,
                "published": obj.published.isoformat() if obj.published else None,
                "duplicate_of": obj.duplicate_of, "source": obj.source}
    elif isinstance(obj, Mention):
        cols = {"id": obj.id, "article_id": obj.article_id, "event_type": obj.event_type,
                "sub_event_type": obj.sub_event_type, "place_id": obj.place.place.id
                if obj.place and obj.place.place else None}
    elif isinstance(obj, Claim):
        cols = {"id": obj.id, "article_id": obj.article_id, "claimant": obj.claimant,
                "as_of": obj.as_of.isoformat() if obj.as_of else None}
    elif isinstance(obj, Event):
        p = obj.place
        cols = {"id": obj.id, "date_start": obj.date.start.isoformat(),
                "date_end": obj.date.end.isoformat(), "event_type": obj.event_type,
                "sub_event_type": obj.sub_event_type, "admin1": p.admin1 if p else None,
                "admin2": p.admin2 if p else None, "location": p.name if p else None,
                "place_id": p.id if p else None, "n_sources": obj.n_sources, "status": obj.status}
    elif isinstance(obj, ControlState):
        cols = {"unit_id": obj.unit_id, "date": obj.date.isoformat(), "controller": obj.controller,
                "confirmed": str(obj.confirmed).lower(), "unit_name": obj.unit_name,
                "unit_level": obj.unit_level, "admin1": obj.admin1}
    else:  # Failure
        cols = {"source": obj.source, "reason": obj.reason, "stage": obj.stage}
    cols["data"] = json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True)
    return {k: (None if v is None else str(v)) for k, v in cols.items()}


def _write(spark: SparkSession, rdd: RDD[Any], out_dir: str, table: str) -> int:
    """Write records as Parquet (all columns strings; ``data`` is the JSON record)."""
    from pyspark.sql.types import StringType, StructField, StructType

    names = list(_columns(_SAMPLES[table]).keys())
    schema = StructType([StructField(n, StringType(), True) for n in names])
    rows = rdd.map(_columns).map(lambda c: tuple(c[n] for n in names))
    df = spark.createDataFrame(rows, schema).cache()
    df.write.mode("overwrite").parquet(str(Path(out_dir) / table))
    n = df.count()
    df.unpersist()
    return n


def _write_local(records: list[Any], out_dir: str, table: str) -> int:
    """Write a small, driver-side table with pyarrow (same layout as :func:`_write`)."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(_columns(_SAMPLES[table]).keys())
    rows = [_columns(r) for r in records]
    data = pa.table({n: pa.array([r[n] for r in rows], type=pa.string()) for n in names})
    target = Path(out_dir) / table
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    pq.write_table(data, target / "part-00000.parquet")
    return len(records)


def _sample_records() -> dict[str, Any]:
    import datetime as dt

    from sitrep.model import DateInterval, Span

    d = dt.date(2021, 1, 1)
    return {
        "articles": Article(id="", text="", source=""),
        "mentions": Mention(id="", article_id="", sentence=Span(0, 0, ""), trigger=Span(0, 0, ""),
                            event_type="", sub_event_type=""),
        "claims": Claim(id="", article_id="", claimant="", statement="", quote=Span(0, 0, "")),
        "events": Event(id="", date=DateInterval(d, d), event_type="", sub_event_type=""),
        "control": ControlState("", "", "district", None, d, "contested", False),
        "failures": Failure("", ""),
    }


_SAMPLES = _sample_records()


_PROFILE_FILE = "profile.json"


def _write_profile(out_dir: str) -> None:
    from sitrep.profile import active_profile

    p = active_profile()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    (Path(out_dir) / _PROFILE_FILE).write_text(
        json.dumps({"name": p.name, "folder": str(p.folder)}), encoding="utf-8")


def output_profile(out_dir: str | Path) -> str | None:
    """The profile folder a ``sitrep spark run`` output was made with (None: older output)."""
    path = Path(out_dir) / _PROFILE_FILE
    if not path.is_file():
        return None
    folder: str = json.loads(path.read_text(encoding="utf-8"))["folder"]
    return folder


def read_table(out_dir: str | Path, table: str) -> list[Any]:
    """The records of one output table (read with DuckDB, rebuilt with ``from_dict``)."""
    import duckdb

    cls = {"articles": Article, "mentions": Mention, "claims": Claim, "events": Event,
           "control": ControlState, "failures": Failure}[table]
    pattern = str(Path(out_dir) / table / "*.parquet")
    with duckdb.connect() as con:
        rows = con.execute("SELECT data FROM read_parquet(?)", [pattern]).fetchall()
    return [from_dict(cls, json.loads(r[0])) for r in rows]


def load_into(out_dir: str | Path, store: Store) -> dict[str, int]:
    """Load a Spark run's Parquet output into a store (one transaction); returns counts.
    Every control row's controller must be a side or state of the active profile."""
    for table in TABLES[:5]:
        if not (Path(out_dir) / table).is_dir():
            from sitrep.errors import InputError

            raise InputError(str(out_dir), f"no '{table}' table: not the output of `sitrep spark run`")
    articles: list[Article] = read_table(out_dir, "articles")
    mentions: list[Mention] = read_table(out_dir, "mentions")
    claims: list[Claim] = read_table(out_dir, "claims")
    events: list[Event] = read_table(out_dir, "events")
    control: list[ControlState] = read_table(out_dir, "control")
    from sitrep.profile import active_profile

    profile = active_profile()
    for state in control:  # an output of another theatre is refused before anything is stored
        profile.check_controller(state.controller)
    ids = [a.id for a in articles]
    with store.transaction():
        added = store.add_articles(articles)
        store.replace_mentions(ids, mentions)
        store.replace_claims(ids, claims)
        store.upsert_events(events)
        store.replace_control(control)
        store.mark_analysed(ids)
    return {"articles": len(added), "mentions": len(mentions), "claims": len(claims),
            "events": len(events), "control": len(control)}
