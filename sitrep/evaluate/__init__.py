"""Evaluation of a store against a gold file in the seeds_gold schema (DESIGN.md).

    evaluate(store, gold_path) -> dict         everything, nested, JSON-safe
    headline(result) -> dict[str, float]       flat "section.metric" -> value (the gate's keys)
    render(result) -> rich Table               what ``sitrep eval`` prints
    render_errors(result) -> rich Table        what ``sitrep eval --errors`` adds

Submodules, one job each:

- :mod:`.gold`       read the gold, map gold articles to stored ones, locate quotes
- :mod:`.agreement`  the match rules (type family, place key, date window, controller)
- :mod:`.events`     one-to-one event matching, P/R/F1, over-splitting, mention accuracy
- :mod:`.resolution` place-mention and date-expression accuracy (delegating to resolvers)
- :mod:`.ledger`     control changes, claims, boilerplate lines, publication dates
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitrep.evaluate.events import score_events, score_mentions
from sitrep.evaluate.gold import load_gold, map_articles
from sitrep.evaluate.ledger import (
    score_boilerplate,
    score_claims,
    score_control,
    score_published,
)
from sitrep.evaluate.report import headline, render, render_errors
from sitrep.evaluate.resolution import score_date_expressions, score_place_mentions
from sitrep.store import Store

__all__ = ["evaluate", "headline", "render", "render_errors"]


def evaluate(store: Store, gold_path: str | Path, *, min_confidence: float = 0.0,
             view: float | None = None) -> dict[str, Any]:
    """Score what ``store`` holds against the gold file at ``gold_path``.

    With ``min_confidence`` the events and control changes are those ``sitrep events`` and
    ``sitrep control --min-confidence P`` show (events below P hidden, changes resting
    only on them left out); 0 scores every stored event. The calibration (ECE) is always
    that of every stored event's confidence.

    With ``view`` (a minimum confidence), the events and control changes of that view are
    scored too in the same pass, under ``result["view"]``: ``min_confidence``, ``events``,
    ``control`` and their ``metrics`` (:func:`headline` with those two sections replaced),
    what ``evaluate(store, gold_path, min_confidence=view)`` scores for them.
    """
    raw = load_gold(gold_path)
    gold = map_articles(raw, store.get_articles(), path=str(gold_path))
    mapped = gold.mapped_ids
    # events may cite mentions of articles outside the gold: load every mention
    all_mentions = store.get_mentions()
    every = store.get_events()  # the view: those at or above min_confidence (sitrep events)
    mentions = [m for m in all_mentions if m.article_id in mapped]
    result: dict[str, Any] = {
        "gold": str(gold_path),
        "articles": {
            "gold": len(gold.articles),
            "mapped": len(mapped),
            "unmapped": sorted(k for k, ga in gold.articles.items() if ga.article is None),
        },
        "min_confidence": min_confidence,
        "events": score_events(gold, [e for e in every if e.confidence >= min_confidence],
                               all_mentions),
        "mentions": score_mentions(gold, mentions),
        "place_mentions": score_place_mentions(gold),
        "date_expressions": score_date_expressions(gold),
        "control": score_control(gold, store.get_control(
            min_confidence=min_confidence or None)),
        "claims": score_claims(gold, store.get_claims()),
        "boilerplate": score_boilerplate(gold),
        "published": score_published(gold),
    }
    if min_confidence:  # calibration is a property of the scores: judged on every event
        result["events"]["calibration"] = score_events(gold, every, all_mentions)["calibration"]
    result["metrics"] = headline(result)
    if view is not None:
        seen = {"events": score_events(gold, [e for e in every if e.confidence >= view], all_mentions),
                "control": score_control(gold, store.get_control(min_confidence=view or None))}
        result["view"] = {"min_confidence": view, **seen, "metrics": headline({**result, **seen})}
    return result
