"""``sitrep claims``: the claims ledger (rows from :mod:`sitrep.export`)."""

from __future__ import annotations

from typing import Annotated

import typer

from sitrep.cli._app import (
    DEFAULT_DB_PATH,
    DbOption,
    ProfileOption,
    app,
    check_format,
    print_rows,
    sitrep_errors,
)
from sitrep.export import (
    CLAIM_COLUMNS,
    CLAIM_FORMATS,
    CLAIM_TABLE_COLUMNS,
    claim_row,
    claim_table_row,
)

__all__ = ["claims_cmd"]


@app.command("claims")
def claims_cmd(
    db: DbOption = DEFAULT_DB_PATH,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | jsonl")] = "table",
    profile: ProfileOption = None,
) -> None:
    """List the claims ledger: who claims what, as of when, disputed by whom."""

    from sitrep.profile import bind_profile
    from sitrep.store import Store

    check_format(fmt, CLAIM_FORMATS)
    with sitrep_errors(), Store(db, read_only=True) as store:
        bind_profile(store, profile, record=False)
        claims = store.get_claims()
    if fmt != "table":
        print_rows([claim_row(c) for c in claims], fmt, CLAIM_COLUMNS,
                   title=f"{len(claims)} claims")
        return
    # the table folds quantity/unit/total and the offsets into one cell each so it
    # stays readable in a terminal; csv/jsonl carry every column separately
    print_rows([claim_table_row(c) for c in claims], "table", CLAIM_TABLE_COLUMNS,
               title=f"{len(claims)} claims",
               drop=["where", "as_of", "amount", "disputed_by", "modality"])
