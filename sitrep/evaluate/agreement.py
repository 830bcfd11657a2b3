"""When a prediction agrees with the gold: place, date, type and controller rules.

These are the DESIGN.md "Evaluation" rules, written once and shared by the event,
mention and control scorers:

- **type**: strict = same sub-event type; lenient = same event type, and the three
  territorial sub-types (overtakes / regains / non-violent transfer) are one family,
  because reasonable coders disagree on whether a fall involved fighting.
- **place**: same admin2 or same canonical location; admin1 only when the gold is
  coded at province level (geo_precision 3). Names are compared through a
  transliteration-aware key (Qala-i-Naw = Qala-e Naw, Panjwai = Panjwayi,
  Faizabad = Fayzabad), the places module's own normaliser when it has one.
- **date**: a gold day agrees with a predicted interval lying within that day ± 1;
  a gold range / month / week agrees with any overlapping interval.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sitrep.evaluate.gold import parse_day
from sitrep.model import DateInterval, Place, Precision
from sitrep.ontology import TERRITORIAL
from sitrep.profile import active_profile
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.names import name_key, strip_kind_words

__all__ = [
    "TERRITORIAL",
    "controller_key",
    "date_agrees",
    "date_within",
    "gold_interval",
    "level_family",
    "place_agrees",
    "place_key",
    "types_agree",
]

_PRECISIONS: dict[str, Precision] = {p: p for p in ("day", "range", "week", "month", "year")}

# words that say what kind of unit a name is, not which one
_LEVEL_WORDS = {"province", "provincial", "district", "city", "town", "capital", "centre",
                "center", "airfield", "airbase", "air", "base", "of", "the"}
_CONNECTOR = re.compile(r"(?<=[a-z])[\s-]+(?:i|e|ye|yi|al|ul|el)[\s-]+(?=[a-z])")


@lru_cache(maxsize=4096)
def _own_key(name: str) -> str:
    # the places module's transliteration folding (izafe, spelling families)
    name = name_key(strip_kind_words(name)[0]) or name
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = _CONNECTOR.sub(" ", s)  # Qala-i-Naw / Qala-e Naw / Mazar-i-Sharif
    words = [w for w in re.split(r"[^a-z]+", s) if w and w not in _LEVEL_WORDS]
    s = "".join(words) or re.sub(r"[^a-z]", "", s)
    s = re.sub(r"(zh|kh|sh|ch|ts)\1+", r"\1", s)  # Zaporizhzhia = Zaporizhia (Ukrainian zhzh)
    s = s.replace("kh", "k").replace("q", "k").replace("w", "u").replace("y", "i")
    if len(s) > 1:  # consonant skeleton: Tarinkot = Tarin Kowt, Panjwai = Panjwayi
        s = s[0] + re.sub(r"[aeiou]", "", s[1:])
    return re.sub(r"(.)\1+", r"\1", s)


def place_key(name: str | None) -> str:
    """A transliteration-tolerant comparison key for a place name ('' for None).

    Only ever used to compare a prediction with the gold for the same item, never to
    search, so a coarse key (consonant skeleton) costs little and forgives vowels.
    """
    if not name:
        return ""
    return _own_key(name)


def types_agree(gold_event_type: str | None, gold_sub: str | None, pred_event_type: str,
                pred_sub: str, *, lenient: bool) -> bool:
    if not lenient:
        return bool(gold_sub) and gold_sub == pred_sub
    if gold_sub in TERRITORIAL and pred_sub in TERRITORIAL:
        return True
    return bool(gold_event_type) and gold_event_type == pred_event_type


def gold_interval(entry: Mapping[str, Any]) -> DateInterval | None:
    """The interval a gold event (or control change) stands for: day, or its date_range."""
    precision = entry.get("date_precision") or "day"
    rng = entry.get("date_range")
    if precision != "day" and isinstance(rng, list | tuple) and len(rng) == 2:
        start, end = parse_day(rng[0]), parse_day(rng[1])
        if start and end:
            return DateInterval(min(start, end), max(start, end),
                                _PRECISIONS.get(str(precision), "range"))
    day = parse_day(entry.get("event_date"))
    if day is None:
        return None
    return DateInterval(day, day, "day")


def date_agrees(gold: DateInterval | None, pred: DateInterval | None, slack_days: int = 1) -> bool:
    """Gold day: the prediction lies within day ± slack. Gold range: any overlap."""
    if gold is None or pred is None:
        return False
    if gold.precision == "day" or gold.start == gold.end:
        slack = dt.timedelta(days=slack_days)
        return gold.start - slack <= pred.start and pred.end <= gold.end + slack
    return gold.overlaps(pred)


def date_within(gold: DateInterval | None, pred: DateInterval | None, slack_days: int = 1) -> bool:
    """The prediction lies inside the gold interval widened by ``slack_days`` (mentions)."""
    if gold is None or pred is None:
        return False
    slack = dt.timedelta(days=slack_days)
    return gold.start - slack <= pred.start and pred.end <= gold.end + slack


def place_agrees(gold: Mapping[str, Any], pred: Place | None) -> bool:
    """Whether a predicted place is the gold event's place under the DESIGN rule."""
    if pred is None:
        return False
    g_admin1 = place_key(gold.get("admin1"))
    g_admin2 = place_key(gold.get("admin2"))
    g_loc = place_key(gold.get("location"))
    p_admin1 = place_key(pred.admin1 or (pred.name if pred.kind == "province" else None))
    p_admin2 = place_key(pred.admin2 or (pred.name if pred.kind == "district" else None))
    p_name = place_key(pred.name)
    if gold.get("geo_precision") == 3:
        return bool(g_admin1) and g_admin1 == p_admin1
    if g_admin1 and p_admin1 and g_admin1 != p_admin1:
        return False
    if g_admin2 and g_admin2 == p_admin2:
        return True
    return (bool(g_loc) and g_loc == p_name) or _same_entry(gold.get("location"), pred)


def _same_entry(gold_name: str | None, pred: Place) -> bool:
    """The gold location is a primary spelling of the predicted place's own gazetteer entry,
    or of the district it lies in (the admin2 rule by entry rather than by spelling): 'Anaba'
    and 'Anawa' are both names of Panjshir's district AF0805, which the consonant key tells
    apart. Primary spellings only: a GeoNames alternate may name another town ('Khanabad' is
    one of Taloqan's)."""
    if not gold_name:
        return False
    entries = Gazetteer.default().lookup(name_key(gold_name))[0]
    return any(e.place.id == pred.id or (e.place.kind == "district" and e.place.id == pred.admin2_id)
               for e in entries)


def level_family(level: str | None) -> str:
    """Unit levels that name the same kind of thing (a provincial capital is a city)."""
    level = (level or "").lower()
    if level in {"provincial_capital", "city", "town", "village"}:
        return "settlement"
    if level in {"base", "border_crossing", "site", "island", "airport", "plant"}:
        return "site"
    return level


def controller_key(value: str | None) -> str:
    """'Taliban' / 'taliban', 'Government' / 'government', 'NRF: National Resistance
    Front' / 'nrf', 'contested' ... (the names of the active profile's sides); a side
    also when its id is a word of the value ('taliban (claimed)') or the value's first
    word starts like it ('gov', 'gov't')."""
    v = (value or "").strip().lower()
    sides = active_profile().sides
    known = sides.key_of(v)  # 'NRF: National Resistance Front' -> 'nrf'
    if known is not None:
        return known
    words = v.replace("(", " ").replace(")", " ").split()
    for side in sides.sides:
        if side.key in words or (words and len(words[0]) >= 3
                                 and words[0][:3] == side.key[:3]):
            return side.key
    return v
