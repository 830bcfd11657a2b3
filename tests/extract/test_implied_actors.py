"""Actors the text implies (issue 9, "no event from its quotes": a report whose actor1 is
left empty is weak evidence, and fusion drops a weak report with no date of its own):

- a regain is the state's by definition: with no named initiator its actor1 is the
  profile's state forces ('villages ... were cleared of the Taliban');
- a country that does the deed names its forces ('Ukraine repels ...', '... was shelled
  by Russia'); a town as a subject names nobody;
- 'came under the control of X' is a change of hands like 'fell under X's control'.

Sentences written for these tests in the wording of the two theatres' news."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id


def _run(nlp: Any, text: str, published: dt.date) -> list[Mention]:
    article = Article(id=stable_id(text), text=text, source="test", published=published, language="en")
    return extract_mentions(article, nlp(text), ExtractContext.default())


def _actors(m: Mention) -> tuple[str | None, str | None]:
    return (m.actor1.actor.name if m.actor1 and m.actor1.actor else None,
            m.actor2.actor.name if m.actor2 and m.actor2.actor else None)


def _only(mentions: list[Mention], sub_type: str) -> Mention:
    found = [m for m in mentions if m.sub_event_type == sub_type]
    assert found, [m.sub_event_type for m in mentions]
    return found[0]


def test_a_named_regainer_is_kept(nlp: Any, afghanistan: None) -> None:
    text = "Afghan police recaptured the district of Khinjan on Monday."
    m = _only(_run(nlp, text, dt.date(2021, 7, 14)), "Government regains territory")
    assert _actors(m) == ("Police Forces of Afghanistan (2014-2021)", "Taliban")


@pytest.mark.parametrize(("text", "sub_type", "actor1"), [
    ("General Staff: Ukraine repels another Russian attempt to seize the Vuhlehirsk power plant.",
     "Armed clash", "Military Forces of Ukraine (2019-)"),
    ("Kherson was shelled by Russia on Monday.", "Shelling/artillery/missile attack",
     "Military Forces of Russia (2000-)"),
])
def test_a_country_doing_the_deed_names_its_forces(nlp: Any, ukraine: None, text: str,
                                                   sub_type: str, actor1: str) -> None:
    assert _actors(_only(_run(nlp, text, dt.date(2022, 7, 16)), sub_type))[0] == actor1


@pytest.mark.parametrize(("text", "sub_type", "actor1"), [
    ("A Russian Defence Ministry spokesman said the country's armed forces had taken full "
     "control of the town of Izyum on Thursday.", "Non-state actor overtakes territory",
     "Military Forces of Russia (2000-)"),
    ("The president of Ukraine visited Izyum, days after his country's troops retook the city.",
     "Government regains territory", "Military Forces of Ukraine (2019-)"),
])
def test_the_country_s_forces_are_the_nearest_country_s(nlp: Any, ukraine: None, text: str,
                                                        sub_type: str, actor1: str) -> None:
    """'the country's armed forces' after 'Russian Defence Ministry', 'his country's troops'
    after 'the president of Ukraine' (not the town named in between)."""
    assert _actors(_only(_run(nlp, text, dt.date(2022, 9, 14)), sub_type))[0] == actor1


def test_a_town_as_subject_names_nobody(nlp: Any, ukraine: None) -> None:
    m = _only(_run(nlp, "Kharkiv came under heavy shelling on Monday.", dt.date(2022, 7, 16)),
              "Shelling/artillery/missile attack")
    assert _actors(m)[0] is None


def test_came_under_the_control_of(nlp: Any, ukraine: None) -> None:
    text = ("The villages of Hirske and Zolote south of Lysychansk also came under the control "
            "of Russian forces on Friday.")
    found = [m for m in _run(nlp, text, dt.date(2022, 6, 25))
             if m.sub_event_type == "Non-state actor overtakes territory"]
    assert {m.place.place.name for m in found if m.place and m.place.place} == {"Hirske", "Zolote"}
    assert {_actors(m)[0] for m in found} == {"Military Forces of Russia (2000-)"}


def test_an_abbreviation_the_article_defines_names_its_actor(nlp: Any, afghanistan: None) -> None:
    """'the anti-Taliban National Resistance Front (FTS)' (a translation's abbreviation):
    later in that article 'the FTS' is the NRF, not the Taliban the sentence also names;
    an article that defines nothing leaves the abbreviation unknown."""
    text = ("Fighting went on in the Andarab valley, the anti-Taliban National Resistance Front "
            "(FTS) said on Friday.\n\nOn September 3, the FTS announced that it had taken control "
            "of the city of Charikar, the centre of Parwan province.")
    m = _only(_run(nlp, text, dt.date(2021, 9, 4)), "Non-state actor overtakes territory")
    assert _actors(m)[0] == "NRF: National Resistance Front"
    lone = text.split("\n\n")[1]
    m = _only(_run(nlp, lone, dt.date(2021, 9, 4)), "Non-state actor overtakes territory")
    assert _actors(m)[0] != "NRF: National Resistance Front"


def test_defined_abbreviations_are_capitals_after_a_known_name(afghanistan: None) -> None:
    """A dateline's agency ('KABUL (AFP) —', 'The Taliban (AP)') defines nothing: one name
    before it is no full name."""
    from sitrep.extract.context import defined_abbreviations
    from sitrep.resolve.actors import resolve_actor

    got = defined_abbreviations(
        "KABUL (AFP) — The Afghan Air Force (AAF) struck the district. Photos (Videos) showed "
        "smoke. The Taliban (AP) denied it. A spokesman told Sputnik (Russia) that the Islamic "
        "State (IS) had claimed it.", resolve_actor)
    assert {k: v.name for k, v in got.items()} == {
        "AAF": "Military Forces of Afghanistan (2014-2021)", "IS": "Islamic State (Afghanistan)"}
