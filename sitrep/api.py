"""HTTP API over the embedded database (FastAPI; OpenAPI at ``/openapi.json``; Swagger UI
at ``/docs`` only when the ``swagger-ui-bundle`` package is installed, which ships its
assets: nothing is ever loaded from a CDN, so without it ``/docs`` is off).

Every error, whatever raised it (validation, unknown id, auth, a bug), has ONE JSON shape::

    {"error": {"status": 422, "code": "validation_error", "message": "...", "details": [...]}}

An unexpected error is a 500 whose body carries only an ``error_id``; the exception and
its traceback go to the server log under that id (nothing internal reaches the client).
Unknown query parameters are 422 on every endpoint; numbers out of range are 422.

``POST /ingest`` writes to the database and needs a token (``SITREP_API_TOKEN`` or the
``token`` argument of :func:`create_app`), sent as ``Authorization: Bearer <token>``
("Bearer" in any case) or ``X-Sitrep-Token``; a 401 carries ``WWW-Authenticate``.
Without a configured token, ingestion over HTTP is disabled. The token and the body size
(``max_body_bytes``, 413 beyond it) are checked by :mod:`sitrep.api_guard` before the
body is read; the same layer checks the Host header and adds the security headers.

DuckDB connections are not thread-safe; FastAPI runs sync endpoints in a thread pool,
so every store access goes through one lock (queries here take milliseconds). Reads go
to the snapshot the app's writer publishes after each committed round, writes to the
database itself (:class:`Database`; docs/live.md), so an ingest never blocks a read.

Layout: one ``APIRouter`` per resource (events, control, claims + articles + stats, geo,
report, ingest, live: changes + health + status, dashboard); :func:`create_app` opens the store, installs the error
handlers and includes the routers. Endpoints reach the store through the
:class:`Database` dependency (``app.state.db``).

Events, control and the report take ``min_confidence`` (default
:data:`sitrep.confidence.DEFAULT_MIN_CONFIDENCE`; 0 shows everything): events whose
calibrated confidence is below it are left out, and so are the control changes that
rest only on such events.

(No ``from __future__ import annotations`` here: FastAPI resolves the dependency
annotations at runtime.)
"""


import dataclasses
import datetime as dt
import json
import logging
import os
import re
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__
from sitrep.api_guard import (
    DEFAULT_MAX_BODY,
    GuardConfig,
    HttpGuard,
    check_token,
    error_body,
    security_headers,
)
from sitrep.confidence import DEFAULT_MIN_CONFIDENCE
from sitrep.errors import ConfigError
from sitrep.model import ControlState, Event, to_dict
from sitrep.profile import active_profile, bind_profile
from sitrep.store import EventFilter, Store, snapshot_path
from sitrep.watch import Watcher, Writer

__all__ = ["create_app", "reject_unknown_params"]

WEB_DIR = Path(__file__).parent / "web" / "static"
MAX_PAGE = 10_000
#: the largest offset a client may ask for (DuckDB's OFFSET is a signed 64-bit integer)
MAX_OFFSET = 2**62
log = logging.getLogger("sitrep.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers


def _error(status: int, code: str, message: str, details: Any = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status,
                        headers=headers)


class ArticleIn(BaseModel):
    """One article posted as JSON (``text`` or ``html`` required)."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)


class Database:
    """One writer, many readers (docs/live.md): the app is its database's only writer
    (:class:`sitrep.watch.Writer`, used by ``POST /ingest`` and the watcher); every read
    goes to the read-only snapshot the writer publishes after each committed round, so
    reads never wait for an ingest and never see half of one. Each connection sits
    behind its lock (DuckDB connections are not thread-safe)."""

    def __init__(self, path: str) -> None:
        self.writer = Writer(path)
        self.lock = threading.RLock()  # the reader's
        self.reader = Store(snapshot_path(path), read_only=True)
        self.writer.on_publish(self._reopen)

    @contextmanager
    def locked(self) -> Iterator[Store]:
        """The latest published snapshot, for reading."""
        with self.lock:
            yield self.reader

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The database, for writing; published to the readers on the way out."""
        with self.writer.writing() as store:
            yield store

    def _reopen(self, path: str) -> None:
        # closed before reopening: DuckDB hands a second connect() to an open path the
        # same (old) database instance
        with self.lock:
            self.reader.close()
            self.reader = Store(path, read_only=True)

    def close(self) -> None:
        with self.lock:
            self.reader.close()
        self.writer.close()


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Db = Annotated[Database, Depends(_db)]
MinConfidence = Annotated[float, Query(
    ge=0.0, le=1.0, description="Leave out events whose calibrated confidence is below this "
    f"(and control changes resting only on them); 0 shows everything. "
    f"Default {DEFAULT_MIN_CONFIDENCE}.")]


# ---------------------------------------------------------------- errors: one shape
def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "payload_too_large"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail),
                      headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        where = ", ".join(f"{'.'.join(map(str, d['loc']))}: {d['msg']}" for d in details)
        return _error(422, "validation_error", f"invalid request: {where}", details)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", error_id, request.method, request.url.path,
                  exc_info=exc)
        return _error(500, "internal_error",
                      f"internal error (id {error_id}); the details are in the server log",
                      {"error_id": error_id}, headers=security_headers())


def reject_unknown_params(request: Request) -> None:
    """422 for a query parameter the endpoint does not take (a typo must not be ignored)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _query_names(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ApiError(422, "unknown_filter", f"unknown parameter(s): {', '.join(unknown)}; "
                       f"allowed: {', '.join(sorted(allowed)) or 'none'}")


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(route: APIRoute) -> frozenset[str]:
    key = id(route)
    if key not in _QUERY_NAMES:
        names: set[str] = set()
        todo = [route.dependant]
        while todo:
            dep = todo.pop()
            names |= {p.alias for p in dep.query_params}
            todo += dep.dependencies
        _QUERY_NAMES[key] = frozenset(names)
    return _QUERY_NAMES[key]


# ---------------------------------------------------------------- dependencies
def event_filter(
    date_from: Annotated[dt.date | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="YYYY-MM-DD")] = None,
    admin1: str | None = None,
    type: Annotated[str | None, Query(description="ACLED event_type")] = None,  # noqa: A002
    sub_type: Annotated[str | None, Query(description="ACLED sub_event_type")] = None,
    actor: str | None = None,
    min_sources: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
    status: Literal["reported", "claimed", "disputed", "denied"] | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    sort: Literal["date", "-date", "n_sources", "-n_sources", "fatalities", "-fatalities"] = "-date",
) -> EventFilter:
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "validation_error", f"'from' ({date_from}) is after 'to' ({date_to})")
    return EventFilter(date_from=date_from, date_to=date_to, admin1=admin1, event_type=type,
                       sub_event_type=sub_type, actor=actor, min_sources=min_sources,
                       min_confidence=min_confidence, status=status, limit=limit,
                       offset=offset, sort=sort)


def require_token(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_sitrep_token: Annotated[str | None, Header()] = None,
) -> None:
    """The same check as :class:`sitrep.api_guard.HttpGuard` (which runs first, before
    the body is read); kept here so the route is safe even without the guard."""
    refusal = check_token(request.app.state.token, authorization, x_sitrep_token)
    if refusal:
        raise ApiError(refusal.status, refusal.code, refusal.message, headers=refusal.headers)


# ---------------------------------------------------------------- events
events_router = APIRouter(tags=["events"])


@events_router.get("/events", summary="Events, filtered, sorted and paginated")
def list_events(
    db: Db,
    f: Annotated[EventFilter, Depends(event_filter)],
    view: Annotated[Literal["full", "summary"], Query(
        description="full: whole events with evidence; summary: flat rows for maps/tables")] = "full",
) -> dict[str, Any]:
    with db.locked() as st:
        items = st.event_summaries(f) if view == "summary" else [_event_json(e) for e in st.get_events(f)]
        total = st.count_events(f)
    return {"total": total, "limit": f.limit, "offset": f.offset,
            "min_confidence": f.min_confidence, "items": items}


@events_router.get("/events/{event_id}", summary="One event with every mention")
def get_event(db: Db, event_id: str) -> dict[str, Any]:
    with db.locked() as st:
        event = st.get_event(event_id)
        if event is None:
            raise ApiError(404, "not_found", f"no event with id {event_id!r}")
        mentions = st.get_mentions(ids=event.mention_ids)
        articles = {a.id: a for a in st.get_articles({m.article_id for m in mentions})}
    out = _event_json(event)
    out["mentions"] = [
        {
            "id": m.id, "article_id": m.article_id,
            "outlet": articles[m.article_id].outlet if m.article_id in articles else None,
            "url": articles[m.article_id].url if m.article_id in articles else None,
            "title": articles[m.article_id].title if m.article_id in articles else None,
            "published": _iso(articles[m.article_id].published) if m.article_id in articles else None,
            "quote": m.sentence.text, "start": m.sentence.start, "end": m.sentence.end,
            "trigger": to_dict(m.trigger), "sub_event_type": m.sub_event_type,
            "modality": m.modality, "attribution": m.attribution, "confidence": m.confidence,
        }
        for m in mentions
    ]
    return out


@events_router.get("/stats", summary="Event counts by day, type and province")
def stats(db: Db, f: Annotated[EventFilter, Depends(event_filter)]) -> dict[str, Any]:
    with db.locked() as st:
        events = st.get_events(dataclasses.replace(f, limit=None, offset=0))
        n_articles, n_claims = st.count("articles"), st.count("claims")
    by_day: Counter[str] = Counter()
    by_day_type: dict[str, Counter[str]] = {}
    for e in events:
        day = e.date.start.isoformat()
        by_day[day] += 1
        by_day_type.setdefault(day, Counter())[e.event_type] += 1
    return {
        "events": len(events), "articles": n_articles, "claims": n_claims,
        "by_day": dict(sorted(by_day.items())),
        "by_day_type": {d: dict(c) for d, c in sorted(by_day_type.items())},
        "by_type": dict(Counter(e.event_type for e in events).most_common()),
        "by_sub_type": dict(Counter(e.sub_event_type for e in events).most_common()),
        "by_admin1": dict(Counter(e.place.admin1 for e in events
                                  if e.place and e.place.admin1).most_common()),
    }


# ---------------------------------------------------------------- control
control_router = APIRouter(tags=["control"])


@control_router.get("/control", summary="Control state per unit as of a date")
def control(db: Db,
            as_of: Annotated[dt.date | None, Query(description="YYYY-MM-DD; default: latest")] = None,
            min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    with db.locked() as st:
        states = st.get_control(as_of or dt.date.max, min_confidence=min_confidence)
    return {"as_of": _iso(as_of), "items": [_control_json(s) for s in states]}


@control_router.get("/control/{unit_id}/history", summary="Every change of one unit")
def control_history(db: Db, unit_id: str,
                    min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    with db.locked() as st:
        states = st.control_history(unit_id, min_confidence=min_confidence)
    if not states:
        raise ApiError(404, "not_found", f"no control history for unit {unit_id!r}")
    return {"unit_id": unit_id, "items": [_control_json(s) for s in states]}


@control_router.get("/control/changes", summary="Control changes in a period")
def control_changes(db: Db,
                    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
                    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
                    min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    with db.locked() as st:
        states = st.get_control(min_confidence=min_confidence)
    items = [_control_json(s) for s in states
             if (date_from is None or s.date >= date_from) and (date_to is None or s.date <= date_to)]
    return {"items": items}


# ---------------------------------------------------------------- claims, articles
records_router = APIRouter()


@records_router.get("/claims", tags=["claims"], summary="Claims ledger (never confirmed facts)")
def claims(db: Db) -> dict[str, Any]:
    with db.locked() as st:
        items = st.get_claims()
    return {"items": [to_dict(c) for c in items]}


@records_router.get("/articles/{article_id}", tags=["articles"],
                    summary="One article with its clean text")
def article(db: Db, article_id: str) -> dict[str, Any]:
    with db.locked() as st:
        a = st.get_article(article_id)
    if a is None:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    return dict(to_dict(a))


# ---------------------------------------------------------------- geography for the dashboard
geo_router = APIRouter(tags=["geo"])
_GEO_CACHE: dict[str, bytes] = {}


def units_geojson(level: Literal["province", "district"]) -> bytes:
    """Province or district polygons, serialised once per process (shipped data)."""
    from sitrep.resolve.places import Gazetteer

    gaz = Gazetteer.default()  # the active profile's polygons
    key = f"{gaz.directory}:{level}"
    if key not in _GEO_CACHE:
        _GEO_CACHE[key] = json.dumps(gaz.units_geojson(level)).encode()
    return _GEO_CACHE[key]


@geo_router.get("/geo/units", summary="Province or district polygons (GeoJSON)")
def units(level: Literal["province", "district"] = "province") -> Response:
    return Response(units_geojson(level), media_type="application/geo+json",
                    headers={"Cache-Control": "max-age=3600"})


@geo_router.get("/profile", summary="The conflict profile: sides, colours, unit names, map")
def profile_info() -> dict[str, Any]:
    """The database's conflict profile (:mod:`sitrep.profile`): its countries, the sides
    and states of the control map with their labels and colours (the dashboard's legend),
    what it calls each unit level (province / oblast) and the map's default view."""
    return active_profile().describe()


# ---------------------------------------------------------------- report
report_router = APIRouter(tags=["report"])


@report_router.get("/report", summary="Situation report (Markdown or HTML)")
def report(db: Db, region: str | None = None,
           date_from: Annotated[dt.date | None, Query(alias="from")] = None,
           date_to: Annotated[dt.date | None, Query(alias="to")] = None,
           format: Literal["md", "html"] = "html",  # noqa: A002
           min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE) -> Response:
    from sitrep.report import build_report, render_html, render_markdown

    with db.locked() as st:
        rep = build_report(st, region=region, date_from=date_from, date_to=date_to,
                           min_confidence=min_confidence)
    if format == "md":
        return PlainTextResponse(render_markdown(rep), media_type="text/markdown")
    return HTMLResponse(render_html(rep))


# ---------------------------------------------------------------- ingest (token)
ingest_router = APIRouter(tags=["ingest"], dependencies=[Depends(require_token)])


@ingest_router.post("/ingest", summary="Add articles (JSON) and update events")
def ingest_json(db: Db, payload: Annotated[IngestIn, Body()]) -> dict[str, Any]:
    """Failures name the posted item as ``articles[i]`` (its index in the request)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posted.jsonl"
        path.write_text("\n".join(json.dumps(a.model_dump(exclude_none=True)) for a in payload.articles),
                        encoding="utf-8")
        line = re.compile(re.escape(str(path)) + r"#(\d+)")
        return _run(db, path, [(line, lambda m: f"articles[{int(m.group(1)) - 1}]"),
                               (re.compile(re.escape(str(path))), lambda m: "articles")],
                    stored_as=((str(path), "posted"),))


@ingest_router.post("/ingest/files", summary="Add article files and update events")
def ingest_files(db: Db, files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
    """Failures name each upload by the file name the client sent."""
    with tempfile.TemporaryDirectory() as tmp:
        names: dict[str, str] = {}
        for i, upload in enumerate(files):
            name = Path(upload.filename or f"upload-{i}.txt").name
            stored = Path(tmp) / f"{i:04d}-{name}"
            stored.write_bytes(upload.file.read())
            names[str(stored)] = name
        by_path = re.compile("|".join(re.escape(p) for p in sorted(names, key=len, reverse=True)))
        return _run(db, Path(tmp), [(by_path, lambda m: names[m.group(0)]),
                                    (re.compile(re.escape(tmp)), lambda m: "uploads")],
                    stored_as=tuple(names.items()))


def _run(db: Database, path: Path, rename: list[tuple[re.Pattern[str], Any]],
         stored_as: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Run the pipeline on the posted files; server paths in the failures are replaced
    by the client-facing names ``rename`` gives them, and the stored articles' sources
    by ``stored_as`` (``posted#3``, the uploaded file's name): no temp path is kept."""
    from sitrep.ingest import IngestOptions
    from sitrep.pipeline import RunOptions, run

    with db.writing() as st:
        summary = run([str(path)], st, RunOptions(ingest=IngestOptions(source_names=stored_as)))
    out = dict(to_dict(summary))
    for failure in out.get("failures", []):
        for key in ("source", "reason"):
            text = str(failure.get(key) or "")
            for pattern, name in rename:
                text = pattern.sub(name, text)
            failure[key] = text
    return out


# ---------------------------------------------------------------- live: changes, health, status
live_router = APIRouter(tags=["live"])


@live_router.get("/changes", summary="New and updated events and control changes since a moment")
def changes(db: Db,
            since: Annotated[str | None, Query(description="A duration back from now (30m, 2h, 1d) "
                                               "or an ISO date-time (UTC unless an offset is given); "
                                               "default 24h. Ask again with the answer's as_of.")] = None,
            after_seq: Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description=
                                                   "Only change-log entries after this sequence number")] = None,
            limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> dict[str, Any]:
    from sitrep.changes import change_report, parse_since
    from sitrep.errors import InputError

    try:
        moment = parse_since(since or "24h") if since or after_seq is None else None
    except InputError as exc:
        raise ApiError(422, "validation_error", f"since: {exc.reason}") from None
    with db.locked() as st:
        return change_report(st, moment, after_seq=after_seq, limit=limit)


@live_router.get("/health", summary="Liveness: the process answers")
def health() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@live_router.get("/status", summary="Sources, last batch, queue, database size, snapshot")
def status(request: Request, db: Db) -> dict[str, Any]:
    from sitrep.changes import iso_utc

    watcher = request.app.state.watcher
    with db.locked() as st:
        seq, at = st.last_change()
        counts = {t: st.count(t) for t in ("articles", "events", "control", "claims")}
    out: dict[str, Any] = {
        "version": __version__,
        "snapshot": {"version": db.writer.version, "last_seq": seq, "last_change_at": iso_utc(at),
                     "published_at": iso_utc(db.writer.published_at),
                     "publish_seconds": db.writer.publish_seconds, **counts},
        "watch": watcher.status_json() if watcher is not None else None,
    }
    if watcher is None:
        path = Path(db.writer.path)
        out["database"] = {"path": str(path), "bytes": path.stat().st_size if path.exists() else None}
    else:
        out["database"] = out["watch"]["database"]
    return out


# ---------------------------------------------------------------- dashboard
dashboard_router = APIRouter(include_in_schema=False)


@dashboard_router.get("/")
def index() -> Response:
    page = WEB_DIR / "index.html"
    if not page.exists():
        raise ApiError(404, "not_found", "the dashboard is not built into this installation")
    return FileResponse(page)


def _swagger_assets() -> Path | None:
    """Swagger UI's files from the ``swagger-ui-bundle`` package (optional), else None."""
    try:
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def _install_docs(app: FastAPI) -> None:
    """``/docs`` from the packaged Swagger UI assets (never a CDN); off without them."""
    assets = _swagger_assets()
    if assets is None:
        return
    app.mount("/docs-static", StaticFiles(directory=assets), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="sitrep API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="data:,")


def create_app(db_path: str, *, token: str | None = None, warm: bool = True,
               max_body_bytes: int | None = None,
               allowed_hosts: frozenset[str] | set[str] | None = None,
               profile: str | None = None,
               watch: Callable[[Writer], Watcher] | None = None) -> FastAPI:
    """The API + dashboard app over the database at ``db_path``.

    ``token``: the ingest token (default ``SITREP_API_TOKEN``); ``max_body_bytes``: the
    largest ingest request body (default ``SITREP_MAX_BODY_BYTES`` or 25 MB; 413 beyond);
    ``allowed_hosts``: the Host header names served (None: no check; ``sitrep serve``
    always gives a list, see :func:`sitrep.api_guard.serve_hosts`); ``warm``: load the
    gazetteer at start-up so the dashboard's first render does not wait for it;
    ``profile``: the conflict profile (default: the database's, see :mod:`sitrep.profile`;
    another one than the database's is a ConfigError);
    ``watch``: builds the :class:`~sitrep.watch.Watcher` that polls sources into this
    app's writer from start-up to shutdown (``sitrep serve --watch``)."""
    db = Database(db_path)
    try:
        with db.writing() as store:  # published: readers of the snapshot see the profile too
            bind_profile(store, profile, record=True)
    except ConfigError:
        db.close()
        raise
    watcher = watch(db.writer) if watch is not None else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if watcher is not None:
            watcher.start()
        yield
        if watcher is not None:  # SIGTERM: the batch in progress is finished first
            watcher.stop()
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="sitrep API",
        version=__version__,
        description="Events, territorial control, claims and reports built from conflict news, "
        "each fact linked to its article and character offsets.",
        docs_url=None, redoc_url=None,
    )
    app.state.db = db
    app.state.watcher = watcher
    app.state.token = token if token is not None else os.environ.get("SITREP_API_TOKEN") or None
    if max_body_bytes is None:
        max_body_bytes = int(os.environ.get("SITREP_MAX_BODY_BYTES") or DEFAULT_MAX_BODY)
    _install_error_handlers(app)
    for router in (events_router, control_router, records_router, geo_router, report_router,
                   ingest_router, live_router):
        app.include_router(router, dependencies=[Depends(reject_unknown_params)])
    app.include_router(dashboard_router)
    _install_docs(app)
    app.add_middleware(HttpGuard, config=GuardConfig(  # type: ignore[arg-type]
        token=app.state.token, max_body_bytes=max_body_bytes,
        allowed_hosts=frozenset(allowed_hosts) if allowed_hosts is not None else None))
    if WEB_DIR.exists():
        app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    if warm:  # load the gazetteer and serialise the polygons now, not on the first visit
        units_geojson("province")
        units_geojson("district")
    return app


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _control_json(s: ControlState) -> dict[str, Any]:
    """A control row plus the district it lies in (so maps can colour a polygon)."""
    from sitrep.resolve.places import Gazetteer

    out: dict[str, Any] = dict(to_dict(s))
    place = Gazetteer.default().get(s.unit_id)
    out["admin2_id"] = s.unit_id if s.unit_level == "district" else (place.admin2_id if place else None)
    return out


def _event_json(e: Event) -> dict[str, Any]:
    out: dict[str, Any] = dict(to_dict(e))
    out["date_start"], out["date_end"] = e.date.start.isoformat(), e.date.end.isoformat()
    out["precision"] = e.date.precision
    return out
