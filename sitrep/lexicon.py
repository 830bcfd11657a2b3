"""Shared English word lists, loaded once from ``sitrep/data/`` and checked on load.

One definition per concept: a reporting verb, a modal verb, a pronoun or a number word
is listed once, in a data file, and every module reads it from here.

- ``reporting_verbs.csv`` — :func:`reporting_verbs` (one row per lemma; a column per use)
  and :func:`ledger_modalities` (the modality the claims ledger gives a statement).
- ``function_words.yaml`` — :func:`function_words`: pronouns, determiners, modal verbs.
- ``modality.yaml`` — :func:`modality_cues`: denial / plan verbs, hypothetical and
  allegation nouns, controllers of realised infinitives, party words.
- ``quantities.yaml`` — :func:`quantity_words`: number words, vague quantities, hedges
  ("about", "at least"), counted nouns and the words that give them a role.

A malformed file raises :class:`sitrep.errors.ConfigError` naming the file and the key.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError
from sitrep.model import Modality
from sitrep.wordfile import read_yaml

__all__ = [
    "DATA_DIR", "REPORTING_USES", "FunctionWords", "Hedges", "ModalityCues", "QuantityWords",
    "function_words", "ledger_modalities", "load_yaml", "modality_cues", "quantity_words",
    "reporting_verbs", "word_list", "word_map",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: the columns of ``reporting_verbs.csv`` that mark a use (value ``1`` or empty)
REPORTING_USES = (
    "attribution",  # its subject is the speaker of the event it governs ("X said")
    "speaker_places",  # a place in its subject is the speaker's, not the event's
    "party_claim",  # a party to the fighting saying it makes the event a claim
    "event_claim",  # an event under it is only claimed ("claimed to have taken")
)
#: ``ledger`` values of ``reporting_verbs.csv`` and the claim modality each gives
_LEDGER: dict[str, Modality] = {"claimed": "claimed", "denied": "denied", "planned": "planned",
                                "reported": "claimed"}


# ---------------------------------------------------------------- checked readers


def load_yaml(path: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    """A YAML mapping with exactly ``keys`` at the top (ConfigError otherwise)."""
    data = read_yaml(path, "word list")
    missing = [k for k in keys if k not in data]
    unknown = [k for k in data if k not in keys]
    if missing or unknown:
        raise ConfigError(f"{path}: missing keys {missing or '-'}, unknown keys {unknown or '-'}")
    return data


def word_list(value: Any, where: str) -> tuple[str, ...]:
    """A non-empty list of distinct, lower-case, non-blank words or phrases."""
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a non-empty list of words")
    out: list[str] = []
    for w in value:
        if not isinstance(w, str) or not w.strip() or w != w.strip() or w != w.lower():
            raise ConfigError(f"{where}: {w!r} is not a lower-case word or phrase")
        if w in out:
            raise ConfigError(f"{where}: {w!r} is listed twice")
        out.append(w)
    return tuple(out)


def word_map(value: Any, where: str) -> dict[str, Any]:
    """A non-empty mapping keyed by lower-case words."""
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{where}: expected a non-empty mapping")
    word_list(list(value), where)
    return dict(value)


def _int_map(value: Any, where: str) -> dict[str, int]:
    out = word_map(value, where)
    for k, v in out.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise ConfigError(f"{where}.{k}: expected a non-negative integer, got {v!r}")
    return out


def _ranges(value: Any, where: str) -> dict[str, tuple[int, int, int]]:
    out: dict[str, tuple[int, int, int]] = {}
    for k, v in word_map(value, where).items():
        if (not isinstance(v, list) or len(v) != 3 or not all(isinstance(x, int) for x in v)
                or not v[1] <= v[0] <= v[2]):
            raise ConfigError(f"{where}.{k}: expected [value, low, high] with low <= value <= high")
        out[k] = (v[0], v[1], v[2])
    return out


def _groups(value: Any, where: str) -> dict[str, frozenset[str]]:
    return {k: frozenset(word_list(v, f"{where}.{k}")) for k, v in word_map(value, where).items()}


def _need(groups: Mapping[str, Any], names: tuple[str, ...], where: str) -> None:
    if set(groups) != set(names):
        raise ConfigError(f"{where}: expected exactly the groups {', '.join(names)}, "
                          f"got {', '.join(groups)}")


# ---------------------------------------------------------------- reporting verbs


@lru_cache(maxsize=1)
def _reporting_rows() -> tuple[dict[str, str], ...]:
    path = DATA_DIR / "reporting_verbs.csv"
    columns = ("lemma", "ledger", *REPORTING_USES)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != columns:
                raise ConfigError(f"{path}: expected the columns {','.join(columns)}")
            rows = tuple(dict(r) for r in reader)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    word_list([r["lemma"] for r in rows], f"{path}: lemma")
    for n, r in enumerate(rows, start=2):
        if r["ledger"] and r["ledger"] not in _LEDGER:
            raise ConfigError(f"{path}:{n}: ledger must be one of {', '.join(_LEDGER)} or empty")
        if any(r[u] not in ("", "1") for u in REPORTING_USES):
            raise ConfigError(f"{path}:{n}: use columns hold 1 or nothing")
        if not r["ledger"] and not any(r[u] for u in REPORTING_USES):
            raise ConfigError(f"{path}:{n}: {r['lemma']} has no use")
        if (r["speaker_places"] or r["party_claim"]) and not r["attribution"]:
            raise ConfigError(f"{path}:{n}: {r['lemma']}: a speaker_places / party_claim verb "
                              "must be an attribution verb")
        if r["event_claim"] and r["ledger"] != "claimed":
            raise ConfigError(f"{path}:{n}: {r['lemma']}: an event_claim verb has ledger 'claimed'")
    return rows


def reporting_verbs(use: str) -> frozenset[str]:
    """Lemmas of the reporting verbs marked for ``use`` (one of :data:`REPORTING_USES`)."""
    if use not in REPORTING_USES:
        raise ValueError(f"unknown reporting-verb use {use!r}; expected one of {REPORTING_USES}")
    return frozenset(r["lemma"] for r in _reporting_rows() if r[use])


def ledger_modalities() -> dict[str, Modality]:
    """Reporting verb lemma -> the modality the claims ledger gives the statement."""
    return {r["lemma"]: _LEDGER[r["ledger"]] for r in _reporting_rows() if r["ledger"]}


# ---------------------------------------------------------------- function words


@dataclass(frozen=True, slots=True)
class FunctionWords:
    """``function_words.yaml``."""

    personal_pronouns: frozenset[str]
    other_pronouns: frozenset[str]
    possessive_pronouns: frozenset[str]
    determiners: frozenset[str]
    conditional_modals: frozenset[str]
    possibility_modals: frozenset[str]
    future_modals: frozenset[str]


@lru_cache(maxsize=1)
def function_words() -> FunctionWords:
    path = DATA_DIR / "function_words.yaml"
    data = load_yaml(path, ("pronouns", "determiners", "modal_verbs"))
    pronouns = _groups(data["pronouns"], f"{path}: pronouns")
    _need(pronouns, ("personal", "other", "possessive"), f"{path}: pronouns")
    modals = _groups(data["modal_verbs"], f"{path}: modal_verbs")
    _need(modals, ("conditional", "possibility", "future"), f"{path}: modal_verbs")
    return FunctionWords(
        personal_pronouns=pronouns["personal"], other_pronouns=pronouns["other"],
        possessive_pronouns=pronouns["possessive"],
        determiners=frozenset(word_list(data["determiners"], f"{path}: determiners")),
        conditional_modals=modals["conditional"], possibility_modals=modals["possibility"],
        future_modals=modals["future"],
    )


# ---------------------------------------------------------------- modality cues


@dataclass(frozen=True, slots=True)
class ModalityCues:
    """``modality.yaml``."""

    denial_verbs: frozenset[str]
    plan_verbs: frozenset[str]
    hypothetical_nouns: frozenset[str]
    plan_nouns: frozenset[str]
    allegation_nouns: frozenset[str]
    realised_controllers: frozenset[str]
    occurrence_verbs: frozenset[str]
    fact_preps: frozenset[str]
    party_words: tuple[str, ...]


@lru_cache(maxsize=1)
def modality_cues() -> ModalityCues:
    path = DATA_DIR / "modality.yaml"
    keys = ("denial_verbs", "plan_verbs", "hypothetical_nouns", "plan_nouns", "allegation_nouns",
            "realised_controllers", "occurrence_verbs", "fact_preps", "party_words")
    data = load_yaml(path, keys)
    lists = {k: word_list(data[k], f"{path}: {k}") for k in keys}
    return ModalityCues(
        **{k: frozenset(v) for k, v in lists.items() if k != "party_words"},
        party_words=lists["party_words"],
    )


# ---------------------------------------------------------------- quantities


@dataclass(frozen=True, slots=True)
class Hedges:
    """Phrases in front of a number (``quantities.yaml`` ``hedges``)."""

    approximate: tuple[str, ...]
    lower_bound: tuple[str, ...]
    upper_bound: tuple[str, ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        return (*self.approximate, *self.lower_bound, *self.upper_bound)


@dataclass(frozen=True, slots=True)
class QuantityWords:
    """``quantities.yaml``."""

    number_words: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, tuple[int, int, int]]
    several: dict[str, tuple[int, int, int]]
    hedges: Hedges
    counted_nouns: dict[str, frozenset[str]]
    role_words: dict[str, frozenset[str]]
    share_words: frozenset[str]
    no_harm_verbs: frozenset[str]
    nobody: tuple[str, ...]
    zero_auxiliaries: tuple[str, ...]
    zero_participles: dict[str, str]
    zero_intransitive: dict[str, str]


_COUNTED = ("people", "prisoners", "families", "forces", "places")
_ROLES = ("killed", "wounded", "freed", "displaced", "crossed", "held")


@lru_cache(maxsize=1)
def quantity_words() -> QuantityWords:
    path = DATA_DIR / "quantities.yaml"
    data = load_yaml(path, ("number_words", "scales", "vague", "several", "hedges",
                            "counted_nouns", "role_words", "share_words", "no_harm_verbs",
                            "nobody", "zero_count"))
    hedges = word_map(data["hedges"], f"{path}: hedges")
    _need(hedges, ("approximate", "lower_bound", "upper_bound"), f"{path}: hedges")
    counted = _groups(data["counted_nouns"], f"{path}: counted_nouns")
    _need(counted, _COUNTED, f"{path}: counted_nouns")
    roles = _groups(data["role_words"], f"{path}: role_words")
    _need(roles, _ROLES, f"{path}: role_words")
    zero = word_map(data["zero_count"], f"{path}: zero_count")
    _need(zero, ("auxiliaries", "participles", "intransitive"), f"{path}: zero_count")
    zero_roles: dict[str, dict[str, str]] = {}
    for key in ("participles", "intransitive"):
        zero_roles[key] = word_map(zero[key], f"{path}: zero_count.{key}")
        bad = [r for r in zero_roles[key].values() if r not in ("killed", "wounded")]
        if bad:
            raise ConfigError(f"{path}: zero_count.{key}: roles must be killed or wounded, got {bad}")
    return QuantityWords(
        number_words=_int_map(data["number_words"], f"{path}: number_words"),
        scales=_int_map(data["scales"], f"{path}: scales"),
        vague=_ranges(data["vague"], f"{path}: vague"),
        several=_ranges(data["several"], f"{path}: several"),
        hedges=Hedges(*(word_list(hedges[k], f"{path}: hedges.{k}")
                        for k in ("approximate", "lower_bound", "upper_bound"))),
        counted_nouns=counted,
        role_words=roles,
        share_words=frozenset(word_list(data["share_words"], f"{path}: share_words")),
        no_harm_verbs=frozenset(word_list(data["no_harm_verbs"], f"{path}: no_harm_verbs")),
        nobody=word_list(data["nobody"], f"{path}: nobody"),
        zero_auxiliaries=word_list(zero["auxiliaries"], f"{path}: zero_count.auxiliaries"),
        zero_participles=zero_roles["participles"],
        zero_intransitive=zero_roles["intransitive"],
    )
