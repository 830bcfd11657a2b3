"""``sitrep eval``: score the database against a gold file (:mod:`sitrep.evaluate`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._app import (
    DEFAULT_DB_PATH,
    DbOption,
    ProfileOption,
    app,
    sitrep_errors,
    wide_console,
)

__all__ = ["eval_cmd"]


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold file in the seeds_gold schema.")],
    db: DbOption = DEFAULT_DB_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")]
    = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list every miss.")]
    = False,
    profile: ProfileOption = None,
) -> None:
    """Score the database against a gold file (DESIGN.md "Evaluation")."""
    from sitrep.evaluate import evaluate, render, render_errors
    from sitrep.profile import bind_profile
    from sitrep.store import Store

    with sitrep_errors(), Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        result = evaluate(store, gold)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    # piped output is not wrapped: the table stays one row per metric
    out = wide_console(140)
    out.print(render(result))
    if errors:
        out.print(render_errors(result))
