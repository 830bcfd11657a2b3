"""The benchmark corpus generator: deterministic, realistic, not near-duplicates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.scripts import load_script


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_script("bench/generate_corpus.py")


@pytest.fixture(scope="module")
def parts(gen: ModuleType) -> tuple[Any, Any]:
    return gen.load_sources(), gen.PlaceSwapper()


@pytest.fixture(scope="module")
def records(gen: ModuleType, parts: tuple[Any, Any]) -> list[dict[str, str]]:
    return list(gen.generate(120, 7, *parts))


def test_same_seed_same_corpus_other_seed_other(gen: ModuleType, parts: tuple[Any, Any],
                                                records: list[dict[str, str]]) -> None:
    assert list(gen.generate(120, 7, *parts)) == records
    assert list(gen.generate(120, 8, *parts)) != records
    assert len(records) == 120


def test_records_are_ingestible_2021_articles(records: list[dict[str, str]], tmp_path: Path) -> None:
    from sitrep.ingest import ingest

    path = tmp_path / "gen.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records[:20]), encoding="utf-8")
    result = ingest([str(path)])
    assert not result.failures
    assert len(result.articles) == 20
    for a, r in zip(result.articles, records, strict=False):
        assert a.published == dt.date.fromisoformat(r["published"])
        assert a.outlet
    assert all(dt.date(2021, 1, 1) <= dt.date.fromisoformat(r["published"]) <= dt.date(2022, 1, 1)
               for r in records)


def test_texts_are_not_near_duplicates(records: list[dict[str, str]]) -> None:
    from sitrep.ingest.dedup import DuplicateIndex

    index = DuplicateIndex()
    copies = 0
    for i, r in enumerate(records):
        copies += index.match(r["text"]) is not None
        index.add(str(i), r["text"])
    assert copies <= len(records) // 20  # syndication grouping must not collapse the corpus


def test_place_swaps_are_consistent_and_of_the_same_kind(gen: ModuleType, parts: tuple[Any, Any]) -> None:
    import random

    _sources, swapper = parts
    mapping: dict[str, str] = {}
    text = "The Taliban took Kunduz. Fighting in Kunduz province spread to Panjwayi district."
    out = swapper.apply(text, mapping, random.Random(3))
    assert "Kunduz" in mapping and out.count(mapping["Kunduz"]) >= 2
    assert swapper.kind_of["Kunduz"] == "province" and mapping["Kunduz"] in swapper.choices["province"]
    assert mapping["Panjwayi"] in swapper.choices["district"]


def test_dates_shift_with_the_story(gen: ModuleType) -> None:
    shifted = gen.shift_dates("on July 8 and on 14 July, not 3 March 2020", dt.timedelta(days=30), 2021)
    assert shifted == "on August 7 and on 13 August, not 3 March 2020"
