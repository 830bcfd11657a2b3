"""Place and date rules of mention extraction on real sentences (one rule per test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.extract import ExtractContext
from sitrep.model import Mention
from tests.extract.reading import mentions_in

TERRITORIAL = {"Non-state actor overtakes territory", "Non-violent transfer of territory"}


def _run(nlp: Any, ctx: ExtractContext, text: str, published: dt.date | None = dt.date(2021, 8, 10)) -> list[Mention]:
    return mentions_in(nlp, ctx, text, published)


def _places(mentions: list[Mention]) -> set[str]:
    return {m.place.place.name for m in mentions if m.place and m.place.place}


def test_since_weekday_is_a_window_up_to_publication(nlp: Any, real: ExtractContext) -> None:
    ms = _run(nlp, real, "Since Friday the Taliban have captured Zaranj, Sheberghan and Kunduz.")
    caps = [m for m in ms if m.sub_event_type in TERRITORIAL]
    assert {"Zaranj", "Sheberghan", "Kunduz"} <= _places(caps)
    for m in caps:  # not 'on Friday': each capture lies somewhere in the window
        assert m.date is not None and m.date.interval.precision == "range"
        assert m.date.interval.start == dt.date(2021, 8, 6)
        assert m.date.interval.end == dt.date(2021, 8, 10)


def test_districts_of_a_province_named_city_are_the_province(nlp: Any, real: ExtractContext) -> None:
    ms = _run(nlp, real, "Two districts of Herat were taken by the Taliban overnight.",
              published=dt.date(2021, 7, 8))
    caps = [m for m in ms if m.sub_event_type in TERRITORIAL]
    assert caps and all(m.place and m.place.place and m.place.place.kind == "province" for m in caps)


def test_a_movements_destination_is_not_the_place(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban entered Faizabad on Sunday. Some senior provincial officials were "
            "leaving the city for Kabul, he said.")
    ms = _run(nlp, real, text, published=dt.date(2021, 7, 4))
    assert ms and "Kabul" not in _places(ms)


def test_a_reference_point_is_not_the_place(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban captured Herat on Thursday. Ghazni, south of Kabul, also fell to the "
            "insurgents on Thursday.")
    ms = _run(nlp, real, text, published=dt.date(2021, 8, 13))
    assert ms and "Kabul" not in _places(ms)


def test_a_report_dated_after_publication_is_not_asserted(nlp: Any, real: ExtractContext) -> None:
    text = ("The attack comes as the government fears an escalation of violence with the "
            "departure of the American troops, who must have left the country by September 11.")
    ms = _run(nlp, real, text, published=dt.date(2021, 5, 9))
    assert all(m.modality != "asserted" for m in ms
               if m.date and m.date.interval.start > dt.date(2021, 5, 9))


def test_a_governing_verbs_date_dates_the_trigger(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban had already briefly attempted in June to attack Kunduz, capital of the "
            "province of the same name.")
    ms = _run(nlp, real, text, published=dt.date(2021, 7, 8))
    attacks = [m for m in ms if "attack" in m.trigger.text]
    assert attacks and all(m.date and m.date.interval.start.month == 6 for m in attacks)


def test_an_allegation_is_claimed(nlp: Any, real: ExtractContext) -> None:
    text = ("The ministry reported the arrest of the governor, amid unsubstantiated accusations "
            "that he had turned the city over to the Taliban.")
    ms = _run(nlp, real, text, published=dt.date(2021, 8, 13))
    handovers = [m for m in ms if m.sub_event_type in TERRITORIAL]
    assert handovers and all(m.modality == "claimed" for m in handovers)


def test_fighting_and_territory_abroad_fall_back_to_the_focus_country(nlp: Any, real: ExtractContext) -> None:
    """A capture 'in Moscow' is no Afghan event place (the story's place stands in); talks
    held abroad keep their foreign venue."""
    ms = _run(nlp, real, "The Taliban captured Kunduz on Sunday. Taliban fighters also took control "
                         "of Moscow on Monday.")
    caps = [m for m in ms if m.sub_event_type in TERRITORIAL]
    assert caps and "Moscow" not in _places(caps)
    talks = _run(nlp, real, "Government and Taliban negotiators agreed to a ceasefire in Doha on Monday.")
    assert "Doha" in _places([m for m in talks if m.sub_event_type == "Agreement"])


def test_the_city_moves_the_story_to_its_town(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban captured Zaranj on Friday, officials said. The insurgents also attacked "
            "checkpoints in Jawzjan province.\n\nThe army left the city without resistance, an "
            "official said. Only the intelligence forces fought for two hours before they escaped.")
    ms = _run(nlp, real, text, published=dt.date(2021, 8, 6))
    fought = [m for m in ms if m.trigger.text == "fought"]
    assert fought and fought[0].place and fought[0].place.place
    assert fought[0].place.place.name == "Zaranj"


@pytest.mark.parametrize(("text", "published", "later", "place"), [
    pytest.param("The Taliban seized Sheberghan on Saturday, a day after taking Zaranj in the far "
                 "southwest. The governor said troops had retreated to the airport on the edge of the city.",
                 dt.date(2021, 8, 7), "The governor", "Sheberghan",
                 id="the city is the town of the sentence's event"),
    pytest.param("Gunmen fired at protesters in Jalalabad on Wednesday, killing three people.\n"
                 "Besides Jalalabad, Kunar and Khost cities also reported demonstrations.\n"
                 "A video showed shots being fired in a crowded market as people ran for safety.",
                 dt.date(2021, 8, 18), "A video", "Jalalabad",
                 id="a list of places does not move the story"),
    pytest.param("Afghan forces retook Shinwari district in Parwan province on Tuesday morning, the "
                 "police chief said. He said that government forces are preparing to retake the adjacent "
                 "district of Seyah Gerd. The ministry praised the uprising forces for their role in "
                 "retaking the district.",
                 dt.date(2021, 6, 30), "The ministry", "Shinwari",
                 id="a place named as a plan's goal does not move the story"),
])
def test_the_story_place_a_later_sentence_takes(nlp: Any, real: ExtractContext, text: str,
                                                published: dt.date, later: str, place: str) -> None:
    ms = _run(nlp, real, text, published=published)
    found = [m for m in ms if m.sentence.text.startswith(later)]
    assert found and all(m.place and m.place.place and m.place.place.name == place for m in found)


def test_the_same_day_refers_back_to_the_storys_last_day(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban took control of the Guzara district of Herat for a few hours on Friday "
            "afternoon.\n\nThe same day, rocket-propelled grenades and gunfire targeted the entrance "
            "to the UN compound in the area.")
    ms = _run(nlp, real, text, published=dt.date(2021, 8, 2))
    fire = [m for m in ms if m.sentence.text.startswith("The same day")]
    assert fire and all(m.date and m.date.interval.start == dt.date(2021, 7, 30) for m in fire)
