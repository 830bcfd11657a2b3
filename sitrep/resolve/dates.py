"""Date expressions in news copy -> day intervals with an explicit precision.

Wire copy rarely carries a full date: it says "on Sunday", "overnight", "since
mid-April", "two days after the September 11 attacks". Every expression is
resolved against the article's publication date (``published``), never against
today's date, so the same input always gives the same answer. With no
publication date only absolute expressions ("4 July 2021", "September 2020",
"in 2011") resolve; everything relative returns ``None``.

Resolution order (first rule that fits wins):

1. wrappers — ``since X`` (X's start .. the sentence's reference day),
   ``by the end of X`` (X's last day), ``later/earlier this month``;
2. absolute dates — ISO, day+month+year, month+year, year (dateparser would copy
   the base's day-of-month into periods, so these are own rules);
3. weekday and month-day expressions, with the weekday/date consistency check;
4. deictic and window expressions — today, last night, overnight, in the past N
   days, in recent weeks, last month, N years ago, "X comes N days after Y";
5. durations ("for 20 years", "20 years of war"), snapped to a known period start;
6. ``dateparser`` as the fallback for anything else it can read.

Rules that need context (the rules live in :mod:`sitrep.resolve.date_rules` and
:mod:`sitrep.resolve.date_relative`):

- *reference day* — windows ("in the past three days"), ``since`` and durations
  end on the day of the nearest other date expression in the same ``sentence``
  ("On Wednesday ..., the Taliban, who since May have seized ..." ends on that
  Wednesday), else on the publication day. "In recent weeks" / "hours earlier" in
  a pluperfect sentence ("had been", "had lost") end the day before publication
  (flagged ``approximate``).
- *weekday contradicts date* ("Wednesday July 8" when 8 July is a Thursday):
  flag ``weekday-contradicts-date``; keep the day number (the more specific of the
  two), unless the sentence names the weekday again ("That same Wednesday") or the
  date would put a reported day after publication: then the named weekday nearest
  the date, when it lies on or before publication. Without a publication date the
  date as written is kept.
- *"X comes/came N days after Y"* with no anchor for Y: the expression dates Y,
  N days before X, where X is the sentence's other date or, failing that, the
  publication day (X is the news); flagged ``dates-complement-event`` so the
  extractor dates the event of the complement, not the main clause. With an
  anchor for Y (``anchors`` — keyword -> date — or the historical reference
  dates of ``sitrep/data/date_anchors.yaml``) it dates X: anchor + N.
- *year of a month-day without year*: the latest one not more than 31 days after
  publication; the first one not before it when a future auxiliary ("will",
  "would", "is expected to") precedes it or it follows "by"/"until". A weekday
  with the month-day picks the year where both agree within ~10 months before
  publication ("Sunday, July 4" published in January 2022 -> 2021).
- *durations* of N years ending near a known period start snap to it: "after 20
  years of war" ending 1 May 2021 starts 7 Oct 2001 (the anchor's regexes must
  match the sentence).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from sitrep.model import DateInterval, DateRef
from sitrep.resolve import date_relative
from sitrep.resolve import date_rules as rules

__all__ = ["ANCHORED_FLAG", "find_date_expressions", "is_historical", "resolve_date"]

ANCHORED_FLAG = rules.ANCHORED_FLAG

_D = dt.timedelta
_TIME = rules.TIME

# Detection patterns (case-insensitive; sitrep/data/date_words.yaml), longest match wins on overlaps.
_DETECT = rules.detect_patterns()


def find_date_expressions(text: Any) -> list[tuple[int, int]]:
    """Character spans of date expressions in ``text`` (a str, or a spaCy Doc/Span).

    Regex detection works on plain text; given a Doc, its DATE/TIME entities that
    overlap no regex span are added (they catch phrasings the rules do not list).
    """
    if isinstance(text, str):
        return list(_text_expressions(text))
    found = _regex_spans(text.text)
    offset = getattr(text, "start_char", 0)
    found += [(ent.start_char - offset, ent.end_char - offset)
              for ent in text.ents if ent.label_ in ("DATE", "TIME")]
    return _choose(found)


@functools.lru_cache(maxsize=4096)
def _text_expressions(plain: str) -> tuple[tuple[int, int], ...]:
    """:func:`find_date_expressions` of a string, memoised: mentions, claims and the date
    rules scan the same sentences again."""
    return tuple(_choose(list(_regex_spans(plain))))


def _regex_spans(plain: str) -> list[tuple[int, int]]:
    """Every regex date span of ``plain`` (overlapping; :func:`_choose` picks)."""
    found: list[tuple[int, int]] = []
    for pattern in _DETECT:
        for m in pattern.finditer(plain):
            s, e = m.span()
            while e > s and plain[e - 1] in " ,(":
                e -= 1
            if e > s and not _is_modal_may(plain, s, e):
                found.append((s, e))
    return found


def _choose(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest non-overlapping spans, leftmost first on ties, in text order."""
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
    return sorted(chosen)


def _is_modal_may(text: str, s: int, e: int) -> bool:
    """'may' and 'march' as verbs ("they may fall", "they march on") are not months;
    the month is capitalised or has a day or year beside it."""
    m = re.search(r"\b(?:may|march)\b", text[s:e], re.I)
    if not m or m.group(0)[0].isupper():
        return False
    return not re.search(r"\d", text[s:e])


def is_historical(interval: DateInterval, published: dt.date | None) -> bool:
    """True when ``interval`` ended more than a year before ``published``.

    Sentences dated this way ("seized power in 1996", "killed in 2011") are
    background, not news: the extractor drops their events.
    """
    if published is None:
        return False
    return interval.end < published - _D(days=365)


# ---------------------------------------------------------------- resolution


def resolve_date(
    text: str,
    published: dt.date | None,
    *,
    sentence: str = "",
    anchors: Mapping[str, dt.date] | None = None,
    story_day: dt.date | None = None,
) -> DateRef | None:
    """Resolve one date expression; ``None`` when it cannot be dated (never a guess).

    ``sentence`` is the sentence the expression occurs in (used for the reference
    day, tense and anchors); ``anchors`` maps a keyword or event phrase ("Bagram")
    to its date for "two days after <event>"; ``story_day`` is the last explicit day
    the article told of, which "the same day" / "the next day" refer back to when their
    sentence has no other date. ``span`` of the result is None: the caller knows the
    article offsets.
    """
    return _resolve(text, published, sentence, anchors or {}, 0, story_day=story_day)


def _resolve(
    text: str, published: dt.date | None, sentence: str,
    anchors: Mapping[str, dt.date], depth: int, prefer_future: bool = False,
    story_day: dt.date | None = None,
) -> DateRef | None:
    norm = _normalise(text)
    if not norm or depth > 3:
        return None
    ctx = rules.Ctx(norm, text, published, sentence, anchors, depth, _resolve, find_date_expressions,
                    prefer_future, story_day)
    for rule in date_relative.RULES:
        try:
            res = rule(ctx)
        except (ValueError, OverflowError):  # arithmetic beyond year 1..9999 ("2021 years ago")
            continue
        if res is not None:
            start, end, precision, basis, flags = res
            if end < start:
                return None
            return DateRef(span=None, interval=DateInterval(start, end, precision),
                           basis=basis, flags=flags)
    return None


def _normalise(text: str) -> str:
    t = re.sub(r"\[[^\]]*\]", " ", text)  # a translator's bracketed original word
    t = re.sub(r"[()\"“”«»]", " ", t).lower()
    t = re.sub(rf"\b{_TIME}", " ", t)
    t = re.sub(r"[’']s\b", "", t.replace(",", " "))  # "Saturday's attack"
    t = re.sub(r"\b(early|late) on\b", r"\1", t)
    # 'just over a week ago': earlier than a week ago (kept as 'over' for the rule)
    t = re.sub(rf"\b{rules.BEYOND} (?=\S+ \S+ ago\b)", "over ", t)
    t = re.sub(r"\b(?:the space of|less than|more than|nearly|almost|some) ", "", t)
    t = re.sub(r"\s+", " ", t).strip(" .;:-")
    return re.sub(r"^(?:(?:on|in|at|during|of|from|around|about|just|only)\s+)+", "", t)
