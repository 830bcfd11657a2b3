"""HTTP API over the embedded database (FastAPI; OpenAPI at ``/openapi.json``, docs at ``/docs``).

Every error, whatever raised it (validation, unknown id, auth, a bug), has ONE JSON shape::

    {"error": {"status": 422, "code": "validation_error", "message": "...", "details": [...]}}

``POST /ingest`` writes to the database and needs a token (``SITREP_API_TOKEN`` or the
``token`` argument of :func:`create_app`), sent as ``Authorization: Bearer <token>``
or ``X-Sitrep-Token``. Without a configured token, ingestion over HTTP is disabled.

DuckDB connections are not thread-safe; FastAPI runs sync endpoints in a thread pool,
so every store access goes through one lock (queries here take milliseconds).

(No ``from __future__ import annotations`` here: FastAPI resolves the dependency
annotations of the closures in :func:`create_app` at runtime.)
"""


import dataclasses
import datetime as dt
import hmac
import json
import os
import tempfile
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__
from sitrep.model import ControlState, Event, to_dict
from sitrep.store import EventFilter, Store

__all__ = ["create_app"]

WEB_DIR = Path(__file__).parent / "web" / "static"
MAX_PAGE = 10_000
_EVENT_PARAMS = {"from", "to", "admin1", "type", "sub_type", "actor", "min_sources", "status",
                 "limit", "offset", "sort", "view"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


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


def create_app(db_path: str, *, token: str | None = None, warm: bool = True) -> FastAPI:
    """The API + dashboard app over the database at ``db_path`` (``warm``: load the
    gazetteer at start-up so the dashboard's first render does not wait for it)."""
    token = token if token is not None else os.environ.get("SITREP_API_TOKEN") or None
    store = Store(db_path)
    lock = threading.RLock()

    @contextmanager
    def locked() -> Iterator[Store]:
        with lock:
            yield store

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="sitrep API",
        version=__version__,
        description="Events, territorial control, claims and reports built from conflict news, "
        "each fact linked to its article and character offsets.",
    )
    app.state.store = store

    # ------------------------------------------------------------ errors: one shape
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        where = ", ".join(f"{'.'.join(map(str, d['loc']))}: {d['msg']}" for d in details)
        return _error(422, "validation_error", f"invalid request: {where}", details)

    @app.exception_handler(Exception)
    async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal_error", f"{type(exc).__name__}: {exc}")

    # ------------------------------------------------------------ dependencies
    def event_filter(
        request: Request,
        date_from: Annotated[dt.date | None, Query(alias="from", description="YYYY-MM-DD")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to", description="YYYY-MM-DD")] = None,
        admin1: str | None = None,
        type: Annotated[str | None, Query(description="ACLED event_type")] = None,  # noqa: A002
        sub_type: Annotated[str | None, Query(description="ACLED sub_event_type")] = None,
        actor: str | None = None,
        min_sources: Annotated[int | None, Query(ge=1)] = None,
        status: Literal["reported", "claimed", "disputed", "denied"] | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Literal["date", "-date", "n_sources", "-n_sources", "fatalities", "-fatalities"] = "-date",
    ) -> EventFilter:
        unknown = sorted(set(request.query_params) - _EVENT_PARAMS)
        if unknown:
            raise ApiError(422, "unknown_filter", f"unknown filter(s): {', '.join(unknown)}; "
                           f"allowed: {', '.join(sorted(_EVENT_PARAMS))}")
        if date_from and date_to and date_from > date_to:
            raise ApiError(422, "validation_error", f"'from' ({date_from}) is after 'to' ({date_to})")
        return EventFilter(date_from=date_from, date_to=date_to, admin1=admin1, event_type=type,
                           sub_event_type=sub_type, actor=actor, min_sources=min_sources,
                           status=status, limit=limit, offset=offset, sort=sort)

    def require_token(
        authorization: Annotated[str | None, Header()] = None,
        x_sitrep_token: Annotated[str | None, Header()] = None,
    ) -> None:
        if not token:
            raise ApiError(403, "ingest_disabled",
                           "ingestion over HTTP is disabled: start the server with SITREP_API_TOKEN set")
        sent = x_sitrep_token or (authorization or "").removeprefix("Bearer ").strip()
        if not sent:
            raise ApiError(401, "unauthorized", "missing token: send 'Authorization: Bearer <token>'")
        if not hmac.compare_digest(sent.encode(), token.encode()):
            raise ApiError(403, "forbidden", "wrong token")

    # ------------------------------------------------------------ events
    @app.get("/events", tags=["events"], summary="Events, filtered, sorted and paginated")
    def list_events(
        f: Annotated[EventFilter, Depends(event_filter)],
        view: Annotated[Literal["full", "summary"], Query(
            description="full: whole events with evidence; summary: flat rows for maps/tables")] = "full",
    ) -> dict[str, Any]:
        with locked() as st:
            items = st.event_summaries(f) if view == "summary" else [_event_json(e) for e in st.get_events(f)]
            total = st.count_events(f)
        return {"total": total, "limit": f.limit, "offset": f.offset, "items": items}

    @app.get("/events/{event_id}", tags=["events"], summary="One event with every mention")
    def get_event(event_id: str) -> dict[str, Any]:
        with locked() as st:
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

    # ------------------------------------------------------------ control
    @app.get("/control", tags=["control"], summary="Control state per unit as of a date")
    def control(as_of: Annotated[dt.date | None, Query(description="YYYY-MM-DD; default: latest")] = None,
                ) -> dict[str, Any]:
        with locked() as st:
            states = st.get_control(as_of or dt.date.max)
        return {"as_of": _iso(as_of), "items": [_control_json(s) for s in states]}

    @app.get("/control/{unit_id}/history", tags=["control"], summary="Every change of one unit")
    def control_history(unit_id: str) -> dict[str, Any]:
        with locked() as st:
            states = st.control_history(unit_id)
        if not states:
            raise ApiError(404, "not_found", f"no control history for unit {unit_id!r}")
        return {"unit_id": unit_id, "items": [_control_json(s) for s in states]}

    @app.get("/control/changes", tags=["control"], summary="Control changes in a period")
    def control_changes(date_from: Annotated[dt.date | None, Query(alias="from")] = None,
                        date_to: Annotated[dt.date | None, Query(alias="to")] = None) -> dict[str, Any]:
        with locked() as st:
            states = st.get_control()
        items = [_control_json(s) for s in states
                 if (date_from is None or s.date >= date_from) and (date_to is None or s.date <= date_to)]
        return {"items": items}

    # ------------------------------------------------------------ claims, articles, stats
    @app.get("/claims", tags=["claims"], summary="Claims ledger (never confirmed facts)")
    def claims() -> dict[str, Any]:
        with locked() as st:
            items = st.get_claims()
        return {"items": [to_dict(c) for c in items]}

    @app.get("/articles/{article_id}", tags=["articles"], summary="One article with its clean text")
    def article(article_id: str) -> dict[str, Any]:
        with locked() as st:
            a = st.get_article(article_id)
        if a is None:
            raise ApiError(404, "not_found", f"no article with id {article_id!r}")
        return dict(to_dict(a))

    @app.get("/stats", tags=["events"], summary="Event counts by day, type and province")
    def stats(f: Annotated[EventFilter, Depends(event_filter)]) -> dict[str, Any]:
        with locked() as st:
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

    # ------------------------------------------------------------ geography for the dashboard
    geo_cache: dict[str, bytes] = {}

    @app.get("/geo/units", tags=["geo"], summary="Province or district polygons (GeoJSON)")
    def units(level: Literal["province", "district"] = "province") -> Response:
        from sitrep.resolve.places import Gazetteer

        if level not in geo_cache:  # shipped data: serialise once per process
            geo_cache[level] = json.dumps(Gazetteer.default().units_geojson(level)).encode()
        return Response(geo_cache[level], media_type="application/geo+json",
                        headers={"Cache-Control": "max-age=3600"})

    # ------------------------------------------------------------ report
    @app.get("/report", tags=["report"], summary="Situation report (Markdown or HTML)")
    def report(region: str | None = None,
               date_from: Annotated[dt.date | None, Query(alias="from")] = None,
               date_to: Annotated[dt.date | None, Query(alias="to")] = None,
               format: Literal["md", "html"] = "html") -> Response:  # noqa: A002
        from sitrep.report import build_report, render_html, render_markdown

        with locked() as st:
            rep = build_report(st, region=region, date_from=date_from, date_to=date_to)
        if format == "md":
            return PlainTextResponse(render_markdown(rep), media_type="text/markdown")
        return HTMLResponse(render_html(rep))

    # ------------------------------------------------------------ ingest (token)
    @app.post("/ingest", tags=["ingest"], summary="Add articles (JSON) and update events",
              dependencies=[Depends(require_token)])
    def ingest_json(payload: Annotated[IngestIn, Body()]) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "posted.jsonl"
            path.write_text("\n".join(json.dumps(a.model_dump(exclude_none=True)) for a in payload.articles),
                            encoding="utf-8")
            return _run(path)

    @app.post("/ingest/files", tags=["ingest"], summary="Add article files and update events",
              dependencies=[Depends(require_token)])
    def ingest_files(files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as tmp:
            for i, upload in enumerate(files):
                name = Path(upload.filename or f"upload-{i}.txt").name
                (Path(tmp) / f"{i:04d}-{name}").write_bytes(upload.file.read())
            return _run(Path(tmp))

    def _run(path: Path) -> dict[str, Any]:
        from sitrep.pipeline import run

        with locked() as st:
            summary = run([str(path)], st)
        return dict(to_dict(summary))

    # ------------------------------------------------------------ dashboard
    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = WEB_DIR / "index.html"
        if not page.exists():
            raise ApiError(404, "not_found", "the dashboard is not built into this installation")
        return FileResponse(page)

    if WEB_DIR.exists():
        app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    if warm:  # load the gazetteer and serialise the polygons now, not on the first visit
        units("province")
        units("district")
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
