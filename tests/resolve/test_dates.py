"""Date expressions -> intervals, anchored on the seeds' publication dates."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CORPUS_GOLD, GOLD

from sitrep.model import DateInterval
from sitrep.resolve.dates import find_date_expressions, is_historical, resolve_date
from tests.scripts import load_script

D = dt.date
SUN_4_JUL = D(2021, 7, 4)  # 000 and 003 (a Sunday)
WED_7_JUL = D(2021, 7, 7)  # 002
THU_8_JUL = D(2021, 7, 8)  # 001
FRI_13_AUG = D(2021, 8, 13)  # 004

# text, published, sentence, expected (start, end), precision
CASES = [
    ("Sunday, July 4", SUN_4_JUL, "", ("2021-07-04", "2021-07-04"), "day"),
    ("This Thursday morning, July 8", THU_8_JUL, "", ("2021-07-08", "2021-07-08"), "day"),
    ("on Wednesday (July 7th)", WED_7_JUL, "", ("2021-07-07", "2021-07-07"), "day"),
    ("overnight from Saturday to Sunday", SUN_4_JUL, "", ("2021-07-03", "2021-07-04"), "range"),
    ("overnight", THU_8_JUL, "", ("2021-07-07", "2021-07-08"), "range"),
    ("on Sunday", SUN_4_JUL, "", ("2021-07-04", "2021-07-04"), "day"),
    ("Sunday afternoon", SUN_4_JUL, "", ("2021-07-04", "2021-07-04"), "day"),
    ("early Sunday", SUN_4_JUL, "", ("2021-07-04", "2021-07-04"), "day"),
    ("6:30 p.m. local time on Saturday", SUN_4_JUL, "", ("2021-07-03", "2021-07-03"), "day"),
    ("this Friday", FRI_13_AUG, "", ("2021-08-13", "2021-08-13"), "day"),
    ("on Thursday", FRI_13_AUG, "", ("2021-08-12", "2021-08-12"), "day"),
    ("on Friday", SUN_4_JUL, "", ("2021-07-02", "2021-07-02"), "day"),
    ("yesterday", SUN_4_JUL, "", ("2021-07-03", "2021-07-03"), "day"),
    ("last night", THU_8_JUL, "", ("2021-07-07", "2021-07-07"), "day"),
    ("today", WED_7_JUL, "", ("2021-07-07", "2021-07-07"), "day"),
    ("this [mercredi] morning", WED_7_JUL, "", ("2021-07-07", "2021-07-07"), "day"),
    ("at this very moment", WED_7_JUL, "", ("2021-07-07", "2021-07-07"), "day"),
    ("last month", SUN_4_JUL, "", ("2021-06-01", "2021-06-30"), "month"),
    ("in June", THU_8_JUL, "", ("2021-06-01", "2021-06-30"), "month"),
    ("in late June", SUN_4_JUL, "", ("2021-06-21", "2021-06-30"), "range"),
    ("early August", FRI_13_AUG, "", ("2021-08-01", "2021-08-10"), "range"),
    ("mid-April", SUN_4_JUL, "", ("2021-04-11", "2021-04-20"), "range"),
    ("since mid-April", SUN_4_JUL, "", ("2021-04-11", "2021-07-04"), "range"),
    ("Since May", FRI_13_AUG, "", ("2021-05-01", "2021-08-13"), "range"),
    ("since early 2021", FRI_13_AUG, "", ("2021-01-01", "2021-08-13"), "range"),
    ("In the past three days", SUN_4_JUL, "", ("2021-07-02", "2021-07-04"), "range"),
    ("in recent days", SUN_4_JUL, "", ("2021-07-01", "2021-07-04"), "range"),
    ("in recent weeks", SUN_4_JUL, "", ("2021-06-06", "2021-07-04"), "range"),
    ("In the last week", FRI_13_AUG, "", ("2021-08-06", "2021-08-13"), "range"),
    ("In one month", FRI_13_AUG, "", ("2021-07-13", "2021-08-13"), "range"),
    ("in the next 24-48 hours", FRI_13_AUG, "", ("2021-08-13", "2021-08-14"), "range"),
    ("later this month", FRI_13_AUG, "", ("2021-08-14", "2021-08-31"), "range"),
    ("by the end of August", SUN_4_JUL, "", ("2021-08-31", "2021-08-31"), "day"),
    # a month's end without a deadline word is the latest one up to publication: 'occupied
    # since the end of February' told in September is that year's February, not the next
    ("the end of February", D(2022, 9, 12), "", ("2022-02-22", "2022-02-28"), "range"),
    ("since the end of February", D(2022, 9, 12), "", ("2022-02-22", "2022-09-12"), "range"),
    ("the end of December", D(2022, 1, 5), "", ("2021-12-25", "2021-12-31"), "range"),
    # a span between two written days is one range, not its last day
    ("from Oct. 1 to Nov. 9", D(2022, 11, 12), "", ("2022-10-01", "2022-11-09"), "range"),
    ("between June 1 and June 20", D(2022, 7, 1), "", ("2022-06-01", "2022-06-20"), "range"),
    ("from July 1 to 10", D(2021, 7, 12), "", ("2021-07-01", "2021-07-10"), "range"),
    ("This year", SUN_4_JUL, "", ("2021-01-01", "2021-12-31"), "year"),
    ("twenty years ago", THU_8_JUL, "", ("2001-01-01", "2001-12-31"), "year"),
    # 'just over a week ago' is earlier than the week 'a week ago' names: the seven days
    # ending a week before publication
    ("a week ago", D(2022, 7, 4), "", ("2022-06-27", "2022-07-03"), "week"),
    ("just over a week ago", D(2022, 7, 4), "", ("2022-06-21", "2022-06-27"), "range"),
    ("more than two weeks ago", D(2022, 7, 4), "", ("2022-06-14", "2022-06-20"), "range"),
    ("May 1", SUN_4_JUL, "", ("2021-05-01", "2021-05-01"), "day"),
    ("July 4, 2021", SUN_4_JUL, "", ("2021-07-04", "2021-07-04"), "day"),
    ("4 July 2021", None, "", ("2021-07-04", "2021-07-04"), "day"),
    ("2021-07-04", None, "", ("2021-07-04", "2021-07-04"), "day"),
    ("September 2020", None, "", ("2020-09-01", "2020-09-30"), "month"),
    ("in 2011", None, "", ("2011-01-01", "2011-12-31"), "year"),
    ("in 1996", SUN_4_JUL, "", ("1996-01-01", "1996-12-31"), "year"),
    ("from 1996 to 2001", None, "", ("1996-01-01", "2001-12-31"), "range"),
    # context: the sentence's other date ends 'since' (its day number, 8 July, beats its weekday)
    ("since May", THU_8_JUL,
     "On Wednesday July 8, the Taliban, who since May have seized rural areas, entered the city.",
     ("2021-05-01", "2021-07-08"), "range"),
    # a known event fixes the year of a bare month-day and anchors an offset
    ("September 11", SUN_4_JUL, "It was overthrown in 2001, after the attacks of September 11.",
     ("2001-09-11", "2001-09-11"), "day"),
    ("two days before the September 11 attacks", SUN_4_JUL, "",
     ("2001-09-09", "2001-09-09"), "day"),
    # a pluperfect sentence puts its window before the day of publication
    ("In recent weeks", FRI_13_AUG, "In recent weeks, Herat had been the scene of fighting.",
     ("2021-07-15", "2021-08-12"), "range"),
    # a duration of war snaps to the start of the US-led intervention
    ("20 years of war", SUN_4_JUL,
     "Since Washington began withdrawing on May 1 after 20 years of war, the Taliban advanced.",
     ("2001-10-07", "2021-05-01"), "range"),
    ("in the 1990s", None, "", ("1990-01-01", "1999-12-31"), "range"),
    ("Over the past weeks", D(2021, 7, 14), "", ("2021-06-16", "2021-07-14"), "range"),
    ("September", D(2021, 7, 2), "The pullout will end well ahead of the September deadline.",
     ("2021-09-01", "2021-09-30"), "month"),
    ("on Friday", WED_7_JUL, "The talks will resume on Friday.", ("2021-07-09", "2021-07-09"),
     "day"),
    ("by September 11", D(2021, 5, 9), "Biden said the withdrawal will end by September 11.",
     ("2021-09-11", "2021-09-11"), "day"),
]


@pytest.mark.parametrize(("text", "published", "sentence", "expected", "precision"), CASES)
def test_resolve_date_table(
    text: str, published: dt.date | None, sentence: str,
    expected: tuple[str, str], precision: str,
) -> None:
    ref = resolve_date(text, published, sentence=sentence)
    assert ref is not None, text
    assert (ref.interval.start.isoformat(), ref.interval.end.isoformat()) == expected
    assert ref.interval.precision == precision
    assert ref.basis  # every resolution says how it was made
    assert ref.span is None  # the caller fills article offsets


def test_public_api() -> None:
    from sitrep.resolve import dates

    assert sorted(dates.__all__) == ["ANCHORED_FLAG", "find_date_expressions", "is_historical", "resolve_date"]


def test_the_phase_of_a_known_event_is_dated_by_the_profiles_anchor() -> None:
    """'on the first day of its invasion': the ukraine-2022 profile's anchor (24 Feb 2022),
    flagged as a reference point; the Afghanistan profile has no such anchor: not dated."""
    from sitrep.profile import use_profile
    from sitrep.resolve.dates import ANCHORED_FLAG, find_date_expressions, resolve_date

    text = "The island, which Russia seized on the first day of its invasion, was retaken."
    use_profile("ukraine-2022")
    try:
        (start, end), = find_date_expressions(text)
        ref = resolve_date(text[start:end], dt.date(2022, 6, 30), sentence=text)
        assert ref is not None and ref.interval.start == dt.date(2022, 2, 24) and ANCHORED_FLAG in ref.flags
        week = resolve_date("the first week of the war", dt.date(2022, 6, 30))
        assert week is not None and (week.interval.start, week.interval.end) == (
            dt.date(2022, 2, 24), dt.date(2022, 3, 2))
    finally:
        use_profile(None)
    assert resolve_date("the first days of the offensive", dt.date(2021, 8, 1)) is None


def test_an_adverb_before_a_week_after_keeps_the_other_event_reading() -> None:
    text = "It came exactly a week after a suicide bombing in Kunduz."
    ref = resolve_date("a week after", dt.date(2021, 10, 15), sentence=text)
    assert ref is not None and ref.interval.start == dt.date(2021, 10, 8)
    assert "dates-complement-event" in ref.flags


def test_weekday_contradicting_date_keeps_the_past_weekday_and_flags_it() -> None:
    ref = resolve_date("On Wednesday July 8", THU_8_JUL, sentence="That same Wednesday ...")
    assert ref is not None
    assert ref.interval.start == D(2021, 7, 7)
    assert "weekday-contradicts-date" in ref.flags


def test_weekday_contradicting_date_keeps_the_day_number() -> None:
    sentence = "On Wednesday July 8, Afghan special forces retook control of Qala-i-Naw."
    ref = resolve_date("On Wednesday July 8", THU_8_JUL, sentence=sentence)
    assert ref is not None
    assert ref.interval.start == D(2021, 7, 8)  # 8 July 2021 was a Thursday: the number wins
    assert "weekday-contradicts-date" in ref.flags


def test_weekday_contradicting_a_date_after_publication_keeps_the_weekday() -> None:
    ref = resolve_date("Friday July 10", D(2021, 7, 9), sentence="On Friday July 10 the Taliban took the town.")
    assert ref is not None and ref.interval.start == D(2021, 7, 9)


def test_weekday_contradicting_date_keeps_the_date_when_the_weekday_is_future() -> None:
    ref = resolve_date("Friday July 8", THU_8_JUL)
    assert ref is not None
    assert ref.interval.start == D(2021, 7, 8)
    assert "weekday-contradicts-date" in ref.flags


def test_dateparser_past_trap_is_avoided() -> None:
    # dateparser with PREFER_DATES_FROM='past' reads this as 2020-07-07 (a Tuesday)
    ref = resolve_date("on Wednesday (July 7th)", WED_7_JUL)
    assert ref is not None and ref.interval.start == D(2021, 7, 7)
    assert ref.flags == ()


def test_weekday_and_date_without_year_take_the_year_where_they_agree() -> None:
    ref = resolve_date("Sunday, July 4", D(2022, 1, 5))
    assert ref is not None and ref.interval.start == D(2021, 7, 4)


@pytest.mark.parametrize("text", ["Sunday", "yesterday", "in June", "last month", "overnight",
                                  "in the past three days", "Sunday, July 4", "May 1"])
def test_without_publication_date_relative_expressions_do_not_resolve(text: str) -> None:
    assert resolve_date(text, None) is None


def test_resolution_is_deterministic_and_never_uses_today() -> None:
    a = resolve_date("yesterday", SUN_4_JUL)
    b = resolve_date("yesterday", SUN_4_JUL)
    assert a == b and a is not None and a.interval.start == D(2021, 7, 3)


@pytest.mark.parametrize(("text", "published"), [
    ("2021 years ago", SUN_4_JUL), ("February", D(1, 1, 2)), ("Sunday", D(1, 1, 2)),
    ("in the next 24-48 hours", D(9999, 12, 31)), ("31 February 2021", None), ("(", SUN_4_JUL)])
def test_out_of_range_or_invalid_dates_give_none_not_an_error(
    text: str, published: dt.date | None,
) -> None:
    assert resolve_date(text, published) is None


def test_unknown_text_is_none() -> None:
    assert resolve_date("the Taliban", SUN_4_JUL) is None
    assert resolve_date("may", SUN_4_JUL, sentence="They may fall.") is None


def test_comes_n_days_after_dates_the_other_event_without_anchor() -> None:
    sentence = "The capture of Panjwai comes two days after the departure of troops from Bagram."
    ref = resolve_date("two days after", SUN_4_JUL, sentence=sentence)
    assert ref is not None and ref.interval.start == D(2021, 7, 2)
    assert "dates-complement-event" in ref.flags


def test_n_days_after_a_past_perfect_clause_dates_that_clause_before_publication() -> None:
    """'X a week after Y had fallen': X (no date of its own) is the news of the publication
    day, the past perfect Y happened a week before it; without the past perfect no guess."""
    sentence = ("The militants seized control of the post a week after the main trade gateways "
                "in Herat province had fallen to the Taliban.")
    ref = resolve_date("a week after", dt.date(2021, 7, 15), sentence=sentence)
    assert ref is not None and ref.interval == DateInterval(dt.date(2021, 7, 8), dt.date(2021, 7, 8))
    assert "dates-complement-event" in ref.flags
    plain = sentence.replace("had fallen", "fell")
    assert resolve_date("a week after", dt.date(2021, 7, 15), sentence=plain) is None


def test_the_current_month_or_week_ends_at_publication_unless_future() -> None:
    """A past report cannot be dated after its own publication: 'In August, the Taliban
    took ...' written on 10 August is 1-10 August; 'will ... this month' keeps the month."""
    pub = D(2021, 8, 10)
    past = resolve_date("In August", pub, sentence="In August, the Taliban took Farah.")
    assert past is not None and past.interval == DateInterval(D(2021, 8, 1), pub, "month")
    future = resolve_date("this month", pub, sentence="Talks will resume this month.")
    assert future is not None and future.interval.end == D(2021, 8, 31)
    week = resolve_date("this week", pub, sentence="Farah is the sixth capital to fall this week.")
    assert week is not None and week.interval == DateInterval(D(2021, 8, 9), pub, "week")


def test_anchor_dates_the_main_event() -> None:
    ref = resolve_date("two days after the Bagram handover", SUN_4_JUL,
                       anchors={"Bagram": D(2021, 7, 2)})
    assert ref is not None and ref.interval.start == D(2021, 7, 4)
    assert ref.flags == ()


@pytest.mark.parametrize(("text", "historical"), [
    ("in 1996", True), ("in 2011", True), ("in September 2020", False), ("in June", False)])
def test_is_historical(text: str, historical: bool) -> None:
    ref = resolve_date(text, SUN_4_JUL)
    assert ref is not None
    assert is_historical(ref.interval, SUN_4_JUL) is historical


def test_is_historical_needs_a_publication_date() -> None:
    assert not is_historical(DateInterval(D(1996, 1, 1), D(1996, 12, 31), "year"), None)


def test_find_date_expressions_on_a_seed_sentence() -> None:
    text = ("They seized, Sunday, July 4, the key district of Panjwai. Taliban and Afghan forces "
            "clashed overnight from Saturday to Sunday. It seized power in 1996; they may return.")
    found = [text[s:e] for s, e in find_date_expressions(text)]
    assert found == ["Sunday, July 4", "overnight from Saturday to Sunday", "in 1996"]


def test_find_date_expressions_ignores_month_lookalikes_and_verbs() -> None:
    text = ("The mayor said the market decision in June was junior; they may march on Kabul "
            "in March and leave by Dec. 3, Sayed Jan Khakriwal said.")
    found = [text[s:e] for s, e in find_date_expressions(text)]
    assert found == ["in June", "in March", "by Dec. 3"]
    assert resolve_date("Jan", SUN_4_JUL) is None
    assert resolve_date("market", SUN_4_JUL) is None
    assert resolve_date("march", SUN_4_JUL, sentence="They march on Kabul.") is None


def test_find_date_expressions_adds_spacy_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Fighting lasted for the whole of Ramadan in Kunduz.")
    spans = [doc.text[s:e] for s, e in find_date_expressions(doc)]
    assert "Ramadan" in spans  # a DATE entity the regex rules do not list
    assert find_date_expressions(doc.text) == []


def _bench():  # type: ignore[no-untyped-def]
    return load_script("bench/dates_eval.py")


def test_gold_date_accuracy_on_the_seeds() -> None:
    """Integration: exact-match accuracy on the 69 gold expressions (measured 0.942)."""
    result = _bench().evaluate(GOLD, GOLD.parent.parent / "seeds")
    assert result["n"] == 69
    assert result["exact"] >= 0.90
    assert result["overlaps"] >= 0.98


@pytest.mark.skipif(not CORPUS_GOLD.is_file(), reason="demo corpus gold not present")
def test_gold_date_accuracy_on_the_demo_corpus() -> None:
    result = _bench().evaluate(CORPUS_GOLD, CORPUS_GOLD.parent / "corpus")
    assert result["exact"] >= 0.90  # measured 0.937


def test_the_same_day_without_a_sentence_date_takes_the_storys_day() -> None:
    sentence = "The same day, fighting spilt on to the main motorway towards the airfield."
    ref = resolve_date("The same day", D(2021, 8, 2), sentence=sentence, story_day=D(2021, 7, 30))
    assert ref is not None and ref.interval.start == D(2021, 7, 30)
    nxt = resolve_date("the next day", D(2021, 8, 2), sentence="Troops retook it the next day.",
                       story_day=D(2021, 7, 30))
    assert nxt is not None and nxt.interval.start == D(2021, 7, 31)


def test_an_ago_phrase_is_found_with_its_over() -> None:
    """'Just over a week ago, Russian troops took control of Severodonetsk': the finder keeps
    'over' with the phrase, so the date is the days before the week, not the week itself."""
    text = "Just over a week ago, Russian troops took control of Severodonetsk."
    (start, end), = find_date_expressions(text)
    assert text[start:end] == "Just over a week ago"
    ref = resolve_date(text[start:end], dt.date(2022, 7, 4), sentence=text)
    assert ref is not None and ref.interval.start <= dt.date(2022, 6, 25) <= ref.interval.end
    # a bare 'over' is no 'more than': 'the fighting was over two days ago' ended then
    text = "The fighting was over two days ago."
    (start, end), = find_date_expressions(text)
    ref = resolve_date(text[start:end], dt.date(2022, 7, 4), sentence=text)
    assert ref is not None and (ref.interval.start, ref.interval.end) == (dt.date(2022, 7, 2),) * 2
