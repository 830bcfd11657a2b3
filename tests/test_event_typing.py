"""Event-level typing: fusion joins reports the learned typing reads as one type, and
types the event from all its reports (``Mention.type_scores``, ``event_values.agreed_types``)."""

from __future__ import annotations

import math
from dataclasses import replace

from test_fuse import ARTICLES, KANDAHAR_CITY, US, art, mention

from sitrep.event_values import agreed_types, consensus, could_be, mention_observation
from sitrep.fuse import fuse
from sitrep.model import Mention
from sitrep.typing_model import SCORE_FLOOR, load_model, type_scores

STRIKE, ATTACK, IED, CLASH = "Air/drone strike", "Attack", "Remote explosive/landmine/IED", "Armed clash"
OVERTAKES, REGAINS = "Non-state actor overtakes territory", "Government regains territory"
ARTS = {**ARTICLES, "b000": art("b000", "Reuters", "2021-08-30"),
        "b001": art("b001", "The Guardian", "2021-08-30")}


def scored(m: Mention, proba: dict[str, float]) -> Mention:
    """``m`` with the learned typing's scores (type -> probability)."""
    return replace(m, type_scores=type_scores(proba))


def _strike_reports() -> tuple[Mention, Mention]:
    """A drone strike in Kandahar and another outlet's sentence about its victims, which
    the rules read as an attack on civilians (a pair no occurrence rule links)."""
    strike = mention("b000", 10, "A US drone strike hit a car in Kandahar on Sunday, officials said.",
                     STRIKE, KANDAHAR_CITY, "2021-08-29", a1=US, a2=None, trigger="drone strike")
    victims = mention("b001", 40, "The US strike in Kandahar on Sunday killed ten civilians, "
                      "including seven children, relatives said.", ATTACK, KANDAHAR_CITY,
                      "2021-08-29", a1=US, a2=None, trigger="killed")
    return strike, victims


def test_scores_are_log_probabilities_of_the_likely_types_best_first() -> None:
    s = type_scores({STRIKE: 0.6, ATTACK: 0.395, IED: 0.005})
    assert [k for k, _ in s] == [STRIKE, ATTACK]  # under the floor: not kept
    assert math.isclose(math.exp(s[0][1]), 0.6, abs_tol=1e-3)


def test_a_report_the_model_reads_as_the_events_type_joins_it_and_takes_its_type() -> None:
    strike, victims = _strike_reports()
    apart = fuse([strike, victims], ARTS).events
    assert sorted(e.sub_event_type for e in apart) == [STRIKE, ATTACK]  # rules alone: two
    agree = load_model().agree
    assert agree <= 0.5, "the shipped model must enable event-level typing"
    joined = fuse([scored(strike, {STRIKE: 0.9, ATTACK: 0.08}),
                   scored(victims, {ATTACK: 0.45, STRIKE: 0.5})], ARTS).events
    assert [(e.sub_event_type, e.event_type, len(e.mention_ids)) for e in joined] == [
        (STRIKE, "Explosions/Remote violence", 2)]


def test_a_report_the_model_finds_unlike_the_events_type_stays_apart() -> None:
    strike, victims = _strike_reports()
    events = fuse([scored(strike, {STRIKE: 0.9, ATTACK: 0.08}),
                   scored(victims, {ATTACK: 0.97, STRIKE: SCORE_FLOOR})], ARTS).events
    assert sorted(e.sub_event_type for e in events) == [STRIKE, ATTACK]


def test_the_event_type_is_the_best_supported_over_all_reports() -> None:
    """Two reports the rules typed a clash and one an IED blast, but the model finds the
    blast likely for all three: one blast (not the clash by majority of labels)."""
    text = "A roadside bomb struck a police vehicle in Kandahar city on Sunday."
    reports = [scored(mention("b000", 10, text, IED, KANDAHAR_CITY, "2021-08-29"),
                      {IED: 0.9, CLASH: 0.05}),
               scored(mention("b000", 200, "Two policemen died in the attack.", CLASH,
                              KANDAHAR_CITY, "2021-08-29"),
                      {CLASH: 0.4, IED: 0.55}),
               scored(mention("b000", 300, "Police exchanged fire with unknown men afterwards.",
                              CLASH, KANDAHAR_CITY, "2021-08-29"),
                      {CLASH: 0.55, IED: 0.4})]
    obs = [o for m in reports if (o := mention_observation(m, ARTS)) is not None]
    assert consensus([o.sub_event_type for o in obs], [dict(o.type_scores) for o in obs]) == IED
    assert [o.sub_event_type for o in agreed_types(obs)] == [IED, IED, IED]
    events = fuse(reports, ARTS).events
    assert [(e.sub_event_type, len(e.mention_ids)) for e in events] == [(IED, 3)]


def test_a_change_of_hands_keeps_the_side_the_rules_read() -> None:
    """The model never turns a capture into a recapture (nor into anything else), and
    no report becomes a change of hands by the model's consensus."""
    assert not could_be(OVERTAKES, REGAINS, 0.99, 0.1)
    assert not could_be(OVERTAKES, CLASH, 0.99, 0.1)
    assert not could_be("Arrests", OVERTAKES, 0.99, 0.1)
    assert not could_be(STRIKE, CLASH, 0.99, 0.1)  # occurrence.yaml: never one occurrence
    assert consensus([OVERTAKES, CLASH], [{OVERTAKES: -0.01}, {OVERTAKES: -0.01}]) is None
    assert could_be(ATTACK, STRIKE, 0.5, 0.3) and not could_be(ATTACK, STRIKE, 0.2, 0.3)


def test_force_met_by_a_protest_is_typed_by_its_harm() -> None:
    """ACLED: protesters killed make 'Excessive force against protesters'; a protest broken
    up with no one reported killed (shots in the air, beatings) is a 'Protest with
    intervention', whichever of the two the sentences were read as."""
    from test_fuse import KANDAHAR_CITY

    from sitrep.event_values import main_type

    fired = mention("b000", 10, "Taliban fighters fired in the air to break up a women's march in Kandahar.",
                    "Excessive force against protesters", KANDAHAR_CITY, "2021-08-30")
    assert main_type([mention_observation(fired, ARTS)]) == "Protest with intervention"
    killed = mention("b001", 10, "Taliban fighters fired on marchers in Kandahar, killing two.",
                     "Protest with intervention", KANDAHAR_CITY, "2021-08-30", killed=2)
    assert main_type([mention_observation(killed, ARTS)]) == "Excessive force against protesters"
    both = [mention_observation(m, ARTS) for m in (fired, killed)]
    assert main_type(both) == "Excessive force against protesters"
