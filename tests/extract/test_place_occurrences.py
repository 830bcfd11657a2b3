"""One mention per place a sentence reports an occurrence in, and the actors a frame implies.

Read off the parse: a list's further members hung on its kind noun ('the cities of A, the
capital of X; B, ...; and C'), conjoined place phrases ('in A, B and on the outskirts of
C'), a city that is also a province-level unit ('Kiev'), triggers of one type each with its
own place ('killed two in A and injured six in B'); a raised flag's side, a participle's
doer. Sentences written for these tests in the style of the wires."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.model import Mention
from tests.extract.reading import mentions_in

REGAINS = "Government regains territory"
OVERTAKES = "Non-state actor overtakes territory"


def _places(mentions: list[Mention], *types: str) -> set[str]:
    return {m.place.place.name for m in mentions if m.sub_event_type in types
            and m.place is not None and m.place.place is not None}


def test_a_list_of_cities_with_appositions(nlp: Any, afghanistan: Any) -> None:
    """Each member set off by a semicolon with its own apposition is its own capture."""
    text = ("Reports said the cities of Lashkar Gah, the capital of Helmand Province; Qala-i-Naw, the "
            "capital of Badghis Province; Firuz Koh, in Ghor Province; and Kandahar, the country's "
            "second-largest city and the capital of the southern province fell to the Taliban between "
            "12 and 13 August.")
    got = _places(mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 14)), OVERTAKES)
    assert {"Lashkar Gah", "Qala-e-Naw", "Kandahar"} <= got


def test_conjoined_place_phrases(nlp: Any, ukraine: Any) -> None:
    text = "Heavy fighting continues in Bilohorivka, Toshkivka and on the outskirts of Sievierodonetsk."
    got = _places(mentions_in(nlp, ukraine, text, dt.date(2022, 6, 9)), "Armed clash")
    assert got == {"Bilohorivka", "Toshkivka", "Sievierodonetsk"}


def test_a_city_that_is_its_own_province(nlp: Any, ukraine: Any) -> None:
    """'Kiev' in a list of 'other cities' is the city (its 'city' reading is the city-state
    unit), one strike event beside Kharkiv's."""
    text = "A massive cruise missile and drone strike hit Kiev, Kharkiv and other cities on Monday."
    mentions = mentions_in(nlp, ukraine, text, dt.date(2022, 11, 1))
    assert {"Kyiv", "Kharkiv"} <= {m.place.place.name for m in mentions if m.place and m.place.place}


def test_one_harm_per_place(nlp: Any, ukraine: Any) -> None:
    """Two harm verbs of one type, each with its place in its own phrase, are two events."""
    text = "Russian shelling on Tuesday killed two civilians in Bakhmut and injured six in Sviatohirsk."
    places = {m.place.place.name for m in mentions_in(nlp, ukraine, text, dt.date(2022, 10, 5))
              if m.place is not None and m.place.place is not None}
    assert {"Bakhmut", "Sviatohirsk"} <= places


def test_a_region_locating_the_place_is_no_second_place(nlp: Any, ukraine: Any) -> None:
    """'attacks near Lyman (Donetsk region)' over the last day names one place; attacks
    summed up over days in two towns stay a summary."""
    one = ("The Russian army said it had led, in the last 24 hours, massive attacks near Lyman "
           "(Donetsk region), a city recently taken by Ukrainian forces.")
    assert _places(mentions_in(nlp, ukraine, one, dt.date(2022, 10, 5)), "Armed clash") == {"Lyman"}


def test_plural_over_a_period_in_two_places_is_a_summary(nlp: Any, afghanistan: Any) -> None:
    text = "Protests have taken place in recent days in Herat and Kabul provinces."
    assert not mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 5))


def test_a_raised_flag_names_the_side(nlp: Any, ukraine: Any) -> None:
    """The flag's nationality is the side that raised it over the place, whoever is named as
    doing it."""
    text = "Videos of Ukrainian troops raising Ukrainian flags in Pravdyne and Kalynivske have been published."
    ms = [m for m in mentions_in(nlp, ukraine, text, dt.date(2022, 11, 10))
          if m.sub_event_type in (REGAINS, OVERTAKES)]
    assert ms and all(m.actor1 is not None and m.actor1.actor is not None
                      and m.actor1.actor.id == "ukr-military" for m in ms)
    assert {"Pravdyne", "Kalynivske"} <= _places(ms, REGAINS, OVERTAKES)


def test_a_participle_on_its_subject(nlp: Any, afghanistan: Any) -> None:
    """'Taliban fighters storming the city': the noun the participle hangs on is its doer."""
    text = "Taliban fighters storming the city on Friday met little resistance in Kunduz."
    m = next(m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 9)) if m.trigger.text == "storming")
    assert m.actor1 is not None and m.actor1.actor is not None and m.actor1.actor.name == "Taliban"
