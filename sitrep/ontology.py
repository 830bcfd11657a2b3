"""The ACLED sub-event types and the concept sets built on them, defined once.

``sitrep/data/ontology.csv`` lists the 25 sub-event types; ``sitrep/data/occurrence.yaml``
names the sets every stage shares (territorial change, clash, catch-all, …), the ACLED
precedence between types and which type pairs two reports of one occurrence may carry.
Both are checked on load (:class:`~sitrep.errors.ConfigError` on an unknown type or a
malformed entry), so a rename in the data cannot silently miss one module.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from sitrep.errors import ConfigError

__all__ = ["ATTACK", "CATCH_ALL", "CIVILIANS_INTER", "CLASH", "EXCESSIVE_FORCE", "FOREIGN_FORCES", "GAINS_AS_NON_STATE", "INTERVENTION", "OVERTAKES",
           "PEACEFUL_PROTEST", "PROTESTERS_INTER", "REGAINS", "STATE_FORCES", "TERRITORIAL", "UNARMED_INTERS",
           "TERRITORIAL_ORDER", "TRANSFER", "Occurrence", "Scope", "event_type_of",
           "REQUIRED_STATES", "Side", "Sides", "load_occurrence", "parse_occurrence", "parse_sides",
           "sub_event_types"]

#: ACLED inter code of state forces (a government's military and police)
STATE_FORCES = 1
#: ACLED inter code of external/other forces (a foreign state's military): ACLED codes
#: their territorial gains as "Non-state actor overtakes territory", like a rebel group's
FOREIGN_FORCES = 8
#: ACLED inter codes of the actors whose gains are "Non-state actor overtakes territory"
GAINS_AS_NON_STATE = (2, 3, FOREIGN_FORCES)
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
#: force met by a protest: lethal (protesters killed) and a dispersal short of it
EXCESSIVE_FORCE, INTERVENTION = _OCC.groups["protest_force"][:2]


def _sub_event_type(name: str) -> str:
    if name not in sub_event_types():
        raise ConfigError(f"ontology.csv has no sub-event type {name!r}")
    return name


#: violence against civilians by an armed actor, and a protest no force met
ATTACK = _sub_event_type("Attack")
PEACEFUL_PROTEST = _sub_event_type("Peaceful protest")
#: ACLED inter codes of protesters and civilians: those the others' violence hits, never a
#: side of it (the crowd of a protest is the civilians of the shooting at it)
PROTESTERS_INTER, CIVILIANS_INTER = 6, 7
UNARMED_INTERS = frozenset({PROTESTERS_INTER, CIVILIANS_INTER})


# ---- the sides of the control map (sitrep/data/sides.yaml) ---------------------------

@dataclass(frozen=True)
class Side:
    """One side that can hold a unit: its name, colour and which actors are on it."""

    key: str
    label: str
    colour: str
    aliases: tuple[str, ...]
    actors: tuple[re.Pattern[str], ...]
    inter: frozenset[int]
    state_from: dt.date | None = None
    state_until: dt.date | None = None
    gives: bool = False

    def is_state(self, day: dt.date) -> bool:
        """Whether this side is the state on ``day`` (its [from, until) period)."""
        if self.state_from is None and self.state_until is None:
            return False
        return (self.state_from is None or day >= self.state_from) and \
            (self.state_until is None or day < self.state_until)


@dataclass(frozen=True)
class Sides:
    """The sides, the non-holding states (contested, unconfirmed) and the hand-over rules
    (departing foreign forces; whom a regain goes to), as ``sides.yaml`` defines them."""

    sides: tuple[Side, ...]
    states: dict[str, tuple[str, str]]  # key -> (label, colour)
    insurgent: str
    foreign_hands_to: str
    #: a "Government regains territory" goes to the ``state`` of its day, or with ``actor``
    #: to actor1's side when it holds ground (a war between two states, where each side's
    #: forces retake ground) and to the state otherwise
    regains: str = "state"
    #: what a disputed change (one side claims it, the other denies it) shows on the map:
    #: the ``claimant``'s side, unconfirmed, or ``contested``
    disputed: str = "claimant"

    def get(self, key: str) -> Side:
        return next(s for s in self.sides if s.key == key)

    def of_actor(self, name: str, inter: int | None) -> str | None:
        """The side of an actor by its canonical name (words first, then inter code)."""
        low = name.lower()
        for side in self.sides:
            if any(p.search(low) for p in side.actors):
                return side.key
        for side in self.sides:
            if inter is not None and inter in side.inter:
                return side.key
        return None

    def state_on(self, day: dt.date) -> str | None:
        """The side that is the state on ``day``."""
        return next((s.key for s in self.sides if s.is_state(day)), None)

    def key_of(self, value: str) -> str | None:
        """The side or state a written controller name stands for ('Government',
        'NRF: National Resistance Front', 'contested'), or None."""
        low = " ".join(value.strip().lower().split())
        for side in self.sides:
            if low == side.key or low == side.label.lower() or low in side.aliases:
                return side.key
        for key, (label, _colour) in self.states.items():
            if low in (key, label.lower()):
                return key
        return None

    def colours(self) -> dict[str, str]:
        """Controller key -> map colour, sides and states."""
        return {**{s.key: s.colour for s in self.sides},
                **{k: colour for k, (_label, colour) in self.states.items()}}

    def labels(self) -> dict[str, str]:
        """Controller key -> its name on the map, sides and states."""
        return {**{s.key: s.label for s in self.sides},
                **{k: label for k, (label, _colour) in self.states.items()}}


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: not a date: {value!r}") from None


#: a side or state id: what a control row's ``controller`` holds
_SIDE_ID = re.compile(r"[a-z][a-z0-9_]*")
#: the states every map has: a unit in dispute (clashes, a partial capture) and the
#: evaluation's "not confirmed by anyone"
REQUIRED_STATES = ("contested", "unconfirmed")


def parse_sides(raw: Any, where: str = "sides.yaml") -> Sides:
    """Check and compile a parsed sides mapping (``sides``, ``states``,
    ``foreign_hands_to``; a profile's sides file or its inline ``sides``). ``where`` names
    the file in every ConfigError."""
    if not isinstance(raw, dict) or not isinstance(raw.get("sides"), dict) \
            or not isinstance(raw.get("states"), dict):
        raise ConfigError(f"{where}: needs the mappings 'sides' and 'states'")
    sides: list[Side] = []
    for key, spec in raw["sides"].items():
        if not isinstance(key, str) or not _SIDE_ID.fullmatch(key):
            raise ConfigError(f"{where}: side {key!r}: an id of lower-case letters, digits, '_'")
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str) \
                or not _COLOUR.fullmatch(str(spec.get("colour", ""))):
            raise ConfigError(f"{where}: side {key!r} needs a label and a #rrggbb colour")
        if set(spec) - _SIDE_KEYS:
            raise ConfigError(f"{where}: side {key!r}: unknown key(s) "
                              f"{sorted(set(spec) - _SIDE_KEYS)} (known: {sorted(_SIDE_KEYS)})")
        words = spec.get("actors") or []
        aliases = spec.get("aliases") or []
        inter = spec.get("inter") or []
        if not all(isinstance(w, str) and w == w.lower() and w.strip() for w in [*words, *aliases]):
            raise ConfigError(f"{where}: side {key!r}: actors and aliases are lower-case words")
        if not all(isinstance(i, int) and 1 <= i <= 8 for i in inter):
            raise ConfigError(f"{where}: side {key!r}: inter codes are 1..8")
        state = spec.get("state") or {}
        if not isinstance(state, dict) or set(state) - {"from", "until"}:
            raise ConfigError(f"{where}: side {key!r}: state is {{from, until}}")
        sides.append(Side(
            key=str(key), label=spec["label"], colour=spec["colour"], aliases=tuple(aliases),
            actors=tuple(re.compile(r"(?<![a-z0-9])" + re.escape(w)) for w in words),
            inter=frozenset(inter), state_from=_date(state.get("from"), f"{where}: {key}"),
            state_until=_date(state.get("until"), f"{where}: {key}"),
            gives=bool(spec.get("gives"))))
    states: dict[str, tuple[str, str]] = {}
    for key, spec in raw["states"].items():
        if not isinstance(key, str) or not _SIDE_ID.fullmatch(key) or not isinstance(spec, dict) \
                or not isinstance(spec.get("label"), str) \
                or not _COLOUR.fullmatch(str(spec.get("colour", ""))):
            raise ConfigError(f"{where}: state {key!r}: an id with label and #rrggbb colour")
        states[str(key)] = (spec["label"], spec["colour"])
    keys = [s.key for s in sides]
    if len(keys) < 2:
        raise ConfigError(f"{where}: at least two sides hold ground")
    if set(keys) & set(states):
        raise ConfigError(f"{where}: {sorted(set(keys) & set(states))} is both a side and a state")
    if missing := [k for k in REQUIRED_STATES if k not in states]:
        raise ConfigError(f"{where}: states must include {list(REQUIRED_STATES)} "
                          f"(missing {missing})")
    insurgent = [s.key for s, spec in zip(sides, raw["sides"].values(), strict=True)
                 if spec.get("insurgent")]
    if len(insurgent) != 1:
        raise ConfigError(f"{where}: exactly one side is the insurgent default "
                          "(insurgent: true; the side a capture by an unknown actor goes to)")
    periods = sorted((s.state_from or dt.date.min, s.state_until or dt.date.max)
                     for s in sides if s.state_from or s.state_until)
    if any(a[1] > b[0] for a, b in zip(periods, periods[1:], strict=False)):
        raise ConfigError(f"{where}: state periods overlap")
    hands = raw.get("foreign_hands_to")
    if hands not in keys:
        raise ConfigError(f"{where}: foreign_hands_to must name a side (one of {keys})")
    regains = raw.get("regains") or "state"
    if regains not in ("state", "actor"):
        raise ConfigError(f"{where}: regains is 'state' or 'actor', not {regains!r}")
    disputed = raw.get("disputed") or "claimant"
    if disputed not in ("claimant", "contested"):
        raise ConfigError(f"{where}: disputed is 'claimant' or 'contested', not {disputed!r}")
    return Sides(tuple(sides), states, insurgent[0], str(hands), regains, disputed)


_SIDE_KEYS = {"label", "colour", "aliases", "actors", "inter", "state", "gives", "insurgent"}

