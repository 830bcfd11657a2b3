"""Events across the border are coded abroad, not at the story's place at home (issue 9:
'a Pakistani border town as a Taliban capture'); a flight abroad is no event abroad."""

from __future__ import annotations

from typing import Any

from reading import mentions_in, place_of

from sitrep.extract import ExtractContext


def test_an_event_across_the_border_is_not_coded_at_home(nlp: Any, afghanistan: ExtractContext) -> None:
    """'killed in Pakistan's Lower Dir district' happened in Pakistan: not at the story's
    Afghan place but at the border district (``foreign_curated.csv`` lists Pakistan's
    districts along the border); a Pakistani town the gazetteer knows is coded there."""
    text = ("Taliban fighters clashed with government forces in Kunduz province on Sunday. A "
            "Pakistani soldier was killed in Pakistan's Lower Dir district after taking fire from "
            "militants across the border, the army said on Monday.")
    ms = mentions_in(nlp, afghanistan, text)
    assert place_of(ms, "clashed")[0] == "Kunduz"
    killed = next(m for m in ms if m.trigger.text.startswith("killed"))
    assert killed.place is not None and killed.place.place is not None
    assert killed.place.place.country == "Pakistan"
    assert place_of(ms, "killed") == ("Lower Dir", "district", "Khyber Pakhtunkhwa")
    ms = mentions_in(nlp, afghanistan, "Taliban fighters clashed with government forces in Kunduz province on "
                                       "Sunday. Two Pakistani soldiers were killed in a cross-border attack by "
                                       "militants from Afghanistan into Pakistan's northwest Kurram district, an "
                                       "army statement said on Monday.")
    killed = next(m for m in ms if m.trigger.text.startswith("killed"))
    assert killed.place is not None and killed.place.place is not None
    # not the militants' origin, not the story's Kunduz
    assert place_of(ms, "killed") == ("Kurram", "district", "Khyber Pakhtunkhwa")
    ms = mentions_in(nlp, afghanistan, "The Taliban captured Kunduz on Sunday. Two Pakistani soldiers "
                                       "were killed in Chaman on Monday when militants fired across the border.")
    assert place_of(ms, "killed") == ("Chaman", "city", "Balochistan")


def test_a_flight_across_the_border_leaves_the_event_at_home(nlp: Any, afghanistan: ExtractContext) -> None:
    """'crossed the border into Tajikistan' says where soldiers went, not where the
    capture happened (a goal, not a place the clause happens at)."""
    text = ("Fighting raged in Badakhshan province on Sunday. The Taliban captured several districts "
            "overnight as hundreds of Afghan soldiers crossed the border into Tajikistan, officials said.")
    ms = mentions_in(nlp, afghanistan, text)
    assert ms and all(m.place is not None and m.place.place is not None
                      and m.place.place.country == "Afghanistan" for m in ms)


def test_a_pakistani_border_district_is_read_with_its_kind_word(nlp: Any, afghanistan: ExtractContext) -> None:
    """The tribal districts along the border are places abroad; a tribe's name alone
    ('Mohmand' of a person's name, 'Mohmand Dara' of Nangarhar) is not Pakistan's district."""
    ms = mentions_in(nlp, afghanistan, "Two soldiers were killed in an attack in North Waziristan on Tuesday, "
                                       "the Pakistani military said.")
    assert place_of(ms, "killed") == ("North Waziristan", "district", "Khyber Pakhtunkhwa")
    ms = mentions_in(nlp, afghanistan, "Gunmen killed a tribal elder in the Mohmand district of Khyber "
                                       "Pakhtunkhwa province on Monday.")
    assert place_of(ms, "killed") == ("Mohmand", "district", "Khyber Pakhtunkhwa")
    ms = mentions_in(nlp, afghanistan, "The Taliban attacked a checkpoint in Mohmand Dara district of Nangarhar "
                                       "province on Monday, officials said.")
    assert place_of(ms, "attacked")[2] == "Nangarhar"
