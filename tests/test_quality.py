"""ruff and mypy stay clean (issue 2: 'ruff and mypy configured and clean')."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean() -> None:
    proc = _run(str(BIN / "ruff"), "check", "sitrep", "tests", "bench", "scripts")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_mypy_is_clean() -> None:
    proc = _run(str(BIN / "mypy"), "sitrep")
    assert proc.returncode == 0, proc.stdout[-3000:]
