"""URL fetching under attack (issue 13 items 4 and 5), on loopback only: only globally
routable addresses, the connection pinned to the address that was checked (no DNS
rebinding), redirects re-checked per hop, and a total deadline per URL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pytest

import sitrep.ingest.fetch as fetch
from sitrep.errors import FetchError
from sitrep.ingest import IngestOptions, ingest
from sitrep.ingest.fetch import fetch_url, is_public_address

PAGE = (b"<html><body><article><h1>Herat falls</h1><p>Herat fell to the Taliban on Thursday "
        b"after weeks of siege, officials said, as government forces withdrew to a base outside "
        b"the western city near the airport.</p><p>The militia of Ismail Khan had held the front "
        b"for a fortnight before the governor negotiated their surrender.</p></article></body></html>")

NOT_PUBLIC = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "0.0.0.0", "255.255.255.255",
    "169.254.169.254",  # link-local cloud metadata
    "100.100.100.200", "100.64.0.1", "100.127.255.254",  # shared address space 100.64/10
    "224.0.0.1", "240.0.0.1", "192.0.2.10", "198.18.0.1",  # multicast, reserved, doc, bench
    "::1", "::", "fe80::1", "fd00::1", "fd12:3456::7", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",  # IPv4-mapped
    "2002::1", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:6464:64c8::",  # 6to4 of the above
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1",  # NAT64 forms, local-use NAT64
    "2001::1",  # Teredo
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.1",
          "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
          "2002:808:808::1", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_global_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_global_addresses_are_allowed(address: str) -> None:
    assert is_public_address(address)


class _Handler(BaseHTTPRequestHandler):
    hosts: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        _Handler.hosts.append(self.headers.get("Host", ""))
        if self.path.startswith("/to-private"):
            self.send_response(302)
            self.send_header("Location", f"http://10.0.0.1:{cast(Any, self.server).server_port}/article")
            self.end_headers()
            return
        if self.path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "200")
            self.end_headers()
            self._drip(b"x" * 200)
            return
        if self.path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 200 + b"\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def _drip(self, data: bytes) -> None:
        try:
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:  # the client gave up
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A stub resolver: ``rebind.test`` is public on the first look-up and 127.0.0.1
    after; ``pinned.test`` is always 127.0.0.1. Connections to non-loopback IP literals
    are refused here (nothing leaves the machine) and recorded."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    state: dict[str, Any] = {"lookups": 0, "connects": []}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kw: Any) -> Any:
        if host == "rebind.test":
            state["lookups"] += 1
            ip = "93.184.216.34" if state["lookups"] == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port)))]
        if host == "pinned.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", int(port)))]
        return real_getaddrinfo(host, port, *args, **kw)

    def create_connection(address: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
        state["connects"].append(address[0])
        if address[0][:1].isdigit() and not address[0].startswith("127."):
            raise ConnectionRefusedError(111, "Connection refused (test: no internet)")
        return real_connect(address, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return state


def test_dns_rebinding_cannot_reach_loopback(port: int, rebinding_dns: dict[str, Any]) -> None:
    _Handler.hosts.clear()
    with pytest.raises(FetchError, match="unreachable"):
        fetch_url(f"http://rebind.test:{port}/article", max_bytes=100_000, timeout=5)
    assert rebinding_dns["lookups"] == 1  # resolved once, for the check
    assert rebinding_dns["connects"] == ["93.184.216.34"]  # connected to what was checked
    assert _Handler.hosts == []  # the loopback server was never reached


def test_the_pinned_connection_keeps_the_host_name(port: int, rebinding_dns: dict[str, Any]) -> None:
    _Handler.hosts.clear()
    got = fetch_url(f"http://pinned.test:{port}/article", max_bytes=100_000, timeout=5,
                    allow_private=True)
    assert got.url == f"http://pinned.test:{port}/article" and got.kind == "html"
    assert got.charset == "utf-8" and b"Herat fell" in got.data
    assert rebinding_dns["connects"] == ["127.0.0.1"]
    assert _Handler.hosts == [f"pinned.test:{port}"]  # Host header of the URL, not the IP


def test_every_redirect_hop_is_checked(port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # loopback plays a public server here; the redirect target 10.0.0.1 stays private
    monkeypatch.setattr(fetch, "is_public_address", lambda a: str(a) == "127.0.0.1")
    with pytest.raises(FetchError, match=r"refused: host '10\.0\.0\.1'"):
        fetch_url(f"http://127.0.0.1:{port}/to-private", max_bytes=100_000, timeout=5)


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_drip_server_is_stopped_by_the_total_deadline(port: int, path: str) -> None:
    started = time.monotonic()
    result = ingest([f"http://127.0.0.1:{port}{path}"],
                    IngestOptions(allow_private=True, timeout=5, deadline=1.0))
    elapsed = time.monotonic() - started
    (failure,) = result.failures  # 200 bytes at 10 a second would take 20 s
    assert "deadline" in failure.reason and "1-second" in failure.reason, failure.reason
    assert elapsed < 3.0, elapsed
