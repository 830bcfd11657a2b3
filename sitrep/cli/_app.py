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
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
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

#: ``--profile NAME|PATH`` on every command that analyses or shows data (sitrep.profile)
ProfileOption = Annotated[str | None, typer.Option(
    "--profile", help="Conflict profile: a shipped name (afghanistan-2021, the default; "
    "ukraine-2022) or a folder holding profile.yaml (docs/profiles.md). Default: the one "
    "the database was built with, else SITREP_PROFILE, else afghanistan-2021.")]

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


#: short headers for terminal tables (``--format`` machine formats keep the full names)
SHORT_HEADERS = {
    "date_start": "date", "date_end": "end", "sub_event_type": "sub-event", "n_sources": "src",
    "confidence": "conf", "fatalities": "killed", "unit_name": "unit", "unit_level": "level",
    "event_ids": "events", "published_basis": "basis", "duplicate_of": "dup of",
    "language": "lang", "disputed_by": "disputed by",
}
#: a column is not squeezed below this many characters (or its header) before columns
#: start being left out; one whose cells are all this short (dates, counts) is never cut
MIN_CELL = 12
#: the main text columns keep more before other columns are left out
MIN_WIDTHS = {"sub_event_type": 26, "statement": 40, "title": 30}
#: room left over first makes cells up to this long whole (amounts, names, places)
WHOLE_UP_TO = 24


def table_console() -> Console:
    """stdout's console for a table: the terminal's width (``COLUMNS`` when set); when
    piped with no ``COLUMNS``, 160 columns."""
    out = Console()
    if out.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return out
    return Console(width=160)


def fit_columns(headers: Sequence[str], cells: Sequence[Sequence[str]], width: int,
                drop: Sequence[int] = (), minimums: Sequence[int] | None = None,
                ) -> tuple[list[int], list[int]]:
    """Which columns to show and how wide, so that a rich table (box, one space of
    padding each side) fits in ``width`` characters with one line per row.

    Columns are left out in the order ``drop`` gives (then from the last one) while even
    their minimum widths (``minimums``, default :data:`MIN_CELL`) do not fit; the room left
    first makes short cells whole (up to :data:`WHOLE_UP_TO` characters, narrowest column
    first), then goes to the columns missing most characters; what still does not fit is
    cut with an ellipsis.
    Returns (kept column indices, their widths)."""
    n = len(headers)
    natural = [max([len(headers[i]), *(len(r[i]) for r in cells)]) for i in range(n)]
    floor = list(minimums) if minimums is not None else [MIN_CELL] * n
    least = [min(natural[i], max(len(headers[i]), floor[i])) for i in range(n)]
    order = [i for i in drop if 0 <= i < n] + [i for i in reversed(range(n)) if i not in drop]
    kept = list(range(n))

    def room(k: int) -> int:
        return width - (3 * k + 1)

    for i in order:
        if len(kept) <= 1 or sum(least[k] for k in kept) <= room(len(kept)):
            break
        kept.remove(i)
    avail = room(len(kept))
    if sum(natural[k] for k in kept) <= avail:
        return kept, [natural[k] for k in kept]
    widths = {k: least[k] for k in kept}
    extra = avail - sum(widths.values())
    for c in sorted(kept, key=lambda c: natural[c] - widths[c]):  # whole short cells, cheapest first
        if natural[c] <= WHOLE_UP_TO and 0 < natural[c] - widths[c] <= extra:
            extra -= natural[c] - widths[c]
            widths[c] = natural[c]
    while extra > 0:  # then evenly up to WHOLE_UP_TO: the narrowest column still cut
        short = [c for c in kept if widths[c] < min(natural[c], WHOLE_UP_TO)]
        if not short:
            break
        widths[min(short, key=lambda c: widths[c])] += 1
        extra -= 1
    while extra > 0:  # then the column missing most characters
        k = max(kept, key=lambda c: natural[c] - widths[c])
        if natural[k] <= widths[k]:
            break
        widths[k] += 1
        extra -= 1
    return kept, [widths[k] for k in kept]


def print_rows(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str],
               title: str | None = None, out: Console | None = None,
               drop: Sequence[str] = ()) -> None:
    """Write rows as a rich table (on ``out``, default :func:`table_console`), CSV or JSON
    lines to stdout.

    The table fits the console's width with one line per row: short headers
    (:data:`SHORT_HEADERS`), long cells cut with an ellipsis, and when even that is too
    wide, columns left out in the order ``drop`` gives (then from the last), named in
    the table's caption. CSV and JSON lines always carry every column, in full."""
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
        console_ = out or table_console()
        headers = [SHORT_HEADERS.get(c, c) for c in columns]
        cells = [[" ".join(cell(r.get(c)).split()) for c in columns] for r in rows]
        kept, widths = fit_columns(headers, cells, console_.width,
                                   [list(columns).index(c) for c in drop if c in columns],
                                   [MIN_WIDTHS.get(c, MIN_CELL) for c in columns])
        hidden = [headers[i] for i in range(len(columns)) if i not in kept]
        caption = (f"hidden at {console_.width} columns: {', '.join(hidden)}"
                   if hidden else None)
        table = Table(title=title, caption=caption, show_lines=False)
        for i, size in zip(kept, widths, strict=True):
            table.add_column(headers[i], width=size, min_width=size, max_width=size, no_wrap=True,
                             overflow="ellipsis")
        for line in cells:
            table.add_row(*(line[i] for i in kept))
        console_.print(table)


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
    err_console.print(f"[red]error[/red] {escape(printable(message))}", highlight=False,
                      soft_wrap=True)
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


def printable(text: str) -> str:
    """``text`` with control characters (newlines, tabs, escapes) written as ``\\n`` etc.,
    so a file name can never start a line of its own."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def display_name(name: str) -> str:
    """A file name or URL for a message: as is, or quoted with escapes when it holds
    control characters (a name with a newline cannot forge a separate line)."""
    return name if name.isprintable() else json.dumps(name, ensure_ascii=False)


def report_failures(failures: Iterable[Any]) -> int:
    """One line per failed input on stderr (``error NAME: reason``); returns how many.
    Names and reasons are printed literally: no markup, no control characters."""
    n = 0
    for f in failures:
        line = f"{display_name(str(f.source))}: {printable(str(f.reason))}"
        err_console.print(f"[red]error[/red] {escape(line)}", highlight=False, soft_wrap=True)
        n += 1
    return n
