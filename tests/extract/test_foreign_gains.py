"""ACLED codes a foreign state force's territorial gain as 'Non-state actor overtakes
territory' (issue 11: Russia's captures in Ukraine; the same rule for any foreign force in
Afghanistan). Realistic sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id
from sitrep.ontology import OVERTAKES, REGAINS


@pytest.fixture(scope="module")
def real() -> ExtractContext:
    return ExtractContext.default()


def _run(nlp: Any, real: ExtractContext, text: str) -> list[Mention]:
    article = Article(id=stable_id(text), text=text, source="test", published=dt.date(2021, 7, 20),
                      language="en")
    return extract_mentions(article, nlp(text), real)


def _territorial(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.sub_event_type in (OVERTAKES, REGAINS)]


def test_a_foreign_force_taking_ground_overtakes_it(nlp: Any, real: ExtractContext) -> None:
    found = _territorial(_run(nlp, real, "Pakistani forces took control of the Spin Boldak crossing "
                                         "on Monday after a brief exchange of fire."))
    assert found and all(m.sub_event_type == OVERTAKES for m in found)
    assert found[0].actor1 is not None and found[0].actor1.actor is not None
    assert found[0].actor1.actor.inter == 8


def test_state_forces_retaking_ground_still_regain_it(nlp: Any, real: ExtractContext) -> None:
    found = _territorial(_run(nlp, real, "Afghan forces retook the district centre of Malistan "
                                         "on Monday after heavy fighting with the Taliban."))
    assert found and all(m.sub_event_type == REGAINS for m in found)


def test_a_town_cleared_of_the_state_s_forces_is_taken_from_the_state(nlp: Any, ukraine: None) -> None:
    """'cleared of Ukrainian forces' (the Russian ministry's words) is a takeover, the side
    named after 'of' the loser; a place cleared of the insurgents stays the state's regain."""
    text = ("The small town of Popasna had now been cleared of Ukrainian forces, the ministry's "
            "spokesman said on Tuesday.")
    article = Article(id=stable_id(text), text=text, source="test", published=dt.date(2022, 5, 10),
                      language="en")
    found = _territorial(extract_mentions(article, nlp(text), ExtractContext.default()))
    assert [m.sub_event_type for m in found] == [OVERTAKES]
    assert found[0].actor2 is not None and found[0].actor2.actor is not None
    assert found[0].actor2.actor.name.startswith("Military Forces of Ukraine")


def test_a_district_cleared_of_the_insurgents_is_regained(nlp: Any, real: ExtractContext) -> None:
    found = _territorial(_run(nlp, real, "The Jaghatu district centre was cleared of Taliban militants "
                                         "on Monday, officials said."))
    assert found and all(m.sub_event_type == REGAINS for m in found)
