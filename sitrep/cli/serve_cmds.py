"""Commands: ``sitrep serve`` (HTTP API + dashboard) and ``sitrep report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitrep.api_guard import DEFAULT_MAX_BODY
from sitrep.cli._app import (
    DbOption,
    MinConfidenceOption,
    ProfileOption,
    app,
    console,
    fail,
    parse_date,
    sitrep_errors,
)
from sitrep.cli.watch_cmds import (
    BatchOption,
    ChangesFileOption,
    LogFormatOption,
    WebhookOption,
    make_watcher,
)
from sitrep.confidence import DEFAULT_MIN_CONFIDENCE
from sitrep.store import DEFAULT_DB


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", envvar="SITREP_ALLOWED_HOSTS",
        help="A Host name clients use to reach the server (repeatable; env: comma-separated). "
             "Loopback names and --host are always allowed; needed with --host 0.0.0.0; "
             "'*' accepts any.")] = None,
    max_body_bytes: Annotated[int, typer.Option(
        "--max-body-bytes", min=1, envvar="SITREP_MAX_BODY_BYTES",
        help="Largest POST /ingest body (413 beyond it).")] = DEFAULT_MAX_BODY,
    profile: ProfileOption = None,
    watch: Annotated[Path | None, typer.Option(
        "--watch", help="Sources file (YAML): poll its feeds, URLs and folders while serving "
                        "(see `sitrep watch`).")] = None,
    batch_size: BatchOption = 32,
    changes_file: ChangesFileOption = None,
    webhook: WebhookOption = None,
    log_format: LogFormatOption = "json",
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json) and the offline dashboard at /.

    The server is the database's one writer; it publishes a read-only snapshot after each
    write, which the API and `sitrep events / report / ...` read meanwhile. With --watch
    it also polls sources; SIGTERM finishes the batch in progress, then exits."""
    import uvicorn

    from sitrep.api import create_app
    from sitrep.api_guard import serve_hosts
    from sitrep.logs import setup_logging

    if not Path(db).exists() and watch is None:
        raise fail(f"{db}: no such database; run `sitrep run PATH...` first")
    if log_format not in ("json", "text"):
        raise fail(f"--log-format {log_format!r}: choose json or text")
    setup_logging(log_format)
    watcher = (make_watcher(watch, batch_size=batch_size, changes_file=changes_file,
                            webhook=webhook) if watch is not None else None)
    names = [n.strip() for value in (allowed_host or []) for n in value.split(",")]
    try:
        hosts = serve_hosts(host, names)
    except ValueError as exc:
        raise fail(str(exc)) from None
    with sitrep_errors():
        application = create_app(db, max_body_bytes=max_body_bytes, allowed_hosts=hosts,
                                 profile=profile, watch=watcher)
    docs = "/docs" if any(getattr(r, "path", "") == "/docs" for r in application.routes) else "/openapi.json"
    console.print(f"Dashboard: http://{host}:{port}/   API: http://{host}:{port}{docs}")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    region: Annotated[str | None, typer.Option(
        help="Admin1 unit (a province, an oblast), e.g. Kandahar.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    out: Annotated[Path, typer.Option(help="Output file: .md (images beside it) or .html (self-contained).")]
    = Path("sitrep-report.html"),
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    profile: ProfileOption = None,
) -> None:
    """Write a situation report for a region and period."""
    from sitrep.profile import bind_profile
    from sitrep.report import build_report, write_report
    from sitrep.store import Store

    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if out.suffix.lower() not in (".md", ".html", ".htm"):
        raise fail(f"{out}: choose a .md or .html file")
    with sitrep_errors(), Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        rep = build_report(store, region=region, date_from=start, date_to=end,
                           min_confidence=min_confidence)
    write_report(rep, out)
    console.print(f"Report written to {out} ({len(rep.events)} events, {len(rep.sources)} sources)")
