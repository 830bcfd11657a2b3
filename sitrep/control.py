"""Territorial control: who holds which unit from which day, and on what evidence.

A control map that misses recaptures, or paints a claim as fact, is worse than none
(the Long War Journal map is the anchor: controlled / contested / unconfirmed /
government). The timeline here is *derived* from the fused events, so it is rebuilt
in full whenever events change (cheap: one pass over the territorial events):

- a unit is the event's place when it is a district, a town (a provincial capital is
  ``provincial_capital``), a base (prisons count as bases) or a border crossing.
  Province-level reports do not change a province's controller: "ten districts of
  Badakhshan fell" says nothing about the province as a whole; a report that names the
  province itself as what was taken ("took control of Panjshir province") does, dated
  by that report;
- the sides that hold ground and which actor hands a unit to which are data, the
  active conflict profile's sides (:mod:`sitrep.profile`; for afghanistan-2021
  ``data/sides.yaml``: taliban, government and, after the fall of Kabul, the NRF):
  *overtakes* → actor1's side when it is a non-state side that day (the NRF in
  Andarab), else the Taliban (the type says a non-state actor gained); *regains* →
  actor1's side when it is a third side (the NRF retaking what it lost), else the state
  of its day (the government; after 15 Aug 2021 the Taliban retaking from the NRF); *non-violent transfer* → actor1's side (a giving side's actor1 hands over; a
  departing foreign force hands over to the government); an unresolved *armed clash*
  inside a town / district / base between sides that hold ground → ``contested``
  (only with at least week precision: "attacked in June" does not date a state; not
  civilians, a foreign force, or Islamic State fighters against the Taliban);
- a district centre stands for its district (the town of Spin Boldak falling is the
  district falling); a provincial capital is its own unit;
- a capture of a share of a place ("most of the provincial capital"), or only an entry
  into it or a building in it ("entered the city", "broke into", "the headquarters that
  the insurgents had seized") → ``contested`` until a report says the place fell, was
  taken or had its flag raised (a later report, or another report of the same event:
  the holder's withdrawal from the town the other side entered is one; the entering
  side's own withdrawal is not). The side that already holds the unit entering it
  puts nothing in dispute;
- a report that names no unit of its own changes none: a count of units ("captured
  two more districts") at a place named elsewhere or at the dateline, a province read
  as its capital ("a town in Kandahar province"), an unnamed town inside the place, a
  destination ("his departure to Kabul"), a site the trigger names ("captured the key
  border crossing") while the place is a town or district; nor does a change told as
  imminent ("on the verge of capturing Lashkar Gah": a capital is never shown taken
  before it fell). "The centres of Kunar and Paktia provinces" are their capitals;
- a change that only the acting party claims gives that party the unit with
  ``confirmed=False`` (the gold convention: "the Taliban claim to have taken Kandahar"
  → Taliban, claimed); a later report by anyone else adds a confirmed row. Denied
  events change nothing;
- one row per change per unit, in date order; a report that repeats the current
  state adds its event to that row's basis instead of a new row. A later capture by
  the other side flips the unit back (recaptures count);
- a state machine per unit: a unit cannot be taken twice by the same side without a
  change between, so a month-level or undated recap of a change ("In July, the Taliban
  took …", "Zaranj, which fell …") never creates it earlier than a day-level report of
  the same change: it becomes basis of that report's row. Alone, a vague change is
  dated at the end of its span (the day it is known to have happened by: never early
  on the map) — a state told as holding since a time ("occupied since March") at its
  start — and before any later change of hands; a change dated to a span of
  several days ("since Friday") takes the day of a day-level report inside the span;
- on one day, a change backed by its actor1's side wins over one that is not (a
  recapture misread as a capture with no actor);
- who gains is the side most of the event's reports hand the unit to, each report read
  with its own type and the actors its own sentence writes (a report whose actors are
  carried in from the story or are defaults casts no vote; the fused event's reading
  breaks a tie): 'Ukrainian forces entered Lyman' outvotes a 'capture of Lyman' read
  with the story's Russian actor. A withdrawal ('withdrew from', 'left') hands the unit
  to the other side of the side written leaving it (:func:`_left_to`, the profile's one
  rule for withdrawals); one that names no one leaving changes nothing;
- a change rests on the reports that name its place: one naming no unit of its own
  ('entered several settlements on the way to Kherson on Nov. 9') neither makes nor
  dates it; nor does one whose trigger takes a site ('the nuclear power plant') or
  unnamed ground ('territory along a river', 'several locations around Bakhmut');
- a report that writes no captor but the side the unit was taken from ('was taken back
  from the Taliban') hands it to the other side of that one; one whose agent is a
  pronoun pointing back to the speaker it quotes ('Russia said its forces had taken
  control of Blahodatne', 'Ukraine says it has recaptured Kupyansk') hands it to the
  speaker's side (or, giving it up, 'it had lost', to the other); who gains for a side is
  one definition, :func:`gaining_side`, shared with the event typing; of two readings of one
  change that tie, a retaking's wins (it presupposes the loss: the unit is left in it);
- a fused event tells each change of hands its reports tell: a change fusion joined to
  the fighting before it ('heavy fighting in Hostomel' + 'Hostomel was liberated', told as
  fact, typed a change by the learned typing, no modal before its trigger) hands the
  unit over after the dispute; reports that hand the unit to different sides on
  different days (a capture and its recapture, fused) are one change each;
- a fallen state holds no ground: its forces and militias fighting on take ground for
  the resistance; once the insurgents are the state, a place they leave goes to the
  resistance, and a departing foreign force hands its base to the new state.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from sitrep.lexicon import function_words
from sitrep.model import (
    NAMED_BEFORE,
    NAMED_NEXT,
    NEAR,
    Actor,
    ActorRef,
    Controller,
    ControlState,
    DateInterval,
    Event,
    Evidence,
    Mention,
    Place,
    UnitLevel,
    within,
)
from sitrep.ontology import (
    CLASH,
    OVERTAKES,
    REGAINS,
    TERRITORIAL,
    TRANSFER,
    Sides,
    load_occurrence,
)
from sitrep.profile import active_profile
from sitrep.resolve.actors import resolve_actor
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.names import name_key

__all__ = ["derive_control", "gaining_side", "resume_timeline", "state_as_of", "trace_changes", "unit_level",
           "TERRITORIAL", "CLASH"]

_UNIT_KINDS: dict[str, UnitLevel] = {"province": "province", "district": "district",
                                     "city": "city", "base": "base",
                                     "prison": "base", "site": "base",
                                     "border_crossing": "border_crossing",
                                     "provincial_capital": "provincial_capital"}
_MAX_EVIDENCE = 6
_Item = tuple[Event, Controller, bool, Controller]  # event, controller, confirmed, gainer
_Dated = tuple[Event, Controller, bool, Controller, dt.date]  # ... and the row's day


def _capital_province(place: Place) -> str | None:
    return Gazetteer.default().capital_province(place.id)


def _district_of_centre(place: Place) -> Place:
    """A district centre stands for its district: the town of Spin Boldak or Imam Sahib
    falling is the district falling (the unit the map and the gold code). A provincial
    capital, or a town named otherwise than its district, stays itself. So does a town whose
    district the gazetteer lists under its bare name as an alternate only (the Ukrainian
    raions are 'Izium Raion': ACLED codes Ukraine's settlements, not their raions)."""
    if unit_level(place) != "city" or not place.admin2_id:
        return place
    entry = Gazetteer.default().entry(place.admin2_id)
    if entry is None or entry.place.kind != "district" \
            or name_key(entry.place.name) != name_key(place.name) \
            or name_key(entry.place.name) not in {name_key(n) for n in entry.names}:
        return place
    return entry.place


def unit_level(place: Place) -> UnitLevel | None:
    """The control unit level of a place, or None when it is not a unit the profile tracks
    (a province is one only when a report names it as what changed hands)."""
    level = _UNIT_KINDS.get(place.kind)
    if level == "city" and _capital_province(place):
        level = "provincial_capital"
    return level if level in active_profile().tracked_levels else None


def _sides() -> Sides:
    """The active profile's sides (who holds ground, who hands a unit to whom)."""
    return active_profile().sides


def _side(actor: Actor | None) -> str | None:
    """The side key of sides.yaml, 'foreign' or None (unknown): the profile's one reading
    (:meth:`sitrep.profile.Profile.side_of`)."""
    return active_profile().side_of(actor)


def _gainer(e: Event) -> Controller | None:
    """The side a territorial change hands its unit to (sides.yaml decides which actor
    hands a unit to which side): a capture's or a recapture's by :func:`taken_for`; a
    *non-violent transfer* → actor1's side, except that a giving side's actor1 hands over
    (to actor2's side, or the insurgent side) and a departing foreign force, actor1 or
    actor2, hands over to the other actor's side or ``foreign_hands_to``.
    """
    day = e.date.start
    if e.sub_event_type in (OVERTAKES, REGAINS):
        return taken_for(e.sub_event_type, _side(e.actor1), day)
    side = gaining_side(_side(e.actor1), day)
    rules = _sides()
    sides = {s.key for s in rules.sides}
    if e.sub_event_type == TRANSFER:
        other = _side(e.actor2)
        if other == "foreign" and side in sides:
            return side  # a foreign force handed it over
        if side in sides and rules.get(side).gives:
            return (other if other in sides and other != side
                    else rules.insurgent)
        if side in sides:
            return side
        if side == "foreign":
            return other if other in sides else _handed_to(day)
        if side is None and other in sides:
            # only the side that left is named ('Government forces abandoned the district
            # centre', 'Russian troops withdrew from Lyman')
            return _left_to(other, day)
    return None


def taken_for(sub_event_type: str, actor1_side: str | None, day: dt.date) -> Controller | None:
    """The side a capture (*overtakes*) or a recapture (*regains*) hands its unit to, from
    the side actor1 is read as (:meth:`Profile.side_of`) on ``day``; the one reading the
    timeline (:func:`_gainer`) and fusion (``event_values.gainer``) share:

    - *overtakes* → actor1's side when it is a side that is not the state that day (the
      NRF taking Andarab districts), else the insurgent side: the type says a non-state
      actor gained, whatever a mis-read actor1 says;
    - *regains* → actor1's side in an interstate war (``sides.yaml regains: actor``) or
      when it is a third side, neither the state that day nor the insurgent side (the NRF
      retaking Andarab districts it had lost), else the state of its day (the government;
      after the fall of Kabul the Taliban retaking districts from the NRF): the insurgent
      side's actor1 on a recapture is more often a misread actor.
    """
    side = gaining_side(actor1_side, day)
    rules = _sides()
    sides = {s.key for s in rules.sides}
    if sub_event_type == OVERTAKES:
        return side if side in sides and side != rules.state_on(day) else rules.insurgent
    if rules.regains == "actor" and side in sides:
        return side  # an interstate war: each side's forces retake ground
    if side in sides and side not in (rules.state_on(day), rules.insurgent):
        return side  # a third side retaking what it lost ('resistance forces retook Deh Salah')
    return rules.state_on(day)


def gaining_side(side: str | None, day: dt.date) -> str | None:
    """The side an actor of ``side`` (the profile's reading, :meth:`Profile.side_of`) takes
    ground for on ``day``, the project's one definition of who gains a capture: a side
    that holds ground takes it for itself, but a state that has fallen holds no ground,
    its forces and militias fighting on take it for the resistance (after the fall of
    Kabul, 'local militia groups' taking Baghlan districts are the NRF's); any other
    reading ('foreign', an unknown side, None) is returned as it is. Used by
    :func:`taken_for` (the timeline's and fusion's side of a change) and by
    ``event_values.by_gainer`` (which types a capture by it)."""
    rules = _sides()
    if side not in {s.key for s in rules.sides}:
        return side
    own = rules.get(side)
    if own.state_until is None or day < own.state_until:
        return side
    return _resistance() or side


def _resistance() -> str | None:
    """The side that fights the state once the insurgents are the state: the one side
    that is never the state nor the insurgent side (the NRF), or None."""
    rules = _sides()
    others = [s.key for s in rules.sides if s.state_from is None and s.state_until is None
              and s.key != rules.insurgent]
    return others[0] if len(others) == 1 else None


def _handed_to(day: dt.date) -> str:
    """Who a departing foreign force hands a place to on ``day``: ``foreign_hands_to``
    while that side stands, the state of the day once it has fallen (the last American
    troops leaving Kabul airport on 30 August 2021 left it to the Taliban)."""
    rules = _sides()
    until = rules.get(rules.foreign_hands_to).state_until
    if until is not None and day >= until:
        return rules.state_on(day) or rules.foreign_hands_to
    return rules.foreign_hands_to


def _left_to(leaver: str | None, day: dt.date) -> Controller | None:
    """Who gains a place the side ``leaver`` left (the one rule for withdrawals, from the
    profile's sides): a foreign force hands it to :func:`_handed_to`, the state of the
    day to the insurgent side (once the insurgents are the state, to the resistance),
    any other side to the state; None for no side."""
    rules = _sides()
    if leaver == "foreign":
        return _handed_to(day)
    if leaver not in {s.key for s in rules.sides}:
        return None
    state = rules.state_on(day)
    if leaver != state:
        return state
    # the state leaving: to the insurgents, or once they are the state, the resistance
    return rules.insurgent if rules.insurgent != leaver else _resistance()


_WITHDRAWAL = load_occurrence().cue("withdrawal")


def _written(r: ActorRef | None, m: Mention) -> bool:
    """The actor is written in the report's sentence: not carried in from another
    sentence of the story, nor a default the trigger implies (its span is the trigger's)."""
    return r is not None and r.actor is not None and r.span.start != m.trigger.start \
        and within(r.span, m.sentence)


def _withdrawal(m: Mention) -> bool:
    """A transfer told as a side leaving ('withdrew from', 'left')."""
    return m.sub_event_type == TRANSFER and bool(_WITHDRAWAL.search(m.trigger.text))


def _leaver(m: Mention) -> Actor | None:
    """The side a withdrawal report tells leaving the place ('All American and NATO troops
    have left Bagram'): the actor written last before the trigger in the sentence, or
    None (none written before it: 'allied troops were withdrawn from Krasny Liman, the
    ministry said, using the Russian name')."""
    before = [r for r in (m.actor1, m.actor2) if r is not None and _written(r, m)
              and r.span.end <= m.trigger.start]
    return max(before, key=lambda r: r.span.start).actor if before else None


_TAKING_BACK = load_occurrence().cue("taking_back")
_LOSER = load_occurrence().cue("loser")
#: at most this many words after a capture's trigger to the side it was taken from
_LOSER_GAP_WORDS = 12
#: at most this many words name the side after 'from'
_ACTOR_WORDS = 4


def _after_trigger(m: Mention) -> str:
    """The sentence's words after the trigger, up to the end of the clause."""
    rest = m.sentence.text[max(0, m.trigger.end - m.sentence.start):]
    return re.split(r"[;:()\n]|, (?:and|but|while|as)\b", rest, maxsplit=1)[0]


def _taken_back(m: Mention) -> bool:
    """A report told as a retaking: typed so, or 'taken back' (the word right after the
    trigger). A retaking presupposes the loss: of two readings of one change it is the
    later state."""
    first = _after_trigger(m).split()[:1]
    return m.sub_event_type == REGAINS or bool(first and _TAKING_BACK.fullmatch(first[0]))


def _loser(m: Mention, day: dt.date) -> Actor | None:
    """The side a capture names as the one it was taken from ('the district of Guzara was
    taken back from the Taliban', 'liberated from the Russian occupiers'): the actor a
    few words after the 'from' that follows the trigger, or None."""
    words = _after_trigger(m).split()[:_LOSER_GAP_WORDS]
    k = next((k for k, word in enumerate(words) if _LOSER.fullmatch(word)), None)
    if k is None:
        return None
    phrase: list[str] = []
    for word in words[k + 1:k + 1 + _ACTOR_WORDS]:
        phrase.append(word.strip(".,\"'’”"))
        if word[-1] in ".,\"'’”":
            break  # the phrase ends at its punctuation
    texts = [" ".join(phrase[:n]) for n in range(1, len(phrase) + 1)]
    if any(Gazetteer.default().lookup(name_key(t))[0] for t in texts):
        return None  # a place ('50 km from Kabul'), not the side it was taken from
    for text in reversed(texts):
        actor = resolve_actor(text, day)
        if actor is not None and _side(actor) is not None:
            return actor
    return None


def _words_of(cue: str) -> str:
    """The words of an occurrence.yaml cue list as a regex alternation."""
    return "|".join(re.escape(w) for w in load_occurrence().cues[cue])


#: a group pronoun or a possessive and its noun ('its forces', 'their units') as the subject
#: right before the trigger, perhaps with an auxiliary and an adverb ('it has recaptured')
_SPEAKER_AGENT = re.compile(
    rf"(?<![\w'’-])(?:(?:{_words_of('speaker_pronoun')})|(?:{_words_of('speaker_possessive')})"
    rf"\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:(?:has|have|had)\s+)?(?:\w+ly\s+)?$", re.I)


_GIVING_UP = load_occurrence().cue("giving_up")


def _speaker_agent(m: Mention, day: dt.date) -> str | None:
    """The side of the speaker a report quotes when the capture's agent is a pronoun that
    points back to it ('Russia said on Tuesday that its forces had taken control of
    Blahodatne', 'Ukraine says it has recaptured the city of Kupyansk'): the pronoun or
    the possessive and its noun right before the trigger, the place the trigger's object
    (written after it: 'officials said it had fallen' is the place falling), the speaker
    (``Mention.attribution``) of a side. None otherwise."""
    if not m.attribution or _to_place(m) is None:
        return None
    before = m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]
    if not _SPEAKER_AGENT.search(before):
        return None
    side = _side(resolve_actor(m.attribution, day))
    return side if side in {s.key for s in _sides().sides} else None


def _reading(e: Event, m: Mention) -> Controller | None:
    """The side one report of ``e``'s change hands the unit to, read with its own type and
    the actors its sentence writes (a withdrawal: the side that left loses it); None when
    it writes no actor of the change ('Russia said its troops had withdrawn from Lyman'
    read with the story's actor and a default loser says nothing of who gained). A
    capture whose sentence writes the side it was taken from ('was taken back from the
    Taliban') and no captor, or that side as its captor, hands the unit to the other
    side of that one. A capture or withdrawal whose agent is a pronoun pointing back to
    the speaker ('Russia said its forces had taken control of Blahodatne') is the
    speaker's side's (:func:`_speaker_agent`); a regaining whose written agent is the
    insurgent side ('LPR and DPR forces have gained control') is the insurgent side's."""
    day = e.date.start
    speaker = _speaker_agent(m, day)
    if speaker is not None and _GIVING_UP.match(m.trigger.text):
        return _left_to(speaker, day)  # 'Ukraine said it had lost Sievierodonetsk'
    if _withdrawal(m):
        if speaker is not None:  # 'Russia said its troops had withdrawn from Lyman'
            return _left_to(speaker, day)
        leaver = _leaver(m)
        return _left_to(_side(leaver), day) if leaver is not None else None
    if speaker is not None and m.sub_event_type in (OVERTAKES, REGAINS):
        return gaining_side(speaker, day)
    loser = _loser(m, day) if m.sub_event_type in (OVERTAKES, REGAINS) else None
    if loser is not None and (not _written(m.actor1, m) or m.actor1 is not None
                              and _side(m.actor1.actor) == _side(loser)):
        # no captor written, or the one read is the side it was taken from
        return _left_to(_side(loser), e.date.start)
    if not _written(m.actor1, m):
        return None
    if m.sub_event_type == OVERTAKES and m.actor1 is not None \
            and _side(m.actor1.actor) == _sides().state_on(e.date.start):
        # the sentence writes the state's own forces taking the place ('Ukraine's capture
        # of Lyman'): the state gains it, whatever word the capture is told with
        return _sides().state_on(e.date.start)
    insurgent = _sides().insurgent
    if m.sub_event_type == REGAINS and m.actor1 is not None and m.actor1.span.end <= m.trigger.start \
            and gaining_side(_side(m.actor1.actor), day) == insurgent != _sides().state_on(day):
        # the sentence writes the insurgent side as the agent before its trigger ('Forces
        # of the LPR and DPR and Russian troops have gained control of Novoluganskoye'):
        # it gains the place, whatever word the capture is told with (a misread actor
        # of 'retaken from the Taliban' is read as the loser above)
        return insurgent
    return _gainer(replace(e, sub_event_type=m.sub_event_type,
                           actor1=m.actor1.actor if m.actor1 is not None else None,
                           actor2=m.actor2.actor if m.actor2 is not None else None))


def _reports(e: Event, mentions: Mapping[str, Mention] | None) -> list[Mention]:
    """The mentions of ``e`` that report what it is: its territorial reports when it is a
    change of hands (not the fighting or looting fused into it), else those of its type."""
    if not mentions:
        return []
    kinds = TERRITORIAL if e.sub_event_type in TERRITORIAL else {e.sub_event_type}
    return [m for mid in e.mention_ids if (m := mentions.get(mid)) is not None
            and m.sub_event_type in kinds]


def _voted_gainer(e: Event, mentions: Mapping[str, Mention] | None) -> Controller | None:
    """The side most of ``e``'s reports of a change hand the unit to, each read with its
    own type and the actors its sentence writes ('Ukrainian forces entered Lyman' against
    withdrawals and a 'capture of Lyman' read with the story's Russian actor, which made
    the fused event a Russian takeover); the fused event's reading breaks a tie, and
    stands when no report writes an actor of the change."""
    fused = _gainer(e)
    own = [m for m in _reports(e, mentions) if m.modality != "denied"]
    votes: dict[Controller, int] = {}
    back: set[Controller] = set()  # the sides reports told as a retaking hand it to
    for m in own:
        side = _reading(e, m)
        if side is not None:
            votes[side] = votes.get(side, 0) + 1
            if _taken_back(m):
                back.add(side)
    if not votes:
        # withdrawals that name no one leaving ('people helping the injured leave the
        # area') say nothing of who gained: the defaults the fused event carries are no
        # evidence either
        return None if own and all(_withdrawal(m) for m in own) else fused
    top = max(votes.values())
    winners = [s for s, n in votes.items() if n == top]
    if len(winners) > 1 and len(back & set(winners)) == 1:
        # 'took control of the district for a few hours' and 'the district was taken back':
        # the retaking is the later state, the one the unit is left in
        return (back & set(winners)).pop()
    return fused if fused in winners or len(winners) > 1 else winners[0]


def _between_sides(e: Event) -> bool:
    """A clash that puts its place in dispute: not one where a named actor holds no
    ground (civilians, a foreign force, a group of no side), nor one inside a side
    (Islamic State fighters and the Taliban, both insurgents to the map). An actor the
    report does not name may be any side."""
    holding = {s.key for s in _sides().sides}
    named = [_side(a) for a in (e.actor1, e.actor2) if a is not None]
    if any(s not in holding for s in named):
        return False
    return len(named) < 2 or named[0] != named[1]


_PART_OF = load_occurrence().cue("part_of")
#: an entry or a building taken ('entered the city', 'seized the police headquarters')
_PARTIAL = load_occurrence().cue("partial_capture")
#: a facility inside a town whose capture is the facility's ('seized the jail')
_FACILITY = load_occurrence().cue("facility")
_RELATIVE = load_occurrence().cue("relative")
#: at most this many words between a building and the relative pronoun after it
_RELATIVE_GAP_WORDS = 8


def _building_before(m: Mention) -> bool:
    """The trigger's object is a building named before it, in a relative clause ('cleared
    the police headquarters and the offices of the intelligence service that the
    insurgents had seized'): the last relative pronoun before the trigger follows a
    building within a few words, and the place is written neither between them nor
    after the trigger (where it would be the trigger's object)."""
    s0 = m.sentence.start
    before = m.sentence.text[:max(0, m.trigger.start - s0)]
    hits = [h for h in _RELATIVE.finditer(before)
            if not re.match(r"\w", before[h.end():h.end() + 1])]
    if not hits:
        return False
    words = list(re.finditer(r"\S+", before[:hits[-1].start()]))[-_RELATIVE_GAP_WORDS:]
    if not words:
        return False
    head_start = s0 + words[0].start()
    span = m.place.span if m.place is not None else None
    if span is not None and head_start <= span.start < m.sentence.end:
        return False
    return bool(_PARTIAL.search(before, words[0].start(), hits[-1].start()))


def _to_place(m: Mention) -> str | None:
    """The sentence's text from the end of the trigger to the place, when the place is
    written after the trigger in the sentence ('took control of most of | Sar-e-Pul');
    else None."""
    span = m.place.span if m.place is not None else None
    if span is None or not m.trigger.end <= span.start < m.sentence.end:
        return None
    s0 = m.sentence.start
    return m.sentence.text[m.trigger.end - s0:span.start - s0]


#: the words that may stand between a share and its place ('the northern part of | Ukraine's
#: | Kherson region'): determiners, compass words and unit nouns (``share_gap``), and possessives
_SHARE_GAP = frozenset(load_occurrence().cues["share_gap"])


def _share_before(m: Mention) -> bool:
    """The place, written before the trigger, is named as a share ('The northern part of
    Ukraine's Kherson region has been cleared of the Russian forces'): the share's words end
    right before the place, but for determiners, compass words, unit nouns and possessives."""
    span = m.place.span if m.place is not None else None
    if span is None or not m.sentence.start <= span.start < m.trigger.start:
        return False
    before = m.sentence.text[:span.start - m.sentence.start]
    return any(not re.match(r"\w", before[hit.end():hit.end() + 1])
               and all(w.lower() in _SHARE_GAP or re.search(r"['’]s$", w)
                       for w in before[hit.end():].split())
               for hit in _PART_OF.finditer(before))


def _share(m: Mention, place: Place | None = None) -> bool:
    """A capture of a share of its place: 'took control of most of the provincial
    capital, Sar-e-Pul' (the words between the trigger and the place say so, or those
    before a place written first: 'the northern part of Kherson region was cleared'), an entry
    ('entered the city', 'broke into'), or a building ('the headquarters that the
    insurgents had seized'). At a base ``place`` (prisons are bases), a prison taken is
    the unit itself ('Taliban seize Bagram military prison'), not a building in it."""
    between = _to_place(m)
    if between is None:
        s0, t1 = m.sentence.start, m.trigger.end
        between = m.sentence.text[t1 - s0:t1 - s0 + 30]
    base = place is not None and unit_level(place) == "base"
    building = any(not (base and _FACILITY.match(m.trigger.text, hit.start()))
                   for hit in _PARTIAL.finditer(m.trigger.text))
    # the share may straddle the trigger's end ('capture areas | of Sievierodonetsk')
    return bool(_PART_OF.search(m.trigger.text + between) or _share_before(m)
                or building or _building_before(m)
                or _centre_taken(m.trigger.text + between))


_CENTRE = load_occurrence().cue("centre_of")
_FLAG = re.compile(r"\bflags?\b", re.I)
#: the word before 'centre of' that makes it the seat of a unit, not a share of a town
_SEAT = load_occurrence().cue("seat_word")


def _centre_taken(between: str) -> bool:
    """The trigger takes the centre of the place ('in spite of capturing the centre of
    Sievierodonetsk', 'seized the city centre'): a share of the town. A unit's seat is the
    unit ('captured the district center of Imam Sahib', 'the provincial centre of Nimroz'),
    and a flag raised in the centre ('raised the flag in the centre of Kherson') marks the
    town's control, not a share of it."""
    if _FLAG.search(between):
        return False
    for hit in _CENTRE.finditer(between):
        words = between[:hit.start()].split()
        if not (words and _SEAT.fullmatch(words[-1])):
            return True
    return False


def _reports_whole(m: Mention, e: Event, gainer: Controller | None) -> bool:
    """``m`` reports the whole place changing hands to ``gainer``: not a share of it,
    and not a withdrawal by the gainer itself told beside its entry ('the Taliban said
    they withdrew from the city themselves' reports no capture). A withdrawal by the
    other side is one: an entry into a town its holder has left is a takeover."""
    if m.sub_event_type == TRANSFER and e.sub_event_type != TRANSFER and gainer is not None:
        ref = m.actor1.actor if m.actor1 is not None else None
        if _side(ref) == gainer:
            return False
    return not _share(m, e.place)


def _partial_only(e: Event, mentions: Mapping[str, Mention] | None,
                  gainer: Controller | None) -> bool:
    """No report of the change takes the whole place: each enters it, takes a share or
    a building, or is the gainer's own withdrawal (the place is contested until a
    report says it fell, was taken or had its flag raised)."""
    if not mentions or e.sub_event_type not in TERRITORIAL:
        return False
    own = _reports(e, mentions)
    return bool(own) and not any(_reports_whole(m, e, gainer) for m in own)


def _proposal(e: Event, mentions: Mapping[str, Mention] | None = None,
              ) -> tuple[Controller, bool, Controller] | None:
    """(controller, confirmed, who gains) that ``e`` implies for its unit: an entry or a
    share of the place makes it contested, with the side that entered as who gains."""
    if e.status == "denied" or _near_only(e, mentions):
        return None
    confirmed = e.status == "reported"
    if e.sub_event_type in TERRITORIAL:
        gainer = _voted_gainer(e, mentions)
        if e.status == "disputed" and _sides().disputed == "contested":
            return ("contested", False, gainer or "contested")  # claimed and denied
        if _partial_only(e, mentions, gainer) \
                and e.date.precision in ("day", "range", "week"):
            return ("contested", confirmed, gainer or "contested")  # part of the place
        if gainer is None:
            return None
        return (gainer, confirmed, gainer)  # a party's claim: its side, not confirmed
    if e.sub_event_type == CLASH and e.date.precision in ("day", "range", "week") \
            and _days(e.date) <= _VAGUE_DAYS and _between_sides(e) \
            and not _vague(e, mentions):
        # fighting only recalled ('forgiven all who fought against them in the past') is
        # no fighting of the day its article bears
        return ("contested", confirmed, "contested")
    return None


def _near_only(e: Event, mentions: Mapping[str, Mention] | None) -> bool:
    """Every report of ``e`` only locates it from its place ('raided a hideout north of
    Kabul', basis NEAR): it happened near the unit, no change of the unit itself."""
    own = _reports(e, mentions)
    return bool(own) and all(m.place is not None and m.place.basis == NEAR for m in own)


def _facility_only(e: Event, mentions: Mapping[str, Mention] | None) -> bool:
    """A capture whose every report names a facility inside the town ('seized the jail')
    is the facility's, not the town's: the town's controller does not change."""
    if not mentions or e.sub_event_type not in TERRITORIAL or e.place is None \
            or e.place.kind not in ("city", "provincial_capital"):
        return False
    own = _reports(e, mentions)
    return bool(own) and all(_FACILITY.search(m.trigger.text) for m in own)


def _count_pattern(plural: str) -> re.Pattern[str]:
    count = _words_of("count")
    units = _words_of(plural)
    return re.compile(rf"(?<![\w-])(?:\d+|{count})\s+(?:more\s+|other\s+|of\s+the\s+|the\s+)?"
                      rf"(?:{units})\b", re.I)


#: a count of units of a level in a sentence ("two more districts")
_COUNTED: tuple[tuple[frozenset[str], re.Pattern[str]], ...] = (
    (frozenset({"district"}), _count_pattern("counted_districts")),
    (frozenset({"province"}), _count_pattern("counted_provinces")),
    (frozenset({"city", "provincial_capital"}), _count_pattern("counted_towns")),
)
#: units named in the plural with no count ("were under siege in the district centres")
_PLURAL_UNITS = re.compile(r"\b(?:" + "|".join(
    _words_of(name) for name in ("counted_districts", "counted_provinces", "counted_towns"))
    + r")\b", re.I)


_PROVINCE_WORD = load_occurrence().cue("province_word")


def _province_written(m: Mention, place: Place) -> bool:
    """The report names the province or an area around the town it resolved to: a province
    word after the name ('a key town in the southern Kandahar province', 'in the Donetsk
    direction'), or a compass adjective before the name of a capital that is also its
    province's ('took control in north-eastern Kharkiv'): not the town."""
    span = m.place.span if m.place is not None else None
    own = m.place.place if m.place is not None and m.place.place is not None else place
    level = unit_level(own)
    if span is None or level not in ("city", "provincial_capital") \
            or not (m.sentence.start <= span.start and span.end <= m.sentence.end):
        return False
    s0 = m.sentence.start
    after = m.sentence.text[span.end - s0:].lstrip()
    word = _PROVINCE_WORD.match(after)
    if word:
        # 'the Kherson region's capital', 'Kandahar province's main city', 'the centres of
        # Kunar and Paktia provinces' name the town
        return not (_SEAT_OF.match(after[word.end():])
                    or _SEATS_BEFORE.search(m.sentence.text[:span.start - s0]))
    return level == "provincial_capital" and name_key(own.admin1 or "") == name_key(own.name) \
        and bool(_COMPASS_BEFORE.search(m.sentence.text[:span.start - s0]))


#: the province word's possessive naming its capital ('region's capital', 'province's main city')
_SEAT_OF = re.compile(r"\w*\s*(?:'s|’s)\s+(?:\w+\s+)?(?:capital|centre|center|city|town)\b", re.I)
#: the seats of units before a list of names up to the place ('the centers of Logar,
#: Paktika, | Kunar'): the names are read as the towns the seats are
_SEATS_BEFORE = re.compile(
    r"\b(?:" + _words_of("seat_noun")
    + r")\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*)?\s*(?:,\s*(?:and\s+)?|\band\s+))*$")
#: a compass adjective right before a name ('in north-eastern Kharkiv')
_COMPASS_BEFORE = re.compile(r"\b(?:" + _words_of("area_adjective") + r")\s+$", re.I)


_UNNAMED_UNIT = load_occurrence().cue("unnamed_unit")


_NAME_WORD = re.compile(r"\b[A-Z]")
#: a name and then a list of the units ('districts in Baghlan, including Banu, ...')
_LISTED = re.compile(r"\b[A-Z]\w*[^.;]*?(?:,|\bincluding\b|\bsuch as\b|\bnamely\b)")


def _unnamed_unit(m: Mention) -> bool:
    """The change is of an unnamed unit inside the place ('captured a key town in
    Kandahar province'), read from the trigger to the place name. The cue is a whole
    phrase ('districts including Malistan' is no 'districts in'), and a name before it
    names the unit ('the retaking of Malistan districts in Ghazni and Surkh-o-Parsa'), and
    so does a name between it and the place: the phrase's province comes first and the
    place is one of the units it lists ('retaken three districts in Baghlan, including
    Banu, Deh-e Salah and Puli Hisar')."""
    span = m.place.span if m.place is not None else None
    if span is None or not m.trigger.end <= span.start < m.sentence.end:
        return False
    s0 = m.sentence.start
    text = m.sentence.text[:span.start - s0]
    for hit in _UNNAMED_UNIT.finditer(text, m.trigger.start - s0):
        if re.match(r"\w", text[hit.end():hit.end() + 1]):
            continue  # not a whole phrase
        if not _NAME_WORD.search(text, m.trigger.end - s0, hit.start()) \
                and not _LISTED.search(text, hit.end()):
            return True
    return False


_SITE_NOUN = load_occurrence().cue("site_noun")


#: the words right after a trigger that name its object when the place is not written
#: after it ('gained control of the nuclear power plant')
_OBJECT_WORDS = 5


def _object_text(m: Mention) -> str:
    """What the trigger took, as written: the trigger and the words from it to the
    place when the place is written after it, else the first few words after it."""
    between = _to_place(m)
    if between is not None:
        return m.trigger.text + between
    return " ".join([m.trigger.text, *_after_trigger(m).split()[:_OBJECT_WORDS]])


def _site_named(m: Mention, place: Place) -> bool:
    """The trigger's object is a site ('captured the key border crossing', 'gained control
    of the nuclear power plant') while the place is a town or district: the site changed
    hands, not the place."""
    return unit_level(place) not in ("border_crossing", "base") \
        and bool(_SITE_NOUN.search(_object_text(m)))


_GROUND = load_occurrence().cue("unnamed_ground")
_AREA = load_occurrence().cue("area_measure")


def _ground_named(m: Mention) -> bool:
    """The trigger's object is unnamed ground in or near the place ('captured territory
    along a frontline river', 'several locations around Bakhmut', 'retaken hundreds of
    square miles of territory'), not a share of the place ('territories of', 'most areas
    in the city': contested) nor the place itself; nor is a passive trigger's subject
    ('his house had been taken over by the Taliban' read at Kandahar)."""
    text = _object_text(m)
    before = m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]
    return (any(not re.match(r"\s+of\b", text[hit.end():]) for hit in _GROUND.finditer(text)
                if not re.match(r"\w", text[hit.end():hit.end() + 1]))
            or bool(_AREA.search(text)) or bool(_PASSIVE_GROUND.search(before))) \
        and not _PART_OF.search(text)


_UNIT_NOUNS = _words_of("named_unit_noun")
#: '<unit noun> of <Name>' ('the village of Mayorsk', 'the settlements of Bilogorivka')
_NAMED_UNIT = re.compile(rf"\b(?:{_UNIT_NOUNS})\s+of\s+(?:the\s+)?"
                         r"(?P<name>[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*)?)")
#: the rest of a list up to the place ('of Lyubymivka, | Khreshchenivka'): the place is a member
_LIST_REST = re.compile(r"(?:\s*(?:,|\band\b|\bor\b)\s*|\s*[A-Z][\w'’-]*\s*)*")
#: the words between a passive subject and its trigger ('... was completely liberated')
_PASSIVE = re.compile(r"\s+(?:(?:was|were|is|are|has|have|had|been|being)\s+)+(?:\w+ly\s+)?$")
#: unnamed ground as the subject of a passive trigger ('his house | had been taken over')
_PASSIVE_GROUND = re.compile(rf"\b(?:{_words_of('unnamed_ground')}){_PASSIVE.pattern}", re.I)


def _other_unit_named(m: Mention, place: Place) -> bool:
    """The trigger's object is a settlement named otherwise than the place: 'liberated the
    settlements of Bilogorivka and Pershe Travnya' or 'the village of Mayorsk was
    completely liberated' placed at Bakhmut or Donetsk (a name the gazetteer lacks; the
    report fell back to a town named elsewhere). That settlement changed hands, not the
    place. The object is read after the trigger (:func:`_object_text`) or, for a passive
    trigger, as the subject right before it."""
    before = m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]
    between = _to_place(m)
    names = [h.group("name") for h in _NAMED_UNIT.finditer(_object_text(m))
             if (between is None or not _LIST_REST.fullmatch(between[h.end() - len(m.trigger.text):]))
             and not _listed_up_to_place(m, h.group(0))]
    names += [h.group("name") for h in _NAMED_UNIT.finditer(before)
              if _PASSIVE.fullmatch(before[h.end():]) and not _listed_up_to_place(m, h.group(0))]
    return bool(names) and not any(_names_place(name, place, m) for name in names)


def _listed_up_to_place(m: Mention, named: str) -> bool:
    """The place is a later member of the list a named unit opens ('the villages of
    Olhynka, Velykyi Anadol and Zelenyi Hai were taken' read at Zelenyi Hai): only names,
    commas and 'and' between the first name and the place."""
    span = m.place.span if m.place is not None else None
    s0 = m.sentence.start
    if span is None or not s0 <= span.start < m.sentence.end:
        return False
    at = m.sentence.text.find(named)
    end = at + len(named)
    return at >= 0 and s0 + end <= span.start \
        and _LIST_REST.fullmatch(m.sentence.text[end:span.start - s0]) is not None


#: an indefinite unit right after the trigger (or an adverb after it: 'liberated overnight a
#: large area'), up to two modifiers before its noun
_INDEFINITE_UNIT = re.compile(rf"^\s*(?:(?-i:[a-z]+)\s+)?(?:{_words_of('indefinite')}|{_words_of('ordinal')}"
                              r"|\d+(?:st|nd|rd|th))\s+(?:[\w-]+\s+){0,2}?"
                              rf"(?:{_words_of('unit_common_noun')})\b", re.I)
_DEMONSTRATIVE_UNIT = re.compile(rf"^\s*(?:{_words_of('demonstrative')})\s+(?:[\w-]+\s+)?"
                                 rf"(?:{_words_of('unit_common_noun')})\b", re.I)
#: what lies between an indefinite unit and the place that names it ('a key town, Spin
#: Boldak', 'a district of Kunduz', 'a town called Lyman')
_APPOSITION = re.compile(r"\s*(?:,|\(|:|-|–|—|of|of the|called|named)?\s*", re.I)


def _indefinite_unit(m: Mention) -> bool:
    """The trigger takes an indefinite unit ('claims the conquest of a locality', 'liberated
    a large area two kilometers from the city') that the place is not written as, or a
    demonstrative one ('the capture of this locality') while the place is written later in
    the sentence: some other unit changed hands, not the place the report was read at."""
    # the unit noun may be read into the trigger ('captured a strategic provincial capital
    # near Kabul'): the object is read from the trigger's first word on
    first = re.match(r"\s*\S*", m.trigger.text)
    start = max(0, m.trigger.start + (first.end() if first else 0) - m.sentence.start)
    rest = m.sentence.text[start:]
    span = m.place.span if m.place is not None else None
    hit = _INDEFINITE_UNIT.match(rest)
    pointed = _DEMONSTRATIVE_UNIT.match(rest)
    if hit is None and (pointed is None or span is None or not m.trigger.end <= span.start < m.sentence.end):
        return False
    found = hit or pointed
    assert found is not None
    if span is None or not m.sentence.start <= span.start < m.sentence.end:
        return True
    gap = m.sentence.text[start + found.end():span.start - m.sentence.start]
    return not _APPOSITION.fullmatch(gap)


def _names_place(name: str, place: Place, m: Mention) -> bool:
    """A written name stands for the place: the place was read from it, or it is one of
    the place's spellings."""
    span = m.place.span if m.place is not None else None
    if span is not None and (name in span.text or span.text in name):
        return True
    key = name_key(name)
    if key == name_key(place.name):
        return True
    primary, alternate = Gazetteer.default().lookup(key)
    return any(e.place.id == place.id for e in (*primary, *alternate))


_DESTINATION = load_occurrence().cue("destination")


def _destination(m: Mention) -> bool:
    """The place is the destination the trigger names ('departure to Kabul'): one or
    two words between them, the first a destination preposition."""
    words = (_to_place(m) or "").split()
    return 1 <= len(words) <= 2 and bool(_DESTINATION.fullmatch(words[0]))


def _aggregate(m: Mention, place: Place) -> bool:
    """A report of many changes at once ("captured two more districts", "at least 10
    districts have fallen", "were pushed out of six district centers", "evacuated the
    district centres") that names no unit of its own: its place was read from another
    sentence, or, with a count, is a place of another level at the head of the sentence
    (the dateline "Kabul, June 8 –"). It dates no change at that place. A place the next
    sentence names as one of the counted units is named."""
    text = m.sentence.text
    span = m.place.span if m.place is not None else None
    if m.place is not None and m.place.basis in (NAMED_NEXT, NAMED_BEFORE):
        # read from the roll call right after it ('... nine more districts were captured. The
        # districts include Kofab, Argo ...': extract.location.units_named_next) or from the
        # list before it ('... seized A, B and C districts. The Taliban retook the districts'):
        # the unit is named
        return False
    elsewhere = span is None or not m.sentence.start <= span.start < m.sentence.end
    if elsewhere and _PLURAL_UNITS.search(text):
        return True  # 'the district centres' of a sentence that names none of them
    counted = {lv for levels, pat in _COUNTED if pat.search(text) for lv in levels}
    if not counted:
        return False
    if elsewhere:
        return True
    assert span is not None
    return unit_level(place) not in counted and span.start == m.sentence.start


def _wider_place(m: Mention, place: Place) -> bool:
    """The report is placed at a province or a country, not at the unit, and has no date
    expression of its own (fusion joined 'our fighters are liberating land', read at
    Kharkiv oblast on the article's day, to the recapture of a town in it): it does not
    date the unit's change (it may still tell it: 'in Kharkiv region, mayor admits to
    handing over city'). One that dates itself ('districts were retaken this (Friday)
    morning', said in Bamyan) still dates the change it joined."""
    own = m.place.place if m.place is not None else None
    return own is not None and own.id != place.id and own.kind in ("province", "country") \
        and (m.date is None or m.date.span is None)


#: an imminence phrase right before a trigger ('on the verge of | capturing')
_IMMINENT = re.compile(rf"\b(?:{_words_of('imminent')})\s+$", re.I)


def _imminent(m: Mention) -> bool:
    """The change is told as about to happen ('the Taliban are close to capturing
    Kandahar', 'Herat is on the brink of falling'): the place has not changed hands (a
    capital shown taken days before it fell)."""
    return bool(_IMMINENT.search(m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]))


_UNDER_WAY = re.compile(rf"^(?:{_words_of('under_way')})\b", re.I)


def _under_way(m: Mention) -> bool:
    """A withdrawal told as under way ('the Russian army was fleeing from Kupiansk and
    Izium'): the place changes hands when it ends, which a later report tells."""
    before = m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]
    return bool(_UNDER_WAY.match(m.trigger.text)) and bool(_PASSIVE.search(before))  # 'was fleeing'


def _no_unit_reason(m: Mention, place: Place) -> str | None:
    """Why the report names no unit of its own at ``place`` (a change told as imminent, an
    aggregate, a province read
    as its capital town, an unnamed town inside it, a destination ('his departure to
    Kabul'), a site the trigger takes, or unnamed ground near it), or None."""
    checks: tuple[tuple[str, Callable[[], bool]], ...] = (
        ("imminent", lambda: _imminent(m)), ("under way", lambda: _under_way(m)),
        ("aggregate", lambda: _aggregate(m, place)),
        ("province written", lambda: _province_written(m, place)),
        ("unnamed unit", lambda: _unnamed_unit(m) or _indefinite_unit(m)),
        ("destination", lambda: _destination(m)),
        ("site", lambda: _site_named(m, place)), ("unnamed ground", lambda: _ground_named(m)),
        ("another settlement", lambda: _other_unit_named(m, place)))
    return next((name for name, check in checks if check()), None)


def _names_no_unit(m: Mention, place: Place) -> bool:
    """The report names no unit of its own at ``place`` (:func:`_no_unit_reason`)."""
    return _no_unit_reason(m, place) is not None


def _named_change(e: Event, mentions: Mapping[str, Mention] | None) -> Event | None:
    """``e`` as a change of its place resting on the reports that name the place as what
    changed hands: None when none does; dated by those of them placed at the unit (the
    tightest date they give, unless the event's lies inside it or a self-dated
    aggregate's) when others name no unit of their own or are placed at its province
    ('entered several settlements on the way to Kherson on Nov. 9' does not date the fall
    of Kherson that a recap gives 'last month'; 'our fighters are liberating land' read at
    the oblast does not date the recapture of a town in it)."""
    if not mentions or e.sub_event_type not in TERRITORIAL or e.place is None:
        return e
    place = e.place
    own = _reports(e, mentions)
    naming = [m for m in own if not _names_no_unit(m, place)]
    if not own:
        return e
    if not naming:
        return None
    dropped = {m.id for m in own} - {m.id for m in naming}
    if dropped:
        e = replace(e, mention_ids=tuple(i for i in e.mention_ids if i not in dropped))
    undating = dropped | {m.id for m in naming if _wider_place(m, place)}
    if not undating:
        return e
    best = _tightest([m for m in naming if m.id not in undating])
    dated = [best] if best is not None else []
    # a report of many changes that dates itself ('districts were retaken this (Friday)
    # morning') still vouches for the date of the one it tells among them; one dated by its
    # article's day, or about other ground ('settlements on the way to X on Nov. 9'), not
    dated += [m.date.interval for m in own if m.id in dropped and m.date is not None
              and m.date.span is not None and _aggregate(m, place)]
    if best is None or any(d.start <= e.date.start and e.date.end <= d.end for d in dated):
        return e  # the event's date is inside the naming reports' or a self-dated one's
    return replace(e, date=best)


def _evidence(e: Event, mentions: Mapping[str, Mention] | None) -> tuple[Evidence, ...]:
    chosen = [Evidence(m.article_id, m.sentence.start, m.sentence.end, m.sentence.text)
              for m in _reports(e, mentions)]
    if chosen:
        return tuple(chosen[:_MAX_EVIDENCE])
    return e.evidence[:_MAX_EVIDENCE]


#: at most this many words between a capture's trigger and the province it takes
_PROVINCE_GAP_WORDS = 3


def takes_province(m: Mention) -> bool:
    """The report names the province itself as what changed hands: the name right
    after the trigger ('claimed they have taken control of Panjshir province', 'took
    control of holdout province Panjshir'), no count of units in the sentence ('overran
    eight districts of Panjshir'), no share of it, no unnamed unit in it."""
    between = _to_place(m)
    if between is None:
        return False
    return (len(between.split()) <= _PROVINCE_GAP_WORDS and not _share(m) and not _unnamed_unit(m)
            and not _destination(m)
            and not any(pat.search(m.sentence.text) for _levels, pat in _COUNTED))


def _province_change(e: Event, mentions: Mapping[str, Mention] | None) -> Event | None:
    """A change of a whole province, or None. Province-level reports change no
    province ('ten districts of Badakhshan fell'), unless a report names the province
    as what was taken: then the change is dated by those reports (the best-dated one;
    a recap's month-level date is vague, and the state machine defers it to a
    day-level report of the same change)."""
    if not mentions or e.sub_event_type not in TERRITORIAL or e.place is None:
        return None
    own = [m for m in _reports(e, mentions) if m.date is not None and takes_province(m)]
    if not own:
        return None
    dates = [m.date.interval for m in own if m.date is not None]
    return replace(e, date=min(dates, key=lambda d: (d.end - d.start).days),
                   mention_ids=tuple(m.id for m in own))  # the change rests on those


#: the modalities of a report that tells a change as having happened
_TOLD = frozenset({"asserted", "claimed"})


def _tightest(reports: Iterable[Mention]) -> DateInterval | None:
    """The best-dated report's day or span (the earliest of the tightest), or None."""
    dates = [m.date.interval for m in reports if m.date is not None]
    return min(dates, key=lambda d: ((d.end - d.start).days, d.start)) if dates else None


def _as_change(e: Event, reports: list[Mention]) -> Event:
    """``e`` read as the change ``reports`` tell: their commonest type, resting on them
    alone (the event's other reports, an entry or the fighting, do not vote on who gained),
    dated by the best-dated of them (its date stays the event's when none is dated)."""
    kinds = [m.sub_event_type for m in reports]
    kind = max(dict.fromkeys(kinds), key=kinds.count)
    return replace(e, sub_event_type=kind, date=_tightest(reports) or e.date,
                   mention_ids=tuple(m.id for m in reports))


_MODALS = (function_words().conditional_modals | function_words().possibility_modals
           | function_words().future_modals | {"to"})
#: at most this many words between a modal verb and the trigger it makes unrealised
_MODAL_GAP_WORDS = 4


def _told_change(m: Mention) -> bool:
    """A report that tells a change of hands as having happened, read on its own inside
    an event fusion typed as fighting: told as fact or a party's claim, not a recap, the
    learned typing's best type for it a change of hands (when it scored it), no modal or
    'to' in the few words before its trigger ('we will let the Taliban take the city')."""
    if m.modality not in _TOLD or m.recap:
        return False
    if m.type_scores and m.type_scores[0][0] not in TERRITORIAL:
        return False
    before = m.sentence.text[:max(0, m.trigger.start - m.sentence.start)]
    words = re.findall(r"[\w']+", before.lower())[-_MODAL_GAP_WORDS:]
    return not _MODALS & set(words)


def _changes_of(e: Event, mentions: Mapping[str, Mention] | None) -> list[Event]:
    """The changes of hands (and the fighting) one fused event tells, each an event of
    its own for the state machine:

    - a clash whose reports include a change of hands told as having happened (fusion
      joined 'heavy fighting' in Hostomel with 'Hostomel was liberated', or 'days of
      fighting' with 'government forces abandoned Qaysar district' the day after): the
      fighting puts the place in dispute, the change then hands it over, each on its
      reports' day;
    - a change whose reports hand the unit to different sides on different days (the
      militia taking Banu district and the Taliban retaking it two days later, fused):
      one change per turn of the fight (:func:`_turns`: taken, lost, retaken), each dated
      by its own reports (the recapture flips it back).
    """
    if not mentions:
        return [e]
    if e.sub_event_type == CLASH:
        told = [m for mid in e.mention_ids if (m := mentions.get(mid)) is not None
                and m.sub_event_type in TERRITORIAL and _told_change(m)]
        if not told:
            return [e]
        change = _as_change(e, told)
        places = {m.place.place.id: m.place.place for m in told
                  if m.place is not None and m.place.place is not None}
        if len(places) == 1 and (own := next(iter(places.values()))) != e.place \
                and unit_level(own) is not None:
            change = replace(change, place=own)  # the change's own unit ('Qaysar district')
        return [e, change]
    if e.sub_event_type not in TERRITORIAL:
        return [e]
    sides: dict[Controller, list[Mention]] = {}
    for m in _reports(e, mentions):
        side = _reading(e, m) if m.modality in _TOLD else None
        if side is not None:
            sides.setdefault(side, []).append(m)
    if len(sides) < 2:
        return [e]
    starts = {side: d.start if (d := _tightest(ms)) is not None else None
              for side, ms in sides.items()}
    if None in starts.values() or len(set(starts.values())) < len(starts):
        return [e]  # undated, or told on one day: the vote decides (a misread side)
    return [_as_change(e, ms) for ms in _turns(sides)]


def _turns(sides: Mapping[Controller, list[Mention]]) -> list[list[Mention]]:
    """The reports of each side grouped by turn: a side's reports dated after another
    side's took the unit are a change of their own (the Taliban taking Banu after Kabul
    fell, the militia seizing it on 20 August, the Taliban retaking it on the 21st: three
    changes, the retaking not folded into the first taking). Only reports dated no more
    loosely than a vague change (:data:`_VAGUE_DAYS`) order the turns; the others vote with
    their side's first turn. Two sides told on one day are ordered by each side's first day
    (the report order says nothing)."""
    tight = [(m.date.interval.start, side, m) for side, ms in sides.items() for m in ms
             if m.date is not None and _days(m.date.interval) <= _VAGUE_DAYS]
    first_day = {side: min(d for d, s, _m in tight if s == side) for _d, side, _m in tight}
    tight.sort(key=lambda x: (x[0], first_day[x[1]]))
    turns: list[tuple[Controller, list[Mention]]] = []
    for _day, side, m in tight:
        if turns and turns[-1][0] == side:
            turns[-1][1].append(m)
        else:
            turns.append((side, [m]))
    for side, ms in sides.items():
        loose = [m for m in ms if all(m is not x for _d, _s, x in tight)]
        first = next((t for t in turns if t[0] == side), None)
        if first is None:
            turns.append((side, loose))
        else:
            first[1].extend(loose)
    return [ms for _side, ms in turns]


def _unit_item(e: Event, mentions: Mapping[str, Mention] | None,
               focus: set[str]) -> tuple[str, _Item] | str:
    """(unit id, item) that one change or clash proposes for its unit, or why it proposes
    none (read by :func:`trace_changes`)."""
    place = e.place
    if place is None:
        return "no place"
    if place.country not in focus:
        return "outside the profile's countries"
    if place.kind == "province":
        whole = _province_change(e, mentions)
        if whole is None:
            return "a province no report names as taken"
        e = whole
    elif unit_level(place) is None:
        return f"not a unit ({place.kind})"
    if _facility_only(e, mentions):
        return "a facility in the town"
    if e.sub_event_type == CLASH and (own := _reports(e, mentions)) \
            and all(_province_written(m, place) for m in own):
        return "fighting in an area around the town"  # 'in the Bakhmut direction'
    named = _named_change(e, mentions)
    if named is None:
        why = sorted({r for m in _reports(e, mentions) if (r := _no_unit_reason(m, place))})
        return "no report names the unit (" + ", ".join(why) + ")"
    e = named
    unit = _district_of_centre(place)
    if unit is not place:
        e = replace(e, place=unit)
    p = _proposal(e, mentions)
    if p is None:
        return "denied" if e.status == "denied" else (
            "no side gains" if e.sub_event_type in TERRITORIAL else "no dispute")
    return unit.id, (e, *p)


def _unit_items(events: Iterable[Event], mentions: Mapping[str, Mention] | None,
                countries: Iterable[str] | None) -> dict[str, list[_Item]]:
    """Unit id -> the (event, controller, confirmed, gainer) items its events propose,
    in the state machine's order (by date; a clash before a change the same day)."""
    focus = set(countries if countries is not None else active_profile().country_names)
    by_unit: dict[str, list[_Item]] = {}
    for e in (c for fused in events for c in _changes_of(fused, mentions)):
        got = _unit_item(e, mentions, focus)
        if not isinstance(got, str):
            by_unit.setdefault(got[0], []).append(got[1])
    for items in by_unit.values():
        items.sort(key=lambda x: (x[0].date.start, x[0].sub_event_type in TERRITORIAL, x[2], x[0].id))
    return by_unit


def trace_changes(events: Iterable[Event], mentions: Mapping[str, Mention] | None = None,
                  *, countries: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(fused event id, unit id or '', what it proposes or why nothing) for every change
    or clash the events tell: the control derivation's reading, for diagnostics
    (``bench/control_errors.py --causes``)."""
    focus = set(countries if countries is not None else active_profile().country_names)
    out: list[tuple[str, str, str]] = []
    for fused in events:
        for e in _changes_of(fused, mentions):
            got = _unit_item(e, mentions, focus)
            if isinstance(got, str):
                out.append((fused.id, "", got))
            else:
                item = got[1]
                out.append((fused.id, got[0], f"{item[1]} from {item[0].date.start}"))
    return out


def derive_control(events: Sequence[Event], mentions: Mapping[str, Mention] | None = None,
                   *, countries: Iterable[str] | None = None) -> list[ControlState]:
    """The control timeline (one row per change per unit) implied by ``events``.

    Only units in ``countries`` (default: the active profile's, the conflict's own
    territory) are tracked: a clash reported in Doha is not a change of control anywhere
    on the map.
    """
    by_unit = _unit_items(events, mentions, countries)
    rows: list[ControlState] = []
    for unit_id in sorted(by_unit):
        rows.extend(_timeline(_defer_vague(by_unit[unit_id], mentions), mentions))
    rows.sort(key=lambda s: (s.date, s.unit_id))
    return rows


#: a change dated more loosely than this (a month, "in recent weeks") is vague
_VAGUE_DAYS = 7


def _vague(e: Event, mentions: Mapping[str, Mention] | None) -> bool:
    """A change (or a clash) known only to the month (or vaguer), or only from recaps that
    carry no date expression of their own ("Zaranj, which fell to the Taliban, ...")."""
    if e.date.precision in ("month", "year") or _days(e.date) > _VAGUE_DAYS:
        return True
    own = _reports(e, mentions)
    return bool(own) and all(m.recap and (m.date is None or m.date.span is None) for m in own)


#: a change dated to 'yesterday or today' (a report with no date expression) keeps its
#: first day: at most a day early, the tolerance of the map
_SLACK_DAYS = 1


def _days(d: DateInterval) -> int:
    """Days between a date interval's first and last day (0 for one day)."""
    return (d.end - d.start).days


def _span_days(e: Event) -> int:
    return _days(e.date)


def _imprecise(e: Event, mentions: Mapping[str, Mention] | None) -> bool:
    """Vague, or dated to a span of several days ('since Friday')."""
    return _span_days(e) > _SLACK_DAYS or _vague(e, mentions)


_SINCE = load_occurrence().cue("state_since")


def _since_state(e: Event, mentions: Mapping[str, Mention] | None) -> bool:
    """Every report of the change dates it by a date expression that opens a state ('has
    been occupied by the Russians since March'): the change happened when the state began."""
    own = _reports(e, mentions)
    return bool(own) and all(m.date is not None and m.date.span is not None
                             and _SINCE.match(m.date.span.text) is not None for m in own)


def _defer_vague(items: list[_Item], mentions: Mapping[str, Mention] | None) -> list[_Dated]:
    """The control state machine's rule for vague reports: a unit cannot be taken twice by
    the same side with no change between, so a month-level or undated recap of a change
    never creates it earlier than a day-level report of the same change; it becomes
    support of that report's row (its day). A change dated to a short span ('since
    Friday') does the same with a day-level report inside its span. Otherwise both are
    dated at the end of their span, before any later change of hands. Items come in
    date order; each gets the day its row would start."""
    out: list[_Dated] = []
    for k, (e, controller, confirmed, gain) in enumerate(items):
        day = e.date.start
        vague = _vague(e, mentions)
        if controller != "contested" and (vague or _span_days(e) > _SLACK_DAYS):
            # the next report of a change of this unit that is not itself vague or a span
            nxt = next((x for x in items[k + 1:] if x[1] != "contested"
                        and (x[1] != controller or not _imprecise(x[0], mentions))), None)
            if nxt is not None and nxt[1] == controller and (
                    vague or nxt[0].date.start <= e.date.end):
                day = nxt[0].date.start
            else:
                # known only to have happened by the end of its span ("in recent weeks"):
                # the map must not show it before then, nor after a later change of hands;
                # a state told as holding since a time ("occupied since March") began then
                day = e.date.start if _since_state(e, mentions) else e.date.end
                later = [x[0].date.start for x in items[k + 1:]
                         if x[1] != controller and x[0].date.start > e.date.start]
                if later:
                    day = max(e.date.start, min(day, min(later) - dt.timedelta(days=1)))
        out.append((e, controller, confirmed, gain, day))
    # on one day: a clash before the change it led to, a change whose actor1 is not on
    # the gaining side (a mis-read 'ANDSF re-captured' typed as a capture) before one
    # backed by its actor, a day-level report before the vague ones it absorbs
    out.sort(key=lambda x: (x[4], x[0].sub_event_type in TERRITORIAL,
                            _side(x[0].actor1) == x[1], _vague(x[0], mentions), x[2], x[0].id))
    return out


def _timeline(items: list[_Dated], mentions: Mapping[str, Mention] | None) -> list[ControlState]:
    out: list[ControlState] = []
    for e, controller, confirmed, gain, day in items:
        place = e.place
        assert place is not None
        level = unit_level(place)
        assert level is not None
        evidence = _evidence(e, mentions)
        cur = out[-1] if out else None
        if cur is not None and controller == "contested" and gain == cur.controller:
            # the side that holds the unit entering it ('Taliban fighters entered the
            # city' after it fell to them) puts nothing in dispute: more basis
            out[-1] = _support(cur, e, evidence)
            continue
        if cur is not None and cur.controller == controller and (cur.confirmed or not confirmed):
            # the same state again (or a claim of what is already confirmed): more basis;
            # a report confirming a claimed change is a new row (the day it was confirmed)
            out[-1] = _support(cur, e, evidence)
            continue
        state = ControlState(
            unit_id=place.id, unit_name=place.name, unit_level=level, admin1=place.admin1,
            date=day, controller=controller, confirmed=confirmed, event_ids=(e.id,),
            evidence=evidence, lat=place.lat, lon=place.lon)
        if cur is not None and cur.date == state.date:
            out[-1] = state  # same day: the later (capture over clash) state wins
            if len(out) > 1 and out[-2].controller == controller and (
                    out[-2].confirmed or not confirmed):
                out.pop()
                out[-1] = _support(out[-1], e, evidence)
        else:
            out.append(state)
    return out


def _support(s: ControlState, e: Event, evidence: tuple[Evidence, ...]) -> ControlState:
    ids = tuple(dict.fromkeys((*s.event_ids, e.id)))
    ev = tuple(dict.fromkeys((*s.evidence, *evidence)))[:_MAX_EVIDENCE]
    return replace(s, event_ids=ids, evidence=ev, confirmed=s.confirmed or e.status == "reported")


def state_as_of(states: Iterable[ControlState], as_of: dt.date) -> list[ControlState]:
    """The latest state of every unit on ``as_of`` (same rule as ``Store.get_control``)."""
    latest: dict[str, ControlState] = {}
    for s in sorted(states, key=lambda s: s.date):
        if s.date <= as_of:
            latest[s.unit_id] = s
    return [latest[k] for k in sorted(latest)]


#: the id of the stand-in event that carries a stored row into :func:`resume_timeline`
_STAND_IN = "stored row"


def resume_timeline(unit_id: str, events: Sequence[Event], mentions: Mapping[str, Mention] | None,
                    stored: Sequence[ControlState], *, changed: tuple[dt.date, dt.date],
                    window: tuple[dt.date | None, dt.date | None],
                    read: Callable[[list[str]], tuple[list[Event], Mapping[str, Mention]]]
                    | None = None,
                    countries: Iterable[str] | None = None) -> list[ControlState] | None:
    """The timeline of one unit after some of its events changed, re-deriving only the
    stretch the change can reach: equal to ``derive_control`` over all the unit's events,
    or None when ``events`` do not show both ends of that stretch (the caller widens the
    window, or derives the unit in full).

    ``stored`` is the unit's timeline before the change (a full derivation's);
    ``changed`` the first start and last end of the changed events' dates, old and new
    versions; ``events`` every event at the unit's place(s) whose date overlaps
    ``window`` (an open end: None), after the change. A province's changes are dated by
    its reports, not its events: None.

    Why the stretch suffices (the reach of :func:`_defer_vague` and :func:`_timeline`): a
    precise change (a day-level change of hands, not contested) ends every look-ahead
    for a later report of the same change; an item takes a day no earlier than its start
    and, before a precise change, no later than that change's day or its own end; only
    the last row, and on one day the one before it, is ever revised. So the stored rows
    before ``b`` and from ``c`` on stand, where ``b`` (at most two days before the first
    change, after the reach of a precise change in the window, so that items outside
    the window end before it) is a day whose items all keep their start (precise, or
    contested) and include a precise change, and ``c`` is the day after the reach of the
    first precise change after the last one (or the next such day, when an item between
    them could move). Checked on the way: the last stored row
    before ``b``, carried in by a stand-in, is not revised, and the last row before
    ``c`` comes out as stored (so the items from ``c`` on meet the same state), or as
    stored but for the reports before ``c`` that it rests on, and is then revised by the
    same later reports as the stored one (``read`` gives those stored events, by id,
    with their mentions).
    """
    items = _unit_items(events, mentions, countries).get(unit_id, [])
    if not stored:  # no event proposed a change before: every item is a changed event's
        return _timeline(_defer_vague(items, mentions), mentions)
    if any(s.unit_level == "province" for s in stored) or any(
            x[0].place is not None and x[0].place.kind == "province" for x in items):
        return None
    lo, hi = window
    first, last = changed
    stretch = _Stretch(items, mentions)
    b: dt.date | None = None
    if lo is not None:
        opening = stretch.opening(lo, first)
        if opening is None:
            return None
        b, items = opening
    c: dt.date | None = None  # with no window end, the re-derivation runs to the end
    if hi is not None:
        c = _Stretch(items, mentions).closing(last, hi, stretch.cuts)
        if c is None:
            return None
    rows = sorted(stored, key=lambda s: s.date)
    dated = _defer_vague(items, mentions)
    new = _rederived(rows, dated, b, c, mentions)
    if new is None or c is None:
        return new
    return _rejoined(rows, new, {x[0].id: x[4] for x in dated}, c, hi, events, mentions, read)


class _Stretch:
    """A unit's items, read for where a re-derivation may start and stop (the reach of
    :func:`_defer_vague`, see :func:`resume_timeline`)."""

    def __init__(self, items: list[_Item], mentions: Mapping[str, Mention] | None) -> None:
        self.items = items
        self.mentions = mentions
        by_start: dict[dt.date, list[_Item]] = {}
        for x in items:
            by_start.setdefault(self.start(x), []).append(x)
        #: days whose items all keep their start and include a precise change
        self.cuts = sorted(d for d, xs in by_start.items()
                           if all(self.fixed(x) for x in xs) and any(self.change(x) for x in xs))

    @staticmethod
    def start(x: _Item) -> dt.date:
        return x[0].date.start

    def change(self, x: _Item) -> bool:
        """A precise change of hands: it ends every look-ahead for a later report."""
        return x[1] != "contested" and not _imprecise(x[0], self.mentions)

    def fixed(self, x: _Item) -> bool:
        """The item keeps its start day (precise, or contested)."""
        return x[1] == "contested" or not _imprecise(x[0], self.mentions)

    def reach(self, day: dt.date) -> dt.date:
        """The latest day an item starting before ``day`` takes."""
        return max([day, *(x[0].date.end for x in self.items if self.start(x) < day)])

    def opening(self, lo: dt.date, first: dt.date) -> tuple[dt.date, list[_Item]] | None:
        """The day ``b`` the re-derivation starts on (at most two days before the first
        change, after the reach of a precise change in the window) and the items from
        that precise change on; None when the window shows no such day."""
        anchors = [self.start(x) for x in self.items if self.start(x) >= lo and self.change(x)]
        if not anchors:
            return None
        settled = self.reach(min(anchors))  # items starting before the anchor take no later day
        options = [d for d in self.cuts if settled < d <= first - dt.timedelta(days=2)]
        if not options:
            return None
        return options[-1], [x for x in self.items if self.start(x) >= min(anchors)]

    def closing(self, last: dt.date, hi: dt.date, cuts: Sequence[dt.date]) -> dt.date | None:
        """The day ``c`` the re-derivation stops before: the day after the reach of the
        first precise change after ``last``, or the next of ``cuts`` when an item between
        could move; None when it lies past the window's end ``hi``."""
        stops = [self.start(x) for x in self.items if self.start(x) > last and self.change(x)]
        if not stops:
            return None
        settled = max(self.reach(min(stops)), last)
        c: dt.date | None = settled + dt.timedelta(days=1)
        if not all(self.fixed(x) for x in self.items if min(stops) < self.start(x) < settled
                   + dt.timedelta(days=1)):
            c = next((d for d in cuts if d > settled), None)
        if c is None or self.reach(c) > hi:
            return None
        return c


def _rederived(rows: list[ControlState], dated: list[_Dated], b: dt.date | None,
               c: dt.date | None, mentions: Mapping[str, Mention] | None,
               ) -> list[ControlState] | None:
    """The stored rows before ``b`` and the timeline of the items dated from ``b`` to
    before ``c``; None when those items revise the last stored row before ``b`` (carried
    in by a stand-in event)."""
    before = [s for s in rows if b is not None and s.date < b]
    seg = [x for x in dated if (b is None or x[4] >= b) and (c is None or x[4] < c)]
    if not (before and seg):
        return [*before, *_timeline(seg, mentions)]
    last_before = before[-1]
    stand_in = replace(seg[0][0], id=_STAND_IN, mention_ids=(), evidence=())
    run = _timeline([(stand_in, last_before.controller, last_before.confirmed,
                      last_before.controller, last_before.date), *seg], mentions)
    if run[0].event_ids != (_STAND_IN,) or run[0].confirmed != last_before.confirmed:
        return None  # the re-derived items revise the row before b
    return [*before, *run[1:]]


def _rejoined(rows: list[ControlState], new: list[ControlState], days: Mapping[str, dt.date],
              c: dt.date, hi: dt.date | None, events: Sequence[Event],
              mentions: Mapping[str, Mention] | None,
              read: Callable[[list[str]], tuple[list[Event], Mapping[str, Mention]]] | None,
              ) -> list[ControlState] | None:
    """The re-derived rows before ``c`` followed by the stored rows from ``c`` on, when the
    last row before ``c`` meets those in the state the stored one did (as stored, or as
    stored but for the reports before ``c`` it rests on); else None."""
    old = [s for s in rows if s.date < c]
    after = [s for s in rows if s.date >= c]
    held, now = (old[-1] if old else None), (new[-1] if new else None)
    if held == now:
        return [*new, *after]
    # the items from c on see the row's controller and confirmation, not its day
    if held is None or now is None or read is None or hi is None \
            or held.controller != now.controller:
        return None
    revised = _revised_as_stored(held, now, days, events, mentions, read, c, hi)
    return None if revised is None else [*new[:-1], revised, *after]


def _revised_as_stored(held: ControlState, now: ControlState, days: Mapping[str, dt.date],
                       events: Sequence[Event], mentions: Mapping[str, Mention] | None,
                       read: Callable[[list[str]], tuple[list[Event], Mapping[str, Mention]]],
                       c: dt.date, hi: dt.date) -> ControlState | None:
    """``now`` (a re-derived row as it stands before day ``c``) revised by the reports from
    ``c`` on that revised ``held`` (the stored row of the same change), or None when the
    two rows do not meet those reports in the same state. ``held``'s basis lists the
    reports in the order they reached it: those before ``c`` (each dated in ``days``,
    or outside the window before it), then the later ones (dated in ``days`` from ``c``
    on, or outside the window after ``hi``)."""
    window = {e.id for e in events}
    outside = [i for i in held.event_ids if i not in window]
    more, more_mentions = read(outside) if outside else ([], {})
    found = {e.id: e for e in (*events, *more)}
    if any(i not in found for i in held.event_ids):
        return None

    def later(i: str) -> bool:
        return days[i] >= c if i in days else i not in window and found[i].date.start > hi

    flags = [later(i) for i in held.event_ids]
    k = flags.index(True) if True in flags else len(flags)
    if not all(flags[k:]):
        return None
    # a row is confirmed once a report of its change is (supports only add to it)
    if now.confirmed != any(found[i].status == "reported" for i in held.event_ids[:k]):
        return None
    for i in held.event_ids[k:]:
        now = _support(now, found[i], _evidence(found[i], mentions if i in window else more_mentions))
    return now
