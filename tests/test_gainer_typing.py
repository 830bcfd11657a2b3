"""A capture or recapture is typed by the side that gained on the conflict profile
(``sitrep.event_values.by_gainer``), as ACLED codes it: the state of the day taking
ground is 'Government regains territory', a side that is neither the state nor the
insurgent side taking ground is 'Non-state actor overtakes territory', whatever verb the
report uses; the insurgent side become the state (after the fall of Kabul) keeps its
reports' own reading: a first capture from the resistance overtakes, a retaking regains.
Team-written sentences in the style of the wire reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sitrep.event_values import by_gainer, main_type, mention_observation
from sitrep.ontology import OVERTAKES, REGAINS, TRANSFER
from sitrep.resolve.actors import resolve_actor
from tests.extract.reading import mentions_in

TAKEN = ("Taliban fighters captured Anaba district in Panjshir province on Saturday after "
         "heavy fighting with resistance forces, a Taliban spokesman said.")
RETAKEN = ("Afghan security forces retook Kohistan district in Kapisa province on Friday after "
           "a two-day operation, the defence ministry said.")


def _type(nlp: Any, text: str, published: dt.date) -> str:
    obs = [o for m in mentions_in(nlp, None, text, published)
           if (o := mention_observation(m, {})) is not None]
    assert obs
    return main_type(obs)


def test_a_capture_by_the_state_of_the_day_is_a_regain(nlp: Any) -> None:
    # the same words before and after the Taliban became the state (15 Aug 2021): the
    # insurgent side overtakes in both
    assert _type(nlp, TAKEN, dt.date(2021, 7, 11)) == OVERTAKES
    assert _type(nlp, TAKEN, dt.date(2021, 9, 5)) == OVERTAKES
    # the government's recapture before the fall stays a regain
    assert _type(nlp, RETAKEN, dt.date(2021, 7, 10)) == REGAINS
    # the Taliban, the state after the fall, retaking what the resistance took: a regain
    retaken = ("Taliban forces recaptured Deh Salah district in Baghlan province on Sunday from "
               "local militia groups, a Taliban spokesman said.")
    assert _type(nlp, retaken, dt.date(2021, 8, 23)) == REGAINS


def test_a_third_sides_recapture_is_a_takeover_and_unknown_sides_change_nothing(nlp: Any) -> None:
    obs = [o for m in mentions_in(nlp, None, RETAKEN, dt.date(2021, 8, 23))
           if (o := mention_observation(m, {})) is not None]
    recapture = [o for o in obs if o.sub_event_type == REGAINS]
    assert recapture
    nrf = resolve_actor("National Resistance Front")
    assert nrf is not None
    # the resistance retaking a district after the fall of Kabul: ACLED's 'overtakes'
    by_nrf = [replace(o, actor1=nrf) for o in recapture]
    assert by_gainer(REGAINS, by_nrf) == OVERTAKES
    # no actor, or sides that disagree: the type stays; other types are never touched
    assert by_gainer(REGAINS, [replace(o, actor1=None) for o in recapture]) == REGAINS
    taliban = resolve_actor("Taliban")
    assert taliban is not None
    mixed = by_nrf + [replace(o, actor1=taliban) for o in recapture]
    assert by_gainer(REGAINS, mixed) == REGAINS
    assert by_gainer(TRANSFER, by_nrf) == TRANSFER
