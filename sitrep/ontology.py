"""The ACLED sub-event types and the concept sets built on them, defined once.

``sitrep/data/ontology.csv`` lists the 25 sub-event types; ``sitrep/data/occurrence.yaml``
names the sets every stage shares (territorial change, clash, catch-all, …), the ACLED
precedence between types and which type pairs two reports of one occurrence may carry.
Both are checked on load (:class:`~sitrep.errors.ConfigError` on an unknown type or a
malformed entry), so a rename in the data cannot silently miss one module.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from sitrep.errors import ConfigError

__all__ = ["CATCH_ALL", "CLASH", "OVERTAKES", "REGAINS", "TERRITORIAL",
           "TERRITORIAL_ORDER", "TRANSFER", "Occurrence", "Scope", "event_type_of",
           "load_occurrence", "parse_occurrence", "sub_event_types"]

DATA_DIR = Path(__file__).resolve().parent / "data"
Scope = Literal["any", "article", "sentence"]
_SCOPES: tuple[Scope, ...] = ("any", "article", "sentence")


@functools.cache
def _ontology() -> dict[str, str]:
    text = (DATA_DIR / "ontology.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    out = {r["sub_event_type"]: r["event_type"] for r in rows
           if r.get("sub_event_type") and r.get("event_type")}
    if len(out) != len(rows) or not out:
        raise ConfigError("ontology.csv: every row needs a sub_event_type and an event_type")
    return out


def sub_event_types() -> frozenset[str]:
    """The ACLED sub-event types of ``ontology.csv``."""
    return frozenset(_ontology())


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event type of a sub-event type (ConfigError if unknown)."""
    try:
        return _ontology()[sub_event_type]
    except KeyError:
        raise ConfigError(f"ontology.csv: unknown sub-event type {sub_event_type!r}") from None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """``occurrence.yaml`` compiled: groups, precedence tiers and same-occurrence pairs."""

    groups: dict[str, tuple[str, ...]]
    precedence: tuple[tuple[str, ...], ...]
    pairs: dict[frozenset[str], Scope]  # type pair -> the widest scope it may link at
    never: frozenset[frozenset[str]]
    sentence_all: bool = False  # every pair not under `never` may share a sentence
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # wording cue lists

    def cue(self, name: str) -> re.Pattern[str]:
        """A case-insensitive pattern matching any word of the cue list ``name`` at the
        start of a word (ConfigError for an unknown list)."""
        if name not in self.cues:
            raise ConfigError(f"occurrence.yaml: no cue list {name!r}")
        return _cue_pattern(self.cues[name])

    def rank(self, sub_event_type: str) -> int:
        """Precedence tier of a type (0 is the highest)."""
        for i, tier in enumerate(self.precedence):
            if sub_event_type in tier:
                return i
        return len(self.precedence)

    def scope(self, a: str, b: str) -> Scope | None:
        """The widest evidence scope at which reports typed ``a`` and ``b`` may be one
        occurrence: 'any', 'article', 'sentence', or None (never)."""
        pair = frozenset((a, b))
        if pair in self.never:
            return None
        return self.pairs.get(pair, "sentence" if self.sentence_all else None)


def _names(item: Any, groups: dict[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    known = sub_event_types()
    if not isinstance(item, str):
        raise ConfigError(f"occurrence.yaml: {where}: expected a type name, got {item!r}")
    if item.startswith("@"):
        if item[1:] not in groups:
            raise ConfigError(f"occurrence.yaml: {where}: unknown group {item!r}")
        return groups[item[1:]]
    if item not in known:
        raise ConfigError(f"occurrence.yaml: {where}: {item!r} is not a sub-event type "
                          "of ontology.csv")
    return (item,)


def _expand(items: Any, groups: dict[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"occurrence.yaml: {where}: expected a non-empty list")
    return tuple(dict.fromkeys(n for it in items for n in _names(it, groups, where)))


def _pairs(entries: Any, groups: dict[str, tuple[str, ...]],
           where: str) -> Iterable[frozenset[str]]:
    if not isinstance(entries, list):
        raise ConfigError(f"occurrence.yaml: {where}: expected a list of pairs")
    for entry in entries:
        if not isinstance(entry, list) or len(entry) != 2:
            raise ConfigError(f"occurrence.yaml: {where}: {entry!r} is not a pair")
        for a in _names(entry[0], groups, where):
            for b in _names(entry[1], groups, where):
                yield frozenset((a, b))


def parse_occurrence(data: Any) -> Occurrence:
    """Validate and compile the ``occurrence.yaml`` mapping."""
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ConfigError("occurrence.yaml: expected a mapping with `groups`")
    groups: dict[str, tuple[str, ...]] = {}
    for name, items in data["groups"].items():
        groups[str(name)] = _expand(items, groups, f"groups.{name}")
    for needed in ("territorial", "clash", "catch_all"):
        if needed not in groups:
            raise ConfigError(f"occurrence.yaml: group {needed!r} is missing")
    if len(groups["territorial"]) != 3:
        raise ConfigError("occurrence.yaml: `territorial` lists overtakes, regains, transfer")
    tiers = tuple(_expand(t, groups, "precedence") for t in data.get("precedence") or [])
    flat = [t for tier in tiers for t in tier]
    if len(flat) != len(set(flat)) or set(flat) != sub_event_types():
        raise ConfigError("occurrence.yaml: `precedence` must list every sub-event type of "
                          "ontology.csv exactly once")
    same = data.get("same_occurrence")
    if not isinstance(same, dict) or set(same) - set(_SCOPES):
        raise ConfigError("occurrence.yaml: `same_occurrence` maps any/article/sentence to pairs")
    pairs: dict[frozenset[str], Scope] = {}
    sentence_all = same.get("sentence") == "all"
    for scope in _SCOPES:  # widest first: a pair keeps the widest scope it is listed under
        entries = same.get(scope) or []
        if scope == "sentence" and sentence_all:
            continue
        for pair in _pairs(entries, groups, f"same_occurrence.{scope}"):
            pairs.setdefault(pair, scope)
    never = frozenset(_pairs(data.get("never") or [], groups, "never"))
    return Occurrence(groups=groups, precedence=tiers,
                      pairs={p: s for p, s in pairs.items() if p not in never}, never=never,
                      sentence_all=sentence_all, cues=_cues(data.get("cues")))


@functools.cache
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.I)


def _cues(data: Any) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("occurrence.yaml: `cues` maps a name to a list of words")
    out: dict[str, tuple[str, ...]] = {}
    for name, words in data.items():
        if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w.strip() and w == w.lower() for w in words):
            raise ConfigError(f"occurrence.yaml: cues.{name}: expected a non-empty list of "
                              "lower-case words")
        out[str(name)] = tuple(words)
    return out


@functools.cache
def load_occurrence() -> Occurrence:
    """``sitrep/data/occurrence.yaml``, checked and compiled (cached)."""
    path = DATA_DIR / "occurrence.yaml"
    return parse_occurrence(yaml.safe_load(path.read_text(encoding="utf-8")))


_OCC = load_occurrence()
#: the three sub-event types that change who holds a place, in tie-break order
TERRITORIAL_ORDER: tuple[str, ...] = _OCC.groups["territorial"]
TERRITORIAL: frozenset[str] = frozenset(TERRITORIAL_ORDER)
OVERTAKES, REGAINS, TRANSFER = TERRITORIAL_ORDER
CLASH: str = _OCC.groups["clash"][0]
CATCH_ALL: frozenset[str] = frozenset(_OCC.groups["catch_all"])
