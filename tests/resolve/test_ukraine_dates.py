"""The ukraine-2022 profile's historical date anchors (its date_anchors.yaml): the news
dates recaps by the invasion and the war in the Donbas without giving the date.
Sentences written for the test in the wording of the war's news."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from sitrep.profile import use_profile
from sitrep.resolve.dates import resolve_date

PUB = dt.date(2022, 9, 28)


@pytest.fixture(autouse=True)
def ukraine() -> Iterator[None]:
    use_profile("ukraine-2022")
    yield
    use_profile(None)


@pytest.mark.parametrize(("expr", "sentence", "start", "end"), [
    ("two days after the invasion began",
     "Two days after the invasion began, Russian forces entered the town.",
     "2022-02-26", "2022-02-26"),
    ("a week after the start of the full-scale war",
     "The town was captured a week after the start of the full-scale war.",
     "2022-03-03", "2022-03-03"),
    ("eight years of war", "After eight years of war in the Donbas, the front moved west.",
     "2014-04-06", "2022-09-28"),
])
def test_the_invasion_and_the_donbas_war_date_recaps(expr: str, sentence: str, start: str,
                                                      end: str) -> None:
    ref = resolve_date(expr, PUB, sentence=sentence)
    assert ref is not None, expr
    assert (ref.interval.start.isoformat(), ref.interval.end.isoformat()) == (start, end)


def test_another_invasion_is_no_anchor() -> None:
    ref = resolve_date("two days after the invasion of Crimea", PUB,
                       sentence="Two days after the invasion of Crimea, the parliament voted.")
    assert ref is None or ref.interval.start != dt.date(2022, 2, 26)
