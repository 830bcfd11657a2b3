"""Fetch an http(s) URL safely: a total deadline, a size cap, a content-type check, and
requests only to globally routable addresses unless private ones are allowed.

Addresses (:func:`is_public_address`): only what ``ipaddress`` calls ``is_global``
(and not multicast) is fetched, so loopback, private, link-local, shared
(``100.64.0.0/10``, e.g. the metadata address ``100.100.100.200``), reserved and
documentation ranges are all refused; an IPv6 form that embeds an IPv4 address
(IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``) is judged by
the IPv4 address it carries, and the local-use NAT64 prefix ``64:ff9b:1::/48`` is refused.

No DNS rebinding: each hop's host is resolved ONCE (:func:`check_address`), every address
it resolves to is checked, and the connection is made to those very addresses (a pinned
network backend); the URL keeps its host name, so the ``Host`` header, TLS SNI and the
certificate check are the host's. The check runs on every redirect hop (a public URL may
redirect to ``http://169.254.169.254/``); redirects are followed by hand, at most 5.

Time: ``timeout`` bounds each wait (connect, TLS handshake, every read and write);
``deadline`` bounds the whole URL, redirects included: every network operation waits at
most until the deadline, so a server that drips one byte a second is stopped on time.

Every problem raises :class:`~sitrep.errors.FetchError` or
:class:`~sitrep.errors.TooLarge` naming the URL.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from sitrep.errors import FetchError, TooLarge

__all__ = ["Fetched", "check_address", "fetch_url", "is_public_address"]

_MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_KINDS = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt",
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/xml": "feed",
    "text/xml": "feed", "application/rdf+xml": "feed",
}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
#: not global although ``is_global`` says so on this Python (RFC 8215 local-use NAT64)
_NOT_GLOBAL = (ipaddress.IPv6Network("64:ff9b:1::/48"),)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    kind: str  # txt | html | json | jsonl | feed
    charset: str | None
    #: validators for the next conditional GET (``fetch_url(..., etag=, last_modified=)``)
    etag: str | None = None
    last_modified: str | None = None
    #: the server answered 304 Not Modified to a conditional GET (``data`` is empty)
    not_modified: bool = False


def is_public_address(address: str | Address) -> bool:
    """Whether ``address`` is globally routable (see the module docstring)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if any(ip in net for net in _NOT_GLOBAL):
            return False
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (one DNS look-up), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// URLs with a host can be fetched")
    try:
        host = httpx.URL(url).raw_host.decode("ascii")  # IDNA-encoded, no brackets
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise FetchError(url, f"invalid URL: {exc}") from exc
    return host, port


def check_address(url: str, allow_private: bool) -> list[str]:
    """Resolve ``url``'s host once; refuse it when an address is not public (unless
    allowed). Returns the checked addresses: the only ones the fetch may connect to."""
    host, port = _host_port(url)
    try:
        addresses = _resolve(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise FetchError(url, f"unreachable: cannot resolve host {host!r} ({why})") from exc
    if not addresses:
        raise FetchError(url, f"unreachable: host {host!r} resolves to no address")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address.split("%", 1)[0]):
                raise FetchError(url, f"refused: host {host!r} resolves to the non-public "
                                      f"address {address} (pass --allow-private to fetch it anyway)")
    return addresses


def _wait(timeout: float | None, deadline_at: float) -> float:
    """``timeout`` cut to what is left before the deadline (0 when it has passed)."""
    left = max(0.0, deadline_at - time.monotonic())
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every wait ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline_at: float) -> None:
        self._inner, self._deadline_at = inner, deadline_at

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        wait = _wait(timeout, self._deadline_at)
        if wait <= 0:
            raise httpcore.ReadTimeout("deadline reached")
        return self._inner.read(max_bytes, wait)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        wait = _wait(timeout, self._deadline_at)
        if wait <= 0:
            raise httpcore.WriteTimeout("deadline reached")
        self._inner.write(buffer, wait)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        wait = _wait(timeout, self._deadline_at)
        if wait <= 0:
            raise httpcore.ConnectTimeout("deadline reached")
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait),
                               self._deadline_at)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to the addresses that were checked, whatever host the URL names."""

    def __init__(self, addresses: list[str], deadline_at: float) -> None:
        self._addresses, self._deadline_at = addresses, deadline_at
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in self._addresses:
            wait = _wait(timeout, self._deadline_at)
            if wait <= 0:
                raise httpcore.ConnectTimeout("deadline reached")
            try:
                stream = self._inner.connect_tcp(address, port, wait, local_address,
                                                 socket_options)
            except httpcore.ConnectError as exc:  # the next checked address, if any
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline_at)
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None,
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def fetch_url(url: str, *, max_bytes: int, timeout: float = 15.0, deadline: float = 60.0,
              allow_private: bool = False, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
    """GET ``url`` and return its body, refusing what is unsafe, too big, too slow or not text.

    With ``etag`` / ``last_modified`` (from an earlier :class:`Fetched`) the GET is
    conditional: a 304 answer returns ``Fetched(not_modified=True)`` with no body."""
    headers: dict[bytes | str, bytes | str] = {"User-Agent": "sitrep/0.1 (+offline news ingest)", "Accept": "text/html,text/plain,"
               "application/json,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline_at = time.monotonic() + deadline
    ssl_context = httpx.create_ssl_context()
    current = url
    try:
        for _ in range(_MAX_REDIRECTS + 1):
            addresses = check_address(current, allow_private)
            wait = _wait(timeout, deadline_at)
            backend = _PinnedBackend(addresses, deadline_at)
            with httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend) as pool, \
                    pool.stream("GET", str(httpx.URL(current)), headers=headers, extensions={
                        "timeout": dict.fromkeys(("connect", "read", "write", "pool"), wait)},
                    ) as resp:
                got = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in resp.headers}
                if resp.status in _REDIRECTS and got.get("location"):
                    current = urljoin(current, got["location"])
                    continue
                etag, modified = got.get("etag"), got.get("last-modified")
                if resp.status == 304:
                    return Fetched(current, b"", "feed", None, etag, modified, not_modified=True)
                if resp.status >= 400:
                    reason = resp.extensions.get("reason_phrase", b"").decode("latin-1")
                    raise FetchError(url, f"HTTP {resp.status} {reason}".rstrip())
                ctype = got.get("content-type", "").split(";")[0].strip().lower()
                kind = _KINDS.get(ctype)
                if kind is None:
                    raise FetchError(url, f"unsupported content type {ctype or 'missing'!r} "
                                          "(expected HTML, plain text, JSON or RSS/Atom)")
                length = got.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes:
                    raise TooLarge(url, f"{int(length):,} bytes is over the {max_bytes:,}-byte cap (--max-bytes)")
                body = bytearray()
                for chunk in resp.iter_stream():
                    body += chunk
                    if len(body) > max_bytes:
                        raise TooLarge(url, f"body is over the {max_bytes:,}-byte cap (--max-bytes)")
                charset = _CHARSET.search(got.get("content-type", ""))
                return Fetched(current, bytes(body), kind, charset.group(1) if charset else None,
                               etag, modified)
        raise FetchError(url, f"more than {_MAX_REDIRECTS} redirects")
    except httpcore.TimeoutException as exc:
        if time.monotonic() >= deadline_at:
            raise FetchError(url, f"unreachable: no complete response within the {deadline:g}-second "
                                  "deadline") from exc
        raise FetchError(url, f"unreachable: timed out after {timeout:g} s") from exc
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        raise FetchError(url, f"unreachable: {exc or type(exc).__name__}") from exc
