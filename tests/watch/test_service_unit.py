"""deploy/sitrep.service, tested as far as this machine allows: ``systemd-analyze verify``
accepts it, and its ExecStart command line (paths moved to a temp dir, its Environment=
applied) starts a server that answers /health and /status, logs JSON lines, and stops on
SIGTERM with an exit status the unit counts as success."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.serve.server import free_port

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "sitrep.service"
SITREP = str(Path(sys.executable).parent / "sitrep")


def _directives() -> dict[str, list[str]]:
    text = UNIT.read_text(encoding="utf-8").replace("\\\n", " ")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "sitrep.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/sitrep/.venv/bin/sitrep", SITREP),
                    encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "sitrep.service" not in done.stderr, done.stderr


def test_the_units_command_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    unit = _directives()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for assignment in unit["Environment"]:
        key, value = assignment.split("=", 1)
        env[key] = value.replace("/var/lib/sitrep", str(tmp_path))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "sources.yaml").write_text(f"sources:\n  - folder: {inbox}\n    interval: 1\n",
                                           encoding="utf-8")
    port = free_port()
    command = (unit["ExecStart"][0].replace("/opt/sitrep/.venv/bin/sitrep", SITREP)
               .replace("/etc/sitrep", str(tmp_path)).replace("/var/lib/sitrep", str(tmp_path))
               .replace("--port 8000", f"--port {port}"))
    server = subprocess.Popen(shlex.split(command), cwd=tmp_path, env=env, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        status = httpx.get(f"http://127.0.0.1:{port}/status", timeout=10).json()
        assert status["watch"]["sources"][0]["kind"] == "folder"
        assert status["database"]["path"] == str(tmp_path / "sitrep.duckdb")
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=60)
    ok = {0, *(int(s) for s in unit["SuccessExitStatus"][0].split())}
    assert server.returncode in ok or 128 - server.returncode in ok, server.returncode
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert {"watch_started", "watch_stopped"} <= {e.get("event") for e in logged}
