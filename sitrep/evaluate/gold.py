"""Reading a gold file (seeds_gold schema) and tying it to the stored articles.

A gold file names its articles by source file name (``file``) and, for the demo corpus,
by ``url``. Stored articles keep the path they were read from in ``Article.source``
(``dir/x.txt``, ``feed.xml#item-3``, or the URL fetched), so an article maps when the
gold ``file`` equals the source, its base name, or its base name without the
``#item`` suffix, or when the urls agree. Gold quotes are exact text, but the clean
text may differ in whitespace (line breaks inside a quote), so quotes are located by a
whitespace-tolerant pattern rather than by ``str.find`` alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sitrep.errors import InputError
from sitrep.model import Article

__all__ = ["Gold", "GoldArticle", "load_gold", "locate", "locate_all", "map_articles",
           "parse_day", "sentence_around"]


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One gold article entry and the stored article it was mapped to (if any)."""

    key: str  # the gold ``url`` (or ``file`` when there is no url)
    data: Mapping[str, Any]
    article: Article | None = None


@dataclass(slots=True)
class Gold:
    """A parsed gold file: its raw sections plus the article mapping."""

    path: str
    raw: Mapping[str, Any]
    articles: dict[str, GoldArticle] = field(default_factory=dict)

    def section(self, name: str) -> list[Mapping[str, Any]]:
        value = self.raw.get(name) or []
        return [v for v in value if isinstance(v, Mapping)]

    def ref(self, entry: Mapping[str, Any]) -> GoldArticle | None:
        """The gold article an entry (mention, claim, place, date) belongs to.

        Items of one container file (a .jsonl or a feed) share ``file`` and differ by
        ``url``, so the url decides when there is one.
        """
        url, file = entry.get("url"), entry.get("file")
        if url and str(url) in self.articles:
            return self.articles[str(url)]
        if file:
            if str(file) in self.articles:
                return self.articles[str(file)]
            for ga in self.articles.values():  # keyed by url, referenced by file only
                if ga.data.get("file") == file:
                    return ga
        return None

    def article(self, entry: Mapping[str, Any]) -> Article | None:
        """The stored article an entry refers to (None when it was not stored)."""
        ga = self.ref(entry)
        return ga.article if ga is not None else None

    def in_store(self, entry: Mapping[str, Any]) -> bool:
        """Whether a gold event has a mention in an article the store holds.

        A store built from part of a gold set (the report split only, say) is judged
        on the events its articles report, not charged for the others.
        """
        return any(isinstance(m, Mapping) and self.article(m) is not None
                   for m in entry.get("mentions") or [])

    @property
    def mapped_ids(self) -> set[str]:
        return {ga.article.id for ga in self.articles.values() if ga.article is not None}


def parse_day(value: Any) -> dt.date | None:
    """An ISO date (the first 10 characters), or None."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and sanity-check a gold JSON file; errors name the file and the problem."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(str(p), "gold file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(p), f"not a readable JSON gold file ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("articles"), list):
        raise InputError(str(p), "expected an object with an 'articles' list (seeds_gold schema)")
    return raw


def _source_names(article: Article) -> set[str]:
    names = {article.source}
    base = article.source.split("#", 1)[0]
    names.add(base)
    for s in (article.source, base):
        names.add(PurePosixPath(s.replace("\\", "/")).name)
    return {n for n in names if n}


def map_articles(raw: Mapping[str, Any], stored: Sequence[Article], path: str = "") -> Gold:
    """Pair each gold article with a stored one (url first, then file name).

    Gold articles are keyed by url when they have one (several feed or .jsonl items
    share one ``file``), else by file.
    """
    by_name: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for a in stored:
        for n in _source_names(a):
            by_name.setdefault(n, a)
        if a.url:
            by_url.setdefault(a.url, a)
    gold = Gold(path=path, raw=raw)
    for entry in raw.get("articles") or []:
        if not isinstance(entry, Mapping):
            continue
        file = entry.get("file")
        url = entry.get("url")
        key = str(url or file or "")
        if not key:
            continue
        article = by_url.get(str(url)) if url else None
        if article is None and file:
            article = by_name.get(str(file)) or by_name.get(PurePosixPath(str(file)).name)
        gold.articles[key] = GoldArticle(key=key, data=entry, article=article)
    return gold


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def _pattern(quote: str) -> re.Pattern[str] | None:
    tokens = quote.translate(_QUOTES).split()
    if not tokens:
        return None
    parts = []
    for tok in tokens:
        # quotes and apostrophes may differ between the gold and the clean text
        parts.append("".join("[\"“”„«»]" if ch == '"' else "['’‘]" if ch == "'" else re.escape(ch)
                             for ch in tok))
    return re.compile(r"\s+".join(parts))


def locate_all(text: str, quote: str, *, word: bool = False) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where ``quote`` occurs in ``text`` (whitespace-tolerant).

    ``word`` requires word boundaries around the match (for short surface forms such as
    'Kandahar' inside 'Kandahar province').
    """
    pat = _pattern(quote)
    if pat is None:
        return []
    if word:
        pat = re.compile(r"(?<!\w)" + pat.pattern + r"(?!\w)")
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """The first place a gold quote occurs in the clean text, or None."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    found = locate_all(text, quote)
    return found[0] if found else None


_SENT_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """A cheap sentence window around a span (context for the place/date resolvers)."""
    left = 0
    for found in _SENT_END.finditer(text, 0, start):
        left = found.end()
    after = _SENT_END.search(text, end)
    right = after.end() if after else len(text)
    return text[left:right].strip()
