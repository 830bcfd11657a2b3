"""Commands: see sitrep.cli."""

from sitrep.cli._app import app  # noqa: F401

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
    _cli.print_rows(rows, fmt, CLAIM_COLUMNS, title=f"{len(rows)} claims")


@_cli.app.command("eval")
def eval_cmd(
    gold: _t.Annotated[_Path, _typer.Argument(help="Gold file in the seeds_gold schema.")],
    db: _cli.DbOption = _cli.DEFAULT_DB_PATH,
    as_json: _t.Annotated[bool, _typer.Option("--json", help="Print the full result as JSON.")]
    = False,
) -> None:
    """Score the database against a gold file (DESIGN.md "Evaluation")."""
    from sitrep.errors import InputError, StoreError
    from sitrep.evaluate import evaluate, render
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
        _cli.console.print(render(result))
