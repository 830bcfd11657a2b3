"""What a place is to the trigger: a province's name said to be a capital by its apposition
names the town; a place a missile was launched from is its origin, not where it struck.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reading import mentions_in, place_of

from sitrep.extract import ExtractContext


def test_a_provinces_name_apposed_as_its_capital_is_the_town(nlp: Any, afghanistan: ExtractContext) -> None:
    ms = mentions_in(nlp, afghanistan, "The militants took Maidan Wardak, the capital of Maidan Wardak, on Sunday.")
    assert place_of(ms, "took")[1:] == ("city", "Wardak")
    # a figurative 'capital of' is no town
    ms = mentions_in(nlp, afghanistan, "Heavy fighting broke out in Helmand, the capital of opium production, "
                                       "on Sunday.")
    assert place_of(ms, "fighting") == ("Helmand", "province", "Helmand")


def test_a_launch_site_is_no_place_of_the_strike(nlp: Any, ukraine: ExtractContext) -> None:
    day = dt.date(2022, 7, 1)
    ms = mentions_in(nlp, ukraine, "A Russian missile hit a dormitory in Odesa on Saturday. The missile, which "
                                   "hit a dormitory, was launched from the occupied Crimea.", day)
    assert [m.place.place.name for m in ms if m.place and m.place.place] == ["Odesa", "Odesa"]
    ms = mentions_in(nlp, ukraine, "Russian forces shelled Kharkiv on Monday. Rockets fired from Belgorod hit a "
                                   "school in the city.", day)
    assert place_of(ms, "Rockets")[0] == "Kharkiv"


def test_a_village_near_a_city_province_is_in_the_province_around_it(ukraine: ExtractContext) -> None:
    """Kyiv City is an admin-1 of its own; 'a village near Kyiv' lies in the Kyiv oblast
    around it: the one village of that oblast the article names, not the city (the Ukrainian
    pipeline: its gazetteer ruler tags the village)."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    text = ("Russian troops shot at a group of women and children fleeing a village near Kyiv on Friday, killing "
            "seven. The shooting happened as residents tried to leave Moshchun along an agreed corridor.")
    assert place_of(mentions_in(nlp, ukraine, text, dt.date(2022, 3, 12)), "shot") == ("Moshchun", "city", "Kyiv")


def test_a_place_whose_office_a_noun_is_yields_to_where_it_happened(nlp: Any, afghanistan: ExtractContext) -> None:
    """'the police chief for Shigal district' says whose office, not where: the blast is in
    Asadabad; a place of an office that is the sentence's only place stays."""
    ms = mentions_in(nlp, afghanistan, "The blast happened in Asadabad, the capital of Kunar province, targeting "
                                       "the Taliban police chief for Shigal district, an official said.")
    assert place_of(ms, "blast")[0] == "Asadabad"
    ms = mentions_in(nlp, afghanistan, "Gunmen shot dead the governor of Kandahar in Kabul on Monday.")
    assert place_of(ms, "shot")[0] == "Kabul"
    ms = mentions_in(nlp, afghanistan, "The police chief of Kunduz was killed in a blast on Monday.")
    assert place_of(ms, "blast")[0] == "Kunduz"


def test_an_area_of_a_province_is_its_district_of_that_name(nlp: Any, afghanistan: ExtractContext) -> None:
    """'the Andarob area of Baghlan province': the area bears its district's name in another
    spelling (Andarab); the province only says where it lies."""
    ms = mentions_in(nlp, afghanistan, "Fighting broke out between opposition forces and the Taliban in the "
                                       "Andarob area of Baghlan province.")
    assert place_of(ms, "Fighting")[:3] == ("Andarab", "district", "Baghlan")


def test_the_seat_of_a_cited_outlet_is_no_place_of_the_event(nlp: Any, afghanistan: ExtractContext) -> None:
    """'Amaj News based in Kabul' says where the outlet sits; the border clash the story tells
    stays in Nimroz. Troops 'based in' a place are attacked there."""
    day = dt.date(2021, 12, 1)
    ms = mentions_in(nlp, afghanistan, "Iranian forces clashed with the Taliban on the border in Nimroz "
                                       "province on Wednesday. Amaj News based in Kabul said that Iranian "
                                       "forces used heavy weapons in the fighting.", day)
    assert {m.place.place.admin1 for m in ms if m.place and m.place.place} == {"Nimruz"}
    ms = mentions_in(nlp, afghanistan, "Taliban fighters attacked army troops based in Kandahar on Wednesday.",
                     day)
    assert place_of(ms, "attacked")[0] == "Kandahar"


def test_a_persons_surname_that_is_also_a_district_is_no_place(nlp: Any, afghanistan: ExtractContext) -> None:
    """'Mohammad Omar Sherzad, the governor of Uruzgan' (Sherzad is a Nangarhar district):
    the surname places nothing; the governor's province does."""
    ms = mentions_in(nlp, afghanistan, "Mohammad Omar Sherzad, the governor of Uruzgan province, surrendered "
                                       "the provincial capital to the Taliban on Friday.", dt.date(2021, 8, 14))
    assert ms and all(m.place is None or m.place.place is None or m.place.place.admin1 == "Uruzgan"
                      for m in ms)


def test_a_surname_alone_later_in_the_article_is_still_the_person(nlp: Any, afghanistan: ExtractContext) -> None:
    """The article names the governor in full, then calls him 'Sherzad' alone ('Sherzad
    said ... he handed over the city'): the same person, not the Nangarhar district."""
    text = ("Mohammad Omar Sherzad, the governor of Uruzgan province, released a video on Friday. "
            "In the video, Sherzad said elders had asked him to avoid bloodshed, so he handed over "
            "the provincial capital to the Taliban.")
    ms = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 14)) if "handed" in m.trigger.text]
    assert ms and all(m.place is not None and m.place.place is not None
                      and m.place.place.admin1 == "Uruzgan" for m in ms)


def test_a_name_after_a_place_preposition_is_a_place_whoever_bears_it(nlp: Any, afghanistan: ExtractContext) -> None:
    """'Ghulam Farooq Wardak' is a minister; 'a checkpoint in Wardak' later is the province."""
    text = ("Ghulam Farooq Wardak, the education minister, visited the area on Monday. "
            "Later the Taliban attacked a checkpoint in Wardak, killing two soldiers.")
    ms = mentions_in(nlp, afghanistan, text, dt.date(2021, 7, 20))
    assert place_of(ms, "attacked")[:2] == ("Wardak", "province")
