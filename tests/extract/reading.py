"""One way for extraction tests to read a sentence written for them: an English article
published on a given day, parsed by the project's pipeline, its mentions extracted with
the given context; and where the mention of a trigger was placed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.control import derive_control
from sitrep.extract import ExtractContext, extract_mentions
from sitrep.fuse import fuse
from sitrep.model import Article, ControlState, Event, Mention, stable_id


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


def fused_stories(nlp: Any, ctx: ExtractContext, texts: list[tuple[str, dt.date]]
                  ) -> tuple[list[Event], dict[str, Mention]]:
    """Each (text, day) an article published that day: the events fusion makes of all
    their mentions, and the mentions by id (what the control timeline reads)."""
    mentions: list[Mention] = []
    articles: dict[str, Article] = {}
    for text, day in texts:
        art = Article(id=stable_id(text), text=text, source="test", published=day, language="en")
        articles[art.id] = art
        mentions += mentions_in(nlp, ctx, text, day)
    return fuse(mentions, articles).events, {m.id: m for m in mentions}


def timeline_of(nlp: Any, ctx: ExtractContext, texts: list[tuple[str, dt.date]]
                ) -> list[ControlState]:
    """The control timeline of :func:`fused_stories`."""
    return derive_control(*fused_stories(nlp, ctx, texts))
