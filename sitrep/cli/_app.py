"""The Typer app and the options every command shares."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

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

console = Console()
err_console = Console(stderr=True)

#: exit codes
EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2


def print_rows(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str],
               title: str | None = None) -> None:
    """Write rows as a rich table, CSV or JSON lines to stdout."""
    if fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: _cell(r.get(c)) for c in columns})
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in columns))
        console.print(table)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ";".join(_cell(x) for x in v)
    return str(v)


def report_failures(failures: Iterable[Any]) -> int:
    """One clear line per failed input on stderr; returns how many."""
    n = 0
    for f in failures:
        err_console.print(f"[red]error[/red] {f.source}: {f.reason}", highlight=False, soft_wrap=True)
        n += 1
    return n
