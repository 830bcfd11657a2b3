"""One way for extraction tests to read a sentence written for them: an English article
published on a given day, parsed by the project's pipeline, its mentions extracted with
the given context; and where the mention of a trigger was placed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id


def mentions_in(nlp: Any, ctx: ExtractContext | None, text: str,
                published: dt.date | None = dt.date(2021, 7, 20)) -> list[Mention]:
    article = Article(id=stable_id(text), text=text, source="test", published=published,
                      language="en")
    return extract_mentions(article, nlp(text), ctx)


def place_of(mentions: list[Mention], trigger: str) -> tuple[str | None, ...]:
    """(name, kind, province) of the place of the first mention whose trigger holds
    ``trigger`` (all None when it has none)."""
    m = next(m for m in mentions if trigger in m.trigger.text)
    p = m.place.place if m.place else None
    return (p.name, p.kind, p.admin1) if p else (None, None, None)
