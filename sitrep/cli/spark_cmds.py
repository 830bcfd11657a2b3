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
) -> None:
    """Ingest, analyse, fuse and derive control on Spark; write Parquet tables to --out."""
    from sitrep.spark import run_spark

    if not Path(input_path).exists():
        raise _cli.fail(f"{input_path}: no such file or directory")
    summary = run_spark(input_path, out, master=master, partitions=partitions)
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
) -> None:
    """Load a Spark run's Parquet tables into a DuckDB store (--db)."""
    from sitrep.spark import load_into
    from sitrep.store import Store

    with _cli.sitrep_errors(), Store(db) as store:
        counts = load_into(out_dir, store)
    typer.echo(", ".join(f"{n} {k}" for k, n in counts.items()) + f" -> {db}")
