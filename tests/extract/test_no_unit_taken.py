"""Captures that take no place: a person taken, civilians fleeing (sitrep/extract/mentions.py);
a known place taken or left by a side still changes hands. Sentences written for the test in
the style of the wire reports."""

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
