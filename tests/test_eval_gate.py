"""Evaluation gate (STYLE.md §8, like trafilatura's tests/eval_gate.py).

The full pipeline runs once per session on the seeds and on the demo corpus, each
into a temporary database, and is scored against its gold. Every metric must stay at
or above the floor pinned in ``tests/eval_baseline.json`` (measured values rounded
down to 2 decimals, not the targets), and the over-splitting counts at or below
their ceilings.

Raising a floor (or lowering a ceiling) is a normal commit: run
``.venv/bin/python bench/eval_seeds.py --corpus --news --pin``. LOWERING a floor needs a
reason in the commit message: it means accepting a regression.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from eval_seeds import SETS, ceilings, evaluate_set, run_set  # noqa: E402  (one definition of the data sets and splits)

BASELINE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))

_RESULTS: dict[str, dict[str, Any]] = {}


def _result(name: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run + evaluate one data set, once per session."""
    if name not in _RESULTS:
        from sitrep.profile import use_profile
        from sitrep.store import Store

        sources, gold = SETS[name]
        if not sources or not all(s.exists() for s in sources) or not gold.exists():
            if os.environ.get("CI"):
                pytest.fail(f"{name}: its sources or {gold} are missing")
            pytest.skip("../shared not present: dev-set evaluation gate skipped")
        db = tmp_path_factory.mktemp(f"gate-{name}") / "gate.duckdb"
        with Store(db) as store:
            try:  # the set's conflict profile (news_ukraine: ukraine-2022), then the default again
                summary = run_set(name, store)
                assert summary.failures == [], [f"{f.source}: {f.reason}" for f in summary.failures]
                _RESULTS[name] = evaluate_set(store, gold)
            finally:
                use_profile(None)
    return _RESULTS[name]


def _cases(kind: str) -> list[tuple[str, str, float]]:
    return [(name, key, value) for name, entry in sorted(BASELINE.items())
            if isinstance(entry, dict) for key, value in sorted(entry.get(kind, {}).items())]


@pytest.mark.parametrize(("name", "metric", "floor"), _cases("floors"))
def test_metric_at_or_above_floor(name: str, metric: str, floor: float,
                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    metrics = _result(name, tmp_path_factory)["metrics"]
    assert metric in metrics, f"{name}: metric {metric!r} no longer reported"
    assert metrics[metric] >= floor, (
        f"{name}: {metric} = {metrics[metric]:.4f} fell below its floor {floor:.2f}")


@pytest.mark.parametrize(("name", "count", "ceiling"), _cases("ceilings"))
def test_count_at_or_below_ceiling(name: str, count: str, ceiling: float,
                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    values = ceilings(_result(name, tmp_path_factory))
    assert count in values, f"{name}: count {count!r} no longer reported"
    assert values[count] <= ceiling, f"{name}: {count} = {values[count]} above {ceiling}"


def test_every_gold_article_is_mapped(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A gold article that maps to nothing would silently shrink every score.

    A split (``news_train``, ``news_report``) runs part of its gold's articles: every
    article it ran must map.
    """
    for name in sorted(k for k in BASELINE if isinstance(BASELINE[k], dict)):
        articles = _result(name, tmp_path_factory)["articles"]
        sources, _ = SETS[name]
        if name.startswith("news_"):
            assert articles["mapped"] == len(sources), f"{name}: unmapped articles"
        else:
            assert articles["unmapped"] == [], f"{name}: unmapped gold articles"


def test_baseline_covers_every_headline_metric(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A new headline metric gets a floor too (pin it with bench/eval_seeds.py --pin)."""
    metrics = _result("seeds", tmp_path_factory)["metrics"]
    assert set(metrics) <= set(BASELINE["seeds"]["floors"])


@pytest.mark.parametrize("name", ["seeds", "news_train"])
def test_every_missed_gold_event_gets_one_reason(name: str,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    """The miss reasons partition the gold events without a strict match (so the
    README's "missed gold events" rows add up to the strict recall's complement)."""
    from sitrep.evaluate.events import MISS_KINDS

    ev = _result(name, tmp_path_factory)["events"]
    unmatched = {g for g, m in ev["matches"].items() if m["strict"] is None}
    assert set(ev["missed"]["ids"]) == unmatched
    assert set(ev["missed"]["ids"].values()) <= set(MISS_KINDS)
    assert sum(ev["missed"]["kinds"].values()) == ev["n_gold"] - ev["strict"]["tp"]
    assert sum(ev["unmatched"].values()) == ev["n_pred"] - ev["lenient"]["tp"]


def test_recaptures_are_counted_among_the_control_changes(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The recapture count (gold "Government regains territory" changes, the ones issue 11
    asks to flip control back) is a subset of the scored control changes."""
    name = "news_ukraine"
    control = _result(name, tmp_path_factory)["control"]
    back = control["recaptures"]
    assert 0 < back["n"] <= control["n"] and 0 <= back["correct"] <= min(back["n"],
                                                                          control["correct"])
