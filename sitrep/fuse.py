"""Cross-article event coreference: one real-world occurrence = one :class:`Event`.

Reports are many, occurrences are few. GDELT's best-known pain is counting reports
instead of events; this stage is the cure. It works on *observations* — a mention,
or an already-stored event whose mentions were not passed in — and links them in one
deterministic single pass:

1. **Block** on place hierarchy (country + admin1) so a mention is only ever compared
   with events of its own province, and **sweep in date order** so it is only compared
   with events whose date interval is still open (near-linear, never all-pairs).
2. **Gate**: a link needs compatible sub-event types (equal, or a pair that
   ``data/occurrence.yaml`` lets any two reports carry: the territorial family — never
   an overtake with a regain: a capture and a recapture are two events —, an armed clash
   with a territorial change, since "fighting then takeover" is one event, two kinds of
   bomb, since reports disagree on how a blast was delivered; the catch-all "Change to
   group/activity" read off the same sentence as a report already in the event; an
   attack told by the noun alone beside a report that names its means, shells or a bomb),
   compatible places (same unit, or one inside the other: district ⊂ province, town ⊂
   its district; two different districts or towns never link; fighting told only at a
   province's level is not the fight of a change of a district or town in it other than
   its capital) and overlapping dates
   (no slack, except
   one day between a clash and the capture it led to — one of the two dated to a single
   day, not two reports each dated 'yesterday or today' by their publication —, or between near-verbatim
   sentences of two outlets whose relative dates were resolved against different
   publication days; between two reports of one kind giving the very same toll; between a
   day-level report and a cluster most of whose reports of its type support its day
   rather than the day one early report pinned; between two outlets' day-level reports
   of one unit changing hands to one side). Two different days therefore
   stay apart: the 7 July entry into a town and the 8 July counter-offensive. Nor do
   two reports of one article link when the later one is told as another occurrence
   ('Separately, ...', 'In another incident, ...': :func:`sitrep.clusters.told_apart`).
3. **Score** the survivors with the same-occurrence model of ``data/link_model.json``: a
   logistic regression over :data:`LINK_FEATURES` — how well the types, places (same
   unit, nested, a province-level report), dates (overlap, a slack day, a report dated to
   the day), actors and sentences (rapidfuzz ``token_set_ratio``) agree, whether the
   report is from an article already in the event, a recap, or of the event's dominant
   type. The shipped coefficients are the hand weights (type 0.30, place 0.25, date
   overlap 0.20, actors 0.10, sentence similarity 0.15, intercept -0.6: p >= 0.5 where
   the weighted sum is 0.6); ``bench/fusion_pairs.py --train`` fits one on the linker's
   decisions on every tuning set (its file says why none is shipped yet). Link to the
   most probable candidate when its probability is at least :data:`LINK_THRESHOLD` (the
   file's threshold), else open a new event. A mention is compared with the event's
   *fused* values (the tightest date all its mentions support, its most precise place),
   so a vague mention cannot chain two precise events together.
4. **Occurrence pass** (:func:`sitrep.collapse.collapse`): ACLED codes one event per
   occurrence, so the clusters of one block that report one occurrence under different
   types (a blast and the gunfight after it), or one change of hands twice, merge, typed
   by ACLED precedence (:func:`sitrep.event_values.main_type`). A change of hands an
   article tells with no fighting of its own, inside an event the other articles'
   fighting types as a clash, is taken back out as an event of its own
   (:func:`_unfold_changes`): typed away, it would be lost.

**Evidence threshold**: a cluster none of whose reports carries its own date expression
and whose best report's confidence is below :data:`MIN_EVIDENCE` makes no event (generic
or background sentences that slipped through extraction; measured trade-off in
:func:`_thin`). A capture never joins a cluster dominated by a recapture (nor the
reverse), even through a clash that is compatible with both.

Mentions that cannot be dated at all (no date expression, no publication date) only
join a dated event of their own article; alone they make no event.
Mentions without a place can only join an event that already holds a mention of the
same article (the "A takeover that prompted dozens of families to flee" sentence).
Hypothetical, planned and negated mentions never create or join events (a negated
report — "did not fall" — is not a report of an occurrence; explicit denials are kept
and make an event *disputed*).

Ids are stable: a new event's id is ``stable_id("event", <earliest mention id>)``; an
event that absorbs new reports keeps its id; when two stored events merge, the older
keeps its id and the other is returned in :attr:`FuseResult.removed`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from sitrep.clusters import (
    Cluster,
    all_recaps,
    all_undated_recaps,
    model_agrees,
    norm_name,
    place_relation,
    same_unit,
    span_days,
    summed_up,
    told_apart,
)
from sitrep.collapse import collapse
from sitrep.event_values import (
    Observation,
    build_event,
    event_observation,
    main_type,
    means_named,
    mention_observation,
    place_rank,
    takes_the_place,
)
from sitrep.linear_model import LinearModel, load_binary
from sitrep.model import Article, DateInterval, Event, Mention, Place, stable_id
from sitrep.ontology import CATCH_ALL, CLASH, OVERTAKES, REGAINS, TERRITORIAL, load_occurrence
from sitrep.resolve.gazetteer import Gazetteer

__all__ = ["CATCH_ALL", "CLASH", "LINK_THRESHOLD", "TERRITORIAL", "FuseResult", "block_key",
           "fuse", "place_relation"]

#: the features the link model reads (:func:`_link_features`)
LINK_FEATURES = ("type", "place", "date", "actor", "text", "same_article", "slack",
                 "explicit", "recap", "day", "cluster_day", "province", "nested",
                 "dominant", "territorial", "size")
LINK_MODEL_PATH = Path(__file__).parent / "data" / "link_model.json"
_LINK_MODEL: LinearModel = load_binary(LINK_MODEL_PATH, "fusion_pairs.py --train",
                                       known=LINK_FEATURES)
#: the least probability of one occurrence at which an observation links to an event
LINK_THRESHOLD = _LINK_MODEL.threshold
#: best mention confidence an event needs when none of its reports has its own date
MIN_EVIDENCE = 0.65
#: distinct sentences whose reports make a cluster evidence enough, however weak each is
MIN_SENTENCES = 3
#: type agreement of two reports the learned typing reads as one type (as two kinds of bomb)
_W_AGREE = 0.6
#: token_sort_ratio from which a sentence counts as a rewrite of another (date slack)
_COPY_SIMILARITY = 80
#: how many of a cluster's sentences are compared with a newcomer (bounds the cost).
_MAX_TEXT_COMPARE = 12
#: the least death toll two reports must share to be one occurrence a day apart
_MIN_TOLL = 2


@dataclass(frozen=True, slots=True)
class FuseResult:
    """Events to upsert (new or updated) and ids of stored events merged away."""

    events: list[Event]
    removed: list[str]


# ---------------------------------------------------------------- compatibility
_OPPOSITE = frozenset({OVERTAKES, REGAINS})


def _type_score(a: str, b: str) -> float:
    """How well two types agree for the linker: the same type, or a pair that
    ``occurrence.yaml`` lets any two reports carry (scope ``any``); never a capture and a
    recapture, even on the same day."""
    if a == b:
        return 1.0
    if load_occurrence().scope(a, b) != "any":
        return 0.0
    if a in TERRITORIAL and b in TERRITORIAL:
        return 0.8
    if CLASH in (a, b):
        return 0.7  # "fighting then takeover" is one event
    return 0.6  # one blast, typed "car bomb" by one report and "suicide bomb" by another


def _catch_all_in_same_sentence(o: Observation, c: Cluster) -> bool:
    """A catch-all type ("Change to group/activity") read off the very sentence that
    reports the cluster's event is another label for it, not a second event. ("Other"
    is not a catch-all here: "... several hundred of whom crossed into Tajikistan" is a
    second event in the sentence that reports a capture.)"""
    if o.event is not None or not o.evidence:
        return False
    here = (o.evidence[0].article_id, o.evidence[0].start)
    return any(x.event is None and x.evidence
               and (x.evidence[0].article_id, x.evidence[0].start) == here
               and (o.sub_event_type in CATCH_ALL or x.sub_event_type in CATCH_ALL)
               for x in c.obs)


def _summary_fight(o: Observation, c: Cluster, types: set[str]) -> bool:
    """A clash summed up over more than a week ('since the takeover in mid-August, attacks
    have increased': a recap known only over the span) and a change of hands dated to the
    day: the summary is not the fighting that led to that change, nor the change its
    outcome. Nor is a change known only over more than a week ('seized control ... last
    month, overrunning the capital') the outcome of a clash of one day: joined, the
    clash would date the change to its own day."""
    assert o.date is not None and c.date is not None
    if o.sub_event_type in TERRITORIAL and CLASH in types and not types & TERRITORIAL:
        return summed_up(c.date, all_recaps(c), o.date)
    if o.sub_event_type == CLASH and types & TERRITORIAL:
        return summed_up(o.date, o.recap, c.date)
    return False


def _slack(types: set[str], t: str) -> int:
    """One day between a clash and the capture it led to (overnight fighting)."""
    if t == CLASH and types & TERRITORIAL or t in TERRITORIAL and CLASH in types:
        return 1
    return 0


def _a_day(a: DateInterval, b: DateInterval) -> bool:
    """One of the two is dated to a single day: the one-day slack joins the fighting of
    one day to the capture of the next, not two reports each dated 'yesterday or today'
    by its publication, two days apart ('hellish battles' of 22-23 June and 'has been
    occupied' of 24-25 June are the fighting and the fall of two days)."""
    return span_days(a) == 1 or span_days(b) == 1


def _clash_first(o: Observation, c: Cluster, types: set[str]) -> bool:
    """The one-day slack only joins a clash to the capture that *followed* it."""
    assert o.date is not None and c.date is not None
    if o.sub_event_type == CLASH:  # the cluster is the capture: the clash must not be later
        return o.date.start <= c.date.end
    return o.date.end >= c.date.start  # the cluster is the clash: the capture comes after


def _near_copy(o: Observation, c: Cluster) -> bool:
    """Another outlet's near-verbatim sentence about the same kind of event.

    Two reports a day apart are two occurrences, unless one is a rewrite of the other:
    then the day differs because a relative date ("on Thursday") was resolved against
    a different publication date, and they are one event.
    """
    return any(x.sub_event_type == o.sub_event_type and x.article_ids != o.article_ids
               and fuzz.token_sort_ratio(o.sentence, x.sentence) >= _COPY_SIMILARITY
               for x in c.obs[:_MAX_TEXT_COMPARE] if x.sentence)


def _same_toll(o: Observation, c: Cluster) -> bool:
    """A report of the same kind of event giving the very toll a report of the cluster
    gives ('21 killed and 27 wounded in airstrikes' in a quoted tweet dated by its
    publication, the article's 'on Tuesday'): one occurrence whose day two date
    expressions put a day apart. A toll of one is too common to tell two events apart."""
    if o.killed is None or o.killed[0] is None or o.killed[0] < _MIN_TOLL:
        return False
    return any(x.sub_event_type == o.sub_event_type and x.killed is not None
               and x.killed[0] == o.killed[0] for x in c.obs)


def _day_vote(o: Observation, c: Cluster) -> bool:
    """Day-level agreement by the cluster's reports rather than its tightest date: a report
    dated to a day (or only by its publication: 'today or yesterday') the cluster's date
    misses by one joins when most of the cluster's
    reports of its type (by weight) support that day too. The cluster's date is the
    intersection of its reports' dates, so one report dated a day early ('yesterday', a
    recap's 'on August 17') that opened the cluster before the reports dated only by their
    publication ('today or yesterday') pins it to a day the others only allow; the reports
    of the next day belong with them. The event then takes the day most reports support
    (:func:`sitrep.event_values.build_event`)."""
    assert o.date is not None
    if span_days(o.date) > 2 or o.recap or o.sub_event_type in TERRITORIAL \
            or any(x.sub_event_type in TERRITORIAL for x in c.obs):
        return False  # a change of hands is dated by the control state machine's rules
    same = [(x.weight, x.date) for x in c.obs
            if x.sub_event_type == o.sub_event_type and x.date is not None]
    covering = sum(w for w, d in same if d.overlaps(o.date))
    return covering > sum(w for w, _d in same) - covering


def _same_change(o: Observation, c: Cluster) -> bool:
    """Two outlets' day-level reports of one change of hands a day apart ('entered
    Snihurivka on Nov. 9', 'today, on Nov. 10, Snihurivka was liberated'): a unit cannot be
    taken twice by the same side without a change between (the control state machine), so
    they are one change whose day the better-supported report gives. Changes of the place
    itself (or an entry the day before its fall) of one unit, neither report a recap."""
    assert o.date is not None and c.date is not None
    if o.sub_event_type not in TERRITORIAL or o.recap or o.place is None or c.place is None \
            or _dominant(c) != o.sub_event_type or not _a_day(o.date, c.date) \
            or set(o.article_ids) & c.articles or not same_unit(o.place, c.place):
        return False
    mine = takes_the_place([o])
    theirs = takes_the_place(x for x in c.obs if x.sub_event_type == o.sub_event_type
                             and not x.recap)
    if mine and theirs:
        return True
    # an entry ('have entered several settlements ... including Snihurivka') the day before
    # the fall of the unit to the same side is the push that took it, not a change of its
    # own; an entry the day after a fall is not
    if theirs:
        return o.date.start <= c.date.end
    return mine and c.date.start <= o.date.end


def _date_score(a: DateInterval, b: DateInterval) -> float:
    start, end = max(a.start, b.start), min(a.end, b.end)
    if start > end:
        return 0.5  # linked through the clash/capture slack
    inter = (end - start).days + 1
    union = (max(a.end, b.end) - min(a.start, b.start)).days + 1
    return 0.5 + 0.5 * inter / union


def _actor_score(o: Observation, c: Cluster) -> float:
    mine = {a.id for a in (o.actor1, o.actor2) if a is not None}
    theirs = {a.id for x in c.obs for a in (x.actor1, x.actor2) if a is not None}
    if not mine or not theirs:
        return 0.5
    if o.actor1 is not None and any(x.actor1 is not None and x.actor1.id == o.actor1.id
                                    for x in c.obs):
        return 1.0
    return 0.7 if mine & theirs else 0.0


def _dominant(c: Cluster) -> str:
    """The type with the most support in the cluster (weights as in the type vote)."""
    weight: dict[str, float] = {}
    for x in c.obs:
        weight[x.sub_event_type] = weight.get(x.sub_event_type, 0.0) + x.weight
    return max(sorted(weight), key=lambda t: weight[t])


def _link_features(o: Observation, c: Cluster) -> dict[str, float] | None:
    """What the link model reads of ``o`` beside ``c`` (:data:`LINK_FEATURES`), or None
    when a gate fails."""
    types = {x.sub_event_type for x in c.obs}
    specific = types - CATCH_ALL  # a catch-all label absorbed by an event is no type of it
    types = specific or types
    if o.sub_event_type in _OPPOSITE and _dominant(c) in _OPPOSITE - {o.sub_event_type}:
        return None  # a capture never joins a recapture, not even through the clash in it
    t = max(_type_score(o.sub_event_type, x) for x in types)
    if t == 0.0 and _catch_all_in_same_sentence(o, c):
        t = 1.0  # the same report under another label: as strong as the same type
    if t == 0.0 and model_agrees([o], c.obs):
        t = _W_AGREE  # the learned typing reads it as the other's type: event-level typing
    if t == 0.0 and means_named([o], c.obs):
        t = _W_AGREE  # 'the attack on the port' beside the missiles that hit it
    if t == 0.0:
        return None
    same_article = bool(c.articles & set(o.article_ids))
    if same_article and any(told_apart(o, x) for x in c.obs):
        return None  # 'In another incident, ...': its article tells it apart
    if o.place is None or c.place is None:
        if not same_article:
            return None
        p = 0.3
    else:
        changes = o.sub_event_type in TERRITORIAL or bool(types & TERRITORIAL)
        rel = place_relation(o.place, c.place, sites_in_towns=not changes)
        if rel is None or changes and (_other_unit(o, c) or _province_fight(o, c)):
            return None
        p = rel
    slack = False
    if o.date is None or c.date is None:
        if not same_article:
            return None
        d = 0.5
    else:
        slack = not o.date.overlaps(c.date)
        if slack:
            next_day = o.date.overlaps(c.date, 1)
            if not next_day or not (
                    _slack(types, o.sub_event_type) and _clash_first(o, c, types)
                    and _a_day(o.date, c.date)
                    or _near_copy(o, c) or _same_toll(o, c) or _day_vote(o, c)
                    or _same_change(o, c)):
                return None
        if _summary_fight(o, c, types):
            return None
        d = _date_score(o.date, c.date)
    text = max((fuzz.token_set_ratio(o.sentence, x.sentence) / 100.0
                for x in c.obs[:_MAX_TEXT_COMPARE] if x.sentence), default=0.5)
    ranks = [place_rank(x) for x in (o.place, c.place) if x is not None]
    return {
        "type": t, "place": p, "date": d, "actor": _actor_score(o, c), "text": text,
        "same_article": float(same_article), "slack": float(slack),
        "explicit": float(o.explicit_date), "recap": float(o.recap),
        "day": float(o.date is not None and span_days(o.date) == 1),
        "cluster_day": float(c.date is not None and span_days(c.date) == 1),
        "province": float(bool(ranks) and max(ranks) >= 3),
        "nested": float(len(set(ranks)) > 1),
        "dominant": float(o.sub_event_type == _dominant(c)),
        "territorial": float(o.sub_event_type in TERRITORIAL or bool(types & TERRITORIAL)),
        "size": math.log1p(len(c.obs)),
    }


def _province_fight(o: Observation, c: Cluster) -> bool:
    """Fighting known only in a province (troops who crossed the border after a clash
    somewhere in the province) and the change of hands of a district or town in it (a
    district's fall the day before): the fight that led to a change was fought at its
    unit; told only at the province's level it may be any fight there, and joined it would
    type the change away or be typed away by it. The province's capital stands for the
    province (fighting in the province and the fall of its capital)."""
    def province(x: Observation) -> bool:
        return x.place is not None and place_rank(x.place) >= 3

    if o.sub_event_type == CLASH:
        return province(o) and c.place is not None and _inside(c.place) \
            and any(x.sub_event_type in TERRITORIAL for x in c.obs)
    fights = [x for x in c.obs if x.sub_event_type == CLASH]
    return o.place is not None and _inside(o.place) and len(fights) == len(c.obs) \
        and all(province(x) for x in fights)


def _other_unit(o: Observation, c: Cluster) -> bool:
    """A change of a whole province ('took control of Panjshir province') and a change of
    a district or town in it (the fall of Unabah district the day before) are changes of
    two control units: neither report joins the other's event. The province's capital
    stands for the province ('took Nimroz' is the fall of Zaranj)."""
    assert o.place is not None and c.place is not None
    if o.whole_province:
        return _inside(c.place)
    return o.sub_event_type in TERRITORIAL and _inside(o.place) \
        and any(x.whole_province for x in c.obs)


def _inside(p: Place) -> bool:
    """A district or town that is not its province's capital."""
    return place_rank(p) < 3 and Gazetteer.default().capital_province(p.id) is None


# ---------------------------------------------------------------- the pass
def _block(o: Observation) -> tuple[str, str]:
    return ("", "") if o.place is None else _block_of_place(o.place)


def block_key(m: Mention) -> str | None:
    """The fusion block of a mention (country + admin1), None without a place.

    Mentions of different blocks never fuse (except a place-less mention, which joins
    its own article's events), so a distributed runner may fuse block by block.
    """
    p = m.place.place if m.place else None
    if p is None or m.modality in ("hypothetical", "planned", "negated"):
        return None
    return "\x1f".join(_block_of_place(p))


def _block_of_place(p: Place) -> tuple[str, str]:
    if p.kind == "country":
        return (p.name, "")
    return (p.country or "", p.admin1_id or norm_name(p.admin1) or p.id)


def _order(o: Observation) -> tuple[dt.date, int, bool, tuple[object, ...], bool, str]:
    """Date order; on a day, precise dates first, specific types before catch-alls (so a
    catch-all label finds the specific event of its sentence already open), then report
    order, and in one sentence a change of hands before a clash (so 'launched a
    counter-offensive ... and regained control' finds the recapture of its own sentence
    open, not only an earlier capture of the place)."""
    weak = o.sub_event_type in CATCH_ALL
    clash = o.sub_event_type == CLASH
    published, article, offset, oid = o.key
    start, days = (dt.date.max, 0) if o.date is None else (o.date.start, span_days(o.date))
    return (start, days, weak, (published, article, offset), clash, oid)


#: one decision of the linker, recorded for training (``fuse(trace=...)``): the
#: newcomer's mention ids, the mention ids of the candidate event so far, the features
LinkDecision = tuple[tuple[str, ...], tuple[str, ...], dict[str, float]]


def _best(o: Observation, candidates: Sequence[Cluster],
          trace: list[LinkDecision] | None) -> Cluster | None:
    """The candidate ``o`` links to: the most probable one at or above
    :data:`LINK_THRESHOLD` (of equals, the first), None for none."""
    best: tuple[float, Cluster] | None = None
    for c in candidates:
        feats = _link_features(o, c)
        if feats is None:
            continue
        if trace is not None:
            trace.append((o.mention_ids, tuple(m for x in c.obs for m in x.mention_ids), feats))
        s = _LINK_MODEL.predict(feats)
        if s >= LINK_THRESHOLD and (best is None or s > best[0]):
            best = (s, c)
    return None if best is None else best[1]


def _link(observations: list[Observation], clusters: list[Cluster],
          trace: list[LinkDecision] | None = None) -> None:
    """Single pass in date order; ``clusters`` receives the result."""
    for o in sorted(observations, key=_order):
        best = _best(o, clusters, trace)
        if best is None:
            best = Cluster()
            clusters.append(best)
        best.add(o)


def _active(clusters: list[Cluster], start: dt.date) -> list[Cluster]:
    return [c for c in clusters if c.date is None or c.date.end >= start - dt.timedelta(days=1)]


def _sweep(observations: list[Observation], trace: list[LinkDecision] | None = None
           ) -> list[Cluster]:
    """Link one block; only clusters whose date is still open are candidates. The clusters
    go to the occurrence pass in the order they were opened (not the order they closed in,
    which other reports of the block decide: an incremental run, which fuses only the
    neighbourhood of its batch, hands them over in the order a full run does)."""
    made: list[Cluster] = []  # in the order they were opened, whatever else the block holds
    open_: list[Cluster] = []
    for o in sorted(observations, key=_order):
        if o.date is not None:
            open_ = _active(open_, o.date.start)
        before = len(open_)
        _link([o], open_, trace)
        if len(open_) > before:
            made.append(open_[-1])
    return _unfold_changes(collapse(made))


def _unfold_changes(clusters: list[Cluster]) -> list[Cluster]:
    """A change of hands told by an article that tells no fighting of the event, inside an
    event the fighting other articles tell types as a clash (one outlet's 'the city has
    fallen to the Taliban' beside three others' reports of the day's clashes there): typed
    away, the change would be lost; it is an event of its own."""
    out: list[Cluster] = []
    for c in clusters:
        if main_type(c.obs) != CLASH:
            out.append(c)
            continue
        fighting = {a for o in c.obs if o.sub_event_type not in TERRITORIAL for a in o.article_ids}
        told = [o for o in c.obs if o.sub_event_type in TERRITORIAL and o.modality == "asserted"
                and not o.recap and takes_the_place([o]) and not set(o.article_ids) & fighting]
        articles = {a for o in told for a in o.article_ids}
        moved = [o for o in c.obs if set(o.article_ids) & articles]
        fought = sum(o.weight for o in c.obs if o.sub_event_type == CLASH)
        if not moved or len(moved) == len(c.obs) \
                or fought <= sum(o.weight for o in moved if o.sub_event_type in TERRITORIAL):
            out.append(c)  # a tie stays the cautious reading, fighting of outcome unknown
            continue
        kept, change = Cluster(), Cluster()
        for o in c.obs:
            (change if any(o is m for m in moved) else kept).add(o)
        out += [kept, change]
    return out


def fuse(mentions: Sequence[Mention], articles: Mapping[str, Article],
         existing: Sequence[Event] = (), *, fresh: Collection[str] | None = None,
         trace: list[LinkDecision] | None = None) -> FuseResult:
    """Fuse ``mentions`` (new ones plus the stored mentions of ``existing``) into events.

    ``existing`` are stored events of the affected blocks. Those with at least one of
    their mentions in ``mentions`` are rebuilt from their mentions (ids that are no
    longer given are stale re-analysis leftovers and drop out); those with none are
    kept whole and new mentions may join them.

    ``fresh``, when given, names the mentions that are new or rewritten since ``existing``
    was fused (an incremental run's batch). A cluster that comes out holding exactly the
    mentions of a stored event, none of them fresh, under that event's id, is that event:
    it is not built again and not returned, so :attr:`FuseResult.events` holds only the new
    and rebuilt events (what a full rebuild would return minus events equal to their
    stored selves, provided the stored events are what this code built from their
    mentions, as every event a run stores is). The clustering itself is the full one: a
    batch's mentions can change links far from themselves (a province-level report, or a
    day's fighting, joins or splits the events of the days around it), so every mention
    of the affected window is linked again (``tests/test_fuse_incremental.py``).

    ``trace``, when given, receives every decision of the linker (a newcomer beside a
    candidate event that passed the gates, with the link model's features): the training
    rows of ``bench/fusion_pairs.py --train``.
    """
    given = {m.id for m in mentions}
    observations = [o for m in mentions
                    if (o := mention_observation(m, articles)) is not None]
    frozen = [e for e in existing if not set(e.mention_ids) & given]
    observations += [event_observation(e) for e in frozen]

    blocks: dict[tuple[str, str], list[Observation]] = {}
    placeless: list[Observation] = []
    for o in observations:
        (placeless if o.place is None else blocks.setdefault(_block(o), [])).append(o)
    clusters: list[Cluster] = []
    for key in sorted(blocks):
        clusters.extend(_sweep(blocks[key], trace))
    _attach_placeless(placeless, clusters, trace)
    # a report with no date expression from an article with no publication date cannot
    # be placed in time: it stays a stored mention, but an event needs a real date (no
    # 0001-01-01 in an ACLED export); it may still join a dated event of its article
    clusters = [c for c in clusters if c.date is not None and not _thin(c)]

    return _assign_ids(clusters, existing, articles, fresh)


def _thin(c: Cluster) -> bool:
    """Too little evidence for an event: no report carries its own date expression (all
    dates are inherited from the paragraph or the publication day) and even the best
    report is weak (below :data:`MIN_EVIDENCE`: a generic trigger, a missing actor or
    place), unless :data:`MIN_SENTENCES` sentences tell it. Such clusters are mostly background or generic sentences ("fighting reached
    cities", "some were set on fire"); measured on the seeds and the demo corpus this rule
    removes 6 and 28 false events for 0 and 2 true ones (bench/eval_seeds.py). Their
    mentions stay stored; a stored event taken whole is never thinned."""
    if any(o.event is not None or o.explicit_date for o in c.obs):
        return False
    if all_undated_recaps(c):
        # only recaps with no date of their own, joined to no dated report: an earlier
        # occurrence ('one week after a suicide attack on a mosque in Kunduz') whose day
        # the article's is only an upper bound of; its own reports make its event
        return True
    if len({o.sentence for o in c.obs}) >= MIN_SENTENCES:
        return False  # told in three sentences ('an explosion took place in a market', 'gunfire
        # was heard after an explosion', 'the blast hit a police car'): told, not a generic aside
    return max(o.confidence for o in c.obs) < MIN_EVIDENCE


def _attach_placeless(placeless: list[Observation], clusters: list[Cluster],
                      trace: list[LinkDecision] | None = None) -> None:
    """A mention with no place joins the best same-article event, else stands alone."""
    by_article: dict[str, list[Cluster]] = {}
    for c in clusters:
        for a in c.articles:
            by_article.setdefault(a, []).append(c)
    alone: list[Cluster] = []
    for o in sorted(placeless, key=_order):
        candidates = {id(c): c for a in o.article_ids for c in by_article.get(a, [])}
        best = _best(o, list(candidates.values()), trace)
        if best is not None:
            best.add(o)
        else:
            _link([o], alone, trace)
    clusters.extend(alone)


def _assign_ids(clusters: list[Cluster], existing: Sequence[Event],
                articles: Mapping[str, Article], fresh: Collection[str] | None = None) -> FuseResult:
    """Keep stored ids; derive new ids from first mentions.

    A cluster holding reports of several stored events keeps the oldest one's id (the
    others are ``removed``); a stored event split in two keeps its id where most of its
    reports went. A new cluster's id is ``stable_id("event", <its first mention id>)``,
    never one of the stored ids. With ``fresh``, a stored event a cluster reproduces is
    left out (:func:`_unchanged`).
    """
    owner: dict[str, Event] = {}
    for e in existing:
        for mid in e.mention_ids:
            owner.setdefault(mid, e)
        owner.setdefault("event:" + e.id, e)

    def age(e: Event) -> tuple[dt.date, dt.date, str]:
        return (e.first_reported or dt.date.max, e.date.start, e.id)

    by_id = {e.id: e for e in existing}
    pairs: list[tuple[tuple[dt.date, dt.date, str], int, int, Event]] = []
    for i, c in enumerate(clusters):
        overlap: dict[str, int] = {}
        for o in c.obs:
            for k in o.owner_keys:
                if k in owner:
                    overlap[owner[k].id] = overlap.get(owner[k].id, 0) + 1
        pairs += [(age(by_id[eid]), -n, i, by_id[eid]) for eid, n in overlap.items()]
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for _age, _n, i, e in sorted(pairs, key=lambda p: p[:3]):
        if i not in ids and e.id not in taken:
            ids[i] = e.id
            taken.add(e.id)
    reserved = taken | {e.id for e in existing}
    for i, c in enumerate(clusters):
        if i in ids:
            continue
        candidates = [stable_id("event", mid) for o in sorted(c.obs, key=lambda o: o.key)
                      for mid in o.mention_ids]
        eid = next((x for x in candidates if x not in reserved),
                   stable_id("event", *sorted(candidates), len(reserved)))
        ids[i] = eid
        reserved.add(eid)
    events = [build_event(ids[i], c.obs, articles) for i, c in enumerate(clusters)
              if fresh is None or not _unchanged(c, by_id.get(ids[i]), fresh)]
    removed = sorted({e.id for e in existing} - taken)
    events.sort(key=lambda e: (e.date.start, e.id))
    return FuseResult(events=events, removed=removed)


def _unchanged(c: Cluster, stored: Event | None, fresh: Collection[str]) -> bool:
    """The cluster is the stored event it takes the id of: the same mentions, none of them
    fresh (new or rewritten), none a stored event taken whole. ``build_event`` is a pure
    function of the mentions (and their articles, which never change under an id), so it
    would give that event again."""
    if stored is None or any(o.event is not None for o in c.obs):
        return False
    ids = sorted(m for o in c.obs for m in o.mention_ids)
    return tuple(ids) == stored.mention_ids and not any(m in fresh for m in ids)
