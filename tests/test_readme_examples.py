"""Docs that run: every ``sitrep ...`` line of README.md's bash blocks (the export
one-liners) runs against a database built from the demo corpus, and its output is what
the README says it is.

Until the lead merges the exports section into README.md, its draft
(``/tmp/readme_body.md``) supplies the commands; once README.md has them the draft is
ignored. With neither, the test fails: the README must document the exports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import ROOT

SITREP = str(Path(sys.executable).with_name("sitrep"))
DRAFT = Path("/tmp/readme_body.md")

#: ACLED's export columns in ACLED's order (ACLED API / Data Export Tool, codebook 2023)
ACLED = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
         "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
         "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
         "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
         "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
#: DESIGN.md: then sitrep's extras (status, n_sources, sources, first_reported, confidence,
#: mention_ids); the README adds date_start, date_end and evidence
EXTRAS = ["status", "n_sources", "sources", "first_reported", "confidence", "mention_ids"]


def sitrep_lines(markdown: str) -> list[str]:
    """The lines of ```bash blocks that are ``sitrep`` commands."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)
    return [line.strip() for b in blocks for line in b.splitlines()
            if line.strip().startswith("sitrep ")]


def documented_commands() -> list[str]:
    lines = sitrep_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    if not any(" events " in f" {x} " for x in lines) and DRAFT.exists():
        lines = sitrep_lines(DRAFT.read_text(encoding="utf-8"))  # not merged yet
    return lines


COMMANDS = documented_commands()
#: the Spark section's commands run as one sequence (run, then load) in their own test
SPARK = [c for c in COMMANDS if c.startswith("sitrep spark ")]
LOCAL = [c for c in COMMANDS if c not in SPARK]


def test_readme_documents_the_exports() -> None:
    formats = {m for c in COMMANDS for m in re.findall(r"--format (\S+)", c)}
    assert {"acled-csv", "jsonl", "geojson", "parquet"} <= formats, (
        "README.md has no bash block of `sitrep events --format ...` export one-liners")
    assert any(c.startswith("sitrep control") for c in COMMANDS)


def _with_db(command: str, db: Path | None) -> str:
    """``sitrep SUB ...`` -> ``<venv>/bin/sitrep SUB --db DB ...`` (comments kept)."""
    if db is None:  # the command names its own database (or needs none)
        return f"{shlex.quote(SITREP)} {command.split(None, 1)[1]}"
    words = command.split(None, 2)
    assert words[0] == "sitrep" and len(words) >= 2
    rest = words[2] if len(words) > 2 else ""
    return f"{shlex.quote(SITREP)} {words[1]} --db {shlex.quote(str(db))} {rest}"


def _env(cwd: Path) -> dict[str, str]:
    """The caller's environment without a default database, and a fresh HOME (no
    user-trained model or settings of the person running the tests leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    return {**env, "COLUMNS": "200", "HOME": str(cwd)}


def _run(command: str, db: Path | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["bash", "-c", "set -e -o pipefail\n" + _with_db(command, db)],
                          cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=_env(cwd))
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}"
    return proc


def _jsonl_events(db: Path, cwd: Path, min_confidence: str = "") -> list[dict[str, Any]]:
    """The events ``sitrep events`` shows (at its default --min-confidence unless given)."""
    opt = f" --min-confidence {min_confidence}" if min_confidence else ""
    out = _run("sitrep events --format jsonl" + opt, db, cwd).stdout
    return [json.loads(x) for x in out.splitlines()]


def _out_file(command: str, cwd: Path) -> Path | None:
    m = re.search(r"(?:--out|>)\s*(\S+)", command.split("#", 1)[0])
    return cwd / m.group(1) if m else None


def _provenance_ok(evidence: list[dict[str, Any]]) -> bool:
    return bool(evidence) and all(
        isinstance(e["article_id"], str) and e["article_id"] and isinstance(e["start"], int)
        and isinstance(e["end"], int) and 0 <= e["start"] < e["end"] for e in evidence)


# ------------------------------------------------------------------ validators
def check_acled_csv(text: str, db: Path, cwd: Path) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:31] == ACLED
    extras = header[31:]
    assert [c for c in extras if c in EXTRAS] == EXTRAS  # in DESIGN.md's order
    body = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert len(body) == len(_jsonl_events(db, cwd))
    for r in body:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["event_date"]) and r["year"] >= "2021"
        assert r["country"] and r["iso"].isdigit() and r["mention_ids"]
        assert re.fullmatch(r"([0-9a-f]+:\d+-\d+)(;[0-9a-f]+:\d+-\d+)*", r["evidence"])


def check_events_csv(text: str, db: Path, cwd: Path) -> None:
    from sitrep.export import EVENT_COLUMNS

    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == EVENT_COLUMNS and len(rows) == len(_jsonl_events(db, cwd))
    codes = {(r["country"], r["iso3"]) for r in rows}  # talks abroad are in their country
    assert ("Afghanistan", "AFG") in codes and all(re.fullmatch(r"[A-Z]{3}", c) for _, c in codes)


def check_events_jsonl(text: str, db: Path, cwd: Path) -> None:
    rows = [json.loads(x) for x in text.splitlines()]
    assert rows
    for r in rows:
        assert r["id"] and r["mention_ids"] and r["article_ids"]
        assert _provenance_ok(r["evidence"])
        assert {e["article_id"] for e in r["evidence"]} <= set(r["article_ids"])


def check_events_geojson(text: str, db: Path, cwd: Path) -> None:
    gj = json.loads(text)
    assert gj["type"] == "FeatureCollection"
    events = {e["id"]: e for e in _jsonl_events(db, cwd)}
    assert len(gj["features"]) == len(events)
    for f in gj["features"]:
        assert f["type"] == "Feature" and "geometry" in f
        props = f["properties"]
        assert props["id"] in events and _provenance_ok(props["evidence"])
        place = events[props["id"]]["place"]
        has_point = isinstance(place, dict) and place.get("lat") is not None
        if has_point:  # a point exactly where the event's place is
            assert f["geometry"]["type"] == "Point"
            assert f["geometry"]["coordinates"] == [place["lon"], place["lat"]]
        else:  # never an invented point
            assert f["geometry"] is None
    assert sum(f["geometry"] is not None for f in gj["features"]) >= 0.9 * len(events)


def check_events_parquet(path: Path, db: Path, cwd: Path) -> None:
    con = duckdb.connect()
    n = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
    cols = [d[0] for d in con.execute("SELECT * FROM read_parquet(?) LIMIT 0",
                                      [str(path)]).description]
    assert n is not None and n[0] == len(_jsonl_events(db, cwd)) > 0
    assert cols[:31] == ACLED


def check_control_geojson(text: str, db: Path, cwd: Path) -> None:
    gj = json.loads(text)
    assert gj["type"] == "FeatureCollection" and gj["features"]
    kinds = {f["geometry"]["type"] for f in gj["features"] if f["geometry"]}
    assert kinds & {"Polygon", "MultiPolygon"}, kinds
    for f in gj["features"]:
        p = f["properties"]
        assert p["controller"] in {"taliban", "government", "contested", "unconfirmed"}
        if p["unit_level"] == "district":
            assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}, p["unit_name"]
        assert p["event_ids"] and _provenance_ok(p["evidence"])


def check_control_jsonl(text: str, db: Path, cwd: Path) -> None:
    rows = [json.loads(x) for x in text.splitlines()]
    assert rows
    events = {e["id"] for e in _jsonl_events(db, cwd)}
    for r in rows:
        assert set(r["event_ids"]) <= events and _provenance_ok(r["evidence"])


def check_claims_csv(text: str, db: Path, cwd: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for r in rows:
        assert r["claimant"] and r["article_id"] and int(r["start"]) < int(r["end"])


def check_report(path: Path, db: Path, cwd: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "Kandahar" in text
    if path.suffix == ".html":  # self-contained: nothing fetched when opened
        assert not re.search(r"""(src|href)=["']https?://""", text)


Check = Callable[..., None]


def validator(command: str) -> tuple[Check, bool]:
    """(check, takes_a_path) for a documented command; fails for an unknown one."""
    sub = command.split()[1]
    fmt = (re.findall(r"--format (\S+)", command) or ["table"])[0]
    table: dict[tuple[str, str], tuple[Check, bool]] = {
        ("events", "acled-csv"): (check_acled_csv, False),
        ("events", "csv"): (check_events_csv, False),
        ("events", "jsonl"): (check_events_jsonl, False),
        ("events", "geojson"): (check_events_geojson, False),
        ("events", "parquet"): (check_events_parquet, True),
        ("control", "geojson"): (check_control_geojson, False),
        ("control", "jsonl"): (check_control_jsonl, False),
        ("claims", "csv"): (check_claims_csv, False),
        ("report", "table"): (check_report, True),
    }
    assert (sub, fmt) in table, f"no check for the README command {command!r}: add one"
    return table[(sub, fmt)]


@pytest.mark.parametrize("command", LOCAL)
def test_readme_command_runs_and_its_output_is_valid(command: str, demo_db: Path,
                                                     tmp_path: Path) -> None:
    check, takes_path = validator(command)
    proc = _run(command, demo_db, tmp_path)
    out = _out_file(command, tmp_path)
    if takes_path:
        assert out is not None and out.exists()
        check(out, demo_db, tmp_path)
    else:
        text = out.read_text(encoding="utf-8") if out else proc.stdout
        check(text, demo_db, tmp_path)


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a JVM (Java 17)")
def test_readme_spark_commands_run_and_load_a_usable_database(demo_db: Path,
                                                               tmp_path: Path) -> None:
    assert [c.split()[1:3] for c in SPARK] == [["spark", "run"], ["spark", "load"]], SPARK
    from sitrep.store import Store

    with Store(demo_db, read_only=True) as st:  # the README's articles.jsonl: ingest keys
        arts = st.get_articles()
    inp = re.search(r"spark run (\S+)", SPARK[0])
    assert inp is not None
    with (tmp_path / inp.group(1)).open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"url": a.url, "title": a.title, "outlet": a.outlet,
                                 "published": a.published.isoformat() if a.published else None,
                                 "language": a.language, "text": a.text}) + "\n")
    for command in SPARK:
        _run(command, None, tmp_path)
    db = re.search(r"--db (\S+)", SPARK[1])
    assert db is not None
    loaded = tmp_path / db.group(1)
    with Store(loaded, read_only=True) as st:
        assert st.count("articles") == len(arts)
        n_events = st.count("events")
    assert n_events > 0 and len(_jsonl_events(loaded, tmp_path, "0")) == n_events
    out = re.search(r"--out (\S+)", SPARK[0])
    assert out is not None
    con = duckdb.connect()
    parquet = str(tmp_path / out.group(1) / "events" / "*.parquet")
    row = con.execute("SELECT count(*) FROM read_parquet(?)", [parquet]).fetchone()
    assert row is not None and row[0] == n_events
