"""http(s) inputs against a real local server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.ingest import IngestOptions, ingest

PAGE = (b"<html><head><meta property='og:site_name' content='Local Herald'>"
        b"<meta property='article:published_time' content='2021-08-12'></head><body><article>"
        b"<h1>Herat falls</h1><p>Herat fell to the Taliban on Thursday after weeks of siege, officials "
        b"said, as government forces withdrew to a base outside the western city near the airport.</p>"
        b"<p>The militia of Ismail Khan, a veteran commander, had held the front for a fortnight before "
        b"the governor and police chief negotiated their surrender with insurgent commanders.</p>"
        b"</article></body></html>")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        routes = {
            "/article": (200, "text/html; charset=utf-8", PAGE),
            "/image": (200, "image/png", b"\x89PNG...."),
            "/big": (200, "text/plain", b"x" * 5000),
            "/missing": (404, "text/plain", b"nope"),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/plain", b"nope"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetches_article_with_allow_private(server: str) -> None:
    result = ingest([f"{server}/article", f"{server}/redirect"],
                    IngestOptions(allow_private=True, reference_date=None))
    assert result.failures == []
    (art,) = result.articles  # the redirect yields the same content: one article
    assert art.source == f"{server}/article" and art.url == f"{server}/article"
    assert art.outlet == "Local Herald" and str(art.published) == "2021-08-12"
    assert "Herat fell to the Taliban" in art.text


def test_refuses_loopback_without_allow_private(server: str) -> None:
    result = ingest([f"{server}/article"])
    assert result.articles == []
    (failure,) = result.failures
    assert failure.source == f"{server}/article"
    assert "refused" in failure.reason and "127.0.0.1" in failure.reason and "--allow-private" in failure.reason


def test_bad_responses_each_fail_with_a_reason(server: str) -> None:
    result = ingest([f"{server}/image", f"{server}/big", f"{server}/missing", "http://127.0.0.1:9/x"],
                    IngestOptions(allow_private=True, max_bytes=1000, timeout=5))
    reasons = {f.source.rsplit("/", 1)[1]: f.reason for f in result.failures}
    assert "unsupported content type 'image/png'" in reasons["image"]
    assert "1,000-byte cap" in reasons["big"]
    assert reasons["missing"].startswith("HTTP 404")
    assert reasons["x"].startswith("unreachable")
