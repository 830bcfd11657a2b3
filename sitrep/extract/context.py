"""The resolvers mention extraction calls, bundled so they can be swapped.

:func:`sitrep.extract.extract_mentions` needs five collaborators (trigger
typing, place, date and actor resolution, date-expression finding). They are
reached through an :class:`ExtractContext` whose default wires the project's
real modules, imported lazily so that importing :mod:`sitrep.extract` stays
cheap and so tests can pass small hand-built stand-ins instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from spacy.tokens import Span as SpacySpan

from sitrep.model import Actor, DateRef, Place

__all__ = ["ExtractContext", "TriggerLike", "defined_abbreviations"]


class TriggerLike(Protocol):
    """What :func:`sitrep.extract.typing.match_triggers` returns (char offsets in the Doc)."""

    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def event_type(self) -> str: ...
    @property
    def sub_event_type(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def pattern(self) -> str: ...


MatchTriggers = Callable[[SpacySpan], Sequence[TriggerLike]]
ResolvePlace = Callable[..., Place | None]  # (text, *, sentence="", context=None)
ResolveDate = Callable[..., DateRef | None]  # (text, published, *, sentence="", anchors=None, story_day=None)
FindDates = Callable[[str], Sequence[tuple[int, int]]]
ResolveActor = Callable[[str], Actor | None]
ResolveActorOn = Callable[[dt.date | None], ResolveActor]  # the resolver as of a day
MakePlaceContext = Callable[[tuple[Place, ...]], Any]
CapitalOf = Callable[[str], Place | None]  # province pcode -> its capital town


@dataclass(frozen=True, slots=True)
class ExtractContext:
    """Collaborators of mention extraction.

    ``default_loser`` names the actor a territorial capture is taken from when
    the text names no loser: in the 2021 Afghan offensive every district or city
    the Taliban took was held by the Afghan state forces, so ACLED codes them as
    actor2. It is a name looked up in the actor book; :meth:`default` takes it from the
    conflict profile (``captures.default_loser``; None leaves actor2 empty), as its place
    context takes the profile's focus country. ``default_rebel`` likewise names
    whom state forces regain a place from when the text names nobody (the Taliban in 2021;
    after the fall the name resolves to the de facto state, so the slot stays empty).
    ``default_unidentified`` (off by
    default) names ACLED's actor1 for a bombing nobody is named for; it is off because a
    filled-in perpetrator on one report conflicts, at fusion, with another report of the
    same bombing that names one (measured: one corpus event lost when on).
    """

    match_triggers: MatchTriggers
    resolve_place: ResolvePlace
    resolve_date: ResolveDate
    find_date_expressions: FindDates
    resolve_actor: ResolveActor
    make_place_context: MakePlaceContext | None = None
    capital_of: CapitalOf | None = None
    default_loser: str | None = None
    default_unidentified: str | None = None
    default_rebel: str | None = None
    resolve_actor_on: ResolveActorOn | None = None  # who "security forces" are depends on the day

    def with_abbreviations(self, text: str, on: dt.date | None = None) -> ExtractContext:
        """This context with the actor abbreviations ``text`` defines ('the National
        Resistance Front (FTS)', 'Tehreek-e-Taliban Pakistan (TTP)') resolving, in this
        article, to the actor their full name resolves to; itself when it defines none."""
        resolve = self.resolve_actor_on(on) if self.resolve_actor_on is not None else self.resolve_actor
        found = defined_abbreviations(text, resolve)
        if not found:
            return self
        on_day = self.resolve_actor_on
        return replace(self, resolve_actor=_or_abbreviation(self.resolve_actor, found),
                       resolve_actor_on=None if on_day is None else
                       lambda day: _or_abbreviation(on_day(day), found))

    @classmethod
    def default(cls) -> ExtractContext:
        """The project's real resolvers for the active conflict profile (imported on first
        use, cached per process and profile)."""
        from sitrep.profile import active_profile

        return _default_context(active_profile().path)


@lru_cache(maxsize=4)
def _default_context(profile_file: Path) -> ExtractContext:
    from sitrep.extract.typing import match_triggers
    from sitrep.profile import load_profile
    from sitrep.resolve.actors import resolve_actor, resolver_on
    from sitrep.resolve.dates import find_date_expressions, resolve_date
    from sitrep.resolve.gazetteer import Gazetteer
    from sitrep.resolve.places import PlaceContext, resolve_place

    profile = load_profile(profile_file)

    def make_place_context(places: tuple[Place, ...]) -> Any:
        return PlaceContext(focus_country=profile.focus_country, article_places=places)

    return ExtractContext(
        match_triggers=match_triggers,
        resolve_place=_PlaceMemo(resolve_place),
        resolve_date=resolve_date,
        find_date_expressions=find_date_expressions,
        resolve_actor=resolve_actor,
        resolve_actor_on=resolver_on,
        make_place_context=make_place_context,
        capital_of=Gazetteer.default().capital_of,
        default_loser=profile.default_loser,
        default_rebel=profile.default_rebel,
    )



class _PlaceMemo:
    """``resolve_place`` remembering its recent answers (a pure function of its arguments
    within one profile): extraction asks the same question about a sentence's places once
    per trigger and again for the article's focus (17,907 calls, 8,397 distinct, on the
    300 benchmark articles). A context is matched by identity; the entry keeps it alive, so
    its id is not reused while the entry lives. Emptied when it holds ``size`` answers."""

    def __init__(self, resolve: ResolvePlace, size: int = 4096) -> None:
        self.resolve, self.size = resolve, size
        self.memo: dict[tuple[str, str, int], tuple[Any, Place | None]] = {}

    def __call__(self, text: str, *, sentence: str = "", context: Any = None) -> Place | None:
        key = (text, sentence, id(context))
        hit = self.memo.get(key)
        if hit is not None and hit[0] is context:
            return hit[1]
        place = self.resolve(text, sentence=sentence, context=context)
        if len(self.memo) >= self.size:
            self.memo.clear()
        self.memo[key] = (context, place)
        return place


#: a name followed by its abbreviation in brackets: 'National Resistance Front (FTS)'; a
#: hyphen only joins words ('Tehreek-e-Taliban'), and words match possessively, so a long
#: run of capitalised words is read in one pass
_LINK_WORDS = ("of", "the", "for", "and", "al", "e", "i")
_NAME_WORD = rf"(?:[A-Z][\w'’]*+|{'|'.join(_LINK_WORDS)})"
_DEFINED = re.compile(rf"\b({_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,7}})\s+\(([A-Z][A-Z0-9-]{{1,7}})\)"
                      r"(?!\s*[—–-])")  # 'KABUL (AFP) —': a dateline's agency, no definition


def defined_abbreviations(text: str, resolve: ResolveActor) -> dict[str, Actor]:
    """The abbreviations ``text`` defines for actors the book knows by their full name,
    the longest resolving tail of two or more capitalised words before the brackets ('the
    anti-Taliban National Resistance Front (FTS)' -> FTS: the NRF); an abbreviation the book
    already knows keeps its own reading, and one place name before an agency's ('Kabul
    (AFP)', 'Washington (CNN)') defines nothing."""
    out: dict[str, Actor] = {}
    for hit in _DEFINED.finditer(text):
        words, short = hit.group(1).split(), hit.group(2)
        if short in out or resolve(short) is not None:
            continue
        for i in range(len(words)):
            tail = words[i:]
            if sum(w[0].isupper() and w.lower() not in _LINK_WORDS for w in tail) < 2:
                break  # 'Kabul (AFP)', 'The Taliban (AFP)': no name long enough to define
            actor = resolve(" ".join(tail))
            if actor is None:
                continue
            if i + 1 < len(words) and resolve(words[i]) is not None \
                    and resolve(" ".join(words[i + 1:])) is not None:
                continue  # 'anti-Taliban | National Resistance Front': a modifier, not the name
            out[short] = actor
            break
    return out


def _or_abbreviation(resolve: ResolveActor, found: Mapping[str, Actor]) -> ResolveActor:
    def resolver(text: str) -> Actor | None:
        actor = resolve(text)
        if actor is not None:
            return actor
        words = text.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        return found.get(" ".join(words))
    return resolver
