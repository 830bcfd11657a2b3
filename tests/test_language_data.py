"""The date vocabulary and the background cues are data files, checked on load (issue 14).

Each test writes a broken copy of the shipped file and expects a ConfigError naming the
key, then checks that the shipped file drives the behaviour (a word added to the data is
a word the resolver reads).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.errors import ConfigError
from sitrep.extract.background import load_cues
from sitrep.resolve import date_rules
from sitrep.resolve.dates import resolve_date

DATA = Path(__file__).resolve().parents[1] / "sitrep" / "data"


def _broken(tmp_path: Path, name: str, **changes: Any) -> Path:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_date_words_load_and_drive_the_resolver() -> None:
    words = date_rules.load_words()
    assert len(words.months) == 12 and words.months[8] == ("september", "sep", "sept")
    assert date_rules.MONTHS["sept"] == 9 and date_rules.WEEKDAYS["sunday"] == 6
    assert date_rules.QUALIFIERS["the end of"] == "end"
    sunday = dt.date(2021, 7, 4)
    ref = resolve_date("a couple of days ago", sunday)
    assert ref is not None and ref.interval.start == dt.date(2021, 7, 2)
    ref = resolve_date("the day before yesterday", sunday)
    assert ref is not None and ref.interval.start == dt.date(2021, 7, 2)
    ref = resolve_date("late Sept. 2021", sunday)
    assert ref is not None and (ref.interval.start, ref.interval.end) == (dt.date(2021, 9, 21), dt.date(2021, 9, 30))


@pytest.mark.parametrize(("key", "value"), [
    ("months", [["january"]] * 11),
    ("weekdays", ["monday", "tuesday"]),
    ("numbers", {"three": "3"}),
    ("month_qualifiers", {"early": "soon"}),
    ("future_patterns", ["will", "(unclosed"]),
    ("deictic_days", {"Today": 0}),
    ("units", None),
])
def test_a_broken_date_words_file_raises_naming_the_key(tmp_path: Path, key: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=key):
        date_rules.load_words(_broken(tmp_path, "date_words.yaml", **{key: value}))


def test_shipped_background_cues_load() -> None:
    cues = load_cues()
    assert "for decades" in cues["habitual_patterns"] and "offensive" in cues["campaign_nouns"]


@pytest.mark.parametrize(("key", "value"), [
    ("habitual_patterns", ["over the (years"]),
    ("generic_places", []),
    ("campaign_nouns", ["Offensive"]),
    ("time_anchors", None),
])
def test_a_broken_background_cue_file_raises_naming_the_key(tmp_path: Path, key: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=key):
        load_cues(_broken(tmp_path, "background_cues.yaml", **{key: value}))


def test_the_finder_patterns_come_from_the_data_file(tmp_path: Path) -> None:
    from sitrep.resolve.dates import find_date_expressions

    text = "The district fell on Sunday night, three days after the governor left."
    assert [text[s:e] for s, e in find_date_expressions(text)] == ["on Sunday night", "three days after"]
    words = date_rules.load_words(_broken(tmp_path, "date_words.yaml", detect_patterns=[r"\bfell\b"]))
    assert [p.pattern for p in date_rules.detect_patterns(words)] == [r"\bfell\b"]
    with pytest.raises(ConfigError, match="placeholder"):
        date_rules.load_words(_broken(tmp_path, "date_words.yaml", detect_patterns=["%WEEKDAY%"]))
    with pytest.raises(ConfigError, match="detect_patterns"):
        date_rules.detect_patterns(date_rules.load_words(
            _broken(tmp_path, "date_words.yaml", detect_patterns=["(%WD%"])))
