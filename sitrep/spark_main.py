"""``spark-submit`` entry point: ``spark-submit [...] sitrep/spark_main.py INPUT --out DIR``.

The master, executor memory and shipped files come from ``spark-submit``; this only
parses the job's own arguments and calls :func:`sitrep.spark.run_spark`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from sitrep.spark import run_spark, spark_session

    ap = argparse.ArgumentParser(prog="spark_main.py", description="sitrep pipeline on Spark")
    ap.add_argument("input", help="JSONL or Parquet of articles")
    ap.add_argument("--out", required=True, help="output directory (Parquet tables)")
    ap.add_argument("--partitions", type=int, default=200, help="partitions for per-article work")
    ap.add_argument("--profile", default=None,
                    help="conflict profile: a shipped name or a folder (default: "
                         "SITREP_PROFILE, else afghanistan-2021)")
    args = ap.parse_args(argv)
    spark = spark_session(master=None, shuffle_partitions=args.partitions)
    summary = run_spark(args.input, args.out, partitions=args.partitions, spark=spark,
                        profile=args.profile)
    for f in summary.failures:
        print(f"error {f.source}: {f.reason}", file=sys.stderr)
    print(f"{summary.articles} articles, {summary.mentions} mentions, {summary.events} events, "
          f"{summary.control} control changes -> {summary.out}; seconds {summary.seconds}")
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
