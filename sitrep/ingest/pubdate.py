"""When an article was published, how we know, and how sure we are.

Evidence, strongest first:

1. metadata: a header ``Date:``, HTML ``article:published_time``, a JSON ``published``
   field, a feed ``pubDate`` (``basis`` names it, confidence 0.95);
2. a dateline: "KABUL, July 4 (AFP) -" (0.9);
3. reasoning from the text (0.4-0.85):
   - day-precise dates in the body ("Sunday, July 4", "this Thursday morning, July 8",
     "on Wednesday (July 7th)", "26 July 2021", "May 1"). Dates without a year take
     the one year in which their weekdays hold, nearest the *context year* (the latest
     year the text mentions, else the reference window ending at ``reference``).
     A weekday that contradicts its date ("Wednesday July 8" when 8 July is a
     Thursday) is resolved from the other evidence and never votes for a year.
     Dates after "by", "until", "scheduled for" are plans, not news, and are skipped.
     The publication date is the latest reported day;
   - bare weekday names ("on Sunday", "this Friday") resolve next to that day, or,
     with no explicit date at all, next to a landmark event the text reports
     (``data/news_anchors.yaml``: "the fall of Ghazni" => on/after 12 Aug 2021), or
     before a page stamp.
   A lone date line removed as page chrome ("July 26, 2021") is a crawl/page stamp:
   it only gives a year and an upper bound, and wins only when nothing else is known.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.profile import active_profile
from sitrep.wordfile import read_yaml

__all__ = ["PubDate", "infer_published", "parse_declared_date"]

_MONTH_NUM = {m: i for i, ms in enumerate(
    [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
     ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sept", "Sep"),
     ("October", "Oct"), ("November", "Nov"), ("December", "Dec")], start=1) for m in ms}
_WEEKDAY_NUM = {d: i for i, d in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])}
_MON = "(?:" + "|".join(sorted(_MONTH_NUM, key=len, reverse=True)) + r")(?![a-z])"
_WD = "(?:" + "|".join(_WEEKDAY_NUM) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"

_WD_DATE = re.compile(
    rf"(?P<this>\b[Tt]his\s+)?\b(?P<wd>{_WD}){_PART}[\s,(]+(?:the\s+)?"
    rf"(?:(?P<m1>{_MON})\.?\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON}))"
    rf"\)?(?:,?\s+(?P<y>{_YEAR})\b)?")
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MON})\.?\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR})\b)?"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})\.?(?:,?\s+(?P<y2>{_YEAR})\b)?"
    rf"|(?P<iy>20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)")
_BARE_WD = re.compile(rf"(?P<pre>\b(?:[Tt]his|[Oo]n|[Ll]ast|[Ee]arly|[Ll]ate|[Nn]ext|[Uu]ntil|[Bb]y|[Ss]ince)\s+)?\b(?P<wd>{_WD})\b")
_YEAR_MENTION = re.compile(
    rf"(?:\b(?:in|since|of|from|during|early|late|mid|until|by|before|after|spring|summer|autumn|"
    rf"winter|year|{_MON})[\s-]+|,\s*)(?P<y>{_YEAR})\b", re.I)
_FUTURE_BEFORE = re.compile(
    r"\b(?:by|until|till|before|deadline(?: of)?|scheduled (?:for|on)|expected (?:on|by)|"
    r"due (?:on|by)|no later than|next)\s+(?:the\s+(?:end|middle)\s+of\s+)?$", re.I)
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z .'’-]{{1,40}},\s*(?:(?P<wd>{_WD}),?\s*)?(?:(?P<m1>{_MON})\.?\s+(?P<d1>{_DAY})"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{_MON}))(?:,?\s+(?P<y>{_YEAR}))?\s*\((?P<wire>[A-Za-z-]{{2,12}})\)\s*[-–—]")


@dataclass(frozen=True, slots=True)
class PubDate:
    date: dt.date | None
    basis: str
    confidence: float
    #: the text alone does not fix the year (or any date): dates of related articles help
    needs_context: bool = False


@dataclass(frozen=True, slots=True)
class _Mention:
    text: str
    start: int
    month: int
    day: int
    year: int | None
    weekday: int | None
    deictic: bool  # "this Thursday ..." = the day of writing


_DATEPARSER_LANGUAGES = ("en", "fr", "es", "de", "ar", "fa", "ru")


def parse_declared_date(value: str | None) -> dt.date | None:
    """A metadata date ("2021-07-04", "Sun, 04 Jul 2021 16:30 +0430", "July 4, 2021")."""
    if not value or not value.strip():
        return None
    v = value.strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", v)
    if m:
        try:  # the calendar day as written, whatever the time zone
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(v).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _DATE.search(v)  # "July 4, 2021", "Monday, 5 July 2021", "12 Aug 2021"
    if m and (m["y1"] or m["y2"]):
        return _safe_date(int(m["y1"] or m["y2"]), _MONTH_NUM[m["m1"] or m["m2"]], _int_day(m["d1"] or m["d2"]))
    import dateparser  # slow import; only for unusual metadata formats

    # a fixed language list: without it dateparser loads every locale (~9 s) and may
    # read a stray word as a date in some other language
    parsed = dateparser.parse(v, languages=list(_DATEPARSER_LANGUAGES),
                              settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                        "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _int_day(s: str) -> int:
    return int(re.match(r"\d+", s)[0])  # type: ignore[index]


def _is_future(text: str, start: int) -> bool:
    return bool(_FUTURE_BEFORE.search(text[max(0, start - 40):start]))


# "the September 11 attacks", "the anniversary of July 4": a date used as a name
_NAME_AFTER = re.compile(r"^(?:,?\s*\d{4})?\s+(?:attacks?|bombings?|anniversary|massacre|agreement|accords?)\b", re.I)
_NAME_BEFORE = re.compile(r"\b(?:attacks?|anniversary|bombings?) of (?:the )?$", re.I)


def _is_name(text: str, start: int, end: int) -> bool:
    return bool(_NAME_AFTER.match(text[end:end + 30]) or _NAME_BEFORE.search(text[max(0, start - 30):start]))


def _mentions(text: str) -> list[_Mention]:
    """Day-precise date expressions, weekday+date first, skipping plans ("by July 4")."""
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _WD_DATE.finditer(text):
        if _is_future(text, m.start()):
            continue
        month = _MONTH_NUM[m["m1"] or m["m2"]]
        day = _int_day(m["d1"] or m["d2"])
        found.append(_Mention(m[0].strip(" ,("), m.start(), month, day,
                              int(m["y"]) if m["y"] else None, _WEEKDAY_NUM[m["wd"]], bool(m["this"])))
        taken.append(m.span())
    for m in _DATE.finditer(text):
        if (any(a <= m.start() < b for a, b in taken) or _is_future(text, m.start())
                or _is_name(text, m.start(), m.end())):
            continue
        year: int | None
        if m["iy"]:
            month, day, year = int(m["im"]), int(m["id"]), int(m["iy"])
        else:
            month = _MONTH_NUM[m["m1"] or m["m2"]]
            day = _int_day(m["d1"] or m["d2"])
            y = m["y1"] or m["y2"]
            year = int(y) if y else None
        found.append(_Mention(m[0].strip(), m.start(), month, day, year, None, False))
    return found


def _context_years(text: str, chrome: Sequence[str], extra: Sequence[int], ref: dt.date) -> list[int]:
    years = [int(m["y"]) for m in _YEAR_MENTION.finditer(text) if not _is_future(text, m.start("y"))]
    for line in chrome:
        years += [int(y) for y in re.findall(rf"\b{_YEAR}\b", line)]
    return [y for y in [*years, *extra] if 1950 <= y <= ref.year]


def _choose_year(mentions: Sequence[_Mention], target: int | None, ref: dt.date) -> tuple[int, str]:
    """The year in which most weekday+date mentions hold, nearest the context year."""
    aim = target if target is not None else ref.year
    best: tuple[tuple[float, int], int] | None = None
    for y in range(ref.year - 40, ref.year + 1):
        score = 0.0
        for m in mentions:
            d = _safe_date(y, m.month, m.day)
            if d and d <= ref and d.weekday() == m.weekday:
                score += 2.0 if m.deictic else 1.0
        if score == 0:
            continue
        # an article is not older than the years it mentions: prefer years >= the target
        distance = (y - aim) if y >= aim else 3 * (aim - y)
        key = (score, -distance)
        if best is None or key > best[0]:
            best = key, y
    if best is None:
        return aim, "no weekday matches"
    return best[1], "weekday matches"


def _anchors() -> tuple[tuple[str, dt.date, tuple[str, ...], tuple[re.Pattern[str], ...]], ...]:
    """(id, day, keywords, patterns) of the active conflict profile's landmark events
    (its ``news_anchors`` files; ``data/news_anchors.yaml`` for afghanistan-2021); a text
    lacking every keyword skips the regexes."""
    return _anchors_in(active_profile().news_anchors)


@lru_cache(maxsize=4)
def _anchors_in(files: tuple[Path, ...],
                ) -> tuple[tuple[str, dt.date, tuple[str, ...], tuple[re.Pattern[str], ...]], ...]:
    raw = [a for f in files for a in read_yaml(f, "news anchors")["anchors"]]
    out = []
    verbs = (r"(?:took|taken|takes?|taking|captured|captures?|seized|seizes?|conquered|overran|overrun|"
             r"lost|entered|fell to|ceded)")
    for a in raw:
        if a["kind"] == "capital_fall":
            names = "(?:" + "|".join(re.escape(n) for n in a["names"]) + r")(?!\s+province)\b"
            pats = (
                rf"\b{verbs}\s+(?:\S+\s+){{0,3}}?{names}",
                rf"\b(?:fall|capture|taking|loss|conquest|surrender) of (?:the city of )?{names}",
                rf"\b{names}(?:,[^.,]{{0,60}},)?\s+(?:has |had )?(?:fell|falls|fallen|was taken|was captured|"
                rf"capitulated|surrendered|was overrun)",
            )
            keys = tuple(n.lower() for n in a["names"])
        else:
            pats = tuple(a["patterns"])
            keys = tuple(k.lower() for k in a.get("keywords", ()))
        out.append((a["id"], dt.date.fromisoformat(str(a["date"])), keys,
                    tuple(re.compile(p, re.I) for p in pats)))
    return tuple(out)


def _anchor_floor(text: str, target: int | None, ref: dt.date) -> tuple[dt.date, str] | None:
    """The latest landmark event the text reports (a lower bound of the writing date)."""
    best: tuple[dt.date, str] | None = None
    folded = text.lower()
    for anchor_id, day, keys, pats in _anchors():
        if day > ref or (target is not None and day.year < target):
            continue
        if keys and not any(k in folded for k in keys):
            continue
        if any(p.search(text) for p in pats) and (best is None or day > best[0]):
            best = day, anchor_id
    return best


def _nearest_weekday(day: dt.date, weekday: int, *, forward_only: bool = False,
                     backward_only: bool = False) -> dt.date:
    ahead = (weekday - day.weekday()) % 7
    if forward_only or (ahead <= 3 and not backward_only) or ahead == 0:
        return day + dt.timedelta(days=ahead)
    return day - dt.timedelta(days=7 - ahead)


def _resolve(mentions: list[_Mention], year: int, ref: dt.date, target: int | None,
             window: tuple[dt.date, dt.date] | None) -> tuple[list[tuple[dt.date, _Mention]], list[str]]:
    """Dates for the mentions; contradicting weekdays resolved from the other evidence."""
    notes: list[str] = []
    dated: list[tuple[dt.date, _Mention]] = []
    for x in mentions:
        y = x.year or year
        if window and not x.year:  # the year that puts the day inside the related window
            mid = window[0] + (window[1] - window[0]) / 2
            y = min(range(window[0].year, window[1].year + 1),
                    key=lambda c: abs(((_safe_date(c, x.month, x.day) or window[0]) - mid).days))
        when = _safe_date(y, x.month, x.day)
        if when is None or when > ref or (x.year and target and x.year < target):
            continue  # an explicit older year is background ("killed in May 2011")
        if x.weekday is not None and when.weekday() != x.weekday:
            confirmed = any(
                o is not x and o.month == x.month and o.day == x.day and o.weekday is not None
                and (_safe_date(o.year or y, o.month, o.day) or when).weekday() == o.weekday
                for o in mentions)
            if confirmed:  # the day number belongs to another weekday: trust this weekday
                when = _nearest_weekday(when, x.weekday)
            notes.append(f"'{x.text}' contradicts its weekday, read as {when.isoformat()}")
        dated.append((when, x))
    return dated, notes


def infer_published(text: str, *, declared: str | None = None, declared_basis: str = "header",
                    chrome: Sequence[str] = (), reference: dt.date | None = None,
                    context_years: Sequence[int] = (),
                    context_dates: Sequence[dt.date] = ()) -> PubDate:
    """Infer the publication date of ``text`` (clean text; ``chrome`` = removed lines).

    ``context_dates`` are the publication dates of related articles (same places and
    people), most related first; they fix the year and window when the text alone does not.
    """
    ref = reference or dt.date.today()
    declared_day = parse_declared_date(declared)
    if declared_day:
        return PubDate(declared_day, declared_basis, 0.95)
    years = _context_years(text, chrome, context_years, ref)
    target = max(years) if years else None
    m = _DATELINE.match(text)
    if m:
        month, mday = _MONTH_NUM[m["m1"] or m["m2"]], _int_day(m["d1"] or m["d2"])
        dl = _safe_date(int(m["y"]) if m["y"] else (target or ref.year), month, mday)
        if dl:
            return PubDate(dl, f"dateline '{m[0].strip()}'", 0.9)
    stamps = [s for s in (parse_declared_date(c) for c in chrome if _is_stamp(c)) if s]
    mentions = _mentions(text)
    with_wd = [x for x in mentions if x.weekday is not None and x.year is None]
    year, how = _choose_year(with_wd, target, ref) if with_wd else (target or ref.year, "context year")
    # the year is the text's own only if a year it mentions is that year or the one before
    own_year = any(x.year for x in mentions) or (target is not None and year - target in (0, 1))
    window = None
    if context_dates and not own_year:
        window = (min(context_dates) - dt.timedelta(days=60), max(context_dates) + dt.timedelta(days=30))
        how = f"year of related articles ({max(context_dates).year})"
    dated, notes = _resolve(mentions, year, ref, target, window)
    bare = [(b, _WEEKDAY_NUM[b["wd"]]) for b in _BARE_WD.finditer(text)
            if (b["pre"] or "").strip().lower() not in ("next", "until", "by")
            and not any(x.start <= b.start() < x.start + len(x.text) for x in mentions)]
    weak = False
    if dated:
        floor, src = max(dated, key=lambda t: (t[0], t[1].deictic))
        kind = "weekday+date" if src.weekday is not None else "date"
        basis = f"latest date in text: {kind} '{src.text}'"
        if src.year is None:
            basis += f" -> {floor.year} ({how})"
        conf = 0.85 if src.deictic else 0.8 if src.weekday is not None else 0.7 if src.year else 0.6
        weak = not src.year and not own_year and not window
    else:
        anchor = _anchor_floor(text, target, ref)
        if anchor and bare:
            floor, basis, conf = anchor[0], f"weekday next to reported event '{anchor[1]}' ({anchor[0]})", 0.5
        elif context_dates and bare:
            floor = context_dates[0]  # the most related article
            basis, conf = f"weekday next to the date of the most related article ({floor})", 0.35
        elif stamps and bare:
            cap = min(stamps)
            days = [cap - dt.timedelta(days=(cap.weekday() - w) % 7) for _, w in bare]
            best = max(days)
            return PubDate(best, f"weekday '{bare[days.index(best)][0]['wd']}' before page stamp {cap}",
                           0.4, needs_context=True)
        elif anchor:
            return PubDate(anchor[0], f"reported event '{anchor[1]}' (lower bound)", 0.3)
        elif stamps:
            return PubDate(min(stamps), "page stamp (no other date evidence)", 0.3, needs_context=True)
        else:
            return PubDate(None, "no date evidence", 0.0, needs_context=True)
    # bare weekdays ("on Sunday", "this Friday") are days around the latest reported day
    latest, latest_text = floor, ""
    for b, w in bare:
        pre = (b["pre"] or "").strip().lower()
        deictic = pre == "this"
        # "since Friday", "last Friday" look back from the day of writing
        day = _nearest_weekday(floor, w, forward_only=deictic, backward_only=pre in ("since", "last"))
        if (day > latest or (day == latest and deictic)) and day <= ref:
            latest, latest_text = day, b[0].strip()
    if latest_text:
        basis += f"; '{latest_text}' -> {latest}"
    if stamps and any(s != latest for s in stamps):
        notes.append(f"page stamp {min(stamps)} not used")
    return PubDate(latest, "; ".join([basis, *notes]), conf, needs_context=weak)


def _is_stamp(line: str) -> bool:
    from sitrep.ingest.boilerplate import is_date_stamp

    return is_date_stamp(line)
