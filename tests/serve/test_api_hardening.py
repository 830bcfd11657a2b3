"""Issue 13 items 2, 6, 7, 8 (API parts): bounded, authenticated-first ingest requests,
errors that leak nothing internal, security headers, the Host check, offline /docs,
RFC 7235 auth details, unknown parameters and LIKE wildcards."""

from __future__ import annotations

import asyncio
import json
import logging
import select
import socket
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from sitrep.api import create_app
from sitrep.api_guard import bearer_token, host_name, serve_hosts
from sitrep.store import Store
from tests.serve.fixtures import build
from tests.serve.server import free_port

MB = 1_000_000


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = tmp_path / "api.duckdb"
    build(path)
    return str(path)


@pytest.fixture()
def client(db: str):  # type: ignore[no-untyped-def]
    with TestClient(create_app(db, token="s3cret", warm=False)) as c:
        yield c


def _err(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    err: dict[str, Any] = resp.json()["error"]
    assert err["status"] == status
    if code:
        assert err["code"] == code
    return err


# ---------------------------------------------------------------- 2: auth before body, size cap
def _asgi_post(app: Any, path: str, headers: dict[str, str], n_chunks: int,
               chunk: int = MB, content_length: bool = True) -> tuple[int, dict[str, str], bytes, int]:
    """POST a generated body of ``n_chunks`` x ``chunk`` bytes straight into the ASGI app;
    returns (status, headers, body, bytes the app consumed)."""
    consumed = 0
    sent = 0
    out: dict[str, Any] = {"body": b""}
    hdrs = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if content_length:
        hdrs.append((b"content-length", str(n_chunks * chunk).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": [(b"host", b"testserver"), *hdrs],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def receive() -> dict[str, Any]:
        nonlocal consumed, sent
        if sent >= n_chunks:
            return {"type": "http.disconnect"}
        sent += 1
        consumed += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": sent < n_chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return out["status"], out["headers"], out["body"], consumed


@pytest.mark.parametrize("path", ["/ingest", "/ingest/files"])
@pytest.mark.parametrize("auth", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}])
def test_a_50mb_post_without_a_valid_token_is_refused_before_its_body_is_read(db, path, auth) -> None:
    app = create_app(db, token="s3cret", warm=False)
    status, headers, body, consumed = _asgi_post(
        app, path, {"content-type": "application/json", **auth}, n_chunks=50)
    assert status in (401, 403) and json.loads(body)["error"]["status"] == status
    assert consumed == 0  # not one byte of the 50 MB was read
    if status == 401:
        assert headers["www-authenticate"].lower().startswith("bearer")


def test_a_50mb_unauthenticated_post_to_a_live_server_does_not_grow_it(db) -> None:
    """Real uvicorn on loopback, a raw socket streaming 50 x 1 MB: the 401 comes back
    after the headers, and the server process's RSS grows by a few MB at most."""
    def rss() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token="s3cret", warm=False),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        before = rss()
        chunk = b"x" * MB
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         + f"Content-Length: {50 * MB}\r\n\r\n".encode())
            for _ in range(50):
                if select.select([sock], [], [], 0.02)[0]:
                    break  # the answer is there: stop sending
                try:
                    sock.sendall(chunk)
                    sent += len(chunk)
                except OSError:
                    break
            reply = b""
            try:
                while b"\r\n\r\n" not in reply:
                    data = sock.recv(65536)
                    if not data:
                        break
                    reply += data
            except OSError:
                pass
        grown = rss() - before
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert reply.startswith(b"HTTP/1.1 401"), reply[:200]
    assert grown < 8 * MB, f"server grew by {grown / MB:.1f} MB after {sent / MB:.0f} MB sent"


def test_bodies_over_the_limit_are_413_for_json_and_multipart(db) -> None:
    with TestClient(create_app(db, token="s3cret", warm=False, max_body_bytes=2_000)) as c:
        auth = {"Authorization": "Bearer s3cret"}
        big = {"articles": [{"text": "Taliban fighters attacked a checkpoint. " * 100}]}
        _err(c.post("/ingest", json=big, headers=auth), 413, "payload_too_large")
        files = {"files": ("a.txt", b"Taliban fighters attacked a checkpoint. " * 100, "text/plain")}
        _err(c.post("/ingest/files", files=files, headers=auth), 413, "payload_too_large")
        # under the limit the request reaches the route (422: no articles)
        _err(c.post("/ingest", json={"articles": []}, headers=auth), 422)


def test_a_chunked_body_without_length_stops_being_read_past_the_limit(db) -> None:
    app = create_app(db, token="s3cret", warm=False, max_body_bytes=3 * MB)
    status, _, body, consumed = _asgi_post(
        app, "/ingest", {"content-type": "application/json", "authorization": "Bearer s3cret"},
        n_chunks=50, content_length=False)
    assert status == 413 and json.loads(body)["error"]["code"] == "payload_too_large"
    assert consumed <= 4 * MB


# ---------------------------------------------------------------- 6: errors leak nothing
def test_out_of_range_numbers_are_422_not_a_database_error(client) -> None:
    for query in ("offset=99999999999999999999999", "min_sources=99999999999999999999",
                  "limit=99999999999999999999"):
        resp = client.get(f"/events?{query}")
        err = _err(resp, 422, "validation_error")
        assert "duckdb" not in resp.text.lower() and "select" not in resp.text.lower()
        assert query.split("=")[0] in err["message"]


def test_a_500_says_nothing_internal_and_logs_the_details_under_an_id(db, monkeypatch, caplog) -> None:
    def broken(self: Store) -> None:
        raise RuntimeError("Conversion Error: SELECT data FROM claims /tmp/secret.duckdb")

    monkeypatch.setattr(Store, "get_claims", broken)
    with TestClient(create_app(db, warm=False), raise_server_exceptions=False) as c, \
            caplog.at_level(logging.ERROR, logger="sitrep.api"):
        resp = c.get("/claims")
    err = _err(resp, 500, "internal_error")
    assert "SELECT" not in resp.text and "secret" not in resp.text and "RuntimeError" not in resp.text
    error_id = err["details"]["error_id"]
    assert error_id in err["message"]
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert error_id in logged and "secret.duckdb" in logged
    # built by Starlette's outermost error layer, it still carries the security headers
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]


def test_ingest_failures_name_posted_items_not_server_paths(client) -> None:
    auth = {"Authorization": "Bearer s3cret"}
    resp = client.post("/ingest", json={"articles": [{"title": "no text at all"}]}, headers=auth)
    assert resp.status_code == 200, resp.text
    (failure,) = resp.json()["failures"]
    assert failure["source"] == "articles[0]", failure
    resp = client.post("/ingest/files", headers=auth,
                       files=[("files", ("garbage.txt", b"\x00\x01\x02\xff" * 64, "application/octet-stream"))])
    assert resp.status_code == 200, resp.text
    (failure,) = resp.json()["failures"]
    assert failure["source"] == "garbage.txt", failure
    for text in (json.dumps(resp.json()),):
        assert "/tmp" not in text and "posted.jsonl" not in text


def test_stored_articles_keep_client_names_not_server_temp_paths(client, db) -> None:
    """Posted and uploaded articles are stored under client-facing names (``posted#1``,
    the uploaded file's name), never a server temp path (GET /articles/{id} shows it)."""
    from sitrep.store import Store

    auth = {"Authorization": "Bearer s3cret"}
    story = ("Taliban fighters captured the district centre of Imam Sahib in Kunduz province "
             "on Sunday after two days of heavy fighting with Afghan security forces, a local "
             "official said, adding that government troops had withdrawn to the city. ")
    posted = client.post("/ingest", headers=auth, json={"articles": [
        {"text": story * 2, "title": "Imam Sahib falls", "date": "2021-08-01"}]})
    assert posted.status_code == 200 and not posted.json()["failures"], posted.text
    upload = client.post("/ingest/files", headers=auth, files=[(
        "files", ("kunduz-report.txt", ("Date: 2021-08-02\n\n" + story.replace(
            "Imam Sahib", "Dasht-e-Archi").replace("Sunday", "Monday") * 2).encode(),
                   "text/plain"))])
    assert upload.status_code == 200 and not upload.json()["failures"], upload.text
    with Store(db) as st:  # the app's own process: the same database instance
        stored = {a.source: a.id for a in st.get_articles()}
    assert "posted#1" in stored and "kunduz-report.txt" in stored, stored
    assert not any("/tmp" in s or "posted.jsonl" in s for s in stored), stored
    shown = client.get(f"/articles/{stored['kunduz-report.txt']}").json()
    assert shown["source"] == "kunduz-report.txt"


# ---------------------------------------------------------------- 7: headers, hosts, docs
@pytest.mark.parametrize("path", ["/", "/report", "/report?format=md", "/events"])
def test_pages_carry_security_headers(client, path) -> None:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"


def test_host_header_is_checked_against_the_allowed_hosts(db) -> None:
    app = create_app(db, warm=False, allowed_hosts=serve_hosts("127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/events").status_code == 200
        assert c.get("/events", headers={"Host": "localhost:8000"}).status_code == 200
        assert c.get("/events", headers={"Host": "[::1]:8000"}).status_code == 200
        err = _err(c.get("/", headers={"Host": "attacker.example"}), 400, "invalid_host")
        assert "attacker.example" in err["message"]
    lan = create_app(db, warm=False, allowed_hosts=serve_hosts("0.0.0.0", ["sitrep.lan"]))
    with TestClient(lan, base_url="http://sitrep.lan") as c:
        assert c.get("/events").status_code == 200
        _err(c.get("/events", headers={"Host": "other.lan"}), 400, "invalid_host")
    with pytest.raises(ValueError, match="--allowed-host"):
        serve_hosts("0.0.0.0")
    assert "*" in serve_hosts("::", ["*"])
    assert host_name("[::1]:8000") == "::1" and host_name("Example.org:80") == "example.org"


def test_docs_never_load_from_a_cdn(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "swagger_ui_bundle", None)  # not installed
    with TestClient(create_app(db, warm=False)) as c:
        _err(c.get("/docs"), 404)
        _err(c.get("/redoc"), 404)
        assert c.get("/openapi.json").status_code == 200
    # with the swagger-ui-bundle package, /docs is served from its files
    assets = tmp_path / "swagger"
    assets.mkdir()
    (assets / "swagger-ui-bundle.js").write_text("window.SwaggerUIBundle = function () {};")
    (assets / "swagger-ui.css").write_text("body{}")
    fake = types.ModuleType("swagger_ui_bundle")
    fake.swagger_ui_path = assets  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "swagger_ui_bundle", fake)
    with TestClient(create_app(db, warm=False)) as c:
        page = c.get("/docs")
        assert page.status_code == 200
        assert "/docs-static/swagger-ui-bundle.js" in page.text and "cdn" not in page.text.lower()
        assert "http://" not in page.text and "https://" not in page.text
        assert c.get("/docs-static/swagger-ui-bundle.js").text.startswith("window.SwaggerUIBundle")


# ---------------------------------------------------------------- 8: auth details, params, LIKE
def test_bearer_is_case_insensitive_and_401_says_how_to_authenticate(client) -> None:
    for scheme in ("Bearer", "bearer", "BEARER"):
        _err(client.post("/ingest", json={"articles": []},
                         headers={"Authorization": f"{scheme} s3cret"}), 422)  # past auth
    resp = client.post("/ingest", json={"articles": [{"text": "x"}]})
    _err(resp, 401, "unauthorized")
    assert resp.headers["www-authenticate"] == 'Bearer realm="sitrep"'
    assert bearer_token("bEaReR  abc ") == "abc" and bearer_token("Basic abc") is None


@pytest.mark.parametrize("url", ["/control?asof=2021-08-01", "/control/changes?form=2021-08-01",
                                 "/claims?limit=5", "/report?regoin=Herat", "/stats?province=x",
                                 "/control/AF2704/history?x=1", "/geo/units?lvl=district"])
def test_unknown_parameters_are_422_everywhere(client, url) -> None:
    err = _err(client.get(url), 422, "unknown_filter")
    assert url.split("?")[1].split("=")[0] in err["message"]


def test_like_wildcards_in_actor_match_literally(client) -> None:
    assert client.get("/events?actor=taliban").json()["total"] == 2
    for wildcard in ("%", "_", "%25", "T_liban"):
        assert client.get(f"/events?actor={wildcard}").json()["total"] == 0, wildcard
