"""Commands: ``sitrep serve`` (HTTP API + dashboard) and ``sitrep report``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._app import EXIT_ERROR, DbOption, app, console, err_console
from sitrep.store import DEFAULT_DB


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the offline dashboard at /."""
    import uvicorn

    from sitrep.api import create_app
    from sitrep.errors import StoreError

    if not Path(db).exists():
        err_console.print(f"[red]error[/red] {db}: no such database; run `sitrep run PATH...` first")
        raise typer.Exit(EXIT_ERROR)
    try:
        application = create_app(db)
    except StoreError as exc:
        err_console.print(f"[red]error[/red] {exc}")
        raise typer.Exit(EXIT_ERROR) from exc
    console.print(f"Dashboard: http://{host}:{port}/   API docs: http://{host}:{port}/docs")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    region: Annotated[str | None, typer.Option(help="Province (admin1), e.g. Kandahar.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    out: Annotated[Path, typer.Option(help="Output file: .md (images beside it) or .html (self-contained).")]
    = Path("sitrep-report.html"),
) -> None:
    """Write a situation report for a region and period."""
    from sitrep.errors import StoreError
    from sitrep.report import build_report, write_report
    from sitrep.store import Store

    try:
        start = dt.date.fromisoformat(date_from) if date_from else None
        end = dt.date.fromisoformat(date_to) if date_to else None
    except ValueError as exc:
        err_console.print(f"[red]error[/red] --from/--to: {exc} (use YYYY-MM-DD)")
        raise typer.Exit(EXIT_ERROR) from exc
    if out.suffix.lower() not in (".md", ".html", ".htm"):
        err_console.print(f"[red]error[/red] {out}: choose a .md or .html file")
        raise typer.Exit(EXIT_ERROR)
    try:
        store = Store(db, read_only=True)
    except StoreError as exc:
        err_console.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_ERROR) from exc
    with store:
        rep = build_report(store, region=region, date_from=start, date_to=end)
    write_report(rep, out)
    console.print(f"Report written to {out} ({len(rep.events)} events, {len(rep.sources)} sources)")
