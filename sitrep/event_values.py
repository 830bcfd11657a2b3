"""How a fused event's values are derived from the observations that report it.

Split from :mod:`sitrep.fuse` (which decides *which* reports belong together); this
module decides *what the event says*, ACLED-style:

- type: ACLED precedence (``data/occurrence.yaml``) — a territorial change outranks
  the armed clash that preceded it when it has the majority of the support, or a third
  of it told in two or more sentences of its own (ties stay a clash: "fighting,
  outcome unknown" is the cautious reading), and the gaining side is decided before
  the label: the state of the day taking ground regains it, a third side overtakes it
  (:func:`by_gainer`, the conflict profile's sides); otherwise the highest precedence
  tier with support
  (a suicide bomb over the gunfight after it, a clash over the civilians caught in it);
- date: the tightest interval every report of that type supports, with its precision
  (a day-level report of the day outranks a recap, ``Mention.recap``);
- place: the most precise place (all places in an event agree by construction);
- fatalities: conservative — per article the largest count it gives, then the minimum
  over articles — plus the low/high range of every figure;
- status: ``reported`` when a non-party reports it, ``claimed`` when only the party
  that acted (actor1's side) says so, ``disputed`` when a report or claim meets a
  denial, ``denied`` when there are only denials;
- sources: independent outlets; a syndicated copy (``Article.duplicate_of``) counts
  with its original;
- notes: a one-line ACLED-style summary generated from these facts.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlparse

from sitrep.control import gaining_side, taken_for, takes_province
from sitrep.extract.temporal import UNDATED_FLAG
from sitrep.model import (
    TOWN_KINDS,
    Actor,
    Article,
    DateInterval,
    Event,
    Evidence,
    Mention,
    Place,
    within,
)
from sitrep.notes import event_notes
from sitrep.ontology import (
    ATTACK,
    CATCH_ALL,
    CLASH,
    EXCESSIVE_FORCE,
    INTERVENTION,
    OVERTAKES,
    PEACEFUL_PROTEST,
    PROTESTERS_INTER,
    REGAINS,
    STATE_FORCES,
    TERRITORIAL_ORDER,
    TRANSFER,
    event_type_of,
    load_occurrence,
)
from sitrep.profile import active_profile
from sitrep.resolve.actors import resolve_actor
from sitrep.typing_model import SCORE_FLOOR, load_model

__all__ = ["Observation", "agreed", "agreed_types", "build_event", "by_gainer", "consensus", "could_be", "event_observation", "gainer", "generic_attack", "generic_blast", "main_type", "means_named", "mention_observation",
           "place_rank", "takes_the_place", "TERRITORIAL_FAMILY", "TOWN_KINDS"]

TERRITORIAL_FAMILY = TERRITORIAL_ORDER  # order = tie-break preference
_CLASH = CLASH
_NON_VIOLENT = TRANSFER
#: trigger wording of a partial takeover (an entry, a building) rather than of a town's fall
_PARTIAL = load_occurrence().cue("partial_capture")
#: trigger wording that says there was no fight
_NO_FIGHT = load_occurrence().cue("no_fight")
_CATCH_ALL = CATCH_ALL
_NON_STATE = (2, 3)  # ACLED inter codes of rebel groups and political militias
_KILLED_ROLES = frozenset({"killed", "fatalities", "dead"})
_SKIPPED_MODALITIES = frozenset({"hypothetical", "planned", "negated"})
_STATE_SPEAKER = load_occurrence().cue("state_speaker")
#: a blast told by its sound or sight alone, with no means named (whole words)
_GENERIC_BLAST = re.compile(r"\b(?:" + "|".join(
    re.escape(w) for w in load_occurrence().cues["generic_blast"]) + r")\w*", re.I)
#: the types a blast's means name (a bomb, a suicide bomber, shells, an air strike)
_BLAST_MEANS = frozenset(load_occurrence().groups["bombs"] + load_occurrence().groups["remote"])
#: an attack told by the noun alone (whole triggers, lower-case)
_GENERIC_ATTACK = frozenset(load_occurrence().cues["generic_attack"])
#: the types a report of an attack told by the noun alone is read as when no means is named
_UNNAMED_ATTACK = frozenset(load_occurrence().groups["clash"]
                            + load_occurrence().groups["against_civilians"])
_LOG_FLOOR = math.log(SCORE_FLOOR)


@dataclass(frozen=True, slots=True)
class Observation:
    """One report of an occurrence: a mention, or a stored event taken whole."""

    key: tuple[dt.date, str, int, str]  # (published, article id, offset, id): report order
    mention_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    owner_keys: tuple[str, ...]  # what ties it to a stored event (mention ids / "event:<id>")
    sentence: str
    event_type: str
    sub_event_type: str
    date: DateInterval | None
    place: Place | None
    actor1: Actor | None
    actor2: Actor | None
    killed: tuple[int | None, int | None, int | None] | None  # (best, low, high)
    modality: str
    attribution: str | None
    confidence: float
    evidence: tuple[Evidence, ...]
    event: Event | None = None  # set for a stored event taken whole
    explicit_date: bool = True  # dated by its own date expression (not inherited/defaulted)
    trigger: str = ""  # the trigger's words (a mention's), for wording cues
    #: the trigger's article offsets (a mention's): two readings of the same words
    trigger_span: tuple[int, int] | None = None
    recap: bool = False  # the sentence recaps an earlier occurrence (Mention.recap)
    # a recap with no date of its own: its day is only an upper bound (the paragraph's or
    # the publication's day; ``extract.temporal.UNDATED_FLAG``)
    undated_recap: bool = False
    #: a change of hands whose report names its province itself as what was taken ('took
    #: control of Panjshir province'): a unit of its own, not a district's change
    whole_province: bool = False
    #: the learned typing's log-probabilities (``Mention.type_scores``); empty: unscored
    type_scores: tuple[tuple[str, float], ...] = ()
    #: actor1 is written in the report's own sentence (not carried in from another sentence
    #: of the story): only a written captor says which side a change went to
    actor1_written: bool = True

    def prob(self, sub_event_type: str) -> float | None:
        """The learned typing's probability that this report is of ``sub_event_type``
        (the floor for a type it gave no fair chance), None when it was not scored."""
        if not self.type_scores:
            return None
        # a scan of a few pairs: this runs for every candidate pair fusion weighs
        log_p = next((lp for t, lp in self.type_scores if t == sub_event_type), _LOG_FLOOR)
        return math.exp(log_p)

    @property
    def weight(self) -> float:
        """Support for the type vote; a denial hardly supports what it denies."""
        w = len(self.mention_ids) * max(self.confidence, 0.1)
        if self.sub_event_type in _CATCH_ALL:  # a catch-all never outvotes a specific type
            w *= 0.4
        return w * 0.25 if self.modality == "denied" else w


def mention_observation(m: Mention, articles: Mapping[str, Article]) -> Observation | None:
    """An observation from a mention; None for hypothetical / planned / negated ones."""
    if m.modality in _SKIPPED_MODALITIES:
        return None
    art = articles.get(m.article_id)
    published = art.published if art else None
    inherited_publication = (m.date is not None and m.date.span is None
                             and m.date.basis.startswith("inherited: publication"))
    if m.date is not None and not (inherited_publication and published is not None):
        date: DateInterval | None = m.date.interval
    elif published is not None:  # no date expression: news is about today or yesterday
        date = DateInterval(published - dt.timedelta(days=1), published, "range")
    else:
        date = None
    killed = [q for q in m.numbers if q.role in _KILLED_ROLES]
    k: tuple[int | None, int | None, int | None] | None = None
    if killed:
        values = [q.value for q in killed if q.value is not None]
        lows = [q.low if q.low is not None else q.value for q in killed]
        highs = [q.high if q.high is not None else q.value for q in killed]
        k = (max(values) if values else None,
             min((x for x in lows if x is not None), default=None),
             max((x for x in highs if x is not None), default=None))
    # a recap's date that is only an upper bound ('after it fell ..., the ministry said
    # today') is not its own date expression
    undated_recap = m.recap and m.date is not None and UNDATED_FLAG in m.date.flags
    return Observation(
        key=(published or dt.date.max, m.article_id, m.sentence.start, m.id),
        mention_ids=(m.id,), article_ids=(m.article_id,), owner_keys=(m.id,),
        sentence=m.sentence.text, event_type=m.event_type, sub_event_type=m.sub_event_type,
        date=date, place=m.place.place if m.place else None,
        actor1=m.actor1.actor if m.actor1 else None, actor2=m.actor2.actor if m.actor2 else None,
        killed=k, modality=m.modality, attribution=m.attribution, confidence=m.confidence,
        evidence=(_evidence(m),),
        explicit_date=(m.date is not None and m.date.span is not None
                       and not m.date.basis.startswith("inherited") and not undated_recap),
        trigger=m.trigger.text, trigger_span=(m.trigger.start, m.trigger.end), recap=m.recap,
        undated_recap=undated_recap, type_scores=m.type_scores,
        actor1_written=m.actor1 is not None and within(m.actor1.span, m.sentence),
        whole_province=(m.sub_event_type in TERRITORIAL_FAMILY and m.place is not None
                        and m.place.place is not None and m.place.place.kind == "province"
                        and takes_province(m)),
    )


def _evidence(m: Mention) -> Evidence:
    return Evidence(m.article_id, m.sentence.start, m.sentence.end, m.sentence.text)


def event_observation(e: Event) -> Observation:
    """A stored event whose mentions were not passed in, taken whole."""
    return Observation(
        key=(e.first_reported or dt.date.max, "", 0, e.id),
        mention_ids=e.mention_ids, article_ids=e.article_ids,
        owner_keys=("event:" + e.id, *e.mention_ids),
        sentence=e.evidence[0].quote if e.evidence else "", event_type=e.event_type,
        sub_event_type=e.sub_event_type, date=e.date, place=e.place, actor1=e.actor1,
        actor2=e.actor2,
        killed=(e.fatalities, e.fatalities_low, e.fatalities_high)
        if e.fatalities is not None else None,
        modality="asserted", attribution=None, confidence=e.confidence, evidence=e.evidence,
        event=e,
    )


# ---------------------------------------------------------------- type, date, place
def takes_the_place(obs: Iterable[Observation]) -> bool:
    """Whether some report says the place itself changed hands, not only a building in
    it or an entry ('seized the jail', 'entered the city' do not)."""
    return any(o.sub_event_type in TERRITORIAL_FAMILY and not _PARTIAL.search(o.trigger)
               for o in obs)


def could_be(own: str, sub_event_type: str, p: float | None, agree: float) -> bool:
    """Whether a report typed ``own`` may be a report of ``sub_event_type``: the learned
    typing gives that type probability ``p >= agree`` (``TypingModel.agree``, chosen by
    article-grouped CV in ``bench/train_typing.py``). A change of hands is the rules'
    alone, both ways: a capture is never a recapture, nor anything else, and nothing
    becomes a change by the model (an arrest of the governor, families fleeing across
    the border are events of their own beside the city's fall); nor does the model join
    a pair ``occurrence.yaml`` says never is one occurrence (the airstrikes of the night
    are not the ground fighting of the day)."""
    if own == sub_event_type:
        return True
    if own in TERRITORIAL_FAMILY or sub_event_type in TERRITORIAL_FAMILY \
            or frozenset((own, sub_event_type)) in load_occurrence().never:
        return False
    return p is not None and p >= agree


def consensus(own: Sequence[str], scores: Sequence[Mapping[str, float] | None]) -> str | None:
    """The type the reports of one event support best (``own``: their types; ``scores``:
    each one's log-probabilities, None when unscored): of their own non-territorial
    types, the one with the largest sum of log-probabilities (a missing type counts
    :data:`SCORE_FLOOR`; an unscored report counts its own type as certain), the first
    reported on a tie. None when there is nothing to choose."""
    types = list(dict.fromkeys(t for t in own if t not in TERRITORIAL_FAMILY))
    if len(types) < 2 or not any(scores):
        return None

    def support(t: str) -> float:
        return sum(sc.get(t, _LOG_FLOOR) if sc else 0.0 if o == t else _LOG_FLOOR
                   for o, sc in zip(own, scores, strict=True))

    return max(types, key=support)  # max keeps the first of equals


def agreed(o: Observation, sub_event_type: str) -> bool:
    """:func:`could_be` for a report, with the shipped model's ``agree``."""
    return could_be(o.sub_event_type, sub_event_type, o.prob(sub_event_type), load_model().agree)


def agreed_types(obs: Sequence[Observation]) -> list[Observation]:
    """Event-level typing: the reports of one event re-typed to their :func:`consensus`
    type where the learned typing finds that type likely for them (:func:`could_be`). A
    recap or a detail sentence read as another type then joins the type of the main
    report instead of outvoting it or splitting off; reports the model finds unlike that
    type keep theirs for the ACLED precedence of :func:`main_type`."""
    best = consensus([o.sub_event_type for o in obs],
                     [dict(o.type_scores) if o.type_scores else None for o in obs])
    if best is None:
        return list(obs)
    return [replace(o, sub_event_type=best, event_type=event_type_of(best))
            if o.sub_event_type != best and agreed(o, best) else o for o in obs]


def main_type(obs: Iterable[Observation]) -> str:
    """The sub-event type of the event these reports make (ACLED precedence).

    A territorial change outranks the clash before it when it has the majority of the
    support (the fighting told in the very sentence of the change is the change's, not
    against it), or when two or more sentences tell the fall itself and it has a third of
    it; otherwise the first precedence tier of ``occurrence.yaml`` with support
    wins (a suicide bomb over the gunfight after it, a clash over the civilians caught
    in it), inside a tier the best-supported type, the type reported first on a tie.
    A capture or recapture is then typed by the side that gained (:func:`by_gainer`).
    """
    obs = agreed_types(sorted(obs, key=lambda o: o.key))
    weight: defaultdict[str, float] = defaultdict(float)
    nonstate_gain = 0.0  # support for the non-state side gaining: captures, handovers to it
    for o in obs:
        partial = o.sub_event_type in TERRITORIAL_FAMILY and _PARTIAL.search(o.trigger)
        # entering a town or seizing a building in it is not taking the town: with fighting
        # reported, such an event is a clash (ACLED codes Qala-e-Naw's 7 July entry so)
        w = o.weight * (0.4 if partial else 1.0)
        weight[o.sub_event_type] += w
        if o.sub_event_type == OVERTAKES or o.sub_event_type == _NON_VIOLENT \
                and o.actor1 is not None and o.actor1.inter in _NON_STATE:
            nonstate_gain += w
    peaceful = sum(o.weight for o in obs if o.sub_event_type == _NON_VIOLENT and o.modality == "asserted"
                   and _NO_FIGHT.search(o.trigger))
    territorial = sum(weight[t] for t in TERRITORIAL_FAMILY)
    # the outcome is known when two or more sentences tell the fall itself: a fight told
    # in detail (the dead, the wounded, each a clash report) does not outvote it then
    told = {o.sentence for o in obs if o.sub_event_type in TERRITORIAL_FAMILY
            and o.modality == "asserted" and not _PARTIAL.search(o.trigger)}
    # the fighting a sentence tells with its outcome ('launched a counter-offensive ... and
    # regained control') is that change's, not a report against it; nor is the fighting a
    # sentence recalls beside a report of the change itself ('after a nearly three-month
    # siege' of the day Mariupol was taken): it led to the change
    news = any(o.sub_event_type in TERRITORIAL_FAMILY and not o.recap for o in obs)
    fought = sum(o.weight for o in obs if o.sub_event_type == _CLASH and o.sentence not in told
                 and not (news and o.recap))
    if territorial and (territorial > fought
                        or len(told) >= 2 and 2 * territorial >= weight[_CLASH]):
        best = max(TERRITORIAL_FAMILY, key=lambda t: (weight[t], -TERRITORIAL_FAMILY.index(t)))
        if best == REGAINS and nonstate_gain > weight[REGAINS]:
            # the side that gained decides first: 'overran' plus 'handed over to the
            # Taliban' outweigh 'pushed back' even when each is less than it
            best = OVERTAKES
        if best == OVERTAKES and peaceful and not weight[_CLASH]:
            # 'captured' / 'overran' do not say there was fighting; 'without a fight' does say
            # there was none: with no clash reported, the fall was a non-violent transfer
            # (an allegation of a handover does not count)
            best = _NON_VIOLENT
        if best == _NON_VIOLENT and weight[_CLASH]:
            # fighting followed by a takeover is not a non-violent transfer
            best = OVERTAKES if nonstate_gain >= weight[REGAINS] else REGAINS
        return by_gainer(best, obs)
    # a territorial change short of the majority leaves the clash ('fighting, outcome
    # unknown' is the cautious reading)
    in_order = [t for t in dict.fromkeys(o.sub_event_type for o in obs)
                if not (t in TERRITORIAL_FAMILY and weight[_CLASH])]
    # 'explosions rocked the district' read as a bomb does not outrank the missiles the
    # other reports name: a type only generic blast words support gives way to a means
    named = {o.sub_event_type for o in obs if not generic_blast(o.trigger) and not generic_attack(o)}
    if named & _BLAST_MEANS:
        in_order = [t for t in in_order if t in named] or in_order
    occurrence = load_occurrence()
    top = min(occurrence.rank(t) for t in in_order)
    # max() keeps the first of equals: the type reported first wins a tie, a clash first
    best = max((t for t in in_order if occurrence.rank(t) == top),
               key=lambda t: (weight[t], t == _CLASH))
    if best == ATTACK and any(o.sub_event_type == PEACEFUL_PROTEST and o.modality == "asserted"
                              for o in obs):
        best = EXCESSIVE_FORCE  # civilians shot at the protest of its article, place and day
    return _force_by_harm(best, obs)


def _force_by_harm(sub_event_type: str, obs: Sequence[Observation]) -> str:
    """Force met by a protest, typed by its harm as ACLED does: protesters killed make it
    'Excessive force against protesters'; a protest dispersed with no one reported killed
    (shots in the air, beatings, arrests) is a 'Protest with intervention'. The toll is
    the event's own (:func:`_fatalities`)."""
    if sub_event_type not in (EXCESSIVE_FORCE, INTERVENTION):
        return sub_event_type
    best, _low, high = _fatalities(list(obs))
    return EXCESSIVE_FORCE if (best or high or 0) > 0 else INTERVENTION


def generic_blast(trigger: str) -> bool:
    """Whether a trigger tells a blast by its sound or sight alone ('explosions', 'went
    off'): every word of it is a generic blast word, none names a means."""
    return bool(trigger.strip()) and not re.sub(r"\W+", "", _GENERIC_BLAST.sub("", trigger))


def generic_attack(o: Observation) -> bool:
    """Whether a report tells an attack by the noun alone ('the attack on the port'), read
    as a clash or an attack on civilians for want of a means."""
    return o.sub_event_type in _UNNAMED_ATTACK and o.trigger.strip().lower() in _GENERIC_ATTACK


def means_named(a: Sequence[Observation], b: Sequence[Observation]) -> bool:
    """Whether one side's reports are all attacks told by the noun alone and the other's
    name how it was carried out (shells, an air strike, a bomb): one occurrence may be
    both, whatever the types the noun was read as (:func:`generic_attack`)."""
    def told(x: Sequence[Observation]) -> bool:
        return any(o.sub_event_type in _BLAST_MEANS and not generic_blast(o.trigger) for o in x)
    return any(bool(x) and all(generic_attack(o) for o in x) and told(y)
               for x, y in ((a, b), (b, a)))


def gainer(obs: Iterable[Observation]) -> str | None:
    """The side the reports' changes of hands went to, by support: the side each capture
    or recapture with a written captor hands its unit to, as the timeline reads it
    (``control.taken_for``: a state actor misread on a capture does not split it); a
    withdrawal or a handover names no captor this way. None when no report tells it or
    two sides have equal support."""
    profile = active_profile()
    known = {s.key for s in profile.sides.sides}
    support: dict[str, float] = {}
    for o in obs:
        if o.sub_event_type in (OVERTAKES, REGAINS) and o.actor1 is not None \
                and o.actor1_written and o.date is not None:
            side = taken_for(o.sub_event_type, profile.side_of(o.actor1), o.date.start)
            if side in known:
                support[side] = support.get(side, 0.0) + o.weight
    ranked = sorted(support.items(), key=lambda kv: -kv[1])[:2]
    if not ranked or len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def by_gainer(sub_event_type: str, obs: Sequence[Observation]) -> str:
    """A capture or a recapture typed by the side that gained, as ACLED codes it: the
    state of that day taking ground is 'Government regains territory', a side that is
    neither the state nor the insurgent side ('resistance forces retook three districts')
    'Non-state actor overtakes territory', whatever verb the report used; the insurgent
    side once it is the state (after the fall of Kabul) keeps its reports' reading: its
    first captures overtake ('captured Bazarak'), its retakings regain. The side is
    the one actor1 takes ground for (``control.gaining_side``, the one definition the
    control timeline uses too; ``Sides.state_on``), read from the reports of the capture
    or recapture; unknown, foreign or disagreeing sides leave the type as it is (an
    insurgent actor1 on a recapture is more often a misread actor than an insurgent
    retaking: the control timeline reads it so too unless the sentence writes it as the
    agent)."""
    if sub_event_type not in (OVERTAKES, REGAINS):
        return sub_event_type
    reports = [o for o in obs if o.sub_event_type in (OVERTAKES, REGAINS) and o.actor1 is not None
               and o.actor1_written]
    days = [o.date.start for o in reports if o.date is not None]
    if not reports or not days:
        return sub_event_type
    profile = active_profile()
    sides = profile.sides
    state = sides.state_on(min(days))
    gainers = {gaining_side(profile.side_of(o.actor1), min(days)) for o in reports}
    if len(gainers) != 1:
        return sub_event_type
    side = gainers.pop()
    if side is None or side == "foreign" or side not in {s.key for s in sides.sides}:
        return sub_event_type
    if side == state and side != sides.insurgent:
        return REGAINS
    if side == state:
        # the insurgent side become the state (the Taliban after the fall of Kabul): its
        # reports' own reading decides, a first capture ('captured Bazarak') overtakes, a
        # retaking ('recaptured three districts') regains (extract.mentions._gain_type)
        return sub_event_type
    if side != sides.insurgent:
        return OVERTAKES  # a third side ('resistance forces retook three districts')
    return sub_event_type


def _fused_date(obs: list[Observation]) -> DateInterval:
    """The tightest interval the reports support; a report dated to the day by its own
    expression outranks one that only inherited the paragraph's or the publication's date (a default,
    not evidence), unless the explicit dates leave nothing in common."""
    explicit = [o for o in obs if o.explicit_date and o.date is not None and o.date.precision == "day"]
    news = [o for o in explicit if not o.recap]
    if news and len(news) < len(explicit):  # a day-level report of the day outranks a recap
        explicit = news
    if explicit and len(explicit) < len(obs):
        fused = _fused_date(explicit)
        # an article's undated lead ('... retook Saighan and Kahmard') is the occurrence its
        # own body dates ('this (Friday) morning'): only other articles' defaults can object
        dating = {a for o in explicit for a in o.article_ids}
        inherited = [o.date for o in obs if not o.explicit_date and o.date is not None
                     and not set(o.article_ids) <= dating]
        if not inherited or any(fused.overlaps(d, 1) for d in inherited):
            return fused
    dated = [o.date for o in obs if o.date is not None]
    if not dated:
        return DateInterval(dt.date.min, dt.date.min, "year")
    start, end = max(d.start for d in dated), min(d.end for d in dated)
    if start > end:  # reports disagree (a slack-linked clash, a stray date): the day most
        # reports support wins; ties go to the narrowest, then the earliest (the first
        # report: a rewrite published a day later resolves 'on Sunday' a day off)
        support: dict[DateInterval, float] = {}
        for o in obs:
            if o.date is not None:
                support[o.date] = support.get(o.date, 0.0) + max(o.confidence, 0.1)
        return max(support, key=lambda d: (support[d], -(d.end - d.start).days, -d.start.toordinal()))
    if start == end:
        return DateInterval(start, end, "day")
    for d in sorted(dated, key=lambda d: (d.end - d.start).days):
        if d.start == start and d.end == end:
            return DateInterval(start, end, d.precision)
    return DateInterval(start, end, "range")


_PLACE_RANK = {"country": 4, "region": 4, "province": 3, "district": 2, "base": 0, "site": 0}


def place_rank(p: Place) -> int:
    """Smaller is more precise: 0 a site (an airport, a base), 1 point, 2 district,
    3 province, 4 country or region."""
    return _PLACE_RANK.get(p.kind, 1)


def _place(obs: list[Observation]) -> Place | None:
    """The most precise place; between points, a village (a quarter of the town the other
    reports name) before the town, then the most reported."""
    places = [o.place for o in obs if o.place is not None]
    if not places:
        return None
    count = Counter(p.id for p in places)
    return min(places, key=lambda p: (place_rank(p), p.geo_precision or 1, p.kind in TOWN_KINDS,
                                      -count[p.id]))


def _actor(actors: Iterable[Actor | None], exclude: Actor | None = None) -> Actor | None:
    found = [a for a in actors if a is not None and (exclude is None or a.id != exclude.id)]
    if not found:
        return None
    count = Counter(a.id for a in found)
    return max(found, key=lambda a: count[a.id])  # max keeps the first of equals


# ---------------------------------------------------------------- status
def _resolve(text: str) -> Actor | None:
    return resolve_actor(text)


def _is_party(attribution: str | None, actor: Actor | None) -> bool:
    """Whether the speaker is on the side of the actor who acted (a claim of credit)."""
    if not attribution or actor is None:
        return False
    said = _resolve(attribution)
    if said is not None:
        return said.id == actor.id or (
            said.inter == STATE_FORCES and actor.inter == STATE_FORCES and said.country == actor.country)
    low = attribution.lower()
    if actor.inter == STATE_FORCES:
        return bool(_STATE_SPEAKER.search(low))
    words = [w for w in actor.name.lower().replace("(", " ").split() if len(w) > 3]
    return bool(words) and words[0] in low


def _status(obs: list[Observation], actor1: Actor | None,
            articles: Mapping[str, Article]) -> tuple[str, str | None, tuple[str, ...]]:
    """Status from the reports of the event's own type (a denial of the clash is not
    a denial of the capture it was fused with)."""
    reports: list[str] = []
    claims: list[str] = []
    denials = 0
    for o in sorted(obs, key=lambda o: o.key):
        if o.event is not None:  # a stored event keeps what it knew
            e = o.event
            if e.status in ("reported", "disputed"):
                reports.extend(e.confirmed_by or ("stored report",))
            if e.status in ("claimed", "disputed") and e.claimed_by:
                claims.append(e.claimed_by)
            denials += e.status in ("denied", "disputed")
            continue
        if o.modality == "denied":
            denials += 1
        elif _is_party(o.attribution, actor1):
            claims.append(actor1.name if actor1 else o.attribution or "")
        else:
            art = articles.get(o.article_ids[0])
            reports.append(o.attribution or (art.outlet if art and art.outlet else "") or "")
    confirmed = tuple(dict.fromkeys(r for r in reports if r))
    if denials and (reports or claims):
        status = "disputed"
    elif denials:
        status = "denied"
    elif reports:
        status = "reported"
    else:
        status = "claimed"
    claimed_by = claims[0] if claims else None
    if claimed_by is None and status == "disputed":
        claimed_by = next((o.attribution for o in obs if o.attribution
                           and o.modality not in ("denied", "negated")), None)
    return status, claimed_by, confirmed[:8]


# ---------------------------------------------------------------- sources, numbers
def outlet_name(a: Article) -> str:
    """The outlet an article counts as (outlet, else wire, else web host, else source)."""
    if a.outlet:
        return a.outlet
    if a.wire:
        return a.wire
    if a.url:
        host = urlparse(a.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return a.source or a.id


def _sources(article_ids: list[str], articles: Mapping[str, Article],
             stored: list[Event]) -> tuple[str, ...]:
    names: list[str] = []
    for aid in article_ids:
        a = articles.get(aid)
        if a is None:
            continue
        original = articles.get(a.duplicate_of) if a.duplicate_of else None
        names.append(outlet_name(original or a))
    for e in stored:
        names.extend(e.sources)
    return tuple(dict.fromkeys(names))


def _fatalities(obs: list[Observation]) -> tuple[int | None, int | None, int | None]:
    per_article: dict[str, list[tuple[int | None, int | None, int | None]]] = {}
    for o in obs:
        if o.killed is not None:
            per_article.setdefault(o.article_ids[0] if o.event is None else "event:" + o.key[3],
                                   []).append(o.killed)
    if not per_article:
        return None, None, None
    bests = [max((k[0] for k in ks if k[0] is not None), default=None)
             for ks in per_article.values()]
    known = [b for b in bests if b is not None]
    lows = [k[1] for ks in per_article.values() for k in ks if k[1] is not None]
    highs = [k[2] for ks in per_article.values() for k in ks if k[2] is not None]
    return (min(known) if known else None, min(lows, default=None), max(highs, default=None))


# ---------------------------------------------------------------- the event
def build_event(event_id: str, obs: list[Observation], articles: Mapping[str, Article]) -> Event:
    """The fused event of one cluster of observations."""
    obs = agreed_types(sorted(obs, key=lambda o: o.key))
    sub = main_type(obs)
    family = set(TERRITORIAL_FAMILY) if sub in TERRITORIAL_FAMILY else {sub}
    main = [o for o in obs if o.sub_event_type in family] or obs
    stored = [o.event for o in obs if o.event is not None]
    crowd = None
    if sub in (EXCESSIVE_FORCE, INTERVENTION) and not any(o.sub_event_type == sub for o in obs):
        # a protest and the attack on its crowd (main_type): the attacker fired on the protesters
        main = [o for o in obs if o.sub_event_type == ATTACK] or main
        crowd = _actor(o.actor1 for o in obs if o.sub_event_type == PEACEFUL_PROTEST
                       and o.actor1 is not None and o.actor1.inter == PROTESTERS_INTER)
    actor1 = _actor(o.actor1 for o in main)
    actor2 = crowd or _actor((o.actor2 for o in main), exclude=actor1)
    status, claimed_by, confirmed_by = _status(main, actor1, articles)

    def published(aid: str) -> dt.date:
        a = articles.get(aid)
        return a.published if a and a.published else dt.date.max

    article_ids = sorted({a for o in obs for a in o.article_ids}, key=lambda a: (published(a), a))
    firsts = [published(a) for a in article_ids if published(a) != dt.date.max]
    firsts += [e.first_reported for e in stored if e.first_reported]
    evidence = sorted({ev for o in obs for ev in o.evidence},
                      key=lambda ev: (article_ids.index(ev.article_id)
                                      if ev.article_id in article_ids else len(article_ids),
                                      ev.start, ev.end))
    sources = _sources(article_ids, articles, stored)
    best, low, high = _fatalities(obs)
    # noisy-or over articles: each independent report raises the confidence
    best_conf: dict[str, float] = {}
    for o in obs:
        for aid in o.article_ids[:1]:
            best_conf[aid] = max(best_conf.get(aid, 0.0), min(max(o.confidence, 0.0), 0.95))
    miss = 1.0
    for c in best_conf.values():
        miss *= 1.0 - c
    event = Event(
        id=event_id, date=_fused_date(main),
        event_type=event_type_of(sub),  # one ontology: never a family member's other type
        sub_event_type=sub, actor1=actor1, actor2=actor2, place=_place(obs),
        fatalities=best, fatalities_low=low, fatalities_high=high,
        status=status,  # type: ignore[arg-type]
        claimed_by=claimed_by, confirmed_by=confirmed_by,
        mention_ids=tuple(sorted({m for o in obs for m in o.mention_ids})),
        article_ids=tuple(article_ids), sources=sources, n_sources=len(sources),
        first_reported=min(firsts) if firsts else None,
        confidence=round(min(0.99, 1.0 - miss), 3), evidence=tuple(evidence),
        notes="",
    )
    return _with_notes(event, obs)


def _with_notes(event: Event, obs: list[Observation]) -> Event:
    fought = event.sub_event_type in TERRITORIAL_FAMILY and any(
        o.sub_event_type == _CLASH for o in obs)
    return replace(event, notes=event_notes(event, after_clashes=fought))
