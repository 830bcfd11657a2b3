"""``sitrep spark run|load``: the pipeline on Apache Spark (see :mod:`sitrep.spark`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli import _app as _cli

spark_app = typer.Typer(help="Run the pipeline on Apache Spark (Parquet/JSONL in, Parquet out).",
                        no_args_is_help=True)
_cli.app.add_typer(spark_app, name="spark")


@spark_app.command("run")
def spark_run_cmd(
    input_path: Annotated[str, typer.Argument(help="JSONL or Parquet of articles (file or directory).")],
    out: Annotated[str, typer.Option("--out", help="Output directory (one Parquet table per subdirectory).")],
    master: Annotated[str, typer.Option("--master", help="Spark master URL.")] = "local[2]",
    partitions: Annotated[int, typer.Option("--partitions", help="Partitions for the per-article work.")] = 4,
    profile: _cli.ProfileOption = None,
) -> None:
    """Ingest, analyse, fuse and derive control on Spark; write Parquet tables to --out."""
    from sitrep.spark import run_spark

    if not Path(input_path).exists():
        raise _cli.fail(f"{input_path}: no such file or directory")
    with _cli.sitrep_errors():
        summary = run_spark(input_path, out, master=master, partitions=partitions,
                            profile=profile)
    _cli.report_failures(summary.failures)
    typer.echo(f"{summary.articles} articles ({summary.duplicates} syndicated copies), "
               f"{summary.mentions} mentions, {summary.claims} claims, {summary.events} events, "
               f"{summary.control} control changes -> {summary.out}")
    if summary.failures:
        raise typer.Exit(_cli.EXIT_PARTIAL)


@spark_app.command("load")
def spark_load_cmd(
    out_dir: Annotated[str, typer.Argument(help="Output directory of `sitrep spark run`.")],
    db: _cli.DbOption = _cli.DEFAULT_DB_PATH,
    profile: _cli.ProfileOption = None,
) -> None:
    """Load a Spark run's Parquet tables into a DuckDB store (--db), which records the
    run's conflict profile (a database of another profile is an error)."""
    from sitrep.profile import bind_profile, load_profile
    from sitrep.spark import load_into, output_profile
    from sitrep.store import Store

    with _cli.sitrep_errors(), Store(db) as store:
        made_with = output_profile(out_dir)
        if profile is not None and made_with is not None \
                and load_profile(profile).name != load_profile(made_with).name:
            raise _cli.fail(f"{out_dir} was made with profile {load_profile(made_with).name!r}, "
                            f"not {profile!r}")
        bind_profile(store, profile if profile is not None else made_with, record=True)
        counts = load_into(out_dir, store)
    typer.echo(", ".join(f"{n} {k}" for k, n in counts.items()) + f" -> {db}")
