"""The shared word lists (``sitrep/lexicon.py`` over ``sitrep/data/``): checked on load,
defined once, and read by the modules that use them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sitrep.lexicon as lx
from sitrep.claims.lexicon import APPROX, lexicon
from sitrep.errors import ConfigError
from sitrep.extract import modality, numbers
from sitrep.extract.numbers import extract_numbers


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of sitrep/data the loaders read instead (caches cleared around the test)."""
    for name in ("reporting_verbs.csv", "function_words.yaml", "modality.yaml", "quantities.yaml"):
        shutil.copy(lx.DATA_DIR / name, tmp_path / name)
    monkeypatch.setattr(lx, "DATA_DIR", tmp_path)
    caches: list[Any] = [lx._reporting_rows, lx.function_words, lx.modality_cues,
                         lx.quantity_words]
    for c in caches:
        c.cache_clear()
    yield tmp_path
    for c in caches:
        c.cache_clear()


def test_shipped_word_lists_load() -> None:
    assert "say" in lx.reporting_verbs("attribution")
    assert lx.ledger_modalities()["deny"] == "denied"
    assert lx.ledger_modalities()["say"] == "claimed"  # a neutral report is still a claim
    assert "would" in lx.function_words().conditional_modals
    assert lx.quantity_words().vague["dozens"] == (12, 12, 99)
    assert "at least" in lx.quantity_words().hedges.lower_bound


def test_each_use_reads_the_one_definition() -> None:
    # the reporting verbs of modality and of the claims ledger are rows of one table
    assert lx.reporting_verbs("attribution") == modality.SPEECH_VERBS
    assert set(lexicon().verbs) == set(lx.ledger_modalities())
    # "approximately" words: numbers and the claims ledger read the same hedges
    for phrase in lx.quantity_words().hedges.phrases:
        assert re.escape(phrase) in APPROX
        assert set(phrase.split()) & (numbers._APPROX | numbers._LOWER_BOUND)


def test_unknown_use_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown reporting-verb use"):
        lx.reporting_verbs("speech")


def test_bad_ledger_value_names_the_file(data_copy: Path) -> None:
    path = data_copy / "reporting_verbs.csv"
    path.write_text(path.read_text().replace("deny,denied,", "deny,refuted,"))
    with pytest.raises(ConfigError, match=r"reporting_verbs.csv:\d+: ledger must be"):
        lx.reporting_verbs("attribution")


def test_a_verb_listed_twice_is_an_error(data_copy: Path) -> None:
    path = data_copy / "reporting_verbs.csv"
    path.write_text(path.read_text() + "say,reported,1,,,\n")
    with pytest.raises(ConfigError, match="'say' is listed twice"):
        lx.ledger_modalities()


def test_a_party_claim_verb_must_name_a_speaker(data_copy: Path) -> None:
    path = data_copy / "reporting_verbs.csv"
    path.write_text(path.read_text() + "boom,,,,1,\n")
    with pytest.raises(ConfigError, match="must be an attribution verb"):
        lx.reporting_verbs("party_claim")


def test_missing_key_and_bad_words_are_errors(data_copy: Path) -> None:
    path = data_copy / "modality.yaml"
    path.write_text(path.read_text().replace("denial_verbs:", "denial:"))
    with pytest.raises(ConfigError, match=r"missing keys \['denial_verbs'\], unknown keys \['denial'\]"):
        lx.modality_cues()
    path = data_copy / "function_words.yaml"
    path.write_text(path.read_text().replace("[would, could", "[Would, could"))
    with pytest.raises(ConfigError, match="'Would' is not a lower-case word"):
        lx.function_words()


def test_a_vague_range_must_hold_its_value(data_copy: Path) -> None:
    path = data_copy / "quantities.yaml"
    path.write_text(path.read_text().replace("dozens: [12, 12, 99]", "dozens: [12, 20, 99]"))
    with pytest.raises(ConfigError, match=r"vague.dozens: expected \[value, low, high\]"):
        lx.quantity_words()


def test_claims_file_is_checked(tmp_path: Path) -> None:
    text = (lx.DATA_DIR / "claim_patterns.yaml").read_text()
    bad = tmp_path / "claims.yaml"
    bad.write_text(text.replace("people_units: [civilians,", "people_units: [goats, civilians,"))
    with pytest.raises(ConfigError, match="people_units must be units"):
        lexicon(str(bad))


@pytest.mark.parametrize(
    ("text", "role", "reading"),
    [
        # an upper bound is read as an approximate value without a range
        ("Up to 300 families fled the district after the Taliban arrived.",
         "families_displaced", (300, None, None)),
        ("Fewer than 20 soldiers were killed in the attack on the checkpoint.",
         "killed", (20, None, None)),
        # a lower bound gives a range without an upper end
        ("At least 40 civilians were killed in Lashkar Gah.", "killed", (40, 40, None)),
    ],
)
def test_hedges_on_numbers(nlp: Any, text: str, role: str, reading: tuple[int, ...]) -> None:
    doc = nlp(text)
    got = {q.role: (q.value, q.low, q.high) for s in doc.sents for q in extract_numbers(s)}
    assert got[role] == reading


def test_nobody_died_is_zero_killed(nlp: Any) -> None:
    doc = nlp("The rocket hit an empty school and nobody died, the district governor said.")
    got = {q.role: q.value for s in doc.sents for q in extract_numbers(s)}
    assert got == {"killed": 0}
