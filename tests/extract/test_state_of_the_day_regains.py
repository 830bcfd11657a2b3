"""A recapture by the side that is the state on the mention's day is 'Government regains
territory', though its actor reads as an insurgent's: after the fall of Kabul (15 August
2021) the Taliban are the state (the profile's sides), and the coders type their retaking
of districts the resistance had seized as the government's. Their first captures stay
takeovers, and the same words before the fall are the insurgents'. Team-written sentences
in the style of the wire reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.ontology import OVERTAKES, REGAINS
from tests.extract.reading import mentions_in

RETAKEN = ("Taliban fighters retook Khost wa Fereng district in Baghlan province on Tuesday "
           "after resistance forces had seized it last week, a spokesman said.")
RECAPTURED = "The insurgents managed to recapture Burka district of Baghlan on Monday, local media reported."
CAPTURED = ("Taliban fighters captured Anaba district in Panjshir province on Saturday after heavy "
            "fighting with resistance forces.")


def _gains(nlp: Any, text: str, published: dt.date) -> list[tuple[str, str | None]]:
    return [(m.sub_event_type, m.actor1.actor.id if m.actor1 and m.actor1.actor else None)
            for m in mentions_in(nlp, None, text, published)
            if m.sub_event_type in (OVERTAKES, REGAINS)]


def test_the_new_states_recapture_is_a_regain(nlp: Any) -> None:
    assert _gains(nlp, RETAKEN, dt.date(2021, 8, 25)) == [(REGAINS, "taliban")]
    assert _gains(nlp, RECAPTURED, dt.date(2021, 8, 24)) == [(REGAINS, "taliban")]


def test_the_same_recapture_before_the_fall_is_a_takeover(nlp: Any) -> None:
    assert _gains(nlp, RETAKEN, dt.date(2021, 7, 14)) == [(OVERTAKES, "taliban")]


def test_the_new_states_first_capture_stays_a_takeover(nlp: Any) -> None:
    assert _gains(nlp, CAPTURED, dt.date(2021, 9, 5)) == [(OVERTAKES, "taliban")]
