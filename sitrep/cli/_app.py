"""The Typer app, the options every command shares, and the one error path.

Every command reports a usage, input or database error the same way: :func:`fail`
prints one red ``error`` line on stderr and returns the ``typer.Exit`` (code 2) to
raise; :func:`sitrep_errors` turns any :class:`sitrep.errors.SitrepError` raised inside
it into that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sitrep.confidence import DEFAULT_MIN_CONFIDENCE
from sitrep.errors import SitrepError
from sitrep.store import DEFAULT_DB

app = typer.Typer(
    name="sitrep",
    help="Conflict news -> deduplicated, geocoded events, control timeline, claims, reports.",
    no_args_is_help=True,
    add_completion=False,
)

#: ``--db FILE`` on every command.
DbOption = Annotated[str, typer.Option("--db", help="DuckDB database file.", envvar="SITREP_DB")]
DEFAULT_DB_PATH = DEFAULT_DB

#: ``--min-confidence P`` on every command that shows events (events, control, report)
MinConfidenceOption = Annotated[float, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Hide events whose calibrated confidence (the probability that the event is "
         "right, see sitrep/confidence.py) is below P; control changes resting only on "
         f"such events are left out. Default {DEFAULT_MIN_CONFIDENCE}; 0 shows everything.")]

console = Console()
err_console = Console(stderr=True)

#: exit codes
EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2


def print_rows(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str],
               title: str | None = None, out: Console | None = None) -> None:
    """Write rows as a rich table (on ``out``, default stdout's console), CSV or JSON
    lines to stdout."""
    if fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: cell(r.get(c)) for c in columns})
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(cell(r.get(c)) for c in columns))
        (out or console).print(table)


def wide_console(width: int = 160) -> Console:
    """stdout's console; piped output is not wrapped at 80 columns but at ``width``."""
    return console if console.is_terminal else Console(width=width)


def cell(v: Any) -> str:
    """A value as a table / CSV cell (lists joined with ';', None empty)."""
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ";".join(cell(x) for x in v)
    return str(v)


def fail(message: str) -> typer.Exit:
    """Print one error line on stderr; returns the exit (code 2) for the caller to raise."""
    err_console.print(f"[red]error[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_ERROR)


@contextmanager
def sitrep_errors() -> Iterator[None]:
    """A :class:`SitrepError` (bad input, database error) raised inside becomes :func:`fail`."""
    try:
        yield
    except SitrepError as exc:
        raise fail(str(exc)) from exc


def parse_date(value: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` or None; anything else fails naming the option."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def check_format(fmt: str, formats: Sequence[str]) -> None:
    if fmt not in formats:
        raise fail(f"--format {fmt!r}: choose one of {', '.join(formats)}")


def emit(text: str, out: str | None) -> None:
    """Write ``text`` to the file ``out`` (and say so on stderr), else to stdout."""
    if out:
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        err_console.print(f"wrote {out}", highlight=False)
    else:
        typer.echo(text, nl=False)


def report_failures(failures: Iterable[Any]) -> int:
    """One clear line per failed input on stderr; returns how many."""
    n = 0
    for f in failures:
        err_console.print(f"[red]error[/red] {f.source}: {f.reason}", highlight=False, soft_wrap=True)
        n += 1
    return n
