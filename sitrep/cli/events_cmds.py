"""``sitrep run``, ``sitrep events`` and ``sitrep control``: the pipeline and the two
datasets it builds (thin wrappers over :mod:`sitrep.pipeline`, the store and
:mod:`sitrep.export`).

``events`` and ``control`` take ``--min-confidence`` (default
:data:`sitrep.confidence.DEFAULT_MIN_CONFIDENCE`): events below it are hidden, and a
control change resting only on such events is left out (``--as-of`` then shows the
unit's previous state); a kept change lists only its events at or above it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sitrep.cli._app import (
    DEFAULT_DB_PATH,
    EXIT_ERROR,
    EXIT_PARTIAL,
    DbOption,
    MinConfidenceOption,
    ProfileOption,
    app,
    check_format,
    console,
    emit,
    err_console,
    fail,
    parse_date,
    print_rows,
    report_failures,
    sitrep_errors,
)
from sitrep.confidence import DEFAULT_MIN_CONFIDENCE
from sitrep.model import Event
from sitrep.profile import bind_profile
from sitrep.store import EventFilter

__all__ = ["CONTROL_TABLE_COLUMNS", "EVENT_TABLE_COLUMNS", "TOP_EVENT_COLUMNS", "control_cmd",
           "events_cmd", "list_events", "run_cmd"]

EVENT_TABLE_COLUMNS = ["id", "date_start", "date_end", "sub_event_type", "actor1", "actor2",
                       "location", "admin1", "fatalities", "status", "n_sources", "sources",
                       "confidence"]
TOP_EVENT_COLUMNS = ["date_start", "sub_event_type", "location", "admin1", "status",
                     "n_sources"]
CONTROL_TABLE_COLUMNS = ["date", "unit_name", "unit_level", "admin1", "controller",
                         "confirmed", "event_ids"]
#: the columns a narrow terminal leaves out first (``--format`` carries them all)
EVENT_TABLE_DROP = ["sources", "date_end", "actor2", "id", "fatalities", "confidence", "admin1",
                    "actor1", "status"]
TOP_EVENT_DROP = ["admin1", "status"]
CONTROL_TABLE_DROP = ["event_ids", "confirmed", "admin1"]


@app.command("run")
def run_cmd(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files, directories, .jsonl, feeds, URLs. None: analyse the stored articles "
             "not analysed yet (e.g. after `sitrep ingest` or an interrupted run).")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1,
                                            help="Articles per transaction.")] = 32,
    top: Annotated[int, typer.Option("--top", min=0, help="Top events to show.")] = 10,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow URLs on loopback / private / link-local addresses.")]
    = False,
    max_bytes: Annotated[int, typer.Option(
        "--max-bytes", min=1, help="Refuse inputs larger than this many bytes.")] = 5_000_000,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="One line per committed batch on stderr (for logs).")]
    = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Analysis processes (each loads spaCy once); 2 uses both "
                                 "cores of a 2-core machine. Same events as 1.")] = 1,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed",
        help="Analyse again the articles whose analysis failed in an earlier run.")] = False,
    profile: ProfileOption = None,
) -> None:
    """Ingest, extract, resolve, fuse and derive control (the main job).

    Exit code 1 when some inputs failed (the others are stored), 2 when every input
    failed or nothing could run (the same rule as ``sitrep ingest``).
    """
    from rich.table import Table

    from sitrep.export import event_row
    from sitrep.ingest import IngestOptions
    from sitrep.pipeline import RunOptions, run
    from sitrep.store import Store

    ingest = IngestOptions(max_bytes=max_bytes, allow_private=allow_private)
    with sitrep_errors(), Store(db) as store:
        bind_profile(store, profile, record=True)
        summary = run(paths or [], store, RunOptions(
            batch_size=batch_size, progress=not verbose, ingest=ingest,
            on_batch=_log_batch if verbose else None, retry_failed=retry_failed,
            n_process=workers))
        best = store.get_events(EventFilter(sort="-n_sources", limit=top)) if top else []
    table = Table(title="sitrep run", show_header=False)
    for key, value in summary.to_dict().items():
        if key != "failures":
            table.add_row(key, str(value))
    console.print(table)
    if best:
        print_rows([event_row(e) for e in best], "table", TOP_EVENT_COLUMNS,
                   title=f"top {len(best)} events (most sources)", drop=TOP_EVENT_DROP)
    if report_failures(summary.failures):
        nothing_usable = (paths and summary.articles_failed
                          and not summary.articles_added and not summary.articles_skipped)
        raise typer.Exit(EXIT_ERROR if nothing_usable else EXIT_PARTIAL)


def _log_batch(done: int, total: int) -> None:
    err_console.print(f"batch {done}/{total} committed", highlight=False)


def list_events(db: str, flt: EventFilter, profile: str | None = None) -> list[Event]:
    """Events matching a filter (read-only; the ``sitrep events`` query), with the
    database's conflict profile (or ``profile``, which must be the same) made active."""
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        return store.get_events(flt)


@app.command("events")
def events_cmd(
    db: DbOption = DEFAULT_DB_PATH,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    admin1: Annotated[str | None, typer.Option("--admin1", help="Admin1 unit (province, oblast).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, typer.Option("--sub-type",
                                                       help="ACLED sub-event type.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Actor name contains.")] = None,
    min_sources: Annotated[int | None, typer.Option("--min-sources", min=1)] = None,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    status: Annotated[str | None, typer.Option(
        "--status", help="reported | claimed | disputed | denied")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="table | csv | acled-csv | jsonl | geojson | parquet")] = "table",
    out: Annotated[str | None, typer.Option("--out", help="Write to FILE (parquet needs it).")]
    = None,
    profile: ProfileOption = None,
) -> None:
    """List fused events, filtered, in a table or an export format."""
    from sitrep.export import EVENT_FORMATS, event_row, render_events, write_events_parquet

    check_format(fmt, EVENT_FORMATS)
    if fmt == "parquet" and not out:
        raise fail("--format parquet needs --out FILE.parquet")
    flt = EventFilter(date_from=parse_date(date_from, "--from"),
                      date_to=parse_date(date_to, "--to"), admin1=admin1,
                      event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                      min_sources=min_sources, min_confidence=min_confidence, status=status,
                      limit=limit)
    with sitrep_errors():
        events = list_events(db, flt, profile)
    if fmt == "parquet":
        assert out is not None
        n = write_events_parquet(events, out)
        err_console.print(f"wrote {n} events to {out}", highlight=False)
    elif fmt == "table":
        print_rows([event_row(e) for e in events], "table", EVENT_TABLE_COLUMNS,
                   title=f"{len(events)} events", drop=EVENT_TABLE_DROP)
    else:
        emit(render_events(events, fmt), out)


@app.command("control")
def control_cmd(
    db: DbOption = DEFAULT_DB_PATH,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="YYYY-MM-DD: the latest state per unit on that day.")] = None,
    admin1: Annotated[str | None, typer.Option("--admin1", help="Admin1 unit (province, oblast).")] = None,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | jsonl | geojson")]
    = "table",
    polygons: Annotated[bool, typer.Option(
        "--polygons", help="GeoJSON: district units as their polygons.")] = False,
    out: Annotated[str | None, typer.Option("--out", help="Write to FILE.")] = None,
    profile: ProfileOption = None,
) -> None:
    """Territorial control: every change, or the state of every unit on --as-of."""
    from sitrep.export import CONTROL_FORMATS, control_row, render_control
    from sitrep.store import Store

    check_format(fmt, CONTROL_FORMATS)
    day = parse_date(as_of, "--as-of")
    with sitrep_errors(), Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        states = store.get_control(day, min_confidence=min_confidence)
    if admin1:
        states = [s for s in states if (s.admin1 or "").lower() == admin1.lower()]
    if fmt == "table":
        title = f"control as of {day}" if day else f"{len(states)} control changes"
        print_rows([control_row(s) for s in states], "table", CONTROL_TABLE_COLUMNS,
                   title=title, drop=CONTROL_TABLE_DROP)
    else:
        emit(render_control(states, fmt, polygons=polygons), out)
