"""Actor strings -> canonical actors with ACLED names and ``inter`` codes.

The dictionary is data (``sitrep/data/actors.yaml``, layout in its header). A user
file of the same layout extends it for another country or overrides entries (same
``id`` replaces): :meth:`ActorBook.load` takes the paths, and
:meth:`ActorBook.default` also reads the files named in ``SITREP_ACTORS``
(``os.pathsep``-separated).

Matching is deliberately dumb and predictable: the phrase is normalised (case,
quotes, possessives, leading determiners and numbers, last word made singular)
and then
1. an alias equal to the whole phrase,
2. else the longest alias that is the head (a word-suffix) of the phrase
   ("demoralized afghan troops" -> "afghan troops"), unless a word of a foreign
   modifier list stands before it ("iranian army" is not the Afghan army),
3. else the longest alias that opens the phrase when a role word follows it
   ("taliban commander mullah x" -> Taliban; "police headquarters" stays None),
4. else the longest match of a regex pattern.
A coordination that is not itself an alias resolves to its first conjunct that
resolves ("afghan soldiers, police and intelligence services" -> the army; "US and
NATO forces" -> US forces, a bare modifier borrowing the shared head noun), as
ACLED names the first actor and files the others as associated actors.
Unknown text gives ``None``; the resolver never guesses from context (that is the
extractor's job, e.g. "the group" in a Taliban story).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError
from sitrep.model import Actor
from sitrep.wordfile import DATA_DIR, WordFile

__all__ = ["ActorBook", "interaction_code", "normalise_actor_text", "resolve_actor"]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "actors.yaml"
ENV_VAR = "SITREP_ACTORS"

_LEADING = re.compile(
    r"^(?:(?:the|a|an|some|several|many|most|all|other|its|their|his|her|these|those|this|that"
    r"|more than|less than|fewer than|at least|about|around|nearly|almost|over|up to|some"
    r"|dozens of|hundreds of|thousands of|scores of|a number of|a group of|groups of"
    r"|\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred"
    r"|hundreds|thousands|dozens)\s+)+")
# After an alias, these words make the phrase a person speaking or acting for the actor
# ("taliban spokesman zabihullah mujahid"); "police headquarters" is a building, not police.
_ROLE_WORDS = WordFile(DATA_DIR / "resolve_words.yaml").list("role_words")
_NO_SINGULAR = ("us", "is", "ss", "ous", "ics", "gknb", "nds", "anp", "ana", "alp")


def _singular(word: str) -> str:
    if word.endswith(_NO_SINGULAR) or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("s"):
        return word[:-1]
    return word


def normalise_actor_text(text: str) -> str:
    """Lower case, plain quotes, no possessive 's, no leading determiners or numbers,
    singular last word: 'the Afghan army's' -> 'afghan army'."""
    t = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    t = re.sub(r"[\"“”«»()\[\]]", " ", t)
    t = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group(0) == "'s" else "s", t)
    t = re.sub(r"[,;:!?]+", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" .-")
    t = _LEADING.sub("", t)
    words = t.split(" ")
    if words and words[-1]:
        words[-1] = _singular(words[-1])
    return " ".join(words).strip()


@dataclass(frozen=True, slots=True)
class _Entry:
    actor: Actor
    kind: str
    aliases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    source: str
    surface: tuple[str, ...] = ()  # aliases as written, for scanning running text


@dataclass
class ActorBook:
    """All known actors, indexed by id, ACLED name and normalised alias."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    foreign_modifiers: set[str] = field(default_factory=set)
    _alias: dict[str, str] = field(default_factory=dict)
    _scan: re.Pattern[str] | None = field(default=None, repr=False)
    _scan_key: tuple[str, ...] | None = field(default=None, repr=False)

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, paths: Iterable[str | Path] = (), *, include_default: bool = True) -> ActorBook:
        """The default book (unless ``include_default`` is False) with ``paths`` merged over it
        in order: an entry with an existing id replaces it; aliases of later files win."""
        book = cls()
        files = ([DEFAULT_PATH] if include_default else []) + [Path(p) for p in paths]
        for path in files:
            book._merge_file(path)
        return book

    @classmethod
    def default(cls) -> ActorBook:
        """The shipped book plus the files named in ``SITREP_ACTORS`` (cached per value)."""
        return _default_book(os.environ.get(ENV_VAR, ""))

    def _merge_file(self, path: Path) -> None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read actor file ({exc.strerror})") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
        records = data.get("actors") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise ConfigError(f"{path}: expected a top-level 'actors:' list")
        for i, record in enumerate(records):
            self._add(_parse_entry(record, f"{path} actors[{i}]"))
        self.foreign_modifiers |= {str(w).lower() for w in data.get("foreign_modifiers", []) or []}

    def _add(self, entry: _Entry) -> None:
        old = self.entries.get(entry.actor.id)
        if old is not None:  # replaced: drop the old aliases that pointed to it
            self._alias = {k: v for k, v in self._alias.items() if v != old.actor.id}
        self.entries[entry.actor.id] = entry
        for alias in entry.aliases:
            self._alias[alias] = entry.actor.id

    # ------------------------------------------------------------ lookups

    @property
    def actors(self) -> tuple[Actor, ...]:
        return tuple(e.actor for e in self.entries.values())

    def get(self, actor_id: str) -> Actor | None:
        entry = self.entries.get(actor_id)
        return entry.actor if entry else None

    def by_name(self, acled_name: str) -> Actor | None:
        """The actor whose ACLED name is ``acled_name`` (case-insensitive)."""
        key = acled_name.strip().lower()
        for entry in self.entries.values():
            if entry.actor.name.lower() == key:
                return entry.actor
        return None

    def kind(self, actor_id: str) -> str | None:
        """'actor' or 'organisation' (claimants and sources that are never event actors)."""
        entry = self.entries.get(actor_id)
        return entry.kind if entry else None

    def resolve(self, text: str) -> Actor | None:
        """The actor ``text`` names, or None (see the module docstring for the order).

        A coordination ("soldiers, police and intelligence services") that is not an
        alias as a whole resolves to its first conjunct that resolves."""
        norm = normalise_actor_text(text)
        hit = self._alias.get(norm)
        if hit is None and re.search(r",|\s(?:and|&)\s", text):
            parts = [p for p in re.split(r"\s*,\s*|\s+(?:and|&)\s+", text) if p.strip()]
            head = parts[-1].split()[-1] if parts else ""
            for part in parts:  # "US and NATO forces": "US" borrows the shared head "forces"
                hit = self._match(normalise_actor_text(part))
                if hit is None and len(part.split()) == 1 and part != parts[-1]:
                    hit = self._alias.get(normalise_actor_text(f"{part} {head}"))
                if hit is not None:
                    break
        if hit is None:
            hit = self._match(norm)
        return self.entries[hit].actor if hit else None

    def find(self, text: str) -> list[tuple[int, int, Actor]]:
        """Every alias occurrence in running ``text`` (longest first, no overlaps), as
        ``(start, end, actor)`` character spans; plurals and possessives included."""
        out: list[tuple[int, int, Actor]] = []
        for m in self._scanner().finditer(text):
            start, actor = m.start(), self.resolve(m.group(0))
            # "US and NATO forces": the first conjunct borrows the head and comes first
            lead = re.search(r"([\w.]+)\s+(?:and|&)\s+$", text[max(0, start - 40):start])
            if lead is not None and self.resolve(lead.group(1)) is None:
                head = m.group(0).split()[-1]
                borrowed = self._alias.get(normalise_actor_text(f"{lead.group(1)} {head}"))
                if borrowed is not None:
                    start, actor = start - len(lead.group(0)), self.entries[borrowed].actor
            if actor is not None:
                out.append((start, m.end(), actor))
        return out

    def _scanner(self) -> re.Pattern[str]:
        key = tuple(sorted(self.entries))
        if self._scan is None or self._scan_key != key:
            surface = sorted({a for e in self.entries.values() for a in e.surface},
                             key=len, reverse=True)
            body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in surface)
            self._scan = re.compile(rf"(?<![\w-])(?:{body})(?:e?s)?(?:['’]s)?(?![\w-])", re.I)
            self._scan_key = key
        return self._scan

    def _match(self, norm: str) -> str | None:
        if not norm:
            return None
        hit = self._alias.get(norm)
        if hit is not None:
            return hit
        words = norm.split(" ")
        for i in range(1, len(words)):
            if words[i - 1] in self.foreign_modifiers:
                break  # "iranian army" is not the head "army"
            head = " ".join(words[i:])
            if len(head) >= 4 and head in self._alias:
                return self._alias[head]
        for i in range(len(words) - 1, 0, -1):  # "taliban spokesman zabihullah mujahid"
            lead = " ".join(words[:i])
            if len(lead) >= 4 and lead in self._alias and words[i] in _ROLE_WORDS:
                return self._alias[lead]
        if any(w in self.foreign_modifiers for w in words[:-1]):
            return None  # "british government": a foreign actor the book does not list
        best = 0
        for entry in self.entries.values():
            for pattern in entry.patterns:
                m = pattern.search(norm)
                if m and len(m.group(0)) > best:
                    best, hit = len(m.group(0)), entry.actor.id
        return hit


def _parse_entry(record: Any, where: str) -> _Entry:
    if not isinstance(record, dict):
        raise ConfigError(f"{where}: expected a mapping with id, name, aliases")
    missing = [k for k in ("id", "name") if not record.get(k)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    inter = record.get("inter")
    if inter is not None and (not isinstance(inter, int) or not 1 <= inter <= 8):
        raise ConfigError(f"{where} ({record['id']}): inter must be an ACLED code 1-8, got {inter!r}")
    kind = str(record.get("kind", "actor"))
    if kind not in ("actor", "organisation"):
        raise ConfigError(f"{where} ({record['id']}): kind must be 'actor' or 'organisation'")
    try:
        patterns = tuple(re.compile(p) for p in record.get("patterns", []) or [])
    except re.error as exc:
        raise ConfigError(f"{where} ({record['id']}): bad pattern ({exc})") from exc
    aliases = [str(a) for a in record.get("aliases", []) or []] + [str(record["name"])]
    actor = Actor(id=str(record["id"]), name=str(record["name"]), inter=inter,
                  country=record.get("country"))
    norm = tuple(dict.fromkeys(n for n in (normalise_actor_text(a) for a in aliases) if n))
    surface = tuple(a for a in aliases if len(a) >= 3 or a.isupper())
    return _Entry(actor, kind, norm, patterns, where, surface)


@functools.lru_cache(maxsize=8)
def _default_book(env_value: str) -> ActorBook:
    extra = [p for p in env_value.split(os.pathsep) if p.strip()]
    return ActorBook.load(extra)


def resolve_actor(text: str) -> Actor | None:
    """Resolve an actor phrase with the default book; None for unknown text."""
    return ActorBook.default().resolve(text)


def interaction_code(inter1: int | None, inter2: int | None = None) -> int:
    """ACLED's ``interaction``: the two inter codes, smaller digit first (1 and 3 -> 13);
    a one-sided event is the code times ten (6 -> 60); no actor -> 0."""
    codes: Sequence[int] = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return 0
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]
