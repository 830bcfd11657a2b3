"""A cluster of reports being fused into one event, and how two places, two dates and
two sets of types agree: the primitives both passes of :mod:`sitrep.fuse` share (the
linker, and the occurrence pass of :mod:`sitrep.collapse`).

    Cluster                     the reports linked so far, their fused date and place
    place_relation(a, b)        1 same place, <1 nested, None incompatible
    same_unit(a, b)             one control unit (not merely nested places)
    model_agrees(a, b)          the learned typing reads one side's reports as the other's type
    summed_up(fight, recap, change)  a fight and a change too unequal in precision to be one
    told_apart(a, b)            one article tells the later report as another occurrence
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sitrep.event_values import TOWN_KINDS, Observation, agreed, place_rank
from sitrep.model import DateInterval, Place
from sitrep.ontology import CATCH_ALL, TERRITORIAL, load_occurrence

__all__ = ["SAME_CHANGE_DAYS", "Cluster", "all_recaps", "all_undated_recaps", "days_between",
           "model_agrees", "norm_name", "place_relation", "same_unit", "span_days",
           "summed_up", "told_apart"]

#: days within which two captures of one unit by one side, with no change of hands
#: between them, are one capture reported twice (recaps are joined at any distance)
SAME_CHANGE_DAYS = 7
#: places inside a town's reach ("the Kabul airport attack" is one of "the Kabul blasts")
_SITE_KINDS = frozenset({"base", "site"})
#: gazetteer points that may be a quarter or suburb of a town (Dasht-e Barchi in Kabul)
_QUARTER_KINDS = frozenset({"village"})
#: towns large enough to have quarters (a village near a small town is not in it)
_CITY_KINDS = frozenset({"city", "provincial_capital"})
#: how far from a town a site may lie to count as in it (an airport on the edge of town)
_SITE_REACH_KM = 15.0


@dataclass(slots=True)
class Cluster:
    """The reports linked so far (one event to be), their tightest common date and most
    precise place, and their articles."""

    obs: list[Observation] = field(default_factory=list)
    date: DateInterval | None = None
    place: Place | None = None
    articles: set[str] = field(default_factory=set)

    def add(self, o: Observation) -> None:
        clash_only = bool(self.obs) and not any(x.sub_event_type in TERRITORIAL
                                                for x in self.obs)
        self.obs.append(o)
        self.articles.update(o.article_ids)
        if o.date is not None:
            if self.date is None or o.sub_event_type in TERRITORIAL and clash_only \
                    and o.date.start >= self.date.start:
                # the capture, not the fighting before it, dates the event: 'killed in
                # fighting over the weekend' must not pin the Monday fall to the Sunday
                self.date = o.date
            else:
                start, end = max(self.date.start, o.date.start), min(self.date.end, o.date.end)
                if start <= end:
                    self.date = DateInterval(start, end, self.date.precision)
                elif o.sub_event_type in TERRITORIAL and clash_only:
                    self.date = o.date  # the capture, not the clash before it, dates it
        if o.place is not None and (self.place is None
                                    or place_rank(o.place) < place_rank(self.place)):
            self.place = o.place


@functools.lru_cache(maxsize=1 << 16)
def norm_name(s: str | None) -> str:
    return "".join(ch for ch in (s or "").lower() if ch.isalnum())


def place_relation(a: Place, b: Place, *, sites_in_towns: bool = True) -> float | None:
    """How well two places agree: 1 same, <1 nested, None incompatible. A site (an
    airport, a base) or a village (a quarter: Dasht-e Barchi) of a city's district within
    reach of the city is in it, unless ``sites_in_towns`` is False: a change of hands of
    the airport or the village is not one of the city (two control units)."""
    if a.id == b.id:
        return 1.0
    if place_rank(a) > place_rank(b):
        a, b = b, a  # a is the more precise one
    a1 = a.admin1_id or norm_name(a.admin1)
    b1 = b.admin1_id or norm_name(b.admin1)
    if b.kind == "country":
        return 0.3 if (a.country or "") == (b.name or b.country) else None
    if b.kind == "region" or a.kind == "region":
        return None  # "northern Afghanistan" has no hierarchy to check against
    if a1 and b1 and a1 != b1:
        return None
    if b.kind == "province":
        return 0.6 if (b.id == a.admin1_id or norm_name(b.name) == norm_name(a.admin1)) else None
    if b.kind == "district":
        if place_rank(a) == 2:
            return None  # two different districts
        if a.admin2_id == b.id or (norm_name(a.admin2) and norm_name(a.admin2) == norm_name(b.name)):
            return 0.8
        return None
    if a.kind in _SITE_KINDS and b.kind in TOWN_KINDS:
        return 0.8 if sites_in_towns and _site_in_town(a, b) else None
    if a.kind in _CITY_KINDS and b.kind in _QUARTER_KINDS:
        a, b = b, a
    if a.kind in _QUARTER_KINDS and b.kind in _CITY_KINDS and norm_name(a.name) != norm_name(b.name):
        # a village or quarter of the town's district within reach is in the town (a bomb
        # 'in Kabul' and 'in Dasht-e Barchi'); a change of hands of it is not the town's
        return 0.8 if sites_in_towns and _site_in_town(a, b) else None
    # two different points: the same town under two gazetteer ids still links
    return 0.9 if norm_name(a.name) == norm_name(b.name) else None


def same_unit(a: Place, b: Place) -> bool:
    """Two places are one control unit (one gazetteer id, or one town under two ids), not
    merely nested ones."""
    rel = place_relation(a, b)
    return rel is not None and rel >= 0.9 and place_rank(a) == place_rank(b) < 3


def _site_in_town(site: Place, town: Place) -> bool:
    """A site (an airport, a base) or a village of the town's district, within reach of
    the town."""
    if site.admin2_id and town.admin2_id and site.admin2_id != town.admin2_id:
        return False
    if site.lat is None or site.lon is None or town.lat is None or town.lon is None:
        return False
    lat1, lon1, lat2, lon2 = map(math.radians, (site.lat, site.lon, town.lat, town.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h)) <= _SITE_REACH_KM


def model_agrees(a: Sequence[Observation], b: Sequence[Observation]) -> bool:
    """Event-level typing: the reports of ``a`` may be of a type of ``b`` or the reports
    of ``b`` of a type of ``a`` (:func:`agreed`: the learned typing finds it likely):
    a recap or a detail sentence read as another type is still a report of the event.
    Catch-all labels take no part (:func:`_catch_all_in_same_sentence` weighs them)."""
    a, b = ([o for o in x if o.sub_event_type not in CATCH_ALL] for x in (a, b))
    return bool(a and b) and any(all(agreed(o, t) for o in x) for x, y in ((a, b), (b, a))
                                 for t in {o.sub_event_type for o in y})


def summed_up(fight: DateInterval, recap: bool, change: DateInterval) -> bool:
    """A fight and a change of hands too unequal in precision to be one occurrence: a
    recap of fighting over more than a week beside a change of a day or two, or a change
    known only over more than a week beside fighting of a day or two."""
    return span_days(fight) > SAME_CHANGE_DAYS and span_days(change) <= 2 and recap \
        or span_days(change) > SAME_CHANGE_DAYS and span_days(fight) <= 2


def span_days(iv: DateInterval) -> int:
    return (iv.end - iv.start).days + 1


def days_between(a: DateInterval, b: DateInterval) -> int:
    """Days between two intervals (0 when they overlap)."""
    if a.overlaps(b):
        return 0
    return (b.start - a.end).days if a.end < b.start else (a.start - b.end).days


def all_recaps(c: Cluster) -> bool:
    return all(o.recap for o in c.obs)


def all_undated_recaps(c: Cluster) -> bool:
    """Only recaps whose day is an upper bound ('Zaranj, which had fallen ...')."""
    return all(o.undated_recap for o in c.obs)


def _another_pattern() -> re.Pattern[str]:
    cues = load_occurrence().cues

    def words(name: str) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in cues[name])

    return re.compile(rf"^\W*(?:{words('another_opener')})\b"
                      rf"(?!\s+to\s+(?:(?:an?|the|these|those|his|her|their|my|our)\s+)?(?:{words('answer_to')}))"
                      rf"|(?:^\W*|\b(?:that|said)\s+|[,;:]\s+)(?:(?:also|in|on|during)\s+)?(?:(?:a|an|the)\s+)?"
                      rf"(?:{words('another_word')})\s+(?:[\w-]+\s+){{0,2}}?"
                      rf"(?:{words('occurrence_noun')})", re.I)


_ANOTHER = _another_pattern()


@functools.lru_cache(maxsize=1 << 14)
def tells_another(sentence: str) -> bool:
    """The sentence tells another occurrence than the ones told before it ('Separately,
    ...', 'In another incident, ...', 'also another Taliban attack on ...':
    ``occurrence.yaml`` cues ``another_opener``, ``another_word`` + ``occurrence_noun``)."""
    return bool(_ANOTHER.search(sentence))


def told_apart(a: Observation, b: Observation) -> bool:
    """Two reports of one article in two sentences, the later of which tells another
    occurrence than the ones its article told before it: not one occurrence. ('Separately,
    officials say the Taliban attacked the Hairatan port' is not the attack on the Kaldar
    district its article reported first.) Reports of other articles are weighed as usual:
    another outlet's report of the Hairatan attack is still that attack."""
    if a.event is not None or b.event is not None or not a.evidence or not b.evidence:
        return False
    ea, eb = a.evidence[0], b.evidence[0]
    if ea.article_id != eb.article_id or ea.start == eb.start:
        return False
    later = a if ea.start > eb.start else b
    return tells_another(later.sentence)
