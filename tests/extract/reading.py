"""One way for extraction tests to read a sentence written for them: an English article
published on a given day, parsed by the project's pipeline, its mentions extracted with
the given context."""

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
