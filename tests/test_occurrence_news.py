"""Occurrence-level coding on real news (train split of ../shared/dev/news, read in place).

One occurrence, one event: the fall of Kunduz told twice in one article is one capture;
the civilians killed in Lashkar Gah's street fighting are that fighting, while the air
strikes there stay an event of their own (ACLED codes remote violence apart).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitrep.model import Event
from sitrep.ontology import TERRITORIAL
from sitrep.pipeline import run
from sitrep.store import Store

ARTICLES = (Path(__file__).resolve().parents[1] / ".." / "shared" / "dev" / "news"
            / "articles").resolve()


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    files = [ARTICLES / "B08.txt", ARTICLES / "B09.txt"]
    if not all(f.exists() for f in files):
        pytest.skip("../shared/dev/news not present: real-news occurrence test skipped")
    with Store(tmp_path_factory.mktemp("occ") / "occ.duckdb") as store:
        run([str(f) for f in files], store)
        return store.get_events()


def test_the_fall_of_kunduz_told_twice_in_one_article_is_one_capture(events: list[Event]) -> None:
    falls = [e for e in events if e.sub_event_type in TERRITORIAL and e.place is not None
             and e.place.name == "Kunduz" and e.date.start <= dt.date(2021, 8, 8) <= e.date.end]
    assert len(falls) == 1
    assert len(falls[0].mention_ids) >= 4  # every report of it kept on the one event


def test_civilians_caught_in_the_fighting_are_the_fighting_not_an_attack(events: list[Event]) -> None:
    here = [e for e in events if e.place is not None and e.place.name == "Lashkar Gah"]
    types = {e.sub_event_type for e in here}
    assert "Attack" not in types
    assert {"Armed clash", "Air/drone strike"} <= types
