"""The one-run throughput summary of ``bench/run_benchmarks.py --throughput`` (issue 12)."""

from __future__ import annotations

from pathlib import Path

from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> object:
    return load_script("bench/run_benchmarks.py")


def test_the_headline_puts_the_three_throughput_figures_side_by_side() -> None:
    bench = _bench()
    run = {"run": "t"}
    records = [
        {**run, "size": 300, "task": "pipeline", "n_process": 1, "words_per_cpu_s": 2500, "cpu_s": 28.0,
         "articles_per_s": 10.0, "load_avg": 1.0},
        {**run, "size": 300, "task": "spacy", "words_per_cpu_s": 5000, "cpu_s": 14.0, "load_avg": 1.0},
        {**run, "size": 300, "task": "pipeline", "n_process": 2, "words_per_cpu_s": 2400, "cpu_s": 29.0,
         "articles_per_s": 18.0, "load_avg": 1.5},
        {**run, "size": 300, "task": "incremental", "timed_cpu_s": 10.0, "cpu_s": 13.0},
        {**run, "size": 9900, "task": "incremental", "timed_cpu_s": 13.0, "cpu_s": 16.0},
    ]
    lines = bench.headline(records)  # type: ignore[attr-defined]
    text = "\n".join(lines)
    assert "(ratio 0.50;" in text
    assert "(x1.80;" in text
    assert "(x1.30;" in text and "9,900-article" in text
    assert bench.summary_markdown(records).startswith("# Benchmarks (t")  # type: ignore[attr-defined]
