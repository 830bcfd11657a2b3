"""``sitrep eval``: score the database against a gold file (:mod:`sitrep.evaluate`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._app import (
    DEFAULT_DB_PATH,
    DbOption,
    MinConfidenceOption,
    ProfileOption,
    app,
    sitrep_errors,
    wide_console,
)
from sitrep.confidence import DEFAULT_MIN_CONFIDENCE

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
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Score the database against a gold file (DESIGN.md "Evaluation"): the events and
    control changes ``sitrep events``/``control`` show at the same ``--min-confidence``."""
    from sitrep.evaluate import evaluate, render, render_errors
    from sitrep.profile import bind_profile
    from sitrep.store import Store

    with sitrep_errors(), Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        result = evaluate(store, gold, min_confidence=min_confidence)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    # piped output is not wrapped: the table stays one row per metric
    out = wide_console(140)
    out.print(render(result))
    if errors:
        out.print(render_errors(result))
