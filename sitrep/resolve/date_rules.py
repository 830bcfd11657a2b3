"""The rules behind :func:`sitrep.resolve.dates.resolve_date`, one function per phrasing.

Each rule takes the normalised expression with its context (:class:`Ctx`) and
returns ``(start, end, precision, basis, flags)`` or ``None`` when the phrasing is
not its own. :data:`RULES` fixes their order; the module docstring of
``sitrep.resolve.dates`` explains the contextual rules (reference day, weekday
contradicting its date, "X comes N days after Y").
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitrep.errors import ConfigError
from sitrep.model import DateRef, Precision
from sitrep.profile import active_profile
from sitrep.wordfile import read_yaml

_WORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "date_words.yaml"
_D = dt.timedelta
_PARTS = {"start", "end", "early", "mid", "late"}


@dataclass(frozen=True, slots=True)
class DateWords:
    """The checked content of ``sitrep/data/date_words.yaml``."""

    months: tuple[tuple[str, ...], ...]  # calendar order, full name first
    weekdays: tuple[str, ...]
    numbers: Mapping[str, int]
    units: tuple[str, ...]
    day_parts: tuple[str, ...]
    month_qualifiers: Mapping[str, str]  # phrase -> start | end | early | mid | late
    future_patterns: tuple[str, ...]
    comes_after_verbs: tuple[str, ...]
    comes_after_adverbs: tuple[str, ...]
    approximate_offsets: tuple[str, ...]
    event_phase_ordinals: Mapping[str, int]  # 'the first day of <event>' -> days after it
    deictic_days: Mapping[str, int]
    beyond: tuple[str, ...]  # 'just over', 'more than' before 'N weeks ago': earlier than that
    detect_patterns: tuple[str, ...]  # with %NAME% placeholders, see detect_patterns()


def load_words(path: Path = _WORDS_FILE) -> DateWords:
    """Load and check the date vocabulary; a missing key or a bad entry raises ConfigError."""
    where = path.name
    data = read_yaml(path, "date vocabulary")

    def words(value: object, key: str, n: int | None = None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or (n is not None and len(value) != n) or not all(
                isinstance(w, str) and w.strip() and w == w.lower() for w in value):
            size = f"{n} " if n else "a non-empty list of "
            raise ConfigError(f"{where}: {key!r} must be {size}lower-case strings")
        return tuple(value)

    def table(key: str, low: int, high: int) -> dict[str, int]:
        value = data.get(key)
        if not isinstance(value, dict) or not value or not all(
                isinstance(k, str) and k == k.lower() and isinstance(v, int) and low <= v <= high
                for k, v in value.items()):
            raise ConfigError(f"{where}: {key!r} must map lower-case words to numbers in {low}..{high}")
        return dict(value)

    months = data.get("months")
    if not isinstance(months, list) or len(months) != 12:
        raise ConfigError(f"{where}: 'months' must list the 12 months")
    quals = data.get("month_qualifiers")
    if not isinstance(quals, dict) or not quals or not all(
            isinstance(k, str) and k == k.lower() and v in _PARTS for k, v in quals.items()):
        raise ConfigError(f"{where}: 'month_qualifiers' must map phrases to one of {sorted(_PARTS)}")
    out = DateWords(
        months=tuple(words(m, "months") for m in months),
        weekdays=words(data.get("weekdays"), "weekdays", 7),
        numbers=table("numbers", 1, 1000),
        units=words(data.get("units"), "units"),
        day_parts=words(data.get("day_parts"), "day_parts"),
        month_qualifiers=dict(quals),
        future_patterns=words(data.get("future_patterns"), "future_patterns"),
        comes_after_verbs=words(data.get("comes_after_verbs"), "comes_after_verbs"),
        comes_after_adverbs=words(data.get("comes_after_adverbs"), "comes_after_adverbs"),
        approximate_offsets=words(data.get("approximate_offsets"), "approximate_offsets"),
        event_phase_ordinals=table("event_phase_ordinals", 0, 30),
        deictic_days=table("deictic_days", -7, 7),
        beyond=words(data.get("beyond"), "beyond"),
        detect_patterns=_patterns(data.get("detect_patterns"), where),
    )
    for key in ("future_patterns", "comes_after_verbs"):
        for pattern in getattr(out, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{where}: {key}: bad pattern {pattern!r}: {exc}") from exc
    return out


def _patterns(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p.strip() for p in value):
        raise ConfigError(f"{where}: 'detect_patterns' must be a non-empty list of regexes")
    for p in value:
        unknown = set(re.findall(r"%([A-Z_]+)%", p)) - _PLACEHOLDERS
        if unknown:
            raise ConfigError(f"{where}: detect_patterns: unknown placeholder(s) {sorted(unknown)} in {p!r}")
    return tuple(value)


_PLACEHOLDERS = {"WD", "MON", "MON_FULL", "DAY", "YEAR", "NUM", "UNIT", "PART", "QUAL", "TIME", "PHASE",
                 "BEYOND"}
WORDS = load_words()
MONTHS = {name: i for i, names in enumerate(WORDS.months, start=1) for name in names}
WEEKDAYS = {d: i for i, d in enumerate(WORDS.weekdays)}
NUMBERS = dict(WORDS.numbers)
QUALIFIERS = dict(WORDS.month_qualifiers)
DEICTIC = dict(WORDS.deictic_days)

MON = ("(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?![a-z])")
MON_FULL = ("(?:" + "|".join(m[0] for m in WORDS.months)
            + ")(?![a-z])")  # a bare "Jan" is a name (Jan Khakriwal), not a month
WD = "(?:" + "|".join(WORDS.weekdays) + ")"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
NUM = r"(?:\d+(?:\s*-\s*\d+)?|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + ")"
UNIT = "(?:" + "|".join(f"{u}s?" for u in WORDS.units) + ")"
PART = "(?:" + "|".join(WORDS.day_parts) + ")"
QUAL = "(?:" + "|".join(QUALIFIERS) + ")"
PHASE = "(?:" + "|".join(WORDS.event_phase_ordinals) + ")"
BEYOND = "(?:" + "|".join(w.replace(" ", r"\s+") for w in WORDS.beyond) + ")"
TIME = (r"(?:(?:around|about|at)\s+)?\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
        r"(?:\s+local time)?")

Result = tuple[dt.date, dt.date, Precision, str, tuple[str, ...]]


def detect_patterns(words: DateWords = WORDS) -> list[re.Pattern[str]]:
    """The finder's patterns (``detect_patterns`` of ``date_words.yaml``), placeholders filled
    with this module's alternations and compiled case-insensitively; a bad one raises."""
    names = {"WD": WD, "MON": MON, "MON_FULL": MON_FULL, "DAY": DAY, "YEAR": YEAR, "NUM": NUM,
             "UNIT": UNIT, "PART": PART, "QUAL": QUAL, "TIME": TIME, "PHASE": PHASE,
             "BEYOND": BEYOND}
    out = []
    for template in words.detect_patterns:
        pattern = re.sub(r"%([A-Z_]+)%", lambda m: names[m[1]], template)
        try:
            out.append(re.compile(pattern, re.I))
        except re.error as exc:
            raise ConfigError(f"date_words.yaml: detect_patterns: bad pattern {template!r}: {exc}") from exc
    return out

_FUTURE = re.compile(r"\b(?:" + "|".join(WORDS.future_patterns) + r")\b(?=[^.;!?]*$)", re.I)
APPROXIMATE = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS.approximate_offsets)) + r")\s+$", re.I)
PLUPERFECT = re.compile(
    r"\bhad\s+(?:not\s+|already\s+|\w+ly\s+)?(?:been|\w+(?:ed|en|t))\b", re.I)
COMES_AFTER = re.compile(
    r"\b(?:" + "|".join(WORDS.comes_after_verbs) + r")\s+(?:(?:" + "|".join(WORDS.comes_after_adverbs)
    + r")\s+)?$", re.I)


#: resolves a nested expression: (text, published, sentence, anchors, depth, prefer_future)
Resolver = Callable[[str, dt.date | None, str, Mapping[str, dt.date], int, bool], DateRef | None]
#: finds the date expressions of a sentence (character spans)
Finder = Callable[[str], Sequence[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Ctx:
    """A normalised expression and what it can be resolved against.

    ``resolve`` and ``find`` are the resolver's own entry points, handed to the rules
    (so that nested expressions — "since X", the sentence's other dates — are resolved
    the same way without the rules importing :mod:`sitrep.resolve.dates`)."""

    text: str
    raw: str
    published: dt.date | None
    sentence: str
    anchors: Mapping[str, dt.date]
    depth: int
    resolve: Resolver
    find: Finder
    prefer_future: bool = False  # set by "by X" / "until X"
    story_day: dt.date | None = None  # the last explicit day the story told of (for 'the same day')


@dataclass(frozen=True, slots=True)
class Anchor:
    date: dt.date
    kind: str  # event | period_start
    patterns: tuple[re.Pattern[str], ...]
    snap_days: int = 0


def default_anchors() -> tuple[Anchor, ...]:
    """The historical reference dates of the active conflict profile (its
    ``date_anchors`` files; ``sitrep/data/date_anchors.yaml`` for afghanistan-2021)."""
    return _anchors_in(active_profile().date_anchors)


@functools.cache
def _anchors_in(files: tuple[Path, ...]) -> tuple[Anchor, ...]:
    return tuple(anchor for f in files for anchor in _read_anchors(f))


def _read_anchors(path: Path) -> tuple[Anchor, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(
        Anchor(
            date=a["date"] if isinstance(a["date"], dt.date) else dt.date.fromisoformat(a["date"]),
            kind=a.get("kind", "event"),
            patterns=tuple(re.compile(p, re.I) for p in a.get("patterns", ())),
            snap_days=int(a.get("snap_days", 0)),
        )
        for a in data.get("anchors", ())
    )


# ---------------------------------------------------------------- small helpers


def number(s: str) -> int | None:
    """'three' -> 3, '24-48' -> 48 (the upper bound of a spread)."""
    s = s.strip()
    if s in NUMBERS:
        return NUMBERS[s]
    nums = re.findall(r"\d+", s)
    return max(int(n) for n in nums) if nums else None


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def add_years(d: dt.date, n: int) -> dt.date:
    return add_months(d, 12 * n)


def _month_no(token: str) -> int | None:
    return MONTHS.get(token.rstrip(".")[:3] if token[:4] != "sept" else "sept")


def _day_no(token: str) -> int:
    return int(re.match(r"\d+", token).group(0))  # type: ignore[union-attr]


def context_of(ctx: Ctx) -> str:
    return ctx.sentence or ctx.raw


def is_future(ctx: Ctx) -> bool:
    """A future auxiliary ("will", "would", "is expected to") shortly before the
    expression in its sentence, with no sentence break in between, or a deadline
    noun right after it ("the September deadline")."""
    if ctx.prefer_future:
        return True
    pos = ctx.sentence.lower().find(ctx.raw.lower()) if ctx.sentence else -1
    before = ctx.sentence[max(0, pos - 60):pos] if pos >= 0 else ""
    after = ctx.sentence[pos + len(ctx.raw):pos + len(ctx.raw) + 12] if pos >= 0 else ""
    return bool(_FUTURE.search(before + " " + ctx.raw.split(" ")[0])
                or re.match(r"\s*(?:deadline|target date)\b", after, re.I))


def _qualified(y: int, m: int, qual: str | None) -> tuple[dt.date, dt.date, Precision, str]:
    """A month, or the part a qualifier names (``QUALIFIERS``): its first / last week, or
    its early (1-10) / mid (11-20) / late (21-end) part."""
    end = month_end(y, m)
    part = QUALIFIERS.get(qual) if qual else None
    if part is None:
        return dt.date(y, m, 1), end, "month", "month"
    if part == "start":
        return dt.date(y, m, 1), dt.date(y, m, 7), "range", "first week of the month"
    if part == "end":
        return end - _D(days=6), end, "range", "last week of the month"
    if part == "early":
        return dt.date(y, m, 1), dt.date(y, m, 10), "range", "early part of the month (1-10)"
    if part == "mid":
        return dt.date(y, m, 11), dt.date(y, m, 20), "range", "middle of the month (11-20)"
    return dt.date(y, m, 21), end, "range", "late part of the month (21-end)"


def resolve_sub(ctx: Ctx, text: str, *, prefer_future: bool = False) -> DateRef | None:
    """A nested expression ("May" in "since May"), resolved one level deeper."""
    return ctx.resolve(text, ctx.published, ctx.sentence, ctx.anchors, ctx.depth + 1,
                       prefer_future or ctx.prefer_future)


def sentence_ref(ctx: Ctx) -> dt.date | None:
    """The day of the nearest other date expression in the sentence (day or short range)."""
    if ctx.depth > 0 or not ctx.sentence:
        return None
    pos = ctx.sentence.lower().find(ctx.raw.lower())
    own = (pos, pos + len(ctx.raw)) if pos >= 0 else (-1, -1)
    best: tuple[int, dt.date] | None = None
    for s, e in ctx.find(ctx.sentence):
        if s < own[1] and e > own[0]:
            continue
        ref = resolve_sub(ctx, ctx.sentence[s:e])
        if ref is None or (ref.interval.end - ref.interval.start).days > 31:
            continue
        if ref.interval.precision not in ("day", "range"):
            continue
        dist = abs(s - own[0]) if pos >= 0 else s
        if best is None or dist < best[0]:
            best = (dist, ref.interval.end)
    return best[1] if best else None


def reference_day(ctx: Ctx, *, cap: bool = True, pluperfect: bool = False,
               ) -> tuple[dt.date, str, tuple[str, ...]]:
    """The day a window / 'since' / duration ends on (see the dates module docstring)."""
    assert ctx.published is not None
    ref = sentence_ref(ctx)
    if ref is not None:
        if cap and ref > ctx.published:
            ref = ctx.published
        return ref, "ending on the sentence's date", ()
    if pluperfect and PLUPERFECT.search(context_of(ctx)):
        return (ctx.published - _D(days=1), "pluperfect sentence: ending the day before publication",
                ("approximate",))
    return ctx.published, "ending on the publication date", ()


def _year_for(month: int, day: int, pub: dt.date, future: bool) -> dt.date | None:
    """The year of a month-day without year: the latest one not after publication
    (+31 days of slack), or the first one not before it when the sentence is future."""
    cands = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cands.append(dt.date(y, month, day))
        except ValueError:
            continue
    if future:
        ok = [c for c in cands if c >= pub - _D(days=1)]
        return min(ok) if ok else None
    ok = [c for c in cands if c <= pub + _D(days=31)]
    return max(ok) if ok else None


def _check_weekday(d: dt.date, wd: int, ctx: Ctx, basis: str) -> Result:
    if d.weekday() == wd:
        return d, d, "day", basis + ", weekday agrees", ()
    back, fwd = (d.weekday() - wd) % 7, (wd - d.weekday()) % 7
    w = d - _D(days=back) if back <= fwd else d + _D(days=fwd)
    flags = ("weekday-contradicts-date",)
    name = calendar.day_name[wd]
    word = WORDS.weekdays[wd]
    # the weekday wins when the sentence names it again ('That same Wednesday') or when the
    # date would put a reported day after publication; otherwise the day number, the more
    # specific of the two, is kept
    rest = ctx.sentence.lower().replace(ctx.raw.lower(), " ", 1)
    confirmed = re.search(rf"\b{word}\b", rest) is not None
    future_date = not is_future(ctx) and d > ctx.published if ctx.published is not None else False
    if ctx.published is not None and (confirmed or future_date) and (w <= ctx.published or is_future(ctx)):
        return w, w, "day", f"{name} nearest {d.isoformat()} (on/before publication) kept", flags
    return d, d, "day", f"date kept; {name} contradicts it", flags


# ---------------------------------------------------------------- rules: absolute

_RE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RE_FULL = re.compile(
    rf"^(?:({WD}) )?(?:({MON}) ({DAY})|({DAY}) (?:of )?({MON})) ({YEAR})$")
_RE_MONTH_YEAR = re.compile(rf"^(?:({QUAL})[ -]?)?({MON}) ({YEAR})$")
_RE_YEAR = re.compile(rf"^(?:({QUAL})[ -]?)?({YEAR})$")


def r_iso(ctx: Ctx) -> Result | None:
    m = _RE_ISO.match(ctx.text)
    if not m:
        return None
    try:
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return d, d, "day", "explicit ISO date", ()


def r_full_date(ctx: Ctx) -> Result | None:
    m = _RE_FULL.match(ctx.text)
    if not m:
        return None
    month = _month_no(m[2] or m[5])
    if month is None:
        return None
    try:
        d = dt.date(int(m[6]), month, _day_no(m[3] or m[4]))
    except ValueError:
        return None
    if m[1]:
        return _check_weekday(d, WEEKDAYS[m[1]], ctx, "explicit date")
    return d, d, "day", "explicit date", ()


def r_month_year(ctx: Ctx) -> Result | None:
    m = _RE_MONTH_YEAR.match(ctx.text)
    month = _month_no(m[2]) if m else None
    if not m or month is None:
        return None
    start, end, prec, basis = _qualified(int(m[3]), month, m[1])
    return start, end, prec, f"explicit {basis}", ()


def r_year(ctx: Ctx) -> Result | None:
    m = _RE_YEAR.match(ctx.text)
    if not m:
        return None
    y, qual = int(m[2]), m[1]
    if not qual:
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "explicit year", ()
    part = QUALIFIERS.get(qual)
    if part == "mid":
        return dt.date(y, 4, 1), dt.date(y, 9, 30), "range", "middle of the year (Apr-Sep)", ()
    if part in ("late", "end"):
        return dt.date(y, 10, 1), dt.date(y, 12, 31), "range", "late in the year (Oct-Dec)", ()
    return dt.date(y, 1, 1), dt.date(y, 3, 31), "range", "early in the year (Jan-Mar)", ()


def r_years_span(ctx: Ctx) -> Result | None:
    """'1996-2001', 'from 1996 to 2001', 'between 1996 and 2001', 'the 1990s'."""
    m = re.match(rf"^(?:from |between )?({YEAR}) ?(?:-|–|to|and|until) ?({YEAR})$", ctx.text)
    if m and int(m[1]) <= int(m[2]):
        return (dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31), "range",
                "span of explicit years", ())
    m = re.match(r"^(?:the )?(early |mid-?|late )?((?:1[89]|20)\d)0s$", ctx.text)
    if not m:
        return None
    first, last = int(m[2]) * 10, int(m[2]) * 10 + 9
    if m[1]:
        q = m[1].strip(" -")
        first, last = {"early": (first, first + 3), "mid": (first + 3, first + 6),
                       "late": (first + 6, last)}[q]
    return dt.date(first, 1, 1), dt.date(last, 12, 31), "range", "decade", ()


# ---------------------------------------------------------------- rules: wrappers


def r_since(ctx: Ctx) -> Result | None:
    m = re.match(r"^since (.+)$", ctx.text)
    if not m or ctx.published is None:
        return None
    inner = resolve_sub(ctx, m[1])
    if inner is None:
        return None
    end, basis, flags = reference_day(ctx)
    return inner.interval.start, end, "range", f"since {inner.basis}, {basis}", flags


def r_day_span(ctx: Ctx) -> Result | None:
    """'from Oct. 1 to Nov. 9', 'between June 1 and 20': the days from the first to the
    last (a bare day number after the month of the first is in that month)."""
    m = re.match(rf"^(?:from |between )?((?:{MON}) \d{{1,2}}|\d{{1,2}} (?:of )?(?:{MON}))"
                 r" ?(?:to|until|till|through|and|-|–) ?(.+)$", ctx.text)
    if not m or ctx.published is None:
        return None
    first = resolve_sub(ctx, m[1])
    if first is None:
        return None
    last_text = m[2]
    if re.fullmatch(r"\d{1,2}", last_text):
        try:
            day = first.interval.start.replace(day=int(last_text))
        except ValueError:
            return None
        end = day
    else:
        last = resolve_sub(ctx, last_text)
        if last is None:
            return None
        end = last.interval.end
    if end < first.interval.start:
        return None
    return first.interval.start, end, "range", f"from {first.basis} to {last_text}", ()


def r_by(ctx: Ctx) -> Result | None:
    """'by September 11', 'until August 31': the date as written, read forward in time."""
    m = re.match(r"^(?:by|until|till|before) (?!the end)(.+)$", ctx.text)
    if not m:
        return None
    inner = resolve_sub(ctx, m[1], prefer_future=True)
    if inner is None:
        return None
    iv = inner.interval
    return iv.start, iv.end, iv.precision, f"deadline: {inner.basis}", inner.flags


def r_start_of(ctx: Ctx) -> Result | None:
    m = re.match(r"^(?:the )?(?:start|beginning) of (?:the |this )?(week|month|year)$", ctx.text)
    if not m or ctx.published is None:
        return None
    pub = ctx.published
    if m[1] == "week":
        first = pub - _D(days=pub.weekday())
        return first, first + _D(days=1), "range", "start of the publication week", ()
    if m[1] == "month":
        return pub.replace(day=1), pub.replace(day=7), "range", "first week of the month", ()
    return (dt.date(pub.year, 1, 1), dt.date(pub.year, 3, 31), "range",
            "start of the year (Jan-Mar)", ())


def r_end_of(ctx: Ctx) -> Result | None:
    m = re.match(rf"^(by |until |before )?(?:the )?end of (?:the |this )?({MON}|month|week|year)"
                 rf"(?: ({YEAR}))?$", ctx.text)
    if not m:
        return None
    pub, unit = ctx.published, m[2]
    if unit in ("month", "week", "year"):
        if pub is None:
            return None
        end = {"month": month_end(pub.year, pub.month),
               "week": pub + _D(days=6 - pub.weekday()), "year": dt.date(pub.year, 12, 31)}[unit]
    else:
        month = _month_no(unit)
        if month is None:
            return None
        if m[3]:
            year = int(m[3])
        elif pub is not None and m[1]:  # a deadline: the month end nearest to publication
            year = min((pub.year - 1, pub.year, pub.year + 1),
                       key=lambda y: abs((month_end(y, month) - pub).days))
        elif pub is not None:  # a report tells the past: the latest such month up to publication
            year = pub.year if month <= pub.month else pub.year - 1
        else:
            return None
        if not m[1]:
            start, end, prec, basis = _qualified(year, month, "end of")
            return start, end, prec, basis, ()
        end = month_end(year, month)
    return end, end, "day", f"last day of the {unit}", ()


def r_this_period(ctx: Ctx) -> Result | None:
    m = re.match(r"^(later|earlier) (this|that|the same) (day|week|month|year)$", ctx.text)
    if not m or ctx.published is None:
        return None
    pub, unit = ctx.published, m[3]
    if unit == "day":
        ref, basis, flags = reference_day(ctx)
        return ref, ref, "day", f"same day as the reference, {basis}", flags
    first = {"week": pub - _D(days=pub.weekday()), "month": pub.replace(day=1),
             "year": dt.date(pub.year, 1, 1)}[unit]
    last = {"week": first + _D(days=6), "month": month_end(pub.year, pub.month),
            "year": dt.date(pub.year, 12, 31)}[unit]
    if m[1] == "later":
        return pub + _D(days=1), last, "range", f"rest of the {unit} after publication", ()
    return first, pub - _D(days=1), "range", f"{unit} so far before publication", ()


# ---------------------------------------------------------------- rules: named days

_RE_WEEKDAY = re.compile(
    rf"^(?:(this|last|next|that same|the same|same|early|late|that) )?({WD})(?: {PART})?"
    rf"(?: (?:({MON}) ({DAY})|({DAY}) (?:of )?({MON})))?$")
_RE_MONTH_DAY = re.compile(rf"^(?:the )?(?:({MON}) ({DAY})|({DAY}) (?:of )?({MON}))$")
_RE_MONTH = re.compile(rf"^(?:({QUAL})[ -]?)?({MON})$")


def r_weekday(ctx: Ctx) -> Result | None:
    m = _RE_WEEKDAY.match(ctx.text)
    if not m or ctx.published is None:
        return None
    pub, wd, qual = ctx.published, WEEKDAYS[m[2]], m[1]
    night = ctx.text.split(" ")[-1] == "night"
    if m[3] or m[5]:
        month = _month_no(m[3] or m[6])
        if month is None:
            return None
        day = _day_no(m[4] or m[5])
        d = _year_for(month, day, pub, is_future(ctx))
        if d is None:
            return None
        if d.weekday() != wd:  # another year where weekday and date agree, near publication
            for y in (pub.year - 1, pub.year, pub.year + 1):
                try:
                    c = dt.date(y, month, day)
                except ValueError:
                    continue
                if c.weekday() == wd and pub - _D(days=300) <= c <= pub + _D(days=31):
                    d = c
        return _check_weekday(d, wd, ctx, "weekday and date, year from publication")
    back = (pub.weekday() - wd) % 7
    if qual == "this":
        d = pub - _D(days=pub.weekday()) + _D(days=wd)
        return d, d, "day", "named weekday of the publication week", ()
    if qual == "next" or (qual is None and is_future(ctx)):
        d = pub + _D(days=(wd - pub.weekday()) % 7 or 7)
        return d, d, "day", "first such weekday after publication", ()
    if qual == "last":
        back = back or 7
    d = pub - _D(days=back)
    if night:
        return d, d + _D(days=1), "range", "night of the most recent such weekday", ()
    return d, d, "day", "most recent such weekday on/before publication", ()


def r_weekend(ctx: Ctx) -> Result | None:
    m = re.match(r"^(?:over |during |at )?(?:the|this|last) weekend$", ctx.text)
    if not m or ctx.published is None:
        return None
    pub = ctx.published
    sunday = pub - _D(days=(pub.weekday() - 6) % 7)
    if ctx.text.startswith("last") and pub.weekday() >= 5:
        sunday -= _D(days=7)
    sat = sunday - _D(days=1)
    return sat, sunday, "range", "most recent weekend on/before publication", ()


def story_day(ctx: Ctx) -> dt.date | None:
    """The day an anaphoric 'the same day' / 'the next day' refers back to when its sentence
    has no other date: the last explicit day the story told of (never after publication)."""
    if ctx.depth > 0 or ctx.story_day is None or sentence_ref(ctx) is not None:
        return None
    return ctx.story_day if ctx.published is None or ctx.story_day <= ctx.published else None


def r_next_day(ctx: Ctx) -> Result | None:
    """'the next day', 'a day later': only with another date in the sentence or the story."""
    m = re.match(r"^(?:the )?(?:next|following) (?:day|morning|night)$|^a day later$", ctx.text)
    if not m or ctx.published is None:
        return None
    ref = sentence_ref(ctx) or story_day(ctx)
    if ref is None:
        return None
    d = ref + _D(days=1)
    return d, d, "day", "the day after the sentence's or story's date", ()


def event_anchor(ctx: Ctx, text: str) -> dt.date | None:
    low = text.lower()
    for key, date in ctx.anchors.items():
        if key.lower() in low:
            return date
    for anchor in default_anchors():
        if anchor.kind == "event" and any(p.search(text) for p in anchor.patterns):
            return anchor.date
    return None


#: a date read off a well-known event ('the first day of its invasion'): a reference point,
#: which the sentences after it do not inherit as the story's day
ANCHORED_FLAG = "event-anchor"
_RE_PHASE = re.compile(rf"^the ({PHASE}) (day|hours?|days|weeks?) of .+$")


def r_event_phase(ctx: Ctx) -> Result | None:
    """'the first day of its invasion', 'the first hours of the full-scale war': a day (or the
    first week) counted from a well-known event of the profile's date anchors; not dated
    without one (the offensive of the story is no anchor)."""
    m = _RE_PHASE.match(ctx.text)
    if not m:
        return None
    known = event_anchor(ctx, ctx.raw)
    if known is None:
        return None
    d = known + _D(days=WORDS.event_phase_ordinals[m[1]])
    if m[2] in ("day", "hour", "hours"):
        return d, d, "day", f"the {m[1]} {m[2]} of a known event ({known.isoformat()})", (ANCHORED_FLAG,)
    return d, d + _D(days=6), "week", f"the {m[1]} {m[2]} of a known event ({known.isoformat()})", (ANCHORED_FLAG,)


def r_month_day(ctx: Ctx) -> Result | None:
    m = _RE_MONTH_DAY.match(ctx.text)
    if not m:
        return None
    month = _month_no(m[1] or m[4])
    if month is None:
        return None
    day = _day_no(m[2] or m[3])
    known = event_anchor(ctx, context_of(ctx))
    if known is not None and (known.month, known.day) == (month, day):
        return known, known, "day", "known event on that day", ()
    if ctx.published is None:
        return None
    d = _year_for(month, day, ctx.published, is_future(ctx))
    if d is None:
        return None
    return d, d, "day", "month and day, year from publication", ()


def r_month(ctx: Ctx) -> Result | None:
    m = _RE_MONTH.match(ctx.text)
    if not m or ctx.published is None:
        return None
    month = _month_no(m[2])
    if month is None or not re.fullmatch(MON_FULL, m[2]) or (
            m[2] in ("may", "march") and ctx.depth == 0 and m[2].capitalize() not in ctx.raw):
        return None
    pub = ctx.published
    if is_future(ctx):
        year = pub.year if month >= pub.month else pub.year + 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    start, end, prec, basis = _qualified(year, month, m[1])
    if not is_future(ctx) and start <= pub < end:  # 'in August' written on 10 August: 1-10 August
        return start, pub, prec, f"{basis} up to publication, year from publication", ()
    return start, end, prec, f"{basis}, year from publication", ()
