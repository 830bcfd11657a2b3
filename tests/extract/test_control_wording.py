"""Wordings of a change of control that name no capture verb: control claimed, established
or lost, a place that came under someone's control (sitrep/data/triggers.yaml
terr.seize_control / terr.came_under / terr.lost_control); and captures that take no place:
a person taken, civilians fleeing (sitrep/extract/mentions.py). Sentences written for the
test in the style of the wire reports; the lost-control reading needs a place, so an economy
or a crowd 'lost control of' is no event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.ontology import TERRITORIAL
from tests.extract.reading import mentions_in


def _readings(nlp: Any, ctx: Any, text: str, published: dt.date) -> list[tuple[str, str | None, str | None]]:
    return [(m.sub_event_type, m.place.place.name if m.place and m.place.place else None,
             m.actor2.actor.name if m.actor2 and m.actor2.actor else None)
            for m in mentions_in(nlp, ctx, text, published)]


@pytest.mark.parametrize("text", [
    "The Taliban claimed control over the Khan Abad district of Kunduz province on Monday.",
    "The Taliban established full control over Khan Abad district in Kunduz on Monday.",
    "The Khan Abad district of Kunduz province came under the control of the Taliban on "
    "Monday, local officials said.",
    "Government forces lost control of the Khan Abad district of Kunduz province on Monday "
    "after two days of fighting.",
])
def test_control_wordings_are_a_change_of_territory(nlp: Any, afghanistan: Any, text: str) -> None:
    got = _readings(nlp, afghanistan, text, dt.date(2021, 8, 10))
    assert ("Non-state actor overtakes territory", "Khan Abad",
            "Military Forces of Afghanistan (2014-2021)") in got


def test_a_side_claiming_control_of_a_village_regains_it(nlp: Any, ukraine: Any) -> None:
    got = _readings(nlp, ukraine, "On Friday, Ukrainian forces claimed control over the "
                    "village of Drobysheve, near Lyman.", dt.date(2022, 10, 1))
    assert [t for t, place, _ in got if place == "Drobysheve"] == ["Government regains territory"]


@pytest.mark.parametrize("text", [
    "The government has lost control of the economy since the sanctions.",
    "Officers briefly lost control of the crowd outside the stadium.",
])
def test_losing_control_of_no_place_is_no_event(nlp: Any, afghanistan: Any, text: str) -> None:
    assert _readings(nlp, afghanistan, text, dt.date(2021, 8, 10)) == []


@pytest.mark.parametrize("text", [
    "On March 11, the Russian invaders captured Fedorov at the crisis center in the town of "
    "Melitopol.",
    "On March 6, eight civilian residents were killed by Russian troops in Irpin, Kyiv region, "
    "while trying to flee from the town.",
])
def test_a_person_taken_or_civilians_fleeing_change_no_hands(nlp: Any, ukraine: Any, text: str) -> None:
    got = _readings(nlp, ukraine, text, dt.date(2022, 3, 12))
    assert not [t for t, _place, _ in got if t in TERRITORIAL], got


@pytest.mark.parametrize(("text", "place"), [
    ("Russian forces captured the city of Melitopol on Friday.", "Melitopol"),
    ("Ukrainian troops fled from Lysychansk on Sunday.", "Lysychansk"),
])
def test_a_known_place_taken_or_left_by_a_side_still_changes_hands(
        nlp: Any, ukraine: Any, text: str, place: str) -> None:
    got = _readings(nlp, ukraine, text, dt.date(2022, 3, 12))
    assert place in {p for t, p, _ in got if t in TERRITORIAL}, got
