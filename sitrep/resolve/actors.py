"""Actor strings -> canonical actors with ACLED names and ``inter`` codes.

The dictionary is data: the actor books of the active conflict profile
(:mod:`sitrep.profile`; ``sitrep/data/actors.yaml`` for afghanistan-2021, layout in its
header). A user file of the same layout extends it for another country or overrides entries (same
``id`` replaces): :meth:`ActorBook.load` takes the paths, and
:meth:`ActorBook.default` also reads the files named in ``SITREP_ACTORS``
(``os.pathsep``-separated).

Matching is deliberately dumb and predictable: the phrase is normalised (case,
quotes, possessives, leading determiners, "local" and numbers, last word made
singular) and then
1. an alias equal to the whole phrase,
2. else a named party owning what follows it: an alias of a ``proper`` actor (its own,
   undated name) followed by a role word or another actor's generic name
   ("(senior) taliban security forces", "isis-k hideout"; not "kabul residents"),
3. else the longest alias that is the head (a word-suffix) of the phrase
   ("demoralized afghan troops" -> "afghan troops"), unless a word of a foreign
   modifier list stands before it ("uzbek army" is not the Afghan army),
4. else the longest alias followed by a role word (``role_words`` in the data)
   ("top taliban commander mullah x" -> Taliban; "police headquarters" stays None),
5. else the longest match of a regex pattern.
A coordination that is not itself an alias resolves to its first conjunct that
resolves ("afghan soldiers, police and intelligence services" -> the army; "US and
NATO forces" -> US forces, a bare modifier borrowing the shared head noun), as
ACLED names the first actor and files the others as associated actors.

Dates. Who a generic phrase names can change with the date: after the fall of Kabul
(15 August 2021) "security forces", "the government" or "the Defence Ministry" are the
Taliban's. The data declares ``timelines``: each has ordered ``eras`` (the first open,
each later one starting at its ``from`` date) and alias groups that name, per era, an
actor id (or null: the phrase names nobody the book knows in that era). ``resolve(text,
on=date)`` uses the era of ``on``; with no date it uses each timeline's first era (the
book as it was before eras). A leading ``past_modifiers`` word ("the former
government", "ousted security forces") looks one era back from ``on``.
Unknown text gives ``None``; the resolver never guesses from context (that is the
extractor's job, e.g. "the group" in a Taliban story).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError
from sitrep.model import Actor
from sitrep.ontology import CIVILIANS_INTER
from sitrep.wordfile import read_yaml

__all__ = ["ActorBook", "interaction_code", "normalise_actor_text", "resolve_actor",
           "resolver_on"]

#: the afghanistan-2021 profile's book (the default profile's; others name their own)
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "actors.yaml"
ENV_VAR = "SITREP_ACTORS"

_LEADING = re.compile(
    r"^(?:(?:the|a|an|some|several|many|most|all|other|its|their|his|her|these|those|this|that"
    r"|more than|less than|fewer than|at least|about|around|nearly|almost|over|up to|some|local"
    r"|dozens of|hundreds of|thousands of|scores of|a number of|a group of|groups of"
    r"|\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred"
    r"|hundreds|thousands|dozens)\s+)+")
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
    proper: bool = False  # a named party: as a modifier it owns the noun ("Taliban security forces")
    armed_as: str | None = None  # the actor that fights for it ("the government retook" -> army)


class _Lexicon(dict[str, "str | None"]):
    """The aliases in force in one combination of eras (None: names nobody then), with the
    regex patterns in force (searched last)."""

    patterns: list[tuple[re.Pattern[str], str | None]]


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Eras of one theatre and the aliases whose actor depends on the era."""

    id: str
    eras: tuple[tuple[str, dt.date | None], ...]  # (era id, first day); the first is open
    groups: tuple[tuple[tuple[str, ...], Mapping[str, str | None]], ...]  # (norm aliases, era->id)
    surface: tuple[str, ...]
    source: str
    patterns: tuple[tuple[re.Pattern[str], Mapping[str, str | None]], ...] = ()

    def era_index(self, on: dt.date | None) -> int:
        if on is None:
            return 0
        i = 0
        for k, (_, start) in enumerate(self.eras):
            if start is not None and start <= on:
                i = k
        return i


@dataclass
class ActorBook:
    """All known actors, indexed by id, ACLED name and normalised alias."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    foreign_modifiers: set[str] = field(default_factory=set)
    past_modifiers: set[str] = field(default_factory=set)
    role_words: set[str] = field(default_factory=set)
    timelines: dict[str, _Timeline] = field(default_factory=dict)
    _alias: dict[str, str] = field(default_factory=dict)
    _dated: dict[str, str] = field(default_factory=dict)  # norm alias -> its timeline id
    _by_era: dict[tuple[int, ...], _Lexicon] = field(default_factory=dict, repr=False)
    _scan: re.Pattern[str] | None = field(default=None, repr=False)
    _scan_key: tuple[object, ...] | None = field(default=None, repr=False)

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, paths: Iterable[str | Path] = (), *, include_default: bool = True) -> ActorBook:
        """The active profile's books (unless ``include_default`` is False) with ``paths``
        merged over them in order: an entry with an existing id replaces it; aliases of
        later files win; a timeline with an existing id replaces it. Raises ConfigError
        when a timeline names an actor id no file defines."""
        from sitrep.profile import active_profile

        book = cls()
        files = (list(active_profile().actors) if include_default else []) + [Path(p) for p in paths]
        for path in files:
            book._merge_file(path)
        book._check_timelines()
        return book

    @classmethod
    def default(cls) -> ActorBook:
        """The active profile's books plus the files named in ``SITREP_ACTORS`` (cached per
        profile and value)."""
        from sitrep.profile import active_profile

        return _default_book(active_profile().actors, os.environ.get(ENV_VAR, ""))

    def _merge_file(self, path: Path) -> None:
        data = read_yaml(path, "actor file")
        records = data.get("actors")
        if not isinstance(records, list):
            raise ConfigError(f"{path}: expected a top-level 'actors:' list")
        for key in ("foreign_modifiers", "past_modifiers", "role_words"):
            words = data.get(key) or []
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ConfigError(f"{path}: '{key}' must be a list of words")
            getattr(self, key).update(w.lower() for w in words)
        for i, record in enumerate(records):
            self._add(_parse_entry(record, f"{path} actors[{i}]"))
        timelines = data.get("timelines") or []
        if not isinstance(timelines, list):
            raise ConfigError(f"{path}: 'timelines' must be a list")
        undated = {a for e in self.entries.values() if e.source.startswith(f"{path} ")
                   for a in e.aliases}
        for i, record in enumerate(timelines):
            timeline = _parse_timeline(record, f"{path} timelines[{i}]")
            if twice := undated & {a for aliases, _ in timeline.groups for a in aliases}:
                raise ConfigError(f"{timeline.source} ({timeline.id}): alias(es) {sorted(twice)} "
                                  "are also an actor's undated aliases in the same file")
            self._add_timeline(timeline)
        self._by_era.clear()

    def _add(self, entry: _Entry) -> None:
        old = self.entries.get(entry.actor.id)
        if old is not None:  # replaced: drop the old aliases that pointed to it
            self._alias = {k: v for k, v in self._alias.items() if v != old.actor.id}
        self.entries[entry.actor.id] = entry
        for alias in entry.aliases:
            self._alias[alias] = entry.actor.id
            self._dated.pop(alias, None)  # a later undated alias wins over a dated one

    def _add_timeline(self, timeline: _Timeline) -> None:
        if timeline.id in self.timelines:  # replaced: its dated aliases go with it
            self._dated = {k: v for k, v in self._dated.items() if v != timeline.id}
        self.timelines[timeline.id] = timeline
        for aliases, _ in timeline.groups:
            for alias in aliases:
                self._dated[alias] = timeline.id
                self._alias.pop(alias, None)  # a later dated alias wins over an undated one

    def _check_timelines(self) -> None:
        for entry in self.entries.values():
            if entry.armed_as is not None and entry.armed_as not in self.entries:
                raise ConfigError(f"{entry.source} ({entry.actor.id}): armed_as names actor id "
                                  f"'{entry.armed_as}', which no actor file defines")
        for tl in self.timelines.values():
            for _, by_era in tl.groups:
                for era, actor_id in by_era.items():
                    if actor_id is not None and actor_id not in self.entries:
                        raise ConfigError(f"{tl.source} ({tl.id}): era '{era}' names actor id "
                                          f"'{actor_id}', which no actor file defines")

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

    def armed(self, actor: Actor) -> Actor:
        """The actor ACLED codes in armed events (battles, remote violence) for ``actor``: a
        government fights through its military forces ("the Afghan government has retaken
        Malistan" is the army's); every other actor is itself (``armed_as`` in the data)."""
        entry = self.entries.get(actor.id)
        if entry is None or entry.armed_as is None:
            return actor
        return self.entries[entry.armed_as].actor

    def era(self, on: dt.date | None, timeline: str) -> str | None:
        """The id of the era ``on`` falls in on ``timeline`` (its first era when undated)."""
        tl = self.timelines.get(timeline)
        return tl.eras[tl.era_index(on)][0] if tl else None

    def aliases_on(self, on: dt.date | None = None, *, back: int = 0) -> _Lexicon:
        """Normalised alias -> actor id in force on ``on`` (``back`` eras earlier); a None
        value: the alias names nobody the book knows in that era."""
        key = tuple(max(0, tl.era_index(on) - back) for tl in self.timelines.values())
        lex = self._by_era.get(key)
        if lex is None:
            lex = _Lexicon({**self._alias})
            lex.patterns = [(p, e.actor.id) for e in self.entries.values() for p in e.patterns]
            for tl, k in zip(self.timelines.values(), key, strict=True):
                era = tl.eras[k][0]
                for aliases, by_era in tl.groups:
                    for alias in aliases:
                        if self._dated.get(alias) == tl.id:
                            lex[alias] = by_era[era]
                lex.patterns += [(p, by_era[era]) for p, by_era in tl.patterns]
            self._by_era[key] = lex
        return lex

    def resolve(self, text: str, on: dt.date | None = None) -> Actor | None:
        """The actor ``text`` names on the day ``on`` (None: undated), or None (see the
        module docstring for the order and the eras).

        A coordination ("soldiers, police and intelligence services") that is not an
        alias as a whole resolves to its first conjunct that resolves."""
        norm, back = self._past(normalise_actor_text(text), on)
        amap = self.aliases_on(on, back=back)
        hit = amap.get(norm)
        if hit is None and norm not in amap and re.search(r",|\s(?:and|&)\s", text):
            parts = [p for p in re.split(r"\s*,\s*|\s+(?:and|&)\s+", text) if p.strip()]
            head = parts[-1].split()[-1] if parts else ""
            for part in parts:  # "US and NATO forces": "US" borrows the shared head "forces"
                pnorm, pback = self._past(normalise_actor_text(part), on)
                hit = self._match(pnorm, self.aliases_on(on, back=pback))
                if hit is None and len(part.split()) == 1 and part != parts[-1]:
                    hit = amap.get(normalise_actor_text(f"{part} {head}"))
                if hit is not None:
                    break
        if hit is None:
            hit = self._match(norm, amap)
        return self.entries[hit].actor if hit else None

    def find(self, text: str, on: dt.date | None = None) -> list[tuple[int, int, Actor]]:
        """Every alias occurrence in running ``text`` (longest first, no overlaps), as
        ``(start, end, actor)`` character spans, read on the day ``on``; plurals and
        possessives included."""
        out: list[tuple[int, int, Actor]] = []
        amap = self.aliases_on(on)
        matches = list(self._scanner().finditer(text))
        merged: set[int] = set()
        for k, m in enumerate(matches):
            if k in merged:
                continue
            start, end, actor = m.start(), m.end(), self.resolve(m.group(0), on)
            nxt = matches[k + 1] if k + 1 < len(matches) else None
            if actor is not None and nxt is not None and self.entries[actor.id].proper \
                    and not text[end:nxt.start()].strip() \
                    and self.resolve(text[start:nxt.end()], on) == actor:
                end = nxt.end()  # "Taliban security forces": one span, the party's
                merged.add(k + 1)
            past = re.search(r"([\w-]+)\s+$", text[max(0, start - 20):start])
            if past is not None and past.group(1).lower() in self.past_modifiers:
                actor = self.resolve(f"{past.group(1)} {m.group(0)}", on)  # "former security forces"
            # "US and NATO forces": the first conjunct borrows the head and comes first
            lead = re.search(r"([\w.]+)\s+(?:and|&)\s+$", text[max(0, start - 40):start])
            if lead is not None and self.resolve(lead.group(1), on) is None:
                head = m.group(0).split()[-1]
                borrowed = amap.get(normalise_actor_text(f"{lead.group(1)} {head}"))
                if borrowed is not None:
                    start, actor = start - len(lead.group(0)), self.entries[borrowed].actor
            if actor is not None:
                out.append((start, end, actor))
        return out

    def _past(self, norm: str, on: dt.date | None) -> tuple[str, int]:
        """'former security force' on a date -> ('security force', 1 era back); other
        phrases unchanged. Only when some timeline has an era before ``on``'s."""
        word, _, rest = norm.partition(" ")
        if rest and word in self.past_modifiers and any(
                tl.era_index(on) > 0 for tl in self.timelines.values()):
            return _LEADING.sub("", rest), 1
        return norm, 0

    def _scanner(self) -> re.Pattern[str]:
        key = (*sorted(self.entries), *sorted(self.timelines))
        if self._scan is None or self._scan_key != key:
            surface = sorted({a for e in self.entries.values() for a in e.surface}
                             | {a for t in self.timelines.values() for a in t.surface},
                             key=len, reverse=True)
            body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in surface)
            self._scan = re.compile(rf"(?<![\w-])(?:{body})(?:e?s)?(?:['’]s)?(?![\w-])", re.I)
            self._scan_key = key
        return self._scan

    def _forces(self, tail: str, amap: _Lexicon) -> bool:
        """Whether ``tail`` is a generic name of armed or official actors ("security forces",
        "government", "army" even when it names nobody now), not of civilians ("residents")."""
        if tail not in amap:
            return False
        actor_id = amap[tail]
        return actor_id is None or self.entries[actor_id].actor.inter != CIVILIANS_INTER

    def _match(self, norm: str, amap: _Lexicon) -> str | None:
        if not norm:
            return None
        if norm in amap:
            return amap[norm]
        words = norm.split(" ")
        for j in range(len(words) - 1):  # "(senior) taliban security forces": the party's own
            if j and words[j - 1] in self.foreign_modifiers:
                break
            for i in range(len(words) - 1, j, -1):
                owner = self._alias.get(" ".join(words[j:i]))  # its own name, not a dated one
                if owner is not None and self.entries[owner].proper and (
                        words[i] in self.role_words or self._forces(" ".join(words[i:]), amap)):
                    return owner
        for i in range(1, len(words)):
            if words[i - 1] in self.foreign_modifiers:
                break  # "iranian army" is not the head "army"
            head = " ".join(words[i:])
            if len(head) >= 4 and head in amap:
                return amap[head]
        for j in range(len(words) - 1):  # "(top) taliban commander anas haqqani"
            if j and words[j - 1] in self.foreign_modifiers:
                break
            for i in range(len(words) - 1, j, -1):
                lead = " ".join(words[j:i])
                if len(lead) >= 4 and amap.get(lead) is not None and words[i] in self.role_words:
                    return amap[lead]
        if any(w in self.foreign_modifiers for w in words[:-1]):
            return None  # "british government": a foreign actor the book does not list
        best, hit = 0, None
        for pattern, actor_id in amap.patterns:
            m = pattern.search(norm)
            if m and len(m.group(0)) > best:
                best, hit = len(m.group(0)), actor_id
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
    if not isinstance(record.get("proper", False), bool):
        raise ConfigError(f"{where} ({record['id']}): proper must be true or false")
    armed_as = record.get("armed_as")
    if armed_as is not None and not isinstance(armed_as, str):
        raise ConfigError(f"{where} ({record['id']}): armed_as must be an actor id")
    try:
        patterns = tuple(re.compile(p) for p in record.get("patterns", []) or [])
    except re.error as exc:
        raise ConfigError(f"{where} ({record['id']}): bad pattern ({exc})") from exc
    aliases = [str(a) for a in record.get("aliases", []) or []] + [str(record["name"])]
    actor = Actor(id=str(record["id"]), name=str(record["name"]), inter=inter,
                  country=record.get("country"))
    norm = tuple(dict.fromkeys(n for n in (normalise_actor_text(a) for a in aliases) if n))
    surface = tuple(a for a in aliases if len(a) >= 3 or a.isupper())
    return _Entry(actor, kind, norm, patterns, where, surface, bool(record.get("proper", False)),
                  armed_as)


def _parse_timeline(record: Any, where: str) -> _Timeline:
    """Checks: ids; eras ordered, the first open and every later one with an ISO ``from``
    date after the previous; every group maps every era (an actor id or null) and an
    alias sits in one group only."""
    if not isinstance(record, dict) or not record.get("id"):
        raise ConfigError(f"{where}: expected a mapping with id, eras, aliases")
    tid = str(record["id"])
    eras: list[tuple[str, dt.date | None]] = []
    for k, era in enumerate(record.get("eras") or []):
        if not isinstance(era, dict) or not era.get("id"):
            raise ConfigError(f"{where} ({tid}): eras[{k}] needs an id")
        start = era.get("from")
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError as exc:
                raise ConfigError(f"{where} ({tid}): era '{era['id']}' from {start!r} "
                                  "is not an ISO date") from exc
        if (start is None) != (k == 0) or (start is not None and not isinstance(start, dt.date)):
            raise ConfigError(f"{where} ({tid}): era '{era['id']}': only the first era is "
                              "open; every later one needs a 'from' date")
        prev = eras[-1][1] if eras else None
        if start is not None and prev is not None and start <= prev:
            raise ConfigError(f"{where} ({tid}): era '{era['id']}' starts {start}, not after "
                              f"the previous era ({prev})")
        eras.append((str(era["id"]), start))
    if len(eras) < 2 or len({e for e, _ in eras}) != len(eras):
        raise ConfigError(f"{where} ({tid}): needs two or more eras with distinct ids")
    era_ids = {e for e, _ in eras}
    groups: list[tuple[tuple[str, ...], Mapping[str, str | None]]] = []
    surface: list[str] = []
    patterns: list[tuple[re.Pattern[str], Mapping[str, str | None]]] = []
    seen: set[str] = set()
    for k, group in enumerate(record.get("aliases") or []):
        if not isinstance(group, dict) or not group.get("aliases") or not isinstance(
                group.get("actor"), dict):
            raise ConfigError(f"{where} ({tid}): aliases[{k}] needs 'aliases' and an "
                              "'actor' mapping (era -> actor id or null)")
        by_era = {str(e): (None if a is None else str(a)) for e, a in group["actor"].items()}
        if set(by_era) != era_ids:
            raise ConfigError(f"{where} ({tid}): aliases[{k}] must name the actor of every era "
                              f"{sorted(era_ids)} (null for none), got {sorted(by_era)}")
        raw = [str(a) for a in group["aliases"]]
        norm = tuple(dict.fromkeys(n for n in (normalise_actor_text(a) for a in raw) if n))
        if dup := seen & set(norm):
            raise ConfigError(f"{where} ({tid}): alias(es) {sorted(dup)} in two groups")
        seen |= set(norm)
        groups.append((norm, by_era))
        surface += [a for a in raw if len(a) >= 3 or a.isupper()]
        try:
            patterns += [(re.compile(p), by_era) for p in group.get("patterns") or []]
        except re.error as exc:
            raise ConfigError(f"{where} ({tid}): aliases[{k}]: bad pattern ({exc})") from exc
    return _Timeline(tid, tuple(eras), tuple(groups), tuple(surface), where, tuple(patterns))


@functools.lru_cache(maxsize=8)
def _default_book(books: tuple[Path, ...], env_value: str) -> ActorBook:
    extra = [p for p in env_value.split(os.pathsep) if p.strip()]
    return ActorBook.load([*books, *extra], include_default=False)


def resolve_actor(text: str, on: dt.date | None = None) -> Actor | None:
    """Resolve an actor phrase with the default book as of the day ``on`` (the mention's
    date, else the article's; None: undated, the first era); None for unknown text."""
    return ActorBook.default().resolve(text, on)


def resolver_on(on: dt.date | None) -> Callable[[str], Actor | None]:
    """A one-argument resolver fixed to the day ``on``, for callers that take
    ``Callable[[str], Actor | None]`` (e.g. :func:`sitrep.extract.arguments.find_actors`)."""
    return functools.partial(resolve_actor, on=on)


def interaction_code(inter1: int | None, inter2: int | None = None) -> int:
    """ACLED's ``interaction``: the two inter codes, smaller digit first (1 and 3 -> 13);
    a one-sided event is the code times ten (6 -> 60); no actor -> 0."""
    codes: Sequence[int] = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return 0
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]
