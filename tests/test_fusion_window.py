"""A batch reloads for fusion only the stored events near its own mentions (issue 12: on a
20,000-article run the cost per batch grew with the database, because one window from the
batch's first date to its last, per province, read every event of the months between)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gold_mentions import actor

from sitrep.model import DateInterval, Event, Evidence, Place
from sitrep.ontology import OVERTAKES
from sitrep.pipeline import _merged
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.store import Store

KANDAHAR = Gazetteer.default().get("gn:1138336")
HELMAND = Gazetteer.default().get("AF21")


def _event(eid: str, day: dt.date, place: Place | None) -> Event:
    return Event(id=eid, date=DateInterval(day, day, "day"), event_type="Battles",
                 sub_event_type=OVERTAKES, actor1=actor("Taliban"), actor2=None, place=place,
                 status="reported", article_ids=(f"art-{eid}",),
                 evidence=(Evidence(f"art-{eid}", 0, 10, f"report {eid}"),))


def test_a_batch_reads_the_events_of_its_windows_not_the_months_between(tmp_path: Path) -> None:
    assert KANDAHAR is not None and HELMAND is not None
    events = [_event("jan", dt.date(2021, 1, 1), KANDAHAR), _event("mar", dt.date(2021, 3, 1), KANDAHAR),
              _event("jun", dt.date(2021, 6, 1), KANDAHAR), _event("hel", dt.date(2021, 1, 2), HELMAND),
              _event("nowhere", dt.date(2021, 1, 2), None)]
    # two reports in Kandahar five months apart, each with its window of a few days
    windows = _merged([(dt.date(2021, 5, 28), dt.date(2021, 6, 5)), (dt.date(2020, 12, 28), dt.date(2021, 1, 5)),
                       (dt.date(2021, 1, 3), dt.date(2021, 1, 8))])
    assert windows == [(dt.date(2020, 12, 28), dt.date(2021, 1, 8)), (dt.date(2021, 5, 28), dt.date(2021, 6, 5))]
    with Store(str(tmp_path / "w.duckdb")) as st:
        st.upsert_events(events)
        assert [e.id for e in st.events_near(KANDAHAR.admin1, windows)] == ["jan", "jun"]
        # place-less reports: the events with no province, and a re-analysed article's own
        assert [e.id for e in st.events_near(None, windows)] == ["nowhere"]
        assert [e.id for e in st.events_near(None, windows, ["art-hel"])] == ["hel", "nowhere"]
        assert st.events_near(KANDAHAR.admin1, []) == []


def test_the_provinces_windows_are_read_in_one_query_with_the_same_events(tmp_path: Path) -> None:
    assert KANDAHAR is not None and HELMAND is not None
    # "long" lasts a month: it overlaps both Kandahar windows and is read once
    long = Event(id="long", date=DateInterval(dt.date(2021, 1, 1), dt.date(2021, 2, 5), "month"),
                 event_type="Battles", sub_event_type=OVERTAKES, actor1=actor("Taliban"), actor2=None,
                 place=KANDAHAR, status="reported", article_ids=("art-long",),
                 evidence=(Evidence("art-long", 0, 10, "report long"),))
    events = [_event("jan", dt.date(2021, 1, 1), KANDAHAR), _event("feb", dt.date(2021, 2, 3), KANDAHAR),
              _event("hel", dt.date(2021, 1, 2), HELMAND), _event("nowhere", dt.date(2021, 1, 2), None), long]
    kandahar, helmand = str(KANDAHAR.admin1), str(HELMAND.admin1).upper()  # any letter case
    windows = {kandahar: [(dt.date(2020, 12, 28), dt.date(2021, 1, 3)), (dt.date(2021, 2, 1), dt.date(2021, 2, 4))],
               helmand: [(dt.date(2021, 1, 1), dt.date(2021, 1, 2))],
               "Nowhere": [(dt.date(2021, 1, 1), dt.date(2021, 1, 2))]}
    with Store(str(tmp_path / "w.duckdb")) as st:
        st.upsert_events(events)
        found = st.events_near_provinces(windows)
        assert {k: [e.id for e in v] for k, v in found.items()} == {
            kandahar: ["jan", "long", "feb"], helmand: ["hel"]}
        for province, ws in windows.items():
            assert [e.id for e in st.events_near(province, ws)] == [e.id for e in found.get(province, [])]
