"""``sitrep ingest`` / ``sitrep articles`` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEEDS
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()


def test_ingest_then_articles_jsonl(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    res = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--languages", "en,fr,es"])
    assert res.exit_code == 0, res.output
    assert "5 added, 0 already stored, 0 failed" in res.output
    again = runner.invoke(app, ["ingest", str(SEEDS / "000_b228aec6dd147c9a.txt"), "--db", db])
    assert again.exit_code == 0 and "0 added, 1 already stored, 0 failed" in again.output
    res = runner.invoke(app, ["articles", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "url", "outlet", "wire", "published", "published_basis", "language",
                            "duplicate_of", "title", "source"}
    assert {r["published"] for r in rows} == {"2021-07-04", "2021-07-08", "2021-07-07", "2021-08-13"}


def test_exit_codes_for_partial_and_total_failure(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    partial = runner.invoke(app, ["ingest", str(SEEDS / "000_b228aec6dd147c9a.txt"), str(bad), "--db", db])
    assert partial.exit_code == 1 and "1 added, 0 already stored, 1 failed" in partial.output
    total = runner.invoke(app, ["ingest", str(bad), str(tmp_path / "missing.txt"), "--db", db])
    assert total.exit_code == 2 and "2 failed" in total.output
    usage = runner.invoke(app, ["ingest", str(bad), "--db", db, "--languages", "english"])
    assert usage.exit_code == 2
    missing_db = runner.invoke(app, ["articles", "--db", str(tmp_path / "none.duckdb")])
    assert missing_db.exit_code == 2
