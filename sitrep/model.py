"""The data contracts of sitrep: every value that flows between stages is one of these.

Stages never pass bare dicts. All records are frozen, slotted dataclasses; each
derived value carries its provenance (article id + character offsets into
``Article.text``) and its precision.

    Article ──nlp/extract/resolve──► Mention ──fuse──► Event ──control──► ControlState
       └───────────────claims──────────────────────────────────────────► Claim

Serialisation: :func:`to_dict` / :func:`from_dict` turn any record into JSON-safe
dicts and back (dates as ISO strings, tuples as lists). The store and the Spark
runner use them, so a record survives a round trip unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

__all__ = [
    "Actor",
    "ActorRef",
    "Article",
    "Claim",
    "ControlState",
    "Controller",
    "DateInterval",
    "DateRef",
    "Event",
    "Evidence",
    "Failure",
    "Mention",
    "Modality",
    "NAMED_BEFORE",
    "NAMED_NEXT",
    "Place",
    "PlaceRef",
    "Precision",
    "Quantity",
    "Span",
    "Status",
    "TOWN_KINDS",
    "UnitLevel",
    "from_dict",
    "stable_id",
    "to_dict",
    "within",
]

Precision = Literal["day", "range", "week", "month", "year"]
Modality = Literal["asserted", "claimed", "denied", "hypothetical", "planned", "negated"]
Status = Literal["reported", "claimed", "disputed", "denied"]
#: a side or state id of the active conflict profile (``taliban``, ``government``,
#: ``contested``... for afghanistan-2021; ``russia``, ``ukraine``... for ukraine-2022):
#: sitrep.profile checks the ids, ``Profile.check_controller`` a value
Controller = str
UnitLevel = Literal["province", "district", "provincial_capital", "city", "border_crossing", "base"]
#: the place kinds that are towns: points that name a whole town (a village, a quarter of
#: it, is more precise); a 'city' or 'town' in a text names one of these
TOWN_KINDS = frozenset({"city", "town", "provincial_capital"})


def within(span: Span, sentence: Span) -> bool:
    """The span lies inside the sentence (article offsets): written in it, not carried in
    from another sentence of the story (an actor, a place)."""
    return sentence.start <= span.start and span.end <= sentence.end


def stable_id(*parts: object, length: int = 16) -> str:
    """A deterministic hex id from the given parts (sha256, truncated)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into ``Article.text`` and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value came from: an article and a character range in its clean text."""

    article_id: str
    start: int
    end: int
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Failure:
    """One input that could not be processed, with a reason a user can act on."""

    source: str
    reason: str
    stage: str = "ingest"


@dataclass(frozen=True, slots=True)
class Article:
    """One news report, cleaned. ``id`` is a content hash of ``text``."""

    id: str
    text: str
    source: str  # file path, "path#item-N" for jsonl/feed items, or the URL fetched
    url: str | None = None
    outlet: str | None = None
    wire: str | None = None  # wire agency credited (AFP, AP, Reuters...)
    title: str | None = None
    language: str | None = None
    published: dt.date | None = None
    published_basis: str = ""  # e.g. "header", "dateline", "weekday+date 'Sunday, July 4'"
    published_confidence: float = 0.0
    duplicate_of: str | None = None  # id of the first-seen article of a syndicated group
    boilerplate: tuple[str, ...] = ()  # lines removed as site chrome


@dataclass(frozen=True, slots=True)
class DateInterval:
    """A closed interval of days with the precision the text supports."""

    start: dt.date
    end: dt.date
    precision: Precision = "day"

    def overlaps(self, other: DateInterval, slack_days: int = 0) -> bool:
        slack = dt.timedelta(days=slack_days)
        return self.start <= other.end + slack and other.start <= self.end + slack


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``geo_precision`` follows ACLED: 1 town, 2 near/district, 3 province."""

    id: str  # e.g. "AF2704" (district pcode), "AF27" (province), "gn:1138958" (GeoNames)
    name: str  # canonical display name
    kind: str  # country | province | district | city | village | base | border_crossing
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    admin1_id: str | None = None  # province pcode, e.g. "AF27" (joins afg_adm1 polygons)
    admin2_id: str | None = None  # district pcode, e.g. "AF2704" (joins afg_adm2 polygons)


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place as written (``span``) and what it resolved to (``place``; None if unknown)."""

    span: Span
    place: Place | None = None
    score: float = 0.0
    #: how the place was read when not off the report's own sentence: :data:`NAMED_NEXT` for a
    #: unit the next sentence names as one of those the report counts, :data:`NAMED_BEFORE`
    #: for one the sentence before listed, :data:`NEAR` for a place the sentence only
    #: locates its event from; "" otherwise
    basis: str = ""


#: :attr:`PlaceRef.basis` of a unit named by the roll call after a tally ('... nine more
#: districts were captured. The districts include Kofab, Argo ...')
NAMED_NEXT = "named by the next sentence's roll call"

#: :attr:`PlaceRef.basis` of a unit the report points back at with a definite plural, listed
#: by the sentence before ('The militias seized A, B and C districts. The Taliban retook the
#: districts on Monday.'); the span is the plural as the report writes it
NAMED_BEFORE = "named by the sentence before's list"

#: :attr:`PlaceRef.basis` of a place the report only locates its event from ('raided a
#: hideout north of Kabul'): the event happened near it, not in it (ACLED geo_precision 2);
#: such a report changes no control of the place
NEAR = "near the place: located only by a bearing from it"


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor with its ACLED name and ``inter`` code (1 state … 8 external)."""

    id: str
    name: str
    inter: int | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ActorRef:
    span: Span
    actor: Actor | None = None


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression (``span`` None when inferred from the publication date)."""

    span: Span | None
    interval: DateInterval
    basis: str = ""  # how it was resolved, e.g. "weekday before published", "explicit"
    flags: tuple[str, ...] = ()  # e.g. ("weekday-contradicts-date",)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its role, e.g. killed=5, prisoners_freed in [100, 999] from 'hundreds'."""

    role: str  # killed | wounded | prisoners_freed | families_displaced | people_displaced |
    #            soldiers_crossed | districts_held | ...
    value: int | None  # the conservative value (ACLED convention: 'dozens' -> 12)
    low: int | None = None
    high: int | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence's report of an event, typed and resolved, with offsets."""

    id: str
    article_id: str
    sentence: Span
    trigger: Span
    event_type: str
    sub_event_type: str
    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    place: PlaceRef | None = None
    date: DateRef | None = None
    numbers: tuple[Quantity, ...] = ()
    modality: Modality = "asserted"
    attribution: str | None = None  # who says so ("district governor Hasti Mohammad")
    confidence: float = 0.5
    #: the sentence recaps an earlier occurrence ("Zaranj, which fell on Friday", "the
    #: sixth capital to fall this week") instead of reporting news of the day: it is
    #: dated by its own expression, and fusion lets it join the known event rather
    #: than open a new one (nor flip control ahead of a day-level report)
    recap: bool = False
    #: the learned typing's log-probabilities of the sub-event types it gives a fair
    #: chance (``typing_model.SCORE_FLOOR``), best first; fusion types an event from all
    #: its reports' scores (``event_values.agreed_types``); empty when no model scored it
    type_scores: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world occurrence, fused from all the mentions that report it."""

    id: str
    date: DateInterval
    event_type: str
    sub_event_type: str
    actor1: Actor | None = None
    actor2: Actor | None = None
    place: Place | None = None
    fatalities: int | None = None  # conservative value
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    status: Status = "reported"
    claimed_by: str | None = None
    confirmed_by: tuple[str, ...] = ()
    mention_ids: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # independent outlets (a syndicated copy is not a new source)
    n_sources: int = 0
    first_reported: dt.date | None = None
    notes: str = ""
    confidence: float = 0.5
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlState:
    """Who holds an administrative unit from ``date`` on, and the events it rests on."""

    unit_id: str
    unit_name: str
    unit_level: UnitLevel
    admin1: str | None
    date: dt.date
    controller: Controller
    confirmed: bool
    event_ids: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """An assertion or statistic attributed to a claimant; never a confirmed fact."""

    id: str
    article_id: str
    claimant: str
    statement: str
    quote: Span
    as_of: dt.date | None = None
    quantity: float | None = None
    unit: str | None = None  # districts | provincial_capitals | civilians_killed | people_displaced ...
    of_total: float | None = None  # '100 of ~400 districts' -> quantity=100, of_total=400
    approximate: bool = False
    disputed_by: tuple[str, ...] = ()
    modality: Modality = "claimed"


# ---------------------------------------------------------------- serialisation

T = TypeVar("T")
_PLAIN = frozenset({str, int, float, bool})
_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names, in order


def to_dict(obj: Any) -> Any:
    """A JSON-safe representation of a record (recursively)."""
    if obj is None or type(obj) in _PLAIN:  # most leaves: returned as they are
        return obj
    names = _FIELDS.get(type(obj))
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELDS[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, Mapping):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is tuple:
        (inner, *_rest) = get_args(tp)
        return tuple(_convert(inner, v) for v in value)
    if origin is Literal:
        return value
    if tp is dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a record written by :func:`to_dict`; unknown keys are ignored."""
    if isinstance(data, cls):
        return data
    hints = _hints(cls)
    kwargs = {
        f.name: _convert(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)

