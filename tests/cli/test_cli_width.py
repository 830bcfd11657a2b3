"""CLI tables fit an 80-column terminal, one line per row (issue 12 item 3); the
``--format`` machine formats keep every column under its full name."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.cli._app import fit_columns
from sitrep.export import CLAIM_COLUMNS
from tests.conftest import CORPUS

runner = CliRunner()


def _table(args: list[str], width: int = 80) -> tuple[list[str], list[str]]:
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    return lines, [ln for ln in lines if ln.startswith("│")]


def _check_fits(lines: list[str], width: int = 80) -> None:
    too_wide = [ln for ln in lines if len(ln) > width]
    assert not too_wide, "\n".join(too_wide)
    assert not any("sub_event_type" in ln or "n_sources" in ln for ln in lines)


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    copy = tmp_path_factory.mktemp("width") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    return str(copy)


def test_run_top_ten_fits_80_columns(db) -> None:
    lines, rows = _table(["run", str(CORPUS), "--db", db])
    _check_fits(lines)
    top = lines.index(next(ln for ln in lines if "top 10 events" in ln))
    assert len([ln for ln in lines[top:] if ln.startswith("│")]) == 10  # one line per event
    assert any("sub-event" in ln for ln in lines) and any("2021-" in ln for ln in rows)


@pytest.mark.parametrize("command", ["events", "control", "claims", "articles"])
def test_tables_fit_80_columns_one_line_per_row(db, command) -> None:
    lines, rows = _table([command, "--db", db])
    _check_fits(lines)
    jsonl = runner.invoke(app, [command, "--db", db, "--format", "jsonl"]).stdout.splitlines()
    assert len(rows) == len(jsonl) > 0  # nothing wrapped onto a second line
    assert any(ln.strip().startswith("hidden at 80 columns:") for ln in lines)
    wide, wide_rows = _table([command, "--db", db], width=400)
    assert len(wide_rows) == len(rows) and not any("hidden at" in ln for ln in wide)


def test_events_table_keeps_the_key_columns_whole_at_80(db) -> None:
    lines, rows = _table(["events", "--db", db, "--min-confidence", "0"])
    header = next(ln for ln in lines if ln.startswith("┃"))
    for name in ("date", "sub-event", "location", "status", "src"):
        assert f" {name} " in header
    assert all(len(r.split("│")[1].strip()) == 10 for r in rows)  # dates never cut


def test_machine_formats_keep_full_names_and_every_column(db) -> None:
    result = runner.invoke(app, ["claims", "--db", db, "--format", "csv"], env={"COLUMNS": "80"})
    assert next(csv.reader(io.StringIO(result.stdout))) == list(CLAIM_COLUMNS)
    result = runner.invoke(app, ["events", "--db", db, "--format", "csv"], env={"COLUMNS": "80"})
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert "sub_event_type" in header and "n_sources" in header
    result = runner.invoke(app, ["control", "--db", db, "--format", "jsonl"], env={"COLUMNS": "80"})
    row = json.loads(result.stdout.splitlines()[0])
    assert {"unit_name", "unit_level", "event_ids", "confirmed"} <= set(row)


def test_fit_columns_drops_in_order_then_shares_the_room() -> None:
    headers = ["date", "text", "a", "b"]
    cells = [["2021-07-04", "x" * 100, "y" * 30, "z" * 30]]
    kept, widths = fit_columns(headers, cells, 80, drop=[3, 2])
    assert kept == [0, 1, 2, 3] and widths[0] == 10  # dates are never cut
    assert sum(widths) + 3 * len(kept) + 1 == 80
    kept, widths = fit_columns(headers, cells, 40, drop=[3, 2])
    assert kept == [0, 1] and widths == [10, 40 - 7 - 10]
    kept, widths = fit_columns(headers, [["2021-07-04", "short", "y", "z"]], 80)
    assert kept == [0, 1, 2, 3] and widths == [10, 5, 1, 1]
