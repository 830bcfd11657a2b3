"""Event scoring: one-to-one matching, P/R/F1 strict and lenient, over-splitting, and
the accuracy of the mentions that align with gold quotes.

Only predicted events with at least one mention in a gold-annotated article are
scored (an event seen only in unannotated articles cannot be judged). Matching is a
maximum-weight bipartite assignment (``scipy.optimize.linear_sum_assignment``): every
compatible pair weighs 10 plus a bonus below 1 (same sub-type, closer date, same
admin2), so the assignment first maximises the number of matches and only then
prefers the closer pairs. One-to-one matching is what keeps the July entry into a
city and its August capitulation from being credited to one predicted event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.evaluate.agreement import (
    date_agrees,
    date_within,
    gold_interval,
    place_agrees,
    place_key,
    types_agree,
)
from sitrep.evaluate.gold import Gold, locate
from sitrep.model import Event, Mention

__all__ = ["MISS_KINDS", "calibration", "compatible", "gold_quote_spans", "match", "miss_reasons",
           "prf", "score_events", "score_mentions"]

#: why a gold event has no strict match, as :func:`miss_reasons` tells them apart (the
#: events built from the mentions aligned with its quotes show which stage lost it)
MISS_KINDS = ("no event from its quotes", "merged into another gold event's event",
              "sub-type", "place", "date", "two or more of sub-type/place/date",
              "all agree, matched elsewhere")


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 with their counts (0.0 when undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": n_pred - tp, "fn": n_gold - tp,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def calibration(confidences: Sequence[float], correct: Sequence[bool],
                bins: int = 10) -> dict[str, Any]:
    """Expected calibration error over ``bins`` equal-width confidence bins, and the
    reliability table (per bin: events, mean confidence, share correct).

    ECE = sum over bins of (events in bin / events) * |share correct - mean confidence|:
    0 when events scored p are right a share p of the time. The standard definition
    (Naeini et al. 2015; Guo et al. 2017): bins [0, 0.1), ..., [0.9, 1.0], a score of 1.0
    in the last. It is a noisy figure on small sets: on ~60 events a perfectly calibrated
    model still shows about 0.1 (``bench/train_confidence.py`` prints that floor per set).
    """
    rows: list[dict[str, Any]] = []
    n = len(confidences)
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences)
               if lo <= c < hi or (b == bins - 1 and c == hi)]
        if not idx:
            continue
        conf = sum(confidences[i] for i in idx) / len(idx)
        acc = sum(bool(correct[i]) for i in idx) / len(idx)
        ece += len(idx) / n * abs(acc - conf)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(idx),
                     "confidence": round(conf, 4), "correct": round(acc, 4)})
    return {"n": n, "ece": round(ece, 4), "bins": rows}


def compatible(gold: Mapping[str, Any], pred: Event, *, lenient: bool) -> bool:
    """Type, place and date all agree (the DESIGN.md match rule)."""
    return (types_agree(gold.get("event_type"), gold.get("sub_event_type"), pred.event_type,
                        pred.sub_event_type, lenient=lenient)
            and place_agrees(gold, pred.place)
            and date_agrees(gold_interval(gold), pred.date))


def _bonus(gold: Mapping[str, Any], pred: Event) -> float:
    bonus = 0.5 if gold.get("sub_event_type") == pred.sub_event_type else 0.0
    g = gold_interval(gold)
    if g is not None:
        mid = g.start + (g.end - g.start) / 2
        pmid = pred.date.start + (pred.date.end - pred.date.start) / 2
        bonus += 0.25 / (1 + abs((pmid - mid).days))
    if pred.place is not None and place_key(gold.get("admin2")) == place_key(pred.place.admin2):
        bonus += 0.2
    return bonus


def match(golds: Sequence[Mapping[str, Any]], preds: Sequence[Event], *,
          lenient: bool) -> dict[int, int]:
    """One-to-one gold index -> predicted index (maximum matches, then closest pairs)."""
    if not golds or not preds:
        return {}
    weight = np.zeros((len(golds), len(preds)))
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if compatible(g, p, lenient=lenient):
                weight[i, j] = 10.0 + _bonus(g, p)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return {int(i): int(j) for i, j in zip(rows, cols, strict=True) if weight[i, j] > 0}


def scored_events(gold: Gold, events: Sequence[Event],
                  mention_articles: Mapping[str, str]) -> list[Event]:
    """Predicted events with at least one mention in a gold-annotated article."""
    ids = gold.mapped_ids
    out = []
    for e in events:
        arts = set(e.article_ids) | {mention_articles[m] for m in e.mention_ids
                                     if m in mention_articles}
        if arts & ids:
            out.append(e)
    return out


def score_events(gold: Gold, events: Sequence[Event],
                 mentions: Sequence[Mention]) -> dict[str, Any]:
    """P/R/F1 strict and lenient, over-splitting, multi-article and same-place checks."""
    mention_articles = {m.id: m.article_id for m in mentions}
    golds = [g for g in gold.section("events") if gold.in_store(g)]
    preds = scored_events(gold, events, mention_articles)
    strict = match(golds, preds, lenient=False)
    lenient = match(golds, preds, lenient=True)
    out: dict[str, Any] = {
        "n_gold": len(golds),
        "n_pred": len(preds),
        "strict": prf(len(strict), len(preds), len(golds)),
        "lenient": prf(len(lenient), len(preds), len(golds)),
    }
    # Over-splitting: predicted events left unmatched although compatible (lenient)
    # with a gold event are extra copies of it; each extra goes to its best gold event.
    matched_preds = set(lenient.values())
    extras: dict[int, list[int]] = {}
    for j, p in enumerate(preds):
        if j in matched_preds:
            continue
        cands = [i for i, g in enumerate(golds) if compatible(g, p, lenient=True)]
        if cands:
            best = max(cands, key=lambda i: _bonus(golds[i], p))
            extras.setdefault(best, []).append(j)
    out["oversplit"] = {
        "gold_events": len(extras),
        "extra_events": sum(len(v) for v in extras.values()),
        "ids": {str(golds[i].get("id")): [preds[j].id for j in js] for i, js in extras.items()},
    }
    multi = {}
    for i, g in enumerate(golds):
        files = {m.get("url") or m.get("file") for m in g.get("mentions") or []
                 if isinstance(m, Mapping)}
        if len(files) > 1:
            multi[str(g.get("id"))] = {"matched": i in lenient,
                                       "duplicates": len(extras.get(i, []))}
    out["multi_article"] = multi
    # Gold events at the same place on different dates must stay separate events:
    # "merged" when one predicted event carries mentions aligned with both.
    spans = gold_quote_spans(gold)
    by_id = {m.id: m for m in mentions}
    aligned_gold: dict[str, set[str]] = {}
    for p in preds:
        aligned_gold[p.id] = {str(g.get("id")) for mid in p.mention_ids if mid in by_id
                              for g in _aligned(spans, by_id[mid])}
    pairs = []
    for i, a in enumerate(golds):
        for k in range(i + 1, len(golds)):
            b = golds[k]
            same_place = (place_key(a.get("location")) == place_key(b.get("location"))
                          and a.get("geo_precision") != 3 and b.get("geo_precision") != 3)
            if not (same_place and a.get("control_change") and b.get("control_change")):
                continue
            ids = [str(a.get("id")), str(b.get("id"))]
            if any(set(ids) <= got for got in aligned_gold.values()):
                status = "merged"
            elif i in lenient and k in lenient:
                status = "separate"
            else:
                status = "unmatched " + ",".join(x for x, n in zip(ids, (i, k), strict=True)
                                                 if n not in lenient)
            pairs.append({"gold": ids, "status": status, "separate": status == "separate"})
    out["same_place_pairs"] = pairs
    why = miss_reasons(golds, preds, strict, aligned_gold)
    out["missed"] = {"kinds": {k: sum(v == k for v in why.values()) for k in MISS_KINDS},
                     "ids": why}
    # predicted events no gold event matches even leniently: built from a sentence a gold
    # event quotes (its values went wrong, or an extra copy) or from none (a false event)
    unmatched = [p for j, p in enumerate(preds) if j not in set(lenient.values())]
    quoted = sum(bool(aligned_gold.get(p.id)) for p in unmatched)
    out["unmatched"] = {"from quoted sentences": quoted,
                        "from unquoted sentences": len(unmatched) - quoted}
    # calibration: is an event scored p right (lenient match: the occurrence, its place
    # and day; the model in sitrep.confidence is trained on the same label) p of the time?
    matched = set(lenient.values())
    out["calibration"] = calibration([p.confidence for p in preds],
                                     [j in matched for j in range(len(preds))])
    out["matches"] = {
        str(golds[i].get("id")): {"strict": preds[strict[i]].id if i in strict else None,
                                  "lenient": preds[lenient[i]].id if i in lenient else None}
        for i in range(len(golds))
    }
    return out


def miss_reasons(golds: Sequence[Mapping[str, Any]], preds: Sequence[Event],
                 strict: Mapping[int, int], aligned_gold: Mapping[str, set[str]]
                 ) -> dict[str, str]:
    """Gold id -> which of :data:`MISS_KINDS` explains its missing strict match.

    ``aligned_gold`` maps each predicted event's id to the gold events its mentions'
    sentences quote. A gold event none of those events carries lost its mentions before
    fusion (not extracted, filtered out, or its quotes not aligned); otherwise the best
    of its events (most of sub-type, place and date agreeing) says what went wrong, and
    one that is the strict match of another gold event merged two occurrences.
    """
    taken = {preds[j].id for j in strict.values()}
    out: dict[str, str] = {}
    for i, g in enumerate(golds):
        if i in strict:
            continue
        gid = str(g.get("id"))
        carried = [p for p in preds if gid in aligned_gold.get(p.id, set())]
        if not carried:
            out[gid] = MISS_KINDS[0]
            continue
        interval = gold_interval(g)
        wrongs = [(tuple(n for n, good in zip(
            ("sub-type", "place", "date"),
            (types_agree(g.get("event_type"), g.get("sub_event_type"), p.event_type,
                         p.sub_event_type, lenient=False),
             place_agrees(g, p.place), date_agrees(interval, p.date)), strict=True)
            if not good), p) for p in carried]
        bad, best = min(wrongs, key=lambda w: len(w[0]))
        out[gid] = (MISS_KINDS[1] if best.id in taken else bad[0] if len(bad) == 1
                    else MISS_KINDS[5] if bad else MISS_KINDS[6])
    return out


def gold_quote_spans(gold: Gold, section: str = "events"
                     ) -> list[tuple[str, int, int, Mapping[str, Any]]]:
    """(article id, start, end, gold entry) for every locatable gold event quote."""
    out = []
    for g in gold.section(section):
        for m in g.get("mentions") or []:
            article = gold.article(m) if isinstance(m, Mapping) else None
            if article is None:
                continue
            span = locate(article.text, str(m.get("quote") or ""))
            if span:
                out.append((article.id, span[0], span[1], g))
    return out


def _aligned(spans: Sequence[tuple[str, int, int, Mapping[str, Any]]],
             mention: Mention) -> list[Mapping[str, Any]]:
    """Gold events one of whose quotes overlaps the mention's sentence."""
    s, e = mention.sentence.start, mention.sentence.end
    found: list[Mapping[str, Any]] = []
    for aid, qs, qe, g in spans:
        if aid == mention.article_id and qs < e and s < qe and g not in found:
            found.append(g)
    return found


def score_mentions(gold: Gold, mentions: Sequence[Mention]) -> dict[str, Any]:
    """Geocoding and date accuracy of mentions whose sentence overlaps a gold quote.

    A mention's place agrees under the event rule; its date must lie within the gold
    interval ± 1 day (a month-long guess for a dated event is wrong).
    """
    n = geo_ok = date_ok = 0
    errors: list[dict[str, Any]] = []
    spans = gold_quote_spans(gold)
    for m in mentions:
        aligned = _aligned(spans, m)
        if not aligned:
            continue
        n += 1
        place = m.place.place if m.place else None
        interval = m.date.interval if m.date else None
        g_ok = any(place_agrees(g, place) for g in aligned)
        d_ok = any(date_within(gold_interval(g), interval) for g in aligned)
        geo_ok += g_ok
        date_ok += d_ok
        if not (g_ok and d_ok):
            errors.append({"mention": m.id, "gold": [g.get("id") for g in aligned],
                           "sentence": m.sentence.text[:80],
                           "place": place.name if place else None,
                           "date": f"{interval.start}..{interval.end}" if interval else None,
                           "place_ok": g_ok, "date_ok": d_ok})
    return {
        "n": n,
        "geocoding": {"correct": geo_ok, "accuracy": round(geo_ok / n, 4) if n else 0.0},
        "dates": {"correct": date_ok, "accuracy": round(date_ok / n, 4) if n else 0.0},
        "errors": errors,
    }
