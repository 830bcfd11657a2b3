"""The Spark runner gives exactly the events of the single-process pipeline on the same input.

The demo corpus is ingested once, written as JSONL (the keys any user's JSONL has: url,
title, outlet, published, language, text), then run through ``sitrep.pipeline.run`` and
through ``sitrep.spark.run_spark`` in ``local[2]``. The single-process run fuses the whole
input in one batch, as Spark does: with smaller batches the ids of events first seen in
an earlier batch are kept when later reports join them (id stability), so ids depend on
batch boundaries by design, not on the runner.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS

pytestmark = [pytest.mark.spark, pytest.mark.slow]

if shutil.which("java") is None:
    pytest.skip("Java is not installed: Spark needs a JVM (apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install '.[spark]')")


def _event_key(e: Any) -> tuple[object, ...]:
    p = e.place
    return (e.id, e.event_type, e.sub_event_type, p.id if p else None,
            e.date.start, e.date.end, e.date.precision, tuple(sorted(e.mention_ids)),
            e.fatalities, e.status, e.n_sources)


@pytest.fixture(scope="module")
def corpus_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitrep.ingest import ingest

    path = tmp_path_factory.mktemp("spark_in") / "corpus.jsonl"
    arts = ingest([str(CORPUS)]).articles
    assert len(arts) >= 30
    with path.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"url": a.url, "title": a.title, "outlet": a.outlet,
                                 "published": a.published.isoformat() if a.published else None,
                                 "language": a.language, "text": a.text}) + "\n")
        fh.write('{"url": "https://bad.example/x", "title": "no body"}\n')  # one bad record
    return path


@pytest.fixture(scope="module")
def single(corpus_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitrep.pipeline import RunOptions, run
    from sitrep.store import Store

    db = tmp_path_factory.mktemp("spark_single") / "single.duckdb"
    with Store(db) as store:
        run([str(corpus_jsonl)], store, RunOptions(batch_size=10_000))
    return db


@pytest.fixture(scope="module")
def spark_out(corpus_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from sitrep.spark import run_spark, spark_session

    spark = spark_session("local[2]", shuffle_partitions=4)
    out = tmp_path_factory.mktemp("spark_out") / "out"
    try:
        summary = run_spark(str(corpus_jsonl), str(out), spark=spark, partitions=4)
    finally:
        spark.stop()
    return summary


def test_spark_events_equal_single_process(single: Path, spark_out: Any) -> None:
    from sitrep.spark import read_table
    from sitrep.store import Store

    with Store(single, read_only=True) as store:
        expected = store.get_events()
        n_mentions = len(store.get_mentions())
    got = read_table(spark_out.out, "events")
    assert expected, "the single-process run found no events on the demo corpus"
    assert sorted(map(_event_key, got)) == sorted(map(_event_key, expected))
    assert sorted(got, key=lambda e: e.id) == sorted(expected, key=lambda e: e.id)
    assert spark_out.mentions == n_mentions


def test_spark_control_and_syndication_match(single: Path, spark_out: Any) -> None:
    from sitrep.spark import read_table
    from sitrep.store import Store

    with Store(single, read_only=True) as store:
        control = store.get_control()
        dup = {a.id: a.duplicate_of for a in store.get_articles()}
    key = lambda s: (s.unit_id, s.date)  # noqa: E731
    assert sorted(read_table(spark_out.out, "control"), key=key) == sorted(control, key=key)
    got = {a.id: a.duplicate_of for a in read_table(spark_out.out, "articles")}
    assert got == dup
    assert any(dup.values()), "the demo corpus holds a syndicated copy"


def test_bad_record_is_a_failure_not_a_crash(corpus_jsonl: Path, spark_out: Any) -> None:
    last = len(corpus_jsonl.read_text(encoding="utf-8").splitlines())
    assert [(f.source, f.reason) for f in spark_out.failures] == [
        (f"{corpus_jsonl}#{last}", "record has no non-empty 'text' or 'html' field")]


def test_load_into_store_round_trips(spark_out: Any, single: Path, tmp_path: Path) -> None:
    from sitrep.spark import load_into
    from sitrep.store import Store

    with Store(tmp_path / "loaded.duckdb") as store:
        counts = load_into(spark_out.out, store)
        loaded = store.get_events()
        assert store.unanalysed_article_ids() == []
    with Store(single, read_only=True) as store:
        assert loaded == store.get_events()
    assert counts["events"] == len(loaded)


def test_cli_load_and_missing_input(spark_out: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app
    from sitrep.store import Store

    runner = CliRunner()
    db = tmp_path / "cli.duckdb"
    res = runner.invoke(app, ["spark", "load", spark_out.out, "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert f"{spark_out.events} events" in res.output
    with Store(db, read_only=True) as store:
        assert store.count("events") == spark_out.events
    missing = runner.invoke(app, ["spark", "run", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2
    not_output = runner.invoke(app, ["spark", "load", str(tmp_path), "--db", str(db)])
    assert not_output.exit_code == 2 and "not the output of `sitrep spark run`" in not_output.output
