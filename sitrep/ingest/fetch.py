"""Fetch an http(s) URL safely: timeouts, a size cap, a content-type check, and no
requests to loopback / private / link-local / reserved addresses unless allowed.

The address check runs on every redirect hop (a public URL may redirect to
``http://169.254.169.254/``). Redirects are followed by hand, at most 5.
Every problem raises :class:`~sitrep.errors.FetchError` or
:class:`~sitrep.errors.TooLarge` naming the URL.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sitrep.errors import FetchError, TooLarge

__all__ = ["Fetched", "check_address", "fetch_url"]

_MAX_REDIRECTS = 5
_KINDS = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt",
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/xml": "feed",
    "text/xml": "feed", "application/rdf+xml": "feed",
}


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    kind: str  # txt | html | json | jsonl | feed
    charset: str | None


def check_address(url: str, allow_private: bool) -> None:
    """Refuse URLs whose host resolves to a non-public address (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// URLs with a host can be fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(url, f"unreachable: cannot resolve host {parts.hostname!r} ({exc.strerror})") from exc
    if allow_private:
        return
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified):
            raise FetchError(url, f"refused: host {parts.hostname!r} resolves to the non-public "
                                  f"address {ip} (pass --allow-private to fetch it anyway)")


def fetch_url(url: str, *, max_bytes: int, timeout: float = 15.0, allow_private: bool = False) -> Fetched:
    """GET ``url`` and return its body, refusing what is unsafe, too big or not text."""
    headers = {"User-Agent": "sitrep/0.1 (+offline news ingest)", "Accept": "text/html,text/plain,"
               "application/json,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1"}
    current = url
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
            for _ in range(_MAX_REDIRECTS + 1):
                check_address(current, allow_private)
                with client.stream("GET", current) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    kind = _KINDS.get(ctype)
                    if kind is None:
                        raise FetchError(url, f"unsupported content type {ctype or 'missing'!r} "
                                              "(expected HTML, plain text, JSON or RSS/Atom)")
                    length = resp.headers.get("content-length")
                    if length and length.isdigit() and int(length) > max_bytes:
                        raise TooLarge(url, f"{int(length):,} bytes is over the {max_bytes:,}-byte cap (--max-bytes)")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise TooLarge(url, f"body is over the {max_bytes:,}-byte cap (--max-bytes)")
                    return Fetched(str(resp.url), bytes(body), kind, resp.charset_encoding)
            raise FetchError(url, f"more than {_MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"unreachable: timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"unreachable: {exc}") from exc
