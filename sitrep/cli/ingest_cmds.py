"""``sitrep ingest`` and ``sitrep articles``: thin wrappers over :mod:`sitrep.ingest` and the store.

Exit codes: 0 every input was usable; 1 some inputs failed (the rest is stored);
2 nothing usable, or a usage / database error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sitrep.cli._app import (
    DEFAULT_DB_PATH,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    DbOption,
    ProfileOption,
    app,
    check_format,
    fail,
    print_rows,
    report_failures,
    sitrep_errors,
)
from sitrep.export import ARTICLE_COLUMNS
from sitrep.profile import bind_profile

__all__ = ["ARTICLE_COLUMNS", "article_rows", "articles_cmd", "ingest_cmd"]


def _parse_languages(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    codes = tuple(c.strip().lower() for c in value.split(",") if c.strip())
    if len(codes) < 2 or not all(c.isalpha() and len(c) == 2 for c in codes):
        raise typer.BadParameter("give at least two ISO 639-1 codes separated by commas, e.g. en,fr,es")
    return codes


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .jsonl, feeds or http(s) URLs.")],
    db: DbOption = DEFAULT_DB_PATH,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow URLs on loopback / private / link-local addresses.")] = False,
    max_bytes: Annotated[int, typer.Option(
        "--max-bytes", min=1, help="Refuse inputs larger than this many bytes.")] = 5_000_000,
    languages: Annotated[str | None, typer.Option(
        "--languages", help="Languages to detect among (ISO 639-1, comma-separated).")] = None,
    profile: ProfileOption = None,
) -> None:
    """Read news inputs into the database (clean text, date, outlet, language, duplicates)."""
    from sitrep.ingest import IngestOptions, ingest_into
    from sitrep.store import Store

    options = IngestOptions(max_bytes=max_bytes, allow_private=allow_private)
    langs = _parse_languages(languages)
    if langs:
        options = IngestOptions(max_bytes=max_bytes, allow_private=allow_private, languages=langs)
    with sitrep_errors(), Store(db) as store:
        bind_profile(store, profile, record=True)  # the later `sitrep run` analyses with it
        report = ingest_into(store, paths, options)
    failed = report_failures(report.failures)
    typer.echo(f"ingest: {len(report.added)} added, {report.skipped} already stored, "
               f"{failed} failed ({db})")
    if failed and not report.added and not report.skipped:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PARTIAL if failed else EXIT_OK)


def article_rows(db: str, profile: str | None = None) -> list[dict[str, Any]]:
    """The stored articles as flat rows (the ``sitrep articles`` columns); ``profile``
    must be the database's when given."""
    from sitrep.export import article_row
    from sitrep.store import Store

    with Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        articles = store.get_articles()
    return [article_row(a) for a in articles]


@app.command("articles")
def articles_cmd(
    db: DbOption = DEFAULT_DB_PATH,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl")] = "table",
    profile: ProfileOption = None,
) -> None:
    """List stored articles: id, url, outlet, wire, published (+ basis), language, duplicates."""
    check_format(fmt, ("table", "jsonl"))
    if not Path(db).exists():
        raise fail(f"{db}: no such database (run `sitrep ingest` first)")
    with sitrep_errors():
        rows = article_rows(db, profile)
    print_rows(rows, fmt, ARTICLE_COLUMNS, title=f"{len(rows)} articles",
               drop=["source", "published_basis", "duplicate_of", "wire", "language", "url"])
