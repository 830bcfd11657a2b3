"""The HTTP server's outer guard (one ASGI layer in front of the FastAPI app).

It does, before any route runs:

- **Host check**: with an allowed-hosts list, a request whose ``Host`` header names
  another host is refused (400 ``invalid_host``), which stops DNS-rebinding pages from
  reaching a server bound to loopback or a LAN address. ``sitrep serve`` always passes
  a list (loopback names, the bound host and ``--allowed-host`` names).
- **Ingest gate**: on ``/ingest`` and ``/ingest/files`` the token is checked from the
  headers *before one byte of the body is read* (401/403), then the body is read up to
  ``max_body_bytes`` and refused with 413 as soon as it goes past it (``Content-Length``
  over the limit is refused without reading). The body is then replayed to the route.
- **Security headers** on every response: ``Content-Security-Policy`` (only this
  origin's scripts, no framing, no plugins; inline styles allowed for Leaflet and the
  report's ``<style>``; the Swagger page also allows its inline start-up script),
  ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
  ``Referrer-Policy: no-referrer``.

Refusals use the API's one error shape (``{"error": {...}}``).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CSP", "DOCS_CSP", "LOOPBACK_HOSTS", "security_headers", "AuthRefusal", "GuardConfig", "HttpGuard",
           "bearer_token", "check_token", "error_body", "host_name", "serve_hosts"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the dashboard (vendored Leaflet + app.js), the JSON API and the self-contained report
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: Swagger UI (served from the package) starts with an inline script
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")
DEFAULT_MAX_BODY = 25_000_000
INGEST_PATHS = ("/ingest", "/ingest/files")
WWW_AUTHENTICATE = 'Bearer realm="sitrep"'


@dataclass(frozen=True)
class GuardConfig:
    token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY
    #: None: no Host check (the app as a library / under a test client)
    allowed_hosts: frozenset[str] | None = None
    docs_paths: tuple[str, ...] = field(default=("/docs",))


@dataclass(frozen=True)
class AuthRefusal:
    status: int
    code: str
    message: str

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": WWW_AUTHENTICATE} if self.status == 401 else {}


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of an ``Authorization: Bearer ...`` header (scheme case-insensitive,
    RFC 7235), else None."""
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def check_token(token: str | None, authorization: str | None,
                x_sitrep_token: str | None) -> AuthRefusal | None:
    """Why a write request is refused (None: it may go on)."""
    if not token:
        return AuthRefusal(403, "ingest_disabled",
                           "ingestion over HTTP is disabled: start the server with SITREP_API_TOKEN set")
    sent = (x_sitrep_token or "").strip() or bearer_token(authorization)
    if not sent:
        return AuthRefusal(401, "unauthorized", "missing token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(sent.encode(), token.encode()):
        return AuthRefusal(403, "forbidden", "wrong token")
    return None


def host_name(host_header: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1`` (lower case)."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:].split("]", 1)[0]
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


def serve_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names a server bound to ``bind`` answers to: the loopback names, the bound
    address itself (unless it is a wildcard) and ``extra``. A wildcard bind
    (``0.0.0.0``, ``::``) needs ``extra`` (ValueError otherwise): the names clients use
    cannot be guessed."""
    names = {host_name(x) for x in extra if x.strip()}
    if bind.strip() in WILDCARD_BINDS:
        if not names:
            raise ValueError(f"--host {bind or '(all)'} listens on every interface: name the "
                             "host names clients use with --allowed-host NAME (or "
                             "SITREP_ALLOWED_HOSTS=name1,name2), or '*' to accept any")
    else:
        names.add(host_name(bind))
    return frozenset(names | set(LOOPBACK_HOSTS))


class _TooLarge(Exception):
    pass


def security_headers(csp: str = CSP) -> dict[str, str]:
    """The headers every response carries; a 500 built outside this middleware (Starlette's
    outermost error layer) adds them itself."""
    return {"content-security-policy": csp, "x-content-type-options": "nosniff",
            "x-frame-options": "DENY", "referrer-policy": "no-referrer"}


class HttpGuard:
    """ASGI middleware: Host check, ingest auth + body limit, security headers."""

    def __init__(self, app: ASGIApp, config: GuardConfig) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = DOCS_CSP if path in self.config.docs_paths else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in security_headers(csp).items()
                            if k.encode() not in names]
                message["headers"] = headers
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        allowed = self.config.allowed_hosts
        if allowed is not None and "*" not in allowed:
            host = host_name(headers.get("host", ""))
            if host not in allowed:
                await _respond(send_with_headers, 400, "invalid_host",
                               f"host {host!r} is not served here (allowed: "
                               f"{', '.join(sorted(allowed))}; see --allowed-host)")
                return
        if path.rstrip("/") in INGEST_PATHS:
            refusal = check_token(self.config.token, headers.get("authorization"),
                                  headers.get("x-sitrep-token"))
            if refusal:
                await _respond(send_with_headers, refusal.status, refusal.code, refusal.message,
                               refusal.headers)
                return
            try:
                receive = await self._read_limited(headers, receive)
            except _TooLarge as exc:
                await _respond(send_with_headers, 413, "payload_too_large", str(exc))
                return
        await self.app(scope, receive, send_with_headers)

    async def _read_limited(self, headers: dict[str, str], receive: Receive) -> Receive:
        """Read the whole body (at most ``max_body_bytes``) and return a receive that
        replays it."""
        limit = self.config.max_body_bytes
        too_large = (f"request body over the {limit:,}-byte limit (server option "
                     "--max-body-bytes / SITREP_MAX_BODY_BYTES)")
        declared = headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            raise _TooLarge(too_large)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return _replay([message], receive)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge(too_large)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        return _replay([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _respond(send: Send, status: int, code: str, message: str,
                   extra_headers: dict[str, str] | None = None) -> None:
    body = json.dumps(error_body(status, code, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra_headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
