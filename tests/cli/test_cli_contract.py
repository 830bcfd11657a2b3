"""DESIGN.md's CLI contract, checked against the real Typer app: every command it names
exists with the documented options, and the documented output keys are there.

Outside tools depend on these names, so the expectations are written out here (from
DESIGN.md "CLI contract"), not read back from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from sitrep.cli import app
from tests.conftest import CORPUS_GOLD

runner = CliRunner()

#: command -> options DESIGN.md documents for it (``--db`` is checked for all but classify)
CONTRACT: dict[str, set[str]] = {
    "run": set(),
    "ingest": set(),
    "articles": {"--format"},
    "events": {"--format"},
    "control": {"--as-of", "--format"},
    "claims": {"--format"},
    "report": {"--region", "--from", "--to", "--out"},
    "serve": {"--host", "--port"},
    "eval": set(),
    "classify": set(),
}
ARTICLE_KEYS = {"id", "url", "outlet", "wire", "published", "published_basis", "language",
                "duplicate_of", "title"}
CONTROL_KEYS = {"unit_id", "unit_name", "unit_level", "admin1", "date", "controller",
                "confirmed", "event_ids", "evidence"}


def _commands() -> dict[str, Any]:
    # typer may ship its own click: read the command tree by its parameter kinds
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def _options(cmd: Any) -> set[str]:
    return {o for p in cmd.params if p.param_type_name == "option" for o in p.opts}


def _arguments(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if p.param_type_name == "argument"]


def test_every_contract_command_exists_with_its_documented_options() -> None:
    commands = _commands()
    missing = sorted(set(CONTRACT) - set(commands))
    assert not missing, f"commands missing from the CLI: {missing}"
    for name, wanted in CONTRACT.items():
        lacking = wanted - _options(commands[name])
        assert not lacking, f"sitrep {name} lacks {sorted(lacking)}"


@pytest.mark.parametrize("name", [c for c in CONTRACT if c != "classify"])
def test_db_option_on_every_command(name: str) -> None:
    assert "--db" in _options(_commands()[name])


def test_classify_reads_no_database_and_offers_no_db_option() -> None:
    """DESIGN.md says every command takes ``--db``; ``classify`` types stdin text and never
    opens a database, so an option it would throw away is not offered (refused, exit 2)."""
    assert "--db" not in _options(_commands()["classify"])
    res = runner.invoke(app, ["classify", "--db", "x.duckdb"], input="")
    assert res.exit_code == 2 and "--db" in res.output


def test_run_and_ingest_take_paths_and_eval_takes_a_gold_file() -> None:
    commands = _commands()
    for name in ("run", "ingest"):
        (arg,) = _arguments(commands[name])
        assert arg.nargs == -1 or arg.multiple, f"sitrep {name} takes PATH..."
    (gold,) = _arguments(commands["eval"])
    assert gold.required


def test_events_accepts_every_documented_format_and_refuses_others(demo_db: Path) -> None:
    for fmt in ("table", "csv", "acled-csv", "jsonl", "geojson"):
        res = runner.invoke(app, ["events", "--db", str(demo_db), "--format", fmt,
                                  "--limit", "2"])
        assert res.exit_code == 0, (fmt, res.output)
        assert res.output.strip(), fmt
    res = runner.invoke(app, ["events", "--db", str(demo_db), "--format", "xml"])
    assert res.exit_code == 2


def test_articles_jsonl_has_the_documented_keys(demo_db: Path) -> None:
    res = runner.invoke(app, ["articles", "--db", str(demo_db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert len(rows) >= 30
    for r in rows:
        assert r.keys() >= ARTICLE_KEYS, sorted(ARTICLE_KEYS - r.keys())
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["published_basis"] for r in rows if r["published"])


def test_control_jsonl_rows_carry_unit_date_controller_events_and_evidence(
        demo_db: Path) -> None:
    res = runner.invoke(app, ["control", "--db", str(demo_db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert rows
    events = runner.invoke(app, ["events", "--db", str(demo_db), "--format", "jsonl"])
    event_ids = {json.loads(x)["id"] for x in events.output.splitlines()}
    for r in rows:
        assert r.keys() >= CONTROL_KEYS, sorted(CONTROL_KEYS - r.keys())
        assert r["controller"] in {"taliban", "government", "contested", "unconfirmed"}
        assert isinstance(r["confirmed"], bool)
        assert r["event_ids"] and set(r["event_ids"]) <= event_ids  # no dangling basis
        assert r["evidence"]
        for ev in r["evidence"]:
            assert ev["article_id"] and 0 <= ev["start"] < ev["end"] and ev["quote"]
    res = runner.invoke(app, ["control", "--db", str(demo_db), "--as-of", "2021-08-13",
                              "--format", "jsonl"])
    as_of = [json.loads(x) for x in res.output.splitlines()]
    assert as_of and all(r["date"] <= "2021-08-13" for r in as_of)
    assert len({r["unit_id"] for r in as_of}) == len(as_of)  # one state per unit


def test_claims_formats(demo_db: Path) -> None:
    for fmt in ("table", "csv", "jsonl"):
        res = runner.invoke(app, ["claims", "--db", str(demo_db), "--format", fmt])
        assert res.exit_code == 0 and res.output.strip(), fmt


def test_classify_reads_stdin_one_json_line_per_input_line() -> None:
    text = "Taliban fighters captured the district headquarters after heavy fighting.\n\n"
    res = runner.invoke(app, ["classify"], input=text)
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(lines) == 2
    for d in lines:
        assert set(d) == {"label", "event_type", "score"} and 0 <= d["score"] <= 1
    assert lines[1]["label"] is None


def test_eval_scores_a_gold_file(demo_db: Path) -> None:
    res = runner.invoke(app, ["eval", str(CORPUS_GOLD), "--db", str(demo_db), "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert "events" in result
    res = runner.invoke(app, ["eval", "no-such-gold.json", "--db", str(demo_db)])
    assert res.exit_code == 2 and "no-such-gold.json" in res.output


@pytest.mark.parametrize("args", [["events"], ["control"], ["claims"], ["articles"],
                                  ["eval", str(CORPUS_GOLD)]])
def test_a_mistyped_db_is_named_not_created(args: list[str], tmp_path: Path) -> None:
    db = tmp_path / "typo.duckdb"
    res = runner.invoke(app, [*args, "--db", str(db)])
    assert res.exit_code == 2
    flat = res.output.replace("\n", "")  # rich may wrap a long path at 80 columns
    assert str(db) in flat and "no such database" in flat
    assert not db.exists()


def test_report_on_a_mistyped_db_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "typo.duckdb"
    res = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r.md")])
    assert res.exit_code == 2 and not db.exists()
