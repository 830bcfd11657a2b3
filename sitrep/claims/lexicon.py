"""The claims lexicon: ``data/claim_patterns.yaml`` (with the shared reporting verbs,
pronouns and hedges of :mod:`sitrep.lexicon`) loaded into lookup tables, checked on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.errors import ConfigError
from sitrep.lexicon import (
    DATA_DIR,
    function_words,
    ledger_modalities,
    load_yaml,
    quantity_words,
    word_list,
    word_map,
)
from sitrep.model import Modality

__all__ = ["APPROX", "DETERMINERS", "NUM", "PRONOUNS", "Lexicon", "lexicon"]

_DATA = DATA_DIR / "claim_patterns.yaml"
_KEYS = ("statement_nouns", "dispute", "units", "people_units", "roles", "fractions",
         "proportions", "ordinals", "speaker_nouns", "generic_speakers", "glued_verbs",
         "addressee_verbs")
PRONOUNS = function_words().personal_pronouns | function_words().other_pronouns
DETERMINERS = function_words().determiners
NUM = r"\d[\d,]*(?:\.\d+)?"
#: any hedge in front of a number ('about', 'at least', 'up to'): the claim is approximate
APPROX = "(?:" + "|".join(re.escape(h) for h in quantity_words().hedges.phrases) + ")"


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
    glued_verbs: dict[str, str]
    addressee_verbs: frozenset[str]


@lru_cache(maxsize=1)
def lexicon(path: str | None = None) -> Lexicon:
    where = Path(path or _DATA)
    data = load_yaml(where, _KEYS)
    lists = {k: word_list(data[k], f"{where}: {k}")
             for k in ("statement_nouns", "dispute", "units", "people_units", "proportions",
                       "speaker_nouns", "generic_speakers", "addressee_verbs")}
    if not set(lists["people_units"]) <= set(lists["units"]):
        raise ConfigError(f"{where}: people_units must be units")
    verbs = ledger_modalities()
    glued = {str(k): str(v) for k, v in word_map(data["glued_verbs"], f"{where}: glued_verbs").items()}
    if not set(glued.values()) <= set(verbs):
        raise ConfigError(f"{where}: glued_verbs must map to reporting verbs of reporting_verbs.csv")
    roles_map = word_map(data["roles"], f"{where}: roles")
    roles = {lemma: role for role, lemmas in roles_map.items()
             for lemma in word_list(lemmas, f"{where}: roles.{role}")}
    fractions = word_map(data["fractions"], f"{where}: fractions")
    ordinals = word_map(data["ordinals"], f"{where}: ordinals")
    if not all(isinstance(v, (int, float)) and 0 < v <= 1 for v in fractions.values()):
        raise ConfigError(f"{where}: fractions must be numbers in (0, 1]")
    if not all(isinstance(v, int) and v > 0 for v in ordinals.values()):
        raise ConfigError(f"{where}: ordinals must be positive integers")
    return Lexicon(
        verbs=verbs,
        statement_nouns=frozenset(lists["statement_nouns"]),
        dispute=frozenset(lists["dispute"]),
        units=tuple(sorted(lists["units"], key=len, reverse=True)),
        people_units=frozenset(lists["people_units"]),
        roles=roles,
        fractions={str(k): float(v) for k, v in fractions.items()},
        proportions=lists["proportions"],
        ordinals={str(k): int(v) for k, v in ordinals.items()},
        speaker_nouns=frozenset(lists["speaker_nouns"]),
        generic_speakers=frozenset(lists["generic_speakers"]),
        glued_verbs=glued,
        addressee_verbs=frozenset(lists["addressee_verbs"]),
    )
