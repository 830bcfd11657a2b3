"""bench/control_errors.py on the seeds: every gold control change of the set is listed
with the timeline's rows of its unit, the pages a --holdout pattern names are counted
apart and never printed, and --causes tags each missed change with its cause."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import control_errors  # noqa: E402
from eval_seeds import SETS  # noqa: E402


def test_control_errors_lists_the_changes_and_hides_the_holdout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources, gold = SETS["seeds"]
    if not gold.exists() or not all(s.exists() for s in sources):
        pytest.skip("../shared not present")
    db = tmp_path / "seeds.duckdb"
    assert control_errors.main(["seeds", "--db", str(db), "--all"]) == 0
    shown = capsys.readouterr().out
    assert "== seeds shown: control" in shown and "row " in shown
    # every page held out: nothing of them printed, all counted apart
    assert control_errors.main(["seeds", "--db", str(db), "--reuse", "--all",
                                "--holdout", ".*"]) == 0
    held = capsys.readouterr().out
    assert "== seeds holdout: control" in held and "== seeds shown" not in held
    assert "row " not in held and "gold: " not in held
    # --causes tags every change the timeline misses with its cause, tallied at the end
    assert control_errors.main(["seeds", "--db", str(db), "--reuse", "--causes"]) == 0
    tagged = capsys.readouterr().out
    missed = [line for line in tagged.splitlines() if line.startswith(("WRONG", "MISSING"))]
    assert all(line.endswith("]") for line in missed)
    assert not missed or "== causes shown: " in tagged
