"""Date context from related articles, for copy whose text does not fix its own year.

"On Wednesday July 8, commandos retook Qala-i-Naw" names no year, and its weekday is
wrong for 2021; "the toll rose on Monday" names no date at all. Articles about the
same places and people that *are* well dated (header, metadata, or a consistent
weekday+date) say when such copy was written: their dates give the year and a window
(:func:`sitrep.ingest.pubdate.infer_published` ``context_dates``).

Relatedness is the IDF-weighted share of an article's salient terms (capitalised words:
places, people, organisations) found in the other article, so "Taliban" and
"Afghanistan" count for little and "Dasht-e-Barchi" for a lot.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sitrep.ingest.pubdate import infer_published
from sitrep.model import Article

__all__ = ["RelatedDates", "refine_dates", "salient_terms"]

#: only articles dated at least this confidently give context
MIN_CONTEXT_CONFIDENCE = 0.8
#: share of the (IDF-weighted) salient terms two articles must share
MIN_RELATEDNESS = 0.3
_TOP = 3
_TERM = re.compile(r"(?<![.!?]\s)(?<!^)(?<![\w’'-])(?:[a-z]{1,3}-)?[A-Z][\w’'-]{2,}")
_STOP = frozenset(["the", "this", "that", "these", "those", "there", "their", "they", "then", "than", "when", "where", "which", "while", "with", "what", "who", "whom", "whose", "after", "before", "during", "since", "according", "but", "and", "for", "from", "into", "also", "however", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])


def salient_terms(text: str) -> set[str]:
    """Capitalised words not at a sentence start, lower-cased, minus function words."""
    return {t.lower() for t in _TERM.findall(text) if t.lower() not in _STOP}


class RelatedDates:
    """Well-dated articles indexed by salient terms."""

    def __init__(self, pool: Iterable[Article]) -> None:
        self._items: list[tuple[Article, set[str]]] = [
            (a, salient_terms(a.text)) for a in pool
            if a.published is not None and a.published_confidence >= MIN_CONTEXT_CONFIDENCE]
        self._df: Counter[str] = Counter(t for _, terms in self._items for t in terms)

    def _idf(self, term: str) -> float:
        return math.log((1 + len(self._items)) / (1 + self._df.get(term, 0))) + 1.0

    def related(self, article: Article) -> list[tuple[float, Article]]:
        terms = salient_terms(article.text)
        total = sum(self._idf(t) for t in terms)
        if not terms or not total:
            return []
        scored = []
        for other, other_terms in self._items:
            if other.id == article.id:
                continue
            score = sum(self._idf(t) for t in terms & other_terms) / total
            if score >= MIN_RELATEDNESS:
                scored.append((score, other))
        scored.sort(key=lambda t: (-t[0], t[1].id))
        return scored[:_TOP]


def refine_dates(articles: Sequence[Article], pool: Iterable[Article],
                 reference: dt.date | None = None) -> list[Article]:
    """Re-date the articles whose own text does not fix the date, using related ones."""
    pool = list(pool)
    index: RelatedDates | None = None
    out: list[Article] = []
    for a in articles:
        if a.published_confidence >= 0.9:  # declared metadata or a dateline
            out.append(a)
            continue
        own = infer_published(a.text, chrome=a.boilerplate, reference=reference)
        if not own.needs_context:
            out.append(a)
            continue
        index = index or RelatedDates([*pool, *articles])
        related = index.related(a)
        if not related:
            out.append(a)
            continue
        dates = [r.published for _, r in related if r.published]  # most related first
        better = infer_published(a.text, chrome=a.boilerplate, reference=reference, context_dates=dates)
        if better.date is None:
            out.append(a)
            continue
        ids = ", ".join(r.id for _, r in related)
        out.append(replace(a, published=better.date, published_confidence=min(better.confidence, 0.6),
                           published_basis=f"{better.basis} [context: related articles {ids}]"))
    return out
