"""An event named as the cause of harm, an event talked about, and an earlier undated one
(issue 9): 'killed by a roadside bomb' reports the bombing (an indefinite noun introduces
an occurrence, and its casualties are that occurrence's); 'confirmed the attack', 'claimed
responsibility for the killings', 'a statement on the firing incident' point back at an
event told elsewhere; 'who previously battled the Taliban' tells an undated earlier one.
Realistic sentences written for these tests, and a real train-split sentence of
../shared/dev/news (read there, never copied)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id
from tests.extract.reading import mentions_in

ROOT = Path(__file__).resolve().parents[2]
NEWS = (ROOT / ".." / "shared" / "dev" / "news" / "articles").resolve()
needs_news = pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/dev/news (real-news train split) is absent")
DAY = dt.date(2021, 8, 20)


def _types(mentions: list[Mention]) -> set[str]:
    return {m.sub_event_type for m in mentions}


@pytest.mark.parametrize(("text", "sub_type"), [
    ("Three civilians were killed by a roadside bomb in Kandahar city on Tuesday.",
     "Remote explosive/landmine/IED"),
    ("Five police officers were wounded by a car bomb in Lashkar Gah.", "Remote explosive/landmine/IED"),
    ("A hospital in Kunduz was heavily damaged by an airstrike on Wednesday, leaving 17 people injured.",
     "Air/drone strike"),
])
def test_an_indefinite_cause_of_harm_is_the_news(nlp: Any, afghanistan: ExtractContext, text: str,
                                                 sub_type: str) -> None:
    # before: the casualties were dropped as the bomb's, and the bomb as 'by the bomb',
    # fighting told elsewhere: the sentence gave nothing
    assert sub_type in _types(mentions_in(nlp, afghanistan, text, DAY))


def test_casualties_during_battles_report_the_battles(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "At least four civilians were killed and 30 wounded during battles in Lashkar Gah on Thursday."
    assert "Armed clash" in _types(mentions_in(nlp, afghanistan, text, DAY))


@pytest.mark.parametrize("text", [
    "Hundreds of families fled the district during the fighting.",
    "Thousands of people were displaced by the fighting.",
])
def test_the_definite_fighting_still_points_back(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, DAY) == []


@pytest.mark.parametrize("text", [
    "While no one has claimed responsibility for the killings, the Taliban are widely believed to be responsible.",
    "The Taliban has not yet issued a statement on the firing incident in Jalalabad.",
    "A spokesman for the ministry later confirmed the attack.",
])
def test_an_event_talked_about_is_told_elsewhere(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, DAY) == []


def test_a_claim_for_a_placed_and_dated_attack_tells_it(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "The Islamic State group claimed responsibility for the attack in Kunduz on Friday."
    found = mentions_in(nlp, afghanistan, text, DAY)
    assert found and found[0].place is not None and found[0].place.place is not None
    assert found[0].place.place.name == "Kunduz"


@pytest.mark.parametrize("text", [
    "The province is home to thousands of fighters, including former militia fighters who "
    "previously battled the Taliban.",
    "Previously, officials said that several hideouts were destroyed by security forces in Kandahar.",
])
def test_an_undated_earlier_occurrence_is_no_news(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, DAY) == []


def test_an_earlier_occurrence_with_its_day_is_news(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "Previously, on Monday, Taliban fighters captured the district of Nerkh."
    assert "Non-state actor overtakes territory" in _types(mentions_in(nlp, afghanistan, text, DAY))


def test_a_number_of_districts_is_generic(nlp: Any, afghanistan: ExtractContext) -> None:
    assert mentions_in(nlp, afghanistan, "The Taliban have overrun a number of districts.", DAY) == []


@needs_news
def test_a_confirmed_capture_of_a_named_town_is_news(nlp: Any, afghanistan: ExtractContext) -> None:
    """A spokesman confirming the seizure of a named town (train split, B11) reports it."""
    raw = (NEWS / "B11.txt").read_text(encoding="utf-8")
    header, _, body = raw.partition("\n\n")
    date = next(line.split(":", 1)[1].strip() for line in header.splitlines() if line.startswith("Date:"))
    article = Article(id=stable_id(body), text=body, source="B11.txt",
                      published=dt.date.fromisoformat(date), language="en")
    found = [m for m in extract_mentions(article, nlp(body), afghanistan)
             if "confirmed the seizure" in m.sentence.text]
    assert found and all(m.place is not None for m in found)


@pytest.mark.parametrize(("text", "means"), [
    ("A powerful blast hit the province of Kunduz on Wednesday, killing at least seven people "
     "and injuring six more.", "Remote explosive/landmine/IED"),
    ("An airstrike struck a house in Chawgam village on Friday, killing three civilians.", "Air/drone strike"),
    ("A roadside bomb exploded near a Taliban vehicle in Jalalabad on Sunday, wounding two fighters.",
     "Remote explosive/landmine/IED"),
])
def test_the_toll_of_a_blast_is_no_attack_of_its_own(nlp: Any, afghanistan: ExtractContext, text: str,
                                                     means: str) -> None:
    # before: the blast and an 'Attack' (or a clash) for its casualties, two events for one
    assert _types(mentions_in(nlp, afghanistan, text, DAY)) == {means}


def test_casualties_of_an_assault_stay_an_attack(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "Gunmen stormed a wedding in Nangarhar on Friday, killing three guests."
    assert "Attack" in _types(mentions_in(nlp, afghanistan, text, DAY))


@pytest.mark.parametrize("text", [
    "The United Nations said more than 1,600 civilians were killed in the first half of the year.",
    "At least 400 members of the security forces have been killed so far this year, officials said.",
])
def test_a_share_of_a_year_told_whole_is_a_tally(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    assert mentions_in(nlp, afghanistan, text, DAY) == []


@pytest.mark.parametrize("text", [
    "And Jalalabad has become the center of this fight.",
    "“I talked to him about all our achievements over the two decades,” she said.",
])
def test_pointers_and_decades_are_no_news(nlp: Any, afghanistan: ExtractContext, text: str) -> None:
    # a demonstrative with no place of its own in its phrase (the clause's subject is no
    # place of the fight's), two decades told whole
    assert mentions_in(nlp, afghanistan, text, DAY) == []


def test_a_demonstrative_with_its_own_place_and_day_is_news(nlp: Any, afghanistan: ExtractContext) -> None:
    assert mentions_in(nlp, afghanistan, "These attacks in Kunduz on Monday killed five people.", DAY)


def test_an_agent_of_no_harm_verb_tells_part_of_the_event(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("A car bomb exploded near the governor's office in Kandahar on Monday, followed by a "
            "gun battle, and special forces backed by air strikes cleared the building.")
    types = _types(mentions_in(nlp, afghanistan, text, DAY))
    assert "Armed clash" not in types and "Air/drone strike" not in types, types


def test_a_toll_given_with_a_clash_is_the_clashs(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Taliban forces clashed with militia fighters in the Panjshir valley on Monday night, "
            "with at least seven killed, two members of the resistance said.")
    assert _types(mentions_in(nlp, afghanistan, text, DAY)) == {"Armed clash"}
