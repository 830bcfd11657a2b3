"""Resolver accuracy on the gold surface forms: place mentions and date expressions.

The evaluator does not re-implement resolution: it hands each gold surface form, with
the sentence it sits in, to the places / dates modules and compares the answer with
the gold. A surface form that occurs several times in an article ('Kandahar' the
city and 'Kandahar' the province) is listed once per reading in the gold; the gold
readings are assigned one-to-one to the occurrences so that each occurrence can
satisfy at most one reading (maximum assignment, ``linear_sum_assignment``).

Dates are resolved against the gold publication date, so a wrong publication date
(scored separately) does not count twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.evaluate.agreement import place_key
from sitrep.evaluate.gold import Gold, locate_all, parse_day, sentence_around
from sitrep.model import DateInterval, Place
from sitrep.resolve.dates import resolve_date
from sitrep.resolve.places import resolve_place

__all__ = ["date_expression_correct", "place_mention_correct", "score_date_expressions",
           "score_place_mentions"]

_KIND_FAMILY = {
    "provincial_capital": "settlement", "city": "settlement", "town": "settlement",
    "village": "settlement", "neighbourhood": "settlement", "neighborhood": "settlement",
    "district": "district", "province": "province",
    "country": "country", "base": "site", "border_crossing": "site", "site": "site",
    "region": "region",
}


def place_mention_correct(gold: Mapping[str, Any], pred: Place | None) -> bool:
    """Canonical name, admin1 and kind family agree (a region may stay unresolved)."""
    kind = str(gold.get("kind") or "")
    canonical = place_key(gold.get("canonical"))
    if kind == "region":
        # 'northern Afghanistan': no unit; unresolved or the country itself is right
        wanted = str(gold.get("canonical") or "").lower()
        return pred is None or (pred.kind in ("country", "region")
                                and bool(pred.name) and pred.name.lower() in wanted)
    if pred is None:
        return False
    if _KIND_FAMILY.get(kind, kind) != _KIND_FAMILY.get(pred.kind, pred.kind):
        return False
    if kind == "country":
        return canonical == place_key(pred.name)
    g_admin1 = place_key(gold.get("admin1"))
    p_admin1 = place_key(pred.admin1 or (pred.name if pred.kind == "province" else None))
    if g_admin1 and g_admin1 != p_admin1:
        return False
    return canonical == place_key(pred.name)


def _interval(resolved: Any) -> DateInterval | None:
    if isinstance(resolved, list | tuple) and len(resolved) == 2:
        a, b = parse_day(resolved[0]), parse_day(resolved[1])
        return DateInterval(a, b, "range") if a and b else None
    d = parse_day(resolved)
    return DateInterval(d, d, "day") if d else None


def date_expression_correct(gold: Mapping[str, Any], pred: DateInterval | None) -> bool:
    """A day agrees within ± 1 day; a range when both ends are within max(1, 10% length)."""
    want = _interval(gold.get("resolved"))
    if want is None or pred is None:
        return False
    length = (want.end - want.start).days
    tol = dt.timedelta(days=max(1, round(0.1 * length)))
    return abs(pred.start - want.start) <= tol and abs(pred.end - want.end) <= tol


def _score(gold: Gold, section: str,
           resolve: Callable[[str, str, Mapping[str, Any]], Any],
           correct: Callable[[Mapping[str, Any], Any], bool],
           describe: Callable[[Any], str]) -> dict[str, Any]:
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for entry in gold.section(section):
        ga = gold.ref(entry)
        key = ga.key if ga else str(entry.get("url") or entry.get("file") or "")
        groups[(key, str(entry.get("text")))].append(entry)
    n = ok_total = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[dict[str, Any]] = []
    for (file, text), entries in groups.items():
        ga = gold.articles.get(file)
        article = ga.article if ga else None
        n += len(entries)
        for e in entries:
            by_kind[str(e.get("kind"))][1] += 1
        if article is None:
            errors += [{"file": file, "text": text, "error": "article not stored"}
                       for _ in entries]
            continue
        occurrences = locate_all(article.text, text, word=True) or locate_all(article.text, text)
        answers = []
        for start, end in occurrences:
            answers.append(resolve(text, sentence_around(article.text, start, end),
                                   ga.data if ga else {}))
        ok = np.array([[1.0 if correct(e, a) else 0.0 for a in answers] for e in entries])
        if ok.size:
            rows, cols = linear_sum_assignment(ok, maximize=True)
            hit = {int(r) for r, c in zip(rows, cols, strict=True) if ok[r, c] > 0}
        else:
            hit = set()
        ok_total += len(hit)
        for i, e in enumerate(entries):
            if i in hit:
                by_kind[str(e.get("kind"))][0] += 1
            else:
                errors.append({"file": file, "text": text, "kind": e.get("kind"),
                               "want": e.get("canonical", e.get("resolved")),
                               "got": sorted({describe(a) for a in answers}) or ["(not found)"]})
    return {
        "n": n, "correct": ok_total, "accuracy": round(ok_total / n, 4) if n else 0.0,
        "by_kind": {k: {"n": v[1], "correct": v[0],
                        "accuracy": round(v[0] / v[1], 4) if v[1] else 0.0}
                    for k, v in sorted(by_kind.items())},
        "errors": errors,
    }


def score_place_mentions(gold: Gold) -> dict[str, Any]:
    """Accuracy of ``sitrep.resolve.places.resolve_place`` on the gold surface forms."""
    def resolve(text: str, sentence: str, _article: Mapping[str, Any]) -> Place | None:
        return resolve_place(text, sentence=sentence)

    def describe(p: Place | None) -> str:
        return f"{p.name} ({p.kind}, {p.admin1})" if p else "None"

    out = _score(gold, "place_mentions", resolve, place_mention_correct, describe)
    out["available"] = True
    return out


def score_date_expressions(gold: Gold) -> dict[str, Any]:
    """Accuracy of ``sitrep.resolve.dates.resolve_date`` on the gold date expressions."""
    def resolve(text: str, sentence: str, article: Mapping[str, Any]) -> DateInterval | None:
        published = parse_day(article.get("published"))
        ref = resolve_date(text, published, sentence=sentence)
        return ref.interval if ref is not None else None

    def describe(i: DateInterval | None) -> str:
        return f"{i.start}..{i.end}" if i else "None"

    out = _score(gold, "date_expressions", resolve, date_expression_correct, describe)
    out["available"] = True
    return out

