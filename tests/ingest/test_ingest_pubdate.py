"""Publication-date inference on hand-built texts: each kind of evidence and each trap."""

from __future__ import annotations

import datetime as dt

from sitrep.ingest.pubdate import infer_published, parse_declared_date

REF = dt.date(2026, 1, 1)


def test_declared_metadata_wins() -> None:
    p = infer_published("On Sunday, July 4, fighting raged.", declared="Mon, 05 Jul 2021 08:00:00 +0000",
                        declared_basis="feed pubDate", reference=REF)
    assert (p.date, p.basis, p.confidence) == (dt.date(2021, 7, 5), "feed pubDate", 0.95)


def test_parse_declared_formats() -> None:
    assert parse_declared_date("2021-07-04T23:30:00-05:00") == dt.date(2021, 7, 4)
    assert parse_declared_date("July 4, 2021") == dt.date(2021, 7, 4)
    assert parse_declared_date("not a date") is None


def test_dateline() -> None:
    p = infer_published("KABUL, Aug 13 (Reuters) - The Taliban took Kandahar in 2021 fighting.", reference=REF)
    assert p.date == dt.date(2021, 8, 13) and p.basis.startswith("dateline")


def test_weekday_date_without_year_takes_the_matching_year_near_the_context() -> None:
    text = ("Talks began in September 2020. They seized the district on Sunday, July 4, "
            "after the White House said on Friday that troops would leave.")
    p = infer_published(text, reference=REF)
    assert p.date == dt.date(2021, 7, 4)
    assert "'Sunday, July 4'" in p.basis and "weekday matches" in p.basis


def test_contradicting_weekday_is_resolved_from_other_evidence() -> None:
    text = ("This Thursday morning, July 8, fighting went on in the city. "
            "On Wednesday July 8, the insurgents had entered it.")
    p = infer_published(text, reference=REF)
    assert p.date == dt.date(2021, 7, 8)
    assert "read as 2021-07-07" in p.basis


def test_page_stamp_does_not_win_over_the_body() -> None:
    text = "The Taliban on Wednesday (July 7th) entered the city. Today talks opened."
    p = infer_published(text, chrome=("July 26, 2021",), reference=REF)
    assert p.date == dt.date(2021, 7, 7) and "page stamp 2021-07-26 not used" in p.basis


def test_bare_weekdays_anchor_on_a_reported_landmark_event() -> None:
    text = ("The Taliban claimed this Friday that they had conquered Kandahar. On Thursday they "
            "took Herat and Ghazni. Violence has risen since early 2021.")
    p = infer_published(text, reference=REF)
    assert p.date == dt.date(2021, 8, 13) and "this Friday" in p.basis


def test_plans_and_named_dates_are_not_news_days() -> None:
    text = ("Troops must leave by September 11, after the attacks of September 11, 2001. "
            "On Monday, July 5, 2021 the base was quiet.")
    p = infer_published(text, reference=REF)
    assert p.date == dt.date(2021, 7, 5)


def test_weekday_before_a_page_stamp_and_no_evidence() -> None:
    p = infer_published("The city fell early on Sunday without a fight.", chrome=("August 19, 2021",),
                        reference=REF)
    assert p.date == dt.date(2021, 8, 15) and p.needs_context
    none = infer_published("The city fell without a fight.", reference=REF)
    assert none.date is None and none.basis == "no date evidence" and none.confidence == 0.0


def test_related_articles_fix_the_year_of_a_wrong_weekday() -> None:
    text = "On Wednesday July 8, commandos retook the city, driven out of power in 2001."
    alone = infer_published(text, reference=REF)
    assert alone.needs_context  # 2009 is the weekday's year, not the text's
    p = infer_published(text, reference=REF, context_dates=[dt.date(2021, 7, 7), dt.date(2021, 7, 8)])
    assert p.date == dt.date(2021, 7, 8)
