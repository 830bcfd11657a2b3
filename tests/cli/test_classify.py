"""``sitrep classify`` and ``sitrep train`` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_user_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path / "no-model"))


def test_classify_one_json_line_per_input_line_with_nulls_kept() -> None:
    lines = [
        "The Taliban seized the district of Panjwai after night fighting.",
        "",
        "The weather was pleasant and the markets were busy.",
        "Around 300 people protested in front of parliament, demanding unpaid wages.",
        "   ",
        "A roadside bomb hit a police vehicle, killing two officers.",
    ]
    result = runner.invoke(app, ["classify"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == len(lines)
    for row in out:
        assert set(row) == {"label", "event_type", "score"}
        assert isinstance(row["score"], float | int) and 0.0 <= row["score"] <= 1.0
    assert [r["label"] for r in out] == [
        "Non-state actor overtakes territory", None, None, "Peaceful protest", None,
        "Remote explosive/landmine/IED"]
    assert [r["event_type"] for r in out] == [
        "Battles", None, None, "Protests", None, "Explosions/Remote violence"]
    assert out[1] == {"label": None, "event_type": None, "score": 0.0}


def test_classify_handles_crlf_and_no_trailing_newline() -> None:
    result = runner.invoke(app, ["classify"], input="Rebels shelled the town.\r\nGunmen abducted a driver.")
    assert result.exit_code == 0, result.output
    labels = [json.loads(x)["label"] for x in result.stdout.splitlines()]
    assert labels == ["Shelling/artillery/missile attack", "Abduction/forced disappearance"]


def test_train_reports_a_clear_error_for_a_non_acled_file(tmp_path: Path) -> None:
    bad = tmp_path / "events.csv"
    bad.write_text("date,text\n2020-05-01,hello\n", encoding="utf-8")
    result = runner.invoke(app, ["train", str(bad), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "events.csv" in result.output and "notes" in result.output
    assert not (tmp_path / "m" / "model.joblib").exists()


def test_train_missing_file_names_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output
