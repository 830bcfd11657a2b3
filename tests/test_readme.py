"""The README's two set-up commands are the real ones: CI calls the test command, and
the main-job command runs end to end on the demo corpus (docs that run)."""

from __future__ import annotations

import os
import re
import subprocess

from sitrep.store import Store
from tests.conftest import ROOT


def _quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick)


def test_readme_has_two_commands_and_ci_runs_the_test_one() -> None:
    demo, test = _quick_start_commands()[:2]
    assert demo.strip() == "scripts/demo" and test.strip() == "scripts/test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test.strip())}\b", ci, flags=re.M)


def test_main_job_command_runs_end_to_end(tmp_path) -> None:
    demo = _quick_start_commands()[0].strip()
    db = tmp_path / "readme.duckdb"
    env = {**os.environ, "SITREP_DB": str(db), "SITREP_DEMO_SERVE": "0", "COLUMNS": "160"}
    proc = subprocess.run(["bash", "-c", demo], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for word in ("articles", "events", "control", "claims"):
        assert word in proc.stdout
    assert "http://127.0.0.1:8000/" in proc.stdout
    with Store(db, read_only=True) as st:
        assert st.count("articles") >= 30
        assert st.count("events") >= 30
        assert st.count("control") >= 10
        assert st.count("claims") >= 10
