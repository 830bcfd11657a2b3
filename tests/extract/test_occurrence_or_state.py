"""News of an occurrence, or something else told in its words (issue 9): states and
campaigns ('remains under attack', 'under siege for two years'), photo captions, pointers
back at events told elsewhere ('these killings'), a whole country changing hands, a clause
bounded by an earlier 'before ...', dates that belong to another phrase (a present perfect
with 'last month', a participant's own clause), a blast's toll, pre-window history, page
chrome, the relative anchor 'a week after X' and the phase of a well-known event ('the first
day of its invasion', a profile date anchor). Realistic sentences written for these tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.control import derive_control
from sitrep.extract import ExtractContext
from sitrep.extract.background import is_page_chrome
from sitrep.fuse import fuse
from sitrep.model import Article, Mention, stable_id
from sitrep.ontology import OVERTAKES, TERRITORIAL
from tests.extract.reading import mentions_in


def _types(mentions: list[Mention]) -> list[str]:
    return [m.sub_event_type for m in mentions]


def _place(m: Mention) -> str | None:
    return m.place.place.name if m.place is not None and m.place.place is not None else None


@pytest.mark.parametrize("text", [
    "Arghandab district had been under siege for two years.",
    "Meanwhile, Helmand province remains under a months-long Taliban assault.",
    "Kunduz city has stayed under attack.",
    # a rate is no occurrence
    "On average, 50 to 100 bombs are dropped on the city of Kunduz per day.",
    "Taliban fighters shell the outskirts of Kunduz every night, a resident said.",
])
def test_a_state_or_a_campaign_is_no_occurrence(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 6)) == []


def test_coming_under_attack_is_still_news(nlp: Any, afghanistan: ExtractContext) -> None:
    found = mentions_in(nlp, afghanistan, "A police convoy came under attack in Kunduz on Monday.",
                        dt.date(2021, 8, 10))
    assert found and _place(found[0]) == "Kunduz"


def test_a_present_tense_line_with_a_past_day_is_a_caption(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Taliban fighters captured the district on Sunday.\n\n"
            "Afghan army armoured vehicles leave toward the front line at the Nerkh district, "
            "Wardak province, July 12.")
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 7, 13))
    assert all(m.sentence.text.startswith("Taliban") for m in found), _types(found)


def test_a_demonstrative_points_back_at_events_told_elsewhere(nlp: Any, afghanistan: ExtractContext) -> None:
    for text in ("Human Rights Watch has called these killings war crimes.",
                 "Such summary executions violate the laws of war, the group said."):
        assert mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 5)) == [], text


def test_a_whole_country_changing_hands_is_no_unit(nlp: Any, afghanistan: ExtractContext) -> None:
    found = mentions_in(nlp, afghanistan, "The Taliban seized control of Afghanistan last month.",
                        dt.date(2021, 9, 19))
    assert not [m for m in found if m.sub_event_type in TERRITORIAL]


def test_an_occurrence_before_an_earlier_date_is_not_the_reports(nlp: Any, afghanistan: ExtractContext) -> None:
    """'clashed even before the takeover last month': not news of the report's day; a day of
    its own keeps it ('fought in Jalalabad on Saturday before they seized the house')."""
    text = "Taliban and Islamic State fighters clashed even before the Taliban took power in August."
    assert "Armed clash" not in _types(mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 20)))
    text = "The Taliban fought Islamic State fighters in Jalalabad on Saturday before they seized the house."
    found = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 20))
             if m.sub_event_type == "Armed clash"]
    assert found and found[0].date is not None and found[0].date.interval.start == dt.date(2021, 9, 18)


def test_a_present_perfect_does_not_take_last_month(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The Taliban today claimed they have taken control of Kapisa province – the last holdout "
            "of the resistance in the country since the group’s sweep across Afghanistan last month.")
    found = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 6)) if m.sub_event_type == OVERTAKES]
    assert found and found[0].date is not None
    assert found[0].date.interval.precision == "day" and found[0].date.interval.start == dt.date(2021, 9, 6)


def test_a_blasts_toll_is_no_attack_of_its_own(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("In late August, a suicide bomber struck a crowd outside Kabul airport. "
            "The explosion killed 170 Afghans and 13 American troops.")
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 1))
    assert "Attack" not in _types(found)
    assert all(m.date is not None and m.date.interval.end <= dt.date(2021, 8, 31) for m in found)


def test_history_before_the_window_gives_no_event(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The resistance was led by the son of the commander Ahmad Shah Massoud, who was killed "
            "two days before the Sept. 11, 2001, attacks in the United States.")
    assert mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 6)) == []


def test_a_line_of_other_stories_headlines_is_page_chrome(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Local News: Police shot a suspect in Fairfax | Schools reopen after storm | "
            "County fair returns")
    assert is_page_chrome(text) and not is_page_chrome("Kabul | Reuters")
    assert mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 1)) == []


def test_a_week_after_an_attack_dates_that_attack(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The cause of the explosions was not known, but it came exactly a week after a suicide "
            "bombing at a mosque in the northern city of Kunduz.")
    found = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 15)) if _place(m) == "Kunduz"]
    assert found and all(m.date is not None and m.date.interval.start == dt.date(2021, 10, 8) for m in found)


def test_the_first_day_of_the_invasion_is_the_profiles_anchor(nlp: Any, ukraine: ExtractContext) -> None:
    text = "Snake Island, which Russian forces seized on the first day of the invasion, lies off Odesa."
    found = [m for m in mentions_in(nlp, ukraine, text, dt.date(2022, 6, 30)) if m.sub_event_type == OVERTAKES]
    assert found and found[0].date is not None and found[0].date.interval.start == dt.date(2022, 2, 24)
    assert found[0].date.interval.precision == "day" and found[0].recap


def test_a_date_of_a_participants_clause_is_not_the_events(nlp: Any, ukraine: ExtractContext) -> None:
    text = ("Officials said the army took control of Vovchansk, a town near the border seized on "
            "the first day of the war.")
    found = mentions_in(nlp, ukraine, text, dt.date(2022, 9, 13))
    took = [m for m in found if m.trigger.text.startswith("took")]
    assert took and took[0].date is not None and took[0].date.interval.start == dt.date(2022, 9, 13)
    seized = [m for m in found if m.trigger.text.startswith("seized")]  # (that one is its date)
    assert seized and seized[0].date is not None and seized[0].date.interval.start == dt.date(2022, 2, 24)


def test_able_to_take_control_reports_a_capture(nlp: Any, ukraine: ExtractContext) -> None:
    text = "After heavy fighting in April, Russian forces were able to take control of Izium."
    found = [m for m in mentions_in(nlp, ukraine, text, dt.date(2022, 9, 10)) if m.sub_event_type == OVERTAKES]
    assert found and found[0].modality == "asserted"
    assert found[0].date is not None and found[0].date.interval.precision == "month"


def test_a_month_level_recap_does_not_flip_a_town_before_its_day(nlp: Any, afghanistan: ExtractContext) -> None:
    """The recap 'In August, the Taliban captured Zaranj' and the day-level report fuse into
    one change of hands, on the report's day, not on 1 August."""
    texts = [("The Taliban captured Zaranj, the capital of Nimroz province, on Friday.", dt.date(2021, 8, 7)),
             ("In August, the Taliban captured Zaranj, the capital of Nimroz province.", dt.date(2021, 9, 20))]
    mentions: list[Mention] = []
    articles: dict[str, Article] = {}
    for text, day in texts:
        art = Article(id=stable_id(text), text=text, source="test", published=day, language="en")
        articles[art.id] = art
        mentions += mentions_in(nlp, afghanistan, text, day)  # (its article id: the same)
    assert {m.article_id for m in mentions} == set(articles)
    rows = [r for r in derive_control(fuse(mentions, articles).events, {m.id: m for m in mentions})
            if r.unit_name == "Zaranj"]
    assert rows and rows[0].date == dt.date(2021, 8, 6) and rows[0].controller == "taliban"


def test_seizing_a_country_is_no_unit_whatever_place_the_story_is_at(
        nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Fighting went on in Panjshir.\n"
            "The Taliban seized control of Afghanistan on Aug. 15, forcing the president to flee.")
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 6))
    assert not [m for m in found if m.sub_event_type in TERRITORIAL]


@pytest.mark.parametrize("text", [
    "Sunday's bombing was the deadliest attack in Kabul since the Taliban took control of "
    "Afghanistan with the departure of the last U.S. troops on August 31.",
    "Hundreds of Afghans took to the streets of Khost on Wednesday in protest against the "
    "Taliban's takeover of the country.",
    "Night raids became common in southern Helmand after the Taliban took control of the "
    "country in August, residents said.",
])
def test_taking_the_country_is_no_unit_whatever_place_the_sentence_names(
        nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    """'the country' is the theatre country too; a place the sentence names for another
    occurrence (the bombing's Kabul, the protest's Khost) is not what changed hands."""
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 11, 3))
    assert not [m for m in found if m.sub_event_type in TERRITORIAL]


@pytest.mark.parametrize(("text", "place"), [
    ("The Taliban took control of the country's second city, Kandahar, on Friday.", "Kandahar"),
    ("The Taliban captured Kunduz city on Sunday, the first provincial capital to fall in the "
     "north of the country.", "Kunduz"),
])
def test_a_unit_of_the_country_still_changes_hands(
        nlp: Any, afghanistan: ExtractContext, text: str, place: str) -> None:
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 16))
    assert place in {_place(m) for m in found if m.sub_event_type in TERRITORIAL}


def test_an_approximate_offset_dates_neither_event(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The Taliban on Friday evening (Sep. 3) clashed with resistance fighters in Panjshir "
            "more than two weeks after they seized Kabul.")
    found = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 9, 6)) if _place(m) == "Kabul"]
    assert all(m.recap and m.date is not None and m.date.interval.start != dt.date(2021, 8, 20) for m in found)


@pytest.mark.parametrize("text", [
    "Residents feared tactics such as roadside bombings and assassinations.",
    "The Taliban has consolidated its position in the past two months, taking key districts.",
])
def test_kinds_and_windows_are_no_occurrence(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 30)) == []


def test_the_deadline_to_leave_is_a_plan(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "The Taliban refused to extend the deadline for foreign forces to leave Kabul airport."
    found = mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 24))
    assert all(m.modality != "asserted" for m in found if m.sub_event_type in TERRITORIAL), found
