"""Small hand-built stand-ins for the resolvers mention extraction calls.

They implement the stage interfaces (BRIEF) on a tiny, explicit vocabulary so the
extraction logic can be unit-tested independently of the real lexicon and
gazetteer; the integration tests use the real ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span as SpacySpan

from sitrep.extract import ExtractContext
from sitrep.model import Actor, DateInterval, DateRef, Place


@dataclass(frozen=True)
class Trig:
    start_char: int
    end_char: int
    event_type: str
    sub_event_type: str
    score: float
    pattern: str = "standin"


_LEXICON = {
    "seize": ("Battles", "Non-state actor overtakes territory"),
    "capture": ("Battles", "Non-state actor overtakes territory"),
    "take": ("Battles", "Non-state actor overtakes territory"),
    "fall": ("Battles", "Non-state actor overtakes territory"),
    "enter": ("Battles", "Armed clash"),
    "clash": ("Battles", "Armed clash"),
    "fighting": ("Battles", "Armed clash"),
    "attack": ("Battles", "Armed clash"),
    "kill": ("Violence against civilians", "Attack"),
    "release": ("Strategic developments", "Other"),
    "flee": ("Strategic developments", "Other"),
    "burn": ("Strategic developments", "Looting/property destruction"),
    "launch": ("Battles", "Armed clash"),
}


def triggers(sent: SpacySpan) -> list[Trig]:
    out = []
    for tok in sent:
        key = tok.lower_ if tok.lower_ in _LEXICON else tok.lemma_.lower()
        if key in _LEXICON:
            et, st = _LEXICON[key]
            out.append(Trig(tok.idx, tok.idx + len(tok.text), et, st, 0.8))
    return out


TALIBAN = Actor("taliban", "Taliban", inter=2, country="Afghanistan")
MILITARY = Actor("mil-afg", "Military Forces of Afghanistan (2014-2021)", inter=1, country="Afghanistan")
_ACTORS = {
    "taliban": TALIBAN, "the taliban": TALIBAN, "insurgents": TALIBAN, "the insurgents": TALIBAN,
    "afghan forces": MILITARY, "afghan army": MILITARY, "the afghan army": MILITARY,
    "afghan government forces": MILITARY, "government forces": MILITARY,
}


def actor(text: str) -> Actor | None:
    return _ACTORS.get(text.lower().strip())


_PLACES = {
    "panjwai": Place("AF2704", "Panjwayi", "district", admin1="Kandahar", admin2="Panjwayi",
                     lat=31.55, lon=65.45, geo_precision=1),
    "kandahar": Place("gn:1138336", "Kandahar", "city", admin1="Kandahar", admin2="Kandahar",
                      lat=31.61, lon=65.71, geo_precision=1),
    "qala-i-naw": Place("gn:1129516", "Qala-e-Naw", "city", admin1="Badghis", admin2="Qala-e-Naw",
                        lat=34.98, lon=63.13, geo_precision=1),
    "kunduz": Place("gn:1135689", "Kunduz", "city", admin1="Kunduz", admin2="Kunduz",
                    lat=36.73, lon=68.86, geo_precision=1),
    "afghanistan": Place("AF", "Afghanistan", "country", geo_precision=None),
}


def place(text: str, *, sentence: str = "", context: Any = None) -> Place | None:
    return _PLACES.get(text.lower().strip())


_MONTHS = "|".join(calendar.month_name[1:])
_DAYS = "|".join(calendar.day_name)
_DATE_RE = re.compile(rf"\b(?:(?:{_DAYS}),? )?(?:{_MONTHS}) \d{{1,2}}\b|\b(?:{_DAYS})\b|"
                      rf"\bin (?:{_MONTHS})\b|\bin (?:19|20)\d\d\b")


def find_dates(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _DATE_RE.finditer(text)]


def resolve_date(text: str, published: dt.date | None, *, sentence: str = "",
                 anchors: Any = None, story_day: Any = None) -> DateRef | None:
    if published is None:
        return None
    m = re.search(r"(19|20)\d\d", text)
    if m:
        y = int(m.group(0))
        return DateRef(None, DateInterval(dt.date(y, 1, 1), dt.date(y, 12, 31), "year"), "year")
    for i, name in enumerate(calendar.month_name[1:], 1):
        if name in text:
            d = re.search(r"\d{1,2}", text)
            if d:
                day = dt.date(published.year, i, int(d.group(0)))
                return DateRef(None, DateInterval(day, day, "day"), "explicit")
            last = calendar.monthrange(published.year, i)[1]
            return DateRef(None, DateInterval(dt.date(published.year, i, 1),
                                              dt.date(published.year, i, last), "month"), "month")
    for i, name in enumerate(calendar.day_name):
        if name in text:
            delta = (published.weekday() - i) % 7
            day = published - dt.timedelta(days=delta)
            return DateRef(None, DateInterval(day, day, "day"), "weekday")
    return None


def context() -> ExtractContext:
    return ExtractContext(
        match_triggers=triggers,
        resolve_place=place,
        resolve_date=resolve_date,
        find_date_expressions=find_dates,
        resolve_actor=actor,
        make_place_context=None,
        default_loser="Afghan forces",  # the afghanistan-2021 profile's captures
        default_rebel="Taliban",
    )


SHARED = __import__("pathlib").Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS = SHARED.resolve() / "seeds"
GOLD = SHARED.resolve() / "gold" / "seeds_gold.json"
