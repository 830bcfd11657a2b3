"""Quantities with roles, on real seed sentences and the vague-quantity convention."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.extract.numbers import VAGUE_QUANTITIES, extract_numbers, parse_number_words


def _numbers(nlp: Any, text: str) -> dict[str, tuple[int | None, int | None, int | None]]:
    doc = nlp(text)
    return {q.role: (q.value, q.low, q.high) for sent in doc.sents for q in extract_numbers(sent)}


@pytest.mark.parametrize(
    ("text", "value"),
    [("two hundred", 200), ("1,037", 1037), ("75,000", 75000), ("twenty-five", 25),
     ("three thousand", 3000), ("300", 300), ("hundreds", None)],
)
def test_parse_number_words(text: str, value: int | None) -> None:
    assert parse_number_words(text) == value


def test_convention_table_is_conservative() -> None:
    # the value is the lowest reading and lies inside the range
    for word, (value, low, high) in VAGUE_QUANTITIES.items():
        assert low <= value <= high, word
    assert VAGUE_QUANTITIES["dozens"][0] == 12
    assert VAGUE_QUANTITIES["hundreds"][:3] == (100, 100, 999)


def test_hundreds_of_inmates_freed(nlp: Any) -> None:
    got = _numbers(nlp, "That same Wednesday, the Taliban released hundreds of inmates from the "
                        "city jail, and took control of the police station.")
    assert got == {"prisoners_freed": (100, 100, 999)}


def test_about_two_hundred_prisoners_is_approximate(nlp: Any) -> None:
    got = _numbers(nlp, "The city prison was opened and about two hundred prisoners fled.")
    assert got["prisoners_freed"] == (200, None, None)


def test_dozens_of_families_displaced(nlp: Any) -> None:
    got = _numbers(nlp, "A takeover that prompted dozens of families to flee the area.")
    assert got == {"families_displaced": (12, 12, 99)}


def test_more_than_300_soldiers_crossed(nlp: Any) -> None:
    got = _numbers(nlp, "More than 300 Afghan soldiers passed through Afghanistan's Badakhshan "
                        "province as Taliban fighters advanced towards the border.")
    assert got["soldiers_crossed"] == (300, 300, None)


def test_districts_held(nlp: Any) -> None:
    got = _numbers(nlp, "In the past three days, 10 districts have fallen to the Taliban, "
                        "including eight without a fight, he said.")
    assert got["districts_held"] == (10, 10, 10)


def test_no_one_injured_is_zero_wounded(nlp: Any) -> None:
    got = _numbers(nlp, 'At least five bullets hit the car," but no one was injured, told AFP Giran.')
    assert got["wounded"] == (0, 0, 0)
    assert "killed" not in got  # bullets are not people


def test_killed_and_displaced_in_one_sentence(nlp: Any) -> None:
    got = _numbers(nlp, "In one month, at least 183 civilians, including children, were killed in "
                        "Lashkar Gah, and about 360,000 people fled from their homes, according to the UN.")
    assert got["killed"] == (183, 183, None)
    assert got["people_displaced"] == (360000, None, None)


def test_a_result_after_the_verb_says_they_were_killed(nlp: Any) -> None:
    """'shot dead', 'beaten to death': the verb hurts, the word after it says they died."""
    got = _numbers(nlp, "Two people have been reportedly shot dead after protests in Herat.")
    assert got["killed"][0] == 2
    assert _numbers(nlp, "Three men were beaten to death in the village on Monday.")["killed"][0] == 3
    assert "killed" not in _numbers(nlp, "Three soldiers were sent to the front on Monday.")
    assert "killed" not in _numbers(nlp, "Four people were shot and wounded near the gate.")
    assert "killed" not in _numbers(nlp, "Three men were sentenced to death by a court in Kabul.")


def test_numbers_that_count_nothing_are_dropped(nlp: Any) -> None:
    got = _numbers(nlp, "Bagram is located 50 km north of Kabul; the withdrawal is 90% complete.")
    assert got == {}


def test_span_offsets_point_into_the_text(nlp: Any) -> None:
    text = "Officials said 12 civilians were killed in the blast."
    doc = nlp(text)
    (q,) = [q for s in doc.sents for q in extract_numbers(s)]
    assert q.span is not None and text[q.span.start : q.span.end] == q.span.text == "12 civilians"


def test_share_totals_are_not_districts_held(nlp: Any) -> None:
    got = _numbers(nlp, "In just one week, the Taliban took control of 12 of the 34 provincial capitals.")
    assert got.get("districts_held") != (34, 34, 34)
