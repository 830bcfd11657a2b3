"""Dates from related articles for copy that cannot date itself."""

from __future__ import annotations

import datetime as dt

from sitrep.ingest.context import refine_dates, salient_terms
from sitrep.model import Article

REF = dt.date(2026, 1, 1)


def _art(i: str, text: str, published: dt.date | None = None, conf: float = 0.0) -> Article:
    return Article(id=i, text=text, source=i, published=published, published_confidence=conf,
                   published_basis="header" if published else "no date evidence")


def test_salient_terms_are_names_not_sentence_starts() -> None:
    assert salient_terms("The toll rose in Dasht-e-Barchi. Families buried their dead at Sayed ul-Shuhada.") == {
        "dasht-e-barchi", "sayed", "ul-shuhada"}


def test_undated_copy_takes_its_weekday_next_to_a_related_article() -> None:
    dated = _art("a", "A bomb hit the Sayed ul-Shuhada school in Dasht-e-Barchi, in western Kabul, "
                      "officials of the Interior Ministry said.", dt.date(2021, 5, 9), 0.95)
    other = _art("b", "Herat fell to the Taliban after a long siege, officials in Kabul said.",
                 dt.date(2021, 8, 12), 0.95)
    undated = _art("c", "The toll from the Sayed ul-Shuhada school attack in Dasht-e-Barchi rose on Monday, "
                        "the Interior Ministry said.")
    (out,) = refine_dates([undated], [dated, other], REF)
    assert out.published == dt.date(2021, 5, 10)
    assert "related articles a" in out.published_basis and out.published_confidence <= 0.6


def test_declared_and_self_dated_articles_are_left_alone() -> None:
    declared = _art("d", "Something happened in Dasht-e-Barchi on Monday.", dt.date(2021, 5, 12), 0.95)
    self_dated = _art("e", "On Sunday, July 4, the Taliban seized Panjwai, after talks began in 2020.",
                      dt.date(2021, 7, 4), 0.8)
    assert refine_dates([declared, self_dated], [], REF) == [declared, self_dated]
