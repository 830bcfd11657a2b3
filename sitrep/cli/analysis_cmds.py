"""Commands: see sitrep.cli."""

from sitrep.cli._app import app  # noqa: F401

# ============================================================================
# run, events, control — owned by the fusion/control engineer
# (sitrep.pipeline, sitrep.fuse, sitrep.control, sitrep.export)
# ============================================================================
# isort: split

import datetime as _dt  # noqa: E402
from typing import Annotated as _Annotated  # noqa: E402

import typer as _ty  # noqa: E402

from sitrep.cli import _app as _shared  # noqa: E402
from sitrep.model import Event as _Event  # noqa: E402
from sitrep.store import EventFilter as _EventFilter  # noqa: E402

EVENT_TABLE_COLUMNS = ["id", "date_start", "date_end", "sub_event_type", "actor1", "actor2",
                       "location", "admin1", "fatalities", "status", "n_sources", "sources"]
TOP_EVENT_COLUMNS = ["date_start", "sub_event_type", "location", "admin1", "status",
                     "n_sources"]
CONTROL_TABLE_COLUMNS = ["date", "unit_name", "unit_level", "admin1", "controller",
                         "confirmed", "event_ids"]


def _fail(message: str) -> _ty.Exit:
    _shared.err_console.print(f"[red]error[/red] {message}", highlight=False, soft_wrap=True)
    return _ty.Exit(_shared.EXIT_ERROR)


def _date(value: str | None, option: str) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def _emit(text: str, out: str | None) -> None:
    if out:
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        _shared.err_console.print(f"wrote {out}", highlight=False)
    else:
        _ty.echo(text, nl=False)


@_shared.app.command("run")
def run_cmd(
    paths: _Annotated[list[str], _ty.Argument(help="Files, directories, .jsonl, feeds, URLs.")],
    db: _shared.DbOption = _shared.DEFAULT_DB_PATH,
    batch_size: _Annotated[int, _ty.Option("--batch-size", min=1,
                                           help="Articles per transaction.")] = 32,
    top: _Annotated[int, _ty.Option("--top", min=0, help="Top events to show.")] = 10,
    allow_private: _Annotated[bool, _ty.Option(
        "--allow-private", help="Allow URLs on loopback / private / link-local addresses.")]
    = False,
    max_bytes: _Annotated[int, _ty.Option(
        "--max-bytes", min=1, help="Refuse inputs larger than this many bytes.")] = 5_000_000,
    verbose: _Annotated[bool, _ty.Option(
        "--verbose", "-v", help="One line per committed batch on stderr (for logs).")]
    = False,
) -> None:
    """Ingest, extract, resolve, fuse and derive control (the main job).

    Exit code 1 when some inputs failed (the others are stored), 2 when nothing could run.
    """
    from rich.table import Table

    from sitrep.errors import StoreError
    from sitrep.ingest import IngestOptions
    from sitrep.pipeline import RunOptions, run
    from sitrep.store import Store

    ingest = IngestOptions(max_bytes=max_bytes, allow_private=allow_private)
    try:
        with Store(db) as store:
            summary = run(paths, store, RunOptions(
                batch_size=batch_size, progress=not verbose, ingest=ingest,
                on_batch=_log_batch if verbose else None))
            best = store.get_events(_EventFilter(sort="-n_sources", limit=top)) if top else []
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    table = Table(title="sitrep run", show_header=False)
    for key, value in summary.to_dict().items():
        if key != "failures":
            table.add_row(key, str(value))
    _shared.console.print(table)
    if best:
        _shared.print_rows([_event_table_row(e) for e in best], "table", TOP_EVENT_COLUMNS,
                           title=f"top {len(best)} events (most sources)")
    if _shared.report_failures(summary.failures):
        raise _ty.Exit(_shared.EXIT_PARTIAL)


def _log_batch(done: int, total: int) -> None:
    _shared.err_console.print(f"batch {done}/{total} committed", highlight=False)


def _event_table_row(e: _Event) -> dict[str, object]:
    from sitrep.export import event_row

    return event_row(e)


def list_events(db: str, flt: _EventFilter) -> list[_Event]:
    """Events matching a filter (read-only; the ``sitrep events`` query)."""
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        return store.get_events(flt)


@_shared.app.command("events")
def events_cmd(
    db: _shared.DbOption = _shared.DEFAULT_DB_PATH,
    date_from: _Annotated[str | None, _ty.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: _Annotated[str | None, _ty.Option("--to", help="YYYY-MM-DD")] = None,
    admin1: _Annotated[str | None, _ty.Option("--admin1", help="Province.")] = None,
    event_type: _Annotated[str | None, _ty.Option("--type", help="ACLED event type.")] = None,
    sub_event_type: _Annotated[str | None, _ty.Option("--sub-type",
                                                      help="ACLED sub-event type.")] = None,
    actor: _Annotated[str | None, _ty.Option("--actor", help="Actor name contains.")] = None,
    min_sources: _Annotated[int | None, _ty.Option("--min-sources", min=1)] = None,
    status: _Annotated[str | None, _ty.Option(
        "--status", help="reported | claimed | disputed | denied")] = None,
    limit: _Annotated[int | None, _ty.Option("--limit", min=0)] = None,
    fmt: _Annotated[str, _ty.Option(
        "--format", help="table | csv | acled-csv | jsonl | geojson | parquet")] = "table",
    out: _Annotated[str | None, _ty.Option("--out", help="Write to FILE (parquet needs it).")]
    = None,
) -> None:
    """List fused events, filtered, in a table or an export format."""
    from sitrep.errors import StoreError
    from sitrep.export import EVENT_FORMATS, render_events, write_events_parquet

    if fmt not in EVENT_FORMATS:
        raise _fail(f"--format {fmt!r}: choose one of {', '.join(EVENT_FORMATS)}")
    if fmt == "parquet" and not out:
        raise _fail("--format parquet needs --out FILE.parquet")
    flt = _EventFilter(date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"),
                      admin1=admin1, event_type=event_type, sub_event_type=sub_event_type,
                      actor=actor, min_sources=min_sources, status=status, limit=limit)
    try:
        events = list_events(db, flt)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    if fmt == "parquet":
        assert out is not None
        n = write_events_parquet(events, out)
        _shared.err_console.print(f"wrote {n} events to {out}", highlight=False)
    elif fmt == "table":
        _shared.print_rows([_event_table_row(e) for e in events], "table",
                           EVENT_TABLE_COLUMNS, title=f"{len(events)} events")
    else:
        _emit(render_events(events, fmt), out)


@_shared.app.command("control")
def control_cmd(
    db: _shared.DbOption = _shared.DEFAULT_DB_PATH,
    as_of: _Annotated[str | None, _ty.Option(
        "--as-of", help="YYYY-MM-DD: the latest state per unit on that day.")] = None,
    admin1: _Annotated[str | None, _ty.Option("--admin1", help="Province.")] = None,
    fmt: _Annotated[str, _ty.Option("--format", help="table | csv | jsonl | geojson")]
    = "table",
    polygons: _Annotated[bool, _ty.Option(
        "--polygons", help="GeoJSON: district units as their polygons.")] = False,
    out: _Annotated[str | None, _ty.Option("--out", help="Write to FILE.")] = None,
) -> None:
    """Territorial control: every change, or the state of every unit on --as-of."""
    from sitrep.errors import StoreError
    from sitrep.export import CONTROL_FORMATS, control_row, render_control
    from sitrep.store import Store

    if fmt not in CONTROL_FORMATS:
        raise _fail(f"--format {fmt!r}: choose one of {', '.join(CONTROL_FORMATS)}")
    day = _date(as_of, "--as-of")
    try:
        with Store(db, read_only=True) as store:
            states = store.get_control(day)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    if admin1:
        states = [s for s in states if (s.admin1 or "").lower() == admin1.lower()]
    if fmt == "table":
        title = f"control as of {day}" if day else f"{len(states)} control changes"
        _shared.print_rows([control_row(s) for s in states], "table", CONTROL_TABLE_COLUMNS,
                           title=title)
    else:
        _emit(render_control(states, fmt, polygons=polygons), out)


# ============================================================================
# claims, eval — owned by the claims/evaluation engineer (sitrep.claims, sitrep.evaluate)
# ============================================================================

CLAIM_COLUMNS = ["claimant", "statement", "quantity", "unit", "of_total", "approximate",
                 "as_of", "disputed_by", "modality", "quote", "article_id", "start", "end"]

import json as _json  # noqa: E402
import typing as _t  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

import typer as _typer  # noqa: E402

from sitrep.cli import _app as _cli  # noqa: E402


def claim_rows(db: str) -> list[dict[str, object]]:
    """The claims ledger as flat rows (the ``sitrep claims`` columns)."""
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        claims = store.get_claims()
    return [{"claimant": c.claimant, "statement": c.statement, "quantity": c.quantity,
             "unit": c.unit, "of_total": c.of_total, "approximate": c.approximate,
             "as_of": c.as_of.isoformat() if c.as_of else None,
             "disputed_by": list(c.disputed_by), "modality": c.modality,
             "quote": c.quote.text, "article_id": c.article_id,
             "start": c.quote.start, "end": c.quote.end} for c in claims]


@_cli.app.command("claims")
def claims_cmd(
    db: _cli.DbOption = _cli.DEFAULT_DB_PATH,
    fmt: _t.Annotated[str, _typer.Option("--format", help="table | csv | jsonl")] = "table",
) -> None:
    """List the claims ledger: who claims what, as of when, disputed by whom."""
    from sitrep.errors import StoreError

    if fmt not in {"table", "csv", "jsonl"}:
        _cli.err_console.print(f"[red]error[/red] --format {fmt!r}: choose table, csv or jsonl")
        raise _typer.Exit(_cli.EXIT_ERROR)
    try:
        rows = claim_rows(db)
    except StoreError as exc:
        _cli.err_console.print(f"[red]error[/red] {exc}")
        raise _typer.Exit(_cli.EXIT_ERROR) from exc
    if fmt != "table":
        _cli.print_rows(rows, fmt, CLAIM_COLUMNS, title=f"{len(rows)} claims")
        return
    # the table folds quantity/unit/total and the offsets into one cell each so it
    # stays readable in a terminal; csv/jsonl carry every column separately
    for r in rows:
        q = r["quantity"]
        if q is not None:
            approx = "~" if r["approximate"] else ""
            total = f" of {r['of_total']:g}" if r["of_total"] is not None else ""
            r["amount"] = f"{approx}{q:g}{total} {r['unit'] or ''}".strip()
        r["where"] = f"{str(r['article_id'])[:8]}:{r['start']}-{r['end']}"
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} claims")
    columns = ["claimant", "statement", "amount", "as_of", "modality", "disputed_by", "where"]
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(_cli._cell(r.get(c)) for c in columns))
    (_cli.console if _cli.console.is_terminal else Console(width=160)).print(table)


@_cli.app.command("eval")
def eval_cmd(
    gold: _t.Annotated[_Path, _typer.Argument(help="Gold file in the seeds_gold schema.")],
    db: _cli.DbOption = _cli.DEFAULT_DB_PATH,
    as_json: _t.Annotated[bool, _typer.Option("--json", help="Print the full result as JSON.")]
    = False,
    errors: _t.Annotated[bool, _typer.Option("--errors", help="Also list every miss.")]
    = False,
) -> None:
    """Score the database against a gold file (DESIGN.md "Evaluation")."""
    from sitrep.errors import InputError, StoreError
    from sitrep.evaluate import evaluate, render, render_errors
    from sitrep.store import Store

    try:
        with Store(db, read_only=True) as store:
            result = evaluate(store, gold)
    except (InputError, StoreError) as exc:
        _cli.err_console.print(f"[red]error[/red] {exc}")
        raise _typer.Exit(_cli.EXIT_ERROR) from exc
    if as_json:
        _typer.echo(_json.dumps(result, ensure_ascii=False, indent=1, default=str))
    else:
        from rich.console import Console

        # piped output is not wrapped at 80 columns: the table stays one row per metric
        out = _cli.console if _cli.console.is_terminal else Console(width=140)
        out.print(render(result))
        if errors:
            out.print(render_errors(result))
