"""find_statistics skips the digit-only patterns on sentences without a digit: the same
statistics as trying every pattern (checked on the demo corpus's sentences)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sitrep.claims.statistics as statistics
from sitrep.nlp import parse

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def test_sentences_without_a_digit_give_the_statistics_every_pattern_gives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts.append("Nearly all of the fifth district's elders left; about a third of the 421 districts fell.")
    sentences = [s for doc in parse(texts) for s in doc.sents]
    gated = [statistics.find_statistics(s) for s in sentences]
    monkeypatch.setattr(statistics, "_DIGIT", re.compile(""))  # every sentence 'has a digit'
    assert [statistics.find_statistics(s) for s in sentences] == gated
    assert sum(bool(g) for g in gated) >= 10
    assert any(not any(c.isdigit() for c in s.text) and g for s, g in zip(sentences, gated, strict=True))
