"""``sitrep serve`` wires the Host check and the body limit into the app (issue 13 item 7)."""

from __future__ import annotations

from typing import Any

import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitrep.cli import app
from tests.serve.fixtures import build

runner = CliRunner()


def _served(monkeypatch, args: list[str]) -> tuple[Any, Any]:  # type: ignore[no-untyped-def]
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(app=application, **kw))
    result = runner.invoke(app, ["serve", *args])
    return result, seen.get("app")


def test_serve_checks_the_host_header_and_caps_bodies(tmp_path, monkeypatch) -> None:
    db = tmp_path / "s.duckdb"
    build(db)
    monkeypatch.setenv("SITREP_API_TOKEN", "s3cret")
    result, served = _served(monkeypatch, ["--db", str(db), "--max-body-bytes", "500"])
    assert result.exit_code == 0, result.output
    with TestClient(served, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/events").status_code == 200
        assert c.get("/events", headers={"Host": "rebound.example"}).status_code == 400
        big = {"articles": [{"text": "x" * 1000}]}
        assert c.post("/ingest", json=big, headers={"Authorization": "Bearer s3cret"}).status_code == 413


def test_serve_on_all_interfaces_needs_allowed_hosts(tmp_path, monkeypatch) -> None:
    db = tmp_path / "s.duckdb"
    build(db)
    result, served = _served(monkeypatch, ["--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and served is None
    assert "--allowed-host" in result.output
    monkeypatch.setenv("SITREP_ALLOWED_HOSTS", "sitrep.lan,10.0.0.5")
    result, served = _served(monkeypatch, ["--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    with TestClient(served, base_url="http://sitrep.lan") as c:
        assert c.get("/events").status_code == 200
        assert c.get("/events", headers={"Host": "10.0.0.5:8000"}).status_code == 200
        assert c.get("/events", headers={"Host": "evil.example"}).status_code == 400
