"""Relative date rules: deictic words, windows, offsets, durations, and the dateparser
fallback; :data:`RULES` fixes the order in which all rules are tried.

Split from :mod:`sitrep.resolve.date_rules` (context, helpers, absolute and
named-day rules) to keep both readable; the contextual conventions are in the
:mod:`sitrep.resolve.dates` docstring.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from dataclasses import replace

from sitrep.resolve.date_rules import (
    APPROXIMATE,
    COMES_AFTER,
    DEICTIC,
    MON,
    NUM,
    PART,
    PLUPERFECT,
    UNIT,
    WD,
    WEEKDAYS,
    YEAR,
    Ctx,
    Result,
    add_months,
    add_years,
    context_of,
    default_anchors,
    event_anchor,
    is_future,
    month_end,
    number,
    r_by,
    r_day_span,
    r_end_of,
    r_event_phase,
    r_full_date,
    r_iso,
    r_month,
    r_month_day,
    r_month_year,
    r_next_day,
    r_since,
    r_start_of,
    r_this_period,
    r_weekday,
    r_weekend,
    r_year,
    r_years_span,
    reference_day,
    resolve_sub,
    sentence_ref,
    story_day,
)

_D = dt.timedelta


# ---------------------------------------------------------------- rules: relative

def r_deictic(ctx: Ctx) -> Result | None:
    if ctx.text not in DEICTIC or ctx.published is None:
        return None
    d = ctx.published + _D(days=DEICTIC[ctx.text])
    return d, d, "day", f"'{ctx.text}' relative to publication", ()


def r_overnight(ctx: Ctx) -> Result | None:
    if ctx.published is None:
        return None
    pub = ctx.published
    if ctx.text in ("overnight", "during the night", "in the night", "the night"):
        return pub - _D(days=1), pub, "range", "the night before publication", ()
    m = re.match(rf"^(?:(?:overnight|the night|during the night|in the night|between|from)"
                 rf"(?: from| of| between)? )?({WD})(?: {PART})? (?:to|into|and|until) "
                 rf"(?:early |late )?({WD})(?: {PART})?$", ctx.text)
    if not m:
        return None
    w1, w2 = WEEKDAYS[m[1]], WEEKDAYS[m[2]]
    end = pub + _D(days=(w2 - pub.weekday()) % 7) if is_future(ctx) \
        else pub - _D(days=(pub.weekday() - w2) % 7)
    start = end - _D(days=(w2 - w1) % 7 or 7)
    return start, end, "range", "weekday span, most recent on/before publication", ()


def r_calendar_unit(ctx: Ctx) -> Result | None:
    m = re.match(r"^(this|last|next|previous) (week|month|year)$", ctx.text)
    if not m or ctx.published is None:
        return None
    pub, step = ctx.published, {"this": 0, "next": 1}.get(m[1], -1)
    so_far = step == 0 and not is_future(ctx)  # 'the sixth capital to fall this week': up to now
    if m[2] == "week":
        first = pub - _D(days=pub.weekday()) + _D(days=7 * step)
        last = pub if so_far else first + _D(days=6)
        return first, last, "week", f"{m[1]} calendar week{' up to publication' if so_far else ''}", ()
    if m[2] == "month":
        first = add_months(pub.replace(day=1), step)
        last = pub if so_far else month_end(first.year, first.month)
        return first, last, "month", f"{m[1]} month{' up to publication' if so_far else ''}", ()
    y = pub.year + step  # 'this year' stays the calendar year (targets, tallies, plans)
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"{m[1]} year", ()


def _window(ctx: Ctx, n: int, unit: str, forward: bool) -> Result:
    assert ctx.published is not None
    unit = unit.rstrip("s")
    if forward:
        start = ctx.published
        days = {"hour": math.ceil(n / 24) - 1, "day": n, "week": 7 * n}.get(unit)
        end = start + _D(days=max(days, 0)) if days is not None else (
            add_months(start, n) if unit == "month" else add_years(start, n))
        return start, end, "range", f"next {n} {unit}(s) from publication", ()
    end, basis, flags = reference_day(ctx)
    if unit == "hour":
        start = end - _D(days=math.ceil(n / 24))
    elif unit == "day":
        start = end - _D(days=n - 1)
    elif unit == "week":
        start = end - _D(days=7 * n)
    elif unit == "month":
        start = add_months(end, -n)
    else:
        return _duration(ctx, n * (10 if unit == "decade" else 1), end, basis, flags)
    return start, end, "range", f"past {n} {unit}(s), {basis}", flags


def r_window(ctx: Ctx) -> Result | None:
    m = re.match(rf"^(?:(?:over|during|within|for) )?the (past|last|previous|next|coming)"
                 rf"(?: ({NUM}))? ({UNIT})$", ctx.text)
    if not m or ctx.published is None:
        return None
    if not m[2] and m[3].endswith("s"):  # "over the past weeks": no count, like "recent weeks"
        return r_recent(replace(ctx, text=f"{'coming' if m[1] in ('next', 'coming') else 'recent'} "
                                          f"{m[3]}"))
    n = number(m[2]) if m[2] else 1
    return _window(ctx, n or 1, m[3], m[1] in ("next", "coming")) if n else None


def r_in_n(ctx: Ctx) -> Result | None:
    m = re.match(rf"^(?:just |only |within )?({NUM}) (hours?|days?|weeks?|months?)$", ctx.text)
    if not m or ctx.published is None or "for" in ctx.raw.lower().split()[:1]:
        return None
    n = number(m[1])
    return _window(ctx, n, m[2], is_future(ctx)) if n else None


def r_recent(ctx: Ctx) -> Result | None:
    m = re.match(r"^(?:the )?(recent|coming|next few) (days|weeks|months)$", ctx.text)
    if not m or ctx.published is None:
        return None
    if m[1] != "recent":
        days = {"days": 7, "weeks": 28, "months": 90}[m[2]]
        pub = ctx.published
        return pub + _D(days=1), pub + _D(days=days), "range", f"coming {m[2]}", ()
    end, basis, flags = reference_day(ctx, pluperfect=True)
    start = {"days": end - _D(days=3), "weeks": end - _D(days=28),
             "months": add_months(end, -3)}[m[2]]
    return start, end, "range", f"recent {m[2]}, {basis}", flags


#: how far before 'N units ago' a 'just over' / 'more than' reaches: under a unit more ('just
#: over a week ago' is 8–13 days back, 'more than two days ago' 3–4)
_BEYOND_SLACK = {"week": 6, "day": 2}


def r_ago(ctx: Ctx) -> Result | None:
    m = re.match(rf"^(over )?({NUM}) ({UNIT}) ago$", ctx.text)
    if not m or ctx.published is None:
        return None
    over, n, unit, pub = bool(m[1]), number(m[2]), m[3].rstrip("s"), ctx.published
    if not n:
        return None
    if over and unit in _BEYOND_SLACK:
        # 'just over a week ago': the days before that span, not the week it ends in
        d = pub - _D(days=n * (7 if unit == "week" else 1))
        return d - _D(days=_BEYOND_SLACK[unit]), d, "range", \
            f"over {n} {unit}(s) before publication", ()
    if unit in ("hour", "day"):
        d = pub - _D(days=n if unit == "day" else math.ceil(n / 24) - 1)
        return d, d, "day", f"{n} {unit}(s) before publication", ()
    if unit == "week":
        d = pub - _D(days=7 * n)
        first = d - _D(days=d.weekday())
        return first, first + _D(days=6), "week", f"{n} week(s) before publication", ()
    if unit == "month":
        d = add_months(pub, -n)
        return d.replace(day=1), month_end(d.year, d.month), "month", f"{n} month(s) ago", ()
    y = pub.year - n * (10 if unit == "decade" else 1)
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"{n} {unit}(s) before publication", ()


def r_anaphoric(ctx: Ctx) -> Result | None:
    if ctx.published is None or not re.match(
            r"^(?:(?:hours|minutes|moments) (?:earlier|later)|(?:that|the) same day"
            r"|(?:earlier|later) (?:that|the same) day)$", ctx.text):
        return None
    story = story_day(ctx)
    if story is not None:
        return story, story, "day", "same day as the story's last explicit date", ("approximate",)
    ref, basis, flags = reference_day(ctx, pluperfect=True)
    return ref, ref, "day", f"same day as the reference, {basis}", flags + ("approximate",)


def r_offset(ctx: Ctx) -> Result | None:
    m = re.match(rf"^({NUM}) ({UNIT}) (after|before|later|earlier)(?: (.+))?$", ctx.text)
    if not m or ctx.published is None:
        return None
    n, unit, rel = number(m[1]), m[2].rstrip("s"), m[3]
    if not n:
        return None
    sign = 1 if rel in ("after", "later") else -1
    pos = ctx.sentence.lower().find(ctx.raw.lower()) if ctx.sentence else -1
    if pos >= 0 and APPROXIMATE.search(ctx.sentence[:pos]):
        return None  # 'more than two weeks after ...': no day, of either event
    complement = m[4] or (ctx.sentence[pos + len(ctx.raw):][:120] if pos >= 0 else "")
    base: dt.date | None = None
    if rel in ("after", "before") and complement:
        base = event_anchor(ctx, complement)
        if base is None:
            inner = resolve_sub(ctx, complement) if m[4] else None
            base = inner.interval.start if inner and inner.interval.precision == "day" else None
    elif rel in ("later", "earlier"):
        base = sentence_ref(ctx)
    if base is not None:
        d = _shift(base, sign * n, unit)
        return d, d, "day", f"{n} {unit}(s) {rel} the anchor {base.isoformat()}", ()
    if rel not in ("after", "before") or unit not in ("day", "week"):
        return None
    main = sentence_ref(ctx)
    basis = "the sentence's date"
    if main is None and COMES_AFTER.search(ctx.sentence[:pos] if pos >= 0 else ""):
        main, basis = ctx.published, "publication ('X comes N days after Y')"
    elif main is None and rel == "after" and not m[4] and PLUPERFECT.search(complement):
        # 'seized the post a week after the gateways had fallen': the main clause is the
        # news (publication); the past perfect complement is the earlier event
        main, basis = ctx.published, "publication ('X, N days after Y had ...')"
    if main is None:
        return None
    d = _shift(main, -sign * n, unit)
    return (d, d, "day", f"the other event: {n} {unit}(s) {rel.replace('after', 'before')} {basis}"
            if rel == "after" else f"the other event: {n} {unit}(s) after {basis}",
            ("dates-complement-event",))


def _shift(d: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("hour", "minute"):
        return d
    if unit in ("day", "week"):
        return d + _D(days=n * (7 if unit == "week" else 1))
    return add_months(d, n) if unit == "month" else add_years(d, n * (10 if unit == "decade" else 1))


def r_duration(ctx: Ctx) -> Result | None:
    m = re.match(rf"^(?:for |after |over |the last |last |the past |past )?({NUM}) "
                 r"(years|decades)(?: of .+)?$", ctx.text)
    if not m or ctx.published is None:
        return None
    n = number(m[1])
    if not n:
        return None
    end, basis, flags = reference_day(ctx, cap=False)
    return _duration(ctx, n * (10 if m[2] == "decades" else 1), end, basis, flags)


def _duration(ctx: Ctx, years: int, end: dt.date, basis: str, flags: tuple[str, ...]) -> Result:
    """N years ending on ``end``; the start snaps to a known period start nearby."""
    start = add_years(end, -years)
    context = context_of(ctx)
    for anchor in default_anchors():
        if (anchor.kind == "period_start" and abs((anchor.date - start).days) <= anchor.snap_days
                and any(p.search(context) for p in anchor.patterns)):
            return anchor.date, end, "range", f"{years} years, {basis}, start of a known period", flags
    return start, end, "range", f"{years} years, {basis}", flags


# ---------------------------------------------------------------- fallback


@functools.lru_cache(maxsize=64)
def _parser(published: dt.date) -> object:
    """One dateparser per publication date (its settings hold the relative base)."""
    from dateparser.date import DateDataParser

    base = dt.datetime.combine(published, dt.time(12))
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": True})


def r_dateparser(ctx: Ctx) -> Result | None:
    """dateparser for phrasings the rules do not list; only with a publication date."""
    text = ctx.text
    if re.fullmatch(MON, text):  # a bare month is r_month's call ("may" the verb is not one)
        return None
    if ctx.published is None or re.search(r"\b(?:after|before|later|earlier)\b", text) or not \
            re.search(rf"\d|{MON}|{WD}|\bago\b|fortnight|week|month|year", text):
        return None
    try:
        data = _parser(ctx.published).get_date_data(text)  # type: ignore[attr-defined]
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if data.date_obj is None:
        return None
    years = re.findall(YEAR, text)
    if years and int(years[0]) != data.date_obj.year:
        return None
    d, period = data.date_obj.date(), data.period or "day"
    if period == "month":
        return d.replace(day=1), month_end(d.year, d.month), "month", "dateparser month", ()
    if period == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), "year", "dateparser year", ()
    if period == "week":
        first = d - _D(days=d.weekday())
        return first, first + _D(days=6), "week", "dateparser week", ()
    return d, d, "day", "dateparser", ()


RULES: tuple[Callable[[Ctx], Result | None], ...] = (
    r_day_span, r_since, r_start_of, r_end_of, r_by, r_this_period, r_event_phase, r_iso, r_full_date, r_month_year,
    r_year, r_years_span, r_weekday, r_weekend, r_month_day, r_month, r_deictic, r_overnight,
    r_next_day, r_calendar_unit, r_recent, r_window, r_in_n, r_ago, r_anaphoric, r_offset,
    r_duration, r_dateparser,
)
