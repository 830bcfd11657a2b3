"""Event notes: one ACLED-style line generated from the fused facts only."""

from __future__ import annotations

import datetime as dt

from gold_mentions import actor

from sitrep.model import DateInterval, Event, Place
from sitrep.notes import date_phrase, event_notes, place_phrase

PANJWAYI = Place("AF2704", "Panjwayi", "district", admin1="Kandahar", admin1_id="AF27")
BAGRAM = Place("site:bagram-airfield", "Bagram Airfield", "base", admin1="Parwan")
TEHRAN = Place("gn:112931", "Tehran", "city", country="Iran", admin1="Tehran")


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_date_phrases_follow_the_precision() -> None:
    assert date_phrase(DateInterval(day("2021-07-04"), day("2021-07-04"))) == "On 4 July 2021"
    assert date_phrase(DateInterval(day("2021-07-02"), day("2021-07-04"), "range")) == \
        "Between 2 and 4 July 2021"
    assert date_phrase(DateInterval(day("2021-06-30"), day("2021-07-02"), "range")) == \
        "Between 30 June and 2 July 2021"
    assert date_phrase(DateInterval(day("2021-06-01"), day("2021-06-30"), "month")) == \
        "In June 2021"


def test_place_phrases() -> None:
    assert place_phrase(PANJWAYI) == "Panjwayi district (Kandahar)"
    assert place_phrase(TEHRAN) == "Tehran (Iran)"
    assert place_phrase(Place("AF27", "Kandahar", "province", admin1="Kandahar")) == \
        "Kandahar province"
    assert place_phrase(None) == "an unidentified location"


def test_notes_say_who_did_what_where_when_and_how_well_sourced() -> None:
    e = Event(id="x", date=DateInterval(day("2021-07-04"), day("2021-07-04")),
              event_type="Battles", sub_event_type="Non-state actor overtakes territory",
              actor1=actor("Taliban"), actor2=actor("Military Forces of Afghanistan (2014-2021)"),
              place=PANJWAYI, n_sources=2, fatalities=3, fatalities_low=3, fatalities_high=5)
    assert event_notes(e, after_clashes=True) == (
        "On 4 July 2021, Taliban took control of Panjwayi district (Kandahar) from Military "
        "Forces of Afghanistan (2014-2021) after clashes. 3 fatalities (reports range 3-5). "
        "[n_sources=2]")


def test_a_departing_foreign_force_hands_over() -> None:
    e = Event(id="b", date=DateInterval(day("2021-07-02"), day("2021-07-02")),
              event_type="Strategic developments",
              sub_event_type="Non-violent transfer of territory",
              actor1=actor("Military Forces of the United States (2021-)"), place=BAGRAM,
              n_sources=1, status="claimed", claimed_by="US military")
    assert event_notes(e) == (
        "On 2 July 2021, Military Forces of the United States (2021-) withdrew from Bagram "
        "Airfield (Parwan) and handed it over. Claimed by US military; not independently "
        "confirmed. [n_sources=1]")
