"""Commands: ``sitrep watch`` (poll sources into the database) and ``sitrep changes``.

``sitrep serve --watch SOURCES`` runs the same watcher inside the server
(:func:`make_watcher`); docs/live.md explains the one-writer, many-readers design.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from sitrep.cli._app import (
    EXIT_OK,
    EXIT_PARTIAL,
    DbOption,
    app,
    check_format,
    fail,
    print_rows,
    sitrep_errors,
)
from sitrep.store import DEFAULT_DB

#: ``--log-format`` of the long-running commands
LogFormatOption = Annotated[str, typer.Option(
    "--log-format", envvar="SITREP_LOG_FORMAT",
    help="Logs on stderr: json (one object per line, for journald/jq) or text.")]
ChangesFileOption = Annotated[Path | None, typer.Option(
    "--changes-file", help="Append each change (new/updated event, control change) as a JSON line.")]
WebhookOption = Annotated[str | None, typer.Option(
    "--webhook", envvar="SITREP_WEBHOOK", help="POST each change as JSON to this URL.")]
BatchOption = Annotated[int, typer.Option("--batch-size", min=1, help="Articles per committed batch.")]


def make_watcher(sources: Path, *, batch_size: int = 32, changes_file: Path | None = None,
                 webhook: str | None = None) -> Callable[[Any], Any]:
    """The sources file read and checked now; returns ``writer -> Watcher``."""
    from sitrep.watch import Watcher, load_sources

    with sitrep_errors():
        config = load_sources(sources)

    def build(writer: Any) -> Watcher:
        return Watcher(config, writer, batch_size=batch_size,
                       changes_file=str(changes_file) if changes_file else None, webhook=webhook)

    return build


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(help="Sources file (YAML): feeds, URLs, folders.")],
    db: DbOption = DEFAULT_DB,
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, then exit.")] = False,
    batch_size: BatchOption = 32,
    changes_file: ChangesFileOption = None,
    webhook: WebhookOption = None,
    log_format: LogFormatOption = "json",
) -> None:
    """Poll feeds, URLs and folders on a schedule and analyse what is new.

    This process is the database's one writer: it publishes a read-only snapshot after
    each round, so `sitrep events / control / claims / report / articles / changes` keep
    working beside it. SIGTERM or Ctrl-C finishes the batch in progress and exits."""
    from sitrep.logs import setup_logging
    from sitrep.watch import Writer

    if log_format not in ("json", "text"):
        raise fail(f"--log-format {log_format!r}: choose json or text")
    setup_logging(log_format)
    build = make_watcher(sources, batch_size=batch_size, changes_file=changes_file, webhook=webhook)
    with sitrep_errors():
        writer = Writer(db)
    watcher = build(writer)
    try:
        if once:
            watcher.poll_round()
            failed = [s for s in watcher.status.values() if s.last_error and s.failures]
            raise typer.Exit(EXIT_PARTIAL if failed else EXIT_OK)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: watcher.stop_event.set())
        watcher.run_forever()
    finally:
        writer.close()


CHANGE_COLUMNS = ["at", "kind", "date", "what", "place", "changed", "n_sources", "outlets", "id"]


def _row(item: dict[str, Any]) -> dict[str, Any]:
    """One change as a flat row for the table / CSV."""
    if item.get("event_id"):
        what = item.get("sub_event_type") or ""
        if item.get("actor1"):
            what += f": {item['actor1']}" + (f" v {item['actor2']}" if item.get("actor2") else "")
        place = ", ".join(p for p in (item.get("location"), item.get("admin1")) if p)
        ident = item["event_id"]
    else:
        what = f"{item.get('previous') or '?'} -> {item.get('controller')}"
        place = ", ".join(p for p in (item.get("unit_name"), item.get("admin1")) if p)
        ident = item.get("unit_id")
    changed = "; ".join(f"{k} {v[0]}->{v[1]}" for k, v in (item.get("changed") or {}).items())
    outlets = sorted({s.get("outlet") or "?" for s in item.get("sources") or []})
    return {"at": item["at"], "kind": item["kind"], "date": item.get("date"), "what": what,
            "place": place, "changed": changed, "n_sources": item.get("n_sources"),
            "outlets": outlets, "id": ident, "sources": item.get("sources")}


@app.command()
def changes(
    since: Annotated[str, typer.Option(
        "--since", help="A duration back from now (30m, 2h, 1d) or an ISO date-time (UTC "
                        "unless an offset is given).")] = "24h",
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl or json.")] = "table",
) -> None:
    """What changed since a moment: new and updated events, control changes, with sources.

    Updated means more reports or sources, a new status (claimed -> reported, disputed)
    or revised fatalities. Works while `sitrep serve` / `sitrep watch` write (it reads
    their snapshot). --format json adds as_of: pass it as the next --since."""
    from sitrep.changes import change_report, parse_since
    from sitrep.store import Store

    check_format(fmt, ("table", "csv", "jsonl", "json"))
    with sitrep_errors():
        moment = parse_since(since)
        with Store(db, read_only=True) as store:
            report = change_report(store, moment)
    if fmt == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for item in report["items"]:
            typer.echo(json.dumps(item, ensure_ascii=False, default=str))
    else:
        print_rows([_row(i) for i in report["items"]], fmt, CHANGE_COLUMNS,
                   title=f"Changes since {report['since']} (as of {report['as_of'] or '-'})",
                   drop=("id", "outlets", "changed"))
