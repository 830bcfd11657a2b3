"""The claims lexicon: ``data/claim_patterns.yaml`` loaded into lookup tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sitrep.model import Modality

__all__ = ["APPROX", "DETERMINERS", "NUM", "PRONOUNS", "Lexicon", "lexicon"]

_DATA = Path(__file__).resolve().parents[1] / "data" / "claim_patterns.yaml"
PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "this", "that", "her", "him",
             "them", "us"}
DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her"}
NUM = r"\d[\d,]*(?:\.\d+)?"
APPROX = r"(?:about|around|nearly|almost|some|roughly|approximately|over|more than|" \
          r"at least|up to|less than|fewer than|~)"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of ``data/claim_patterns.yaml``, ready for lookups."""

    verbs: dict[str, Modality]
    statement_nouns: frozenset[str]
    dispute: frozenset[str]
    units: tuple[str, ...]
    people_units: frozenset[str]
    roles: dict[str, str]
    fractions: dict[str, float]
    proportions: tuple[str, ...]
    ordinals: dict[str, int]
    speaker_nouns: frozenset[str]
    generic_speakers: frozenset[str]


@lru_cache(maxsize=1)
def lexicon(path: str | None = None) -> Lexicon:
    data: dict[str, Any] = yaml.safe_load(Path(path or _DATA).read_text(encoding="utf-8"))
    verbs: dict[str, Modality] = {}
    modality: dict[str, Modality] = {"claimed": "claimed", "denied": "denied",
                                     "planned": "planned", "claimed_other": "claimed"}
    for group, lemmas in data["reporting"].items():
        for lemma in lemmas:
            verbs.setdefault(str(lemma), modality[group])
    roles = {str(lemma): role for role, lemmas in data["roles"].items() for lemma in lemmas}
    people = {"civilians", "people", "families", "soldiers", "troops", "prisoners", "inmates",
              "fighters", "children"}
    return Lexicon(
        verbs=verbs,
        statement_nouns=frozenset(data["statement_nouns"]),
        dispute=frozenset(data["dispute"]),
        units=tuple(sorted(data["units"], key=len, reverse=True)),
        people_units=frozenset(u for u in data["units"] if u in people),
        roles=roles,
        fractions={str(k): float(v) for k, v in data["fractions"].items()},
        proportions=tuple(data["proportions"]),
        ordinals={str(k): int(v) for k, v in data["ordinals"].items()},
        speaker_nouns=frozenset(data["speaker_nouns"]),
        generic_speakers=frozenset(data["generic_speakers"]),
    )

