"""``sitrep run``, ``sitrep events`` and ``sitrep control`` through the real Typer app."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gold_mentions import SEEDS, load_gold, mentions_for
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.model import Article, Failure
from sitrep.pipeline import Analysed, RunOptions, run
from sitrep.store import EventFilter, Store

runner = CliRunner()
GOLD = load_gold()


def _gold(articles: Iterable[Article], *, failures: list[Failure] | None = None,
          **_: Any) -> Iterator[Analysed]:
    for a in articles:
        yield a, [m for m, _g in mentions_for(a, Path(a.source).name, GOLD)], []


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database built from the seeds with gold mentions (fusion + control are real)."""
    path = tmp_path_factory.mktemp("cli") / "seeds.duckdb"
    with Store(path) as st:
        run([str(SEEDS)], st, RunOptions(analyser=_gold))
    return str(path)


def test_events_table_and_filters(db: str) -> None:
    res = runner.invoke(app, ["events", "--db", db, "--admin1", "Kandahar", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert rows and all(r["place"]["admin1"] == "Kandahar" for r in rows)
    res = runner.invoke(app, ["events", "--db", db, "--from", "2021-08-12", "--to",
                              "2021-08-12", "--sub-type", "Non-state actor overtakes territory",
                              "--format", "csv"])
    assert res.exit_code == 0, res.output
    got = {r["location"] for r in csv.DictReader(io.StringIO(res.output))}
    assert got == {"Herat", "Ghazni"}
    res = runner.invoke(app, ["events", "--db", db, "--min-sources", "2", "--format", "jsonl"])
    assert all(json.loads(x)["n_sources"] >= 2 for x in res.output.splitlines())
    res = runner.invoke(app, ["events", "--db", db, "--status", "claimed", "--limit", "5",
                              "--format", "jsonl"])
    claimed = [json.loads(x) for x in res.output.splitlines()]
    assert res.exit_code == 0 and claimed
    assert all(r["status"] == "claimed" and r["claimed_by"] == "Taliban" for r in claimed)
    res = runner.invoke(app, ["events", "--db", db, "--limit", "3"])
    assert res.exit_code == 0 and "events" in res.output


def test_events_acled_csv_geojson_and_parquet(db: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["events", "--db", db, "--format", "acled-csv"])
    assert res.exit_code == 0
    assert res.output.startswith("event_id_cnty,event_date,year,time_precision,disorder_type,")
    out = tmp_path / "e.geojson"
    res = runner.invoke(app, ["events", "--db", db, "--format", "geojson", "--out", str(out)])
    assert res.exit_code == 0 and json.loads(out.read_text())["type"] == "FeatureCollection"
    res = runner.invoke(app, ["events", "--db", db, "--format", "parquet"])
    assert res.exit_code == 2 and "--out" in res.output
    pq = tmp_path / "e.parquet"
    res = runner.invoke(app, ["events", "--db", db, "--format", "parquet", "--out", str(pq)])
    assert res.exit_code == 0 and pq.stat().st_size > 0


def test_events_rejects_bad_options(db: str) -> None:
    res = runner.invoke(app, ["events", "--db", db, "--from", "July 4"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
    res = runner.invoke(app, ["events", "--db", db, "--format", "xml"])
    assert res.exit_code == 2 and "acled-csv" in res.output


def test_control_as_of_and_formats(db: str) -> None:
    res = runner.invoke(app, ["control", "--db", db, "--as-of", "2021-07-10", "--format",
                              "jsonl"])
    assert res.exit_code == 0, res.output
    rows = {r["unit_name"]: r for r in map(json.loads, res.output.splitlines())}
    assert rows["Panjwayi"]["controller"] == "taliban"
    assert rows["Qala-e-Naw"]["controller"] == "contested"
    assert "Herat" not in rows  # falls on 12 August
    for key in ("unit_id", "unit_level", "admin1", "date", "confirmed", "event_ids", "evidence"):
        assert key in rows["Panjwayi"]
    assert rows["Panjwayi"]["evidence"][0]["article_id"]
    res = runner.invoke(app, ["control", "--db", db, "--as-of", "2021-08-14", "--format",
                              "jsonl"])
    rows = {r["unit_name"]: r for r in map(json.loads, res.output.splitlines())}
    assert rows["Qala-e-Naw"]["controller"] == "taliban"
    assert rows["Kandahar"]["controller"] == "taliban" and rows["Kandahar"]["confirmed"]
    res = runner.invoke(app, ["control", "--db", db, "--format", "geojson"])
    assert res.exit_code == 0 and json.loads(res.output)["type"] == "FeatureCollection"
    res = runner.invoke(app, ["control", "--db", db])
    assert res.exit_code == 0 and "Panjwayi" in res.output


def test_run_reports_a_missing_input_and_exits_2(tmp_path: Path) -> None:
    """Nothing usable: exit 2, as ``sitrep ingest`` (tests/cli/test_cli_hardening.py)."""
    db = str(tmp_path / "r.duckdb")
    res = runner.invoke(app, ["run", "--db", db, str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    assert "nope.txt" in res.output


def _summary(output: str) -> dict[str, str]:
    """The key/value rows of the ``sitrep run`` summary table."""
    return dict(re.findall(r"^\W*([a-z_]+)\W+([0-9.]+)\W*$", output, flags=re.M))


def test_run_on_the_seeds_prints_a_summary_and_top_events(tmp_path: Path) -> None:
    db = str(tmp_path / "r.duckdb")
    res = runner.invoke(app, ["run", "--db", db, "--top", "3", str(SEEDS)])
    assert res.exit_code == 0, res.output
    summary = _summary(res.output)
    with Store(db, read_only=True) as st:
        n_events, n_mentions = st.count("events"), st.count("mentions")
        top = st.get_events(EventFilter(sort="-n_sources", limit=3))
    assert summary["articles_added"] == "5" and summary["articles_analysed"] == "5"
    assert summary["events"] == str(n_events) and summary["mentions"] == str(n_mentions)
    assert int(summary["control_changes"]) > 0
    # the top table lists the three most-reported events, by place and type
    assert "top 3 events (most sources)" in res.output
    assert top[0].n_sources >= 2
    for e in top:
        assert e.place is not None and e.place.name in res.output
    # a rerun stores nothing new and changes no event
    again = _summary(runner.invoke(app, ["run", "--db", db, "--top", "0", str(SEEDS)]).output)
    assert again["articles_added"] == "0" and again["articles_skipped"] == "5"
    assert again["events"] == str(n_events) and again["events_new"] == "0"
