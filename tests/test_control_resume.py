"""The control timeline of a unit resumed over the stretch a change can reach
(``control.resume_timeline``, ``pipeline.refresh_control`` per dirty unit) equals a full
re-derivation from all events, whatever the change and the window read around it."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from gold_mentions import actor

import sitrep.control
from sitrep.control import derive_control, resume_timeline
from sitrep.model import ControlState, DateInterval, Event, Evidence, Mention, Place
from sitrep.ontology import CLASH, OVERTAKES, REGAINS, TRANSFER
from sitrep.pipeline import _changed_units, refresh_control
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.store import Store

GAZ = Gazetteer.default()


def _place(pid: str) -> Place:
    place = GAZ.get(pid)
    assert place is not None, pid
    return place


PANJWAYI = _place("AF2704")  # a district
KANDAHAR = _place("gn:1138336")  # a provincial capital
ZURMAT_TOWN = _place("gn:1120543")  # the centre of Zurmat district: stands for it
ZURMAT = _place("AF1303")
TALIBAN = actor("Taliban")
ARMY = actor("Military Forces of Afghanistan (2014-2021)")
START = dt.date(2021, 1, 1)


def _event(eid: str, day: dt.date, place: Place | None, *, sub: str = OVERTAKES,
           precision: str = "day", days: int = 0, a1: Any = TALIBAN, a2: Any = ARMY,
           status: str = "reported") -> Event:
    return Event(id=eid, date=DateInterval(day, day + dt.timedelta(days=days), precision),  # type: ignore[arg-type]
                 event_type="Battles", sub_event_type=sub, actor1=a1, actor2=a2,
                 place=place, status=status,  # type: ignore[arg-type]
                 evidence=(Evidence(f"art-{eid}", 0, 10, f"report {eid}"),))


def _random_event(r: random.Random, eid: str, lo: dt.date, span: int) -> Event:
    precision = r.choice(["day"] * 6 + ["week", "month", "range"])
    days = {"day": r.choice([0, 0, 0, 1]), "week": 6, "month": 29, "range": r.randrange(2, 12)}
    a1, a2 = r.choice([(TALIBAN, ARMY), (ARMY, TALIBAN), (TALIBAN, None), (None, None)])
    return _event(eid, lo + dt.timedelta(days=r.randrange(span)), r.choice([PANJWAYI, KANDAHAR]),
                  sub=r.choice([OVERTAKES, OVERTAKES, REGAINS, CLASH, CLASH, TRANSFER]),
                  precision=precision, days=days[precision], a1=a1, a2=a2,
                  status=r.choice(["reported"] * 5 + ["claimed", "denied"]))


def test_a_resumed_timeline_equals_the_full_derivation_for_random_histories() -> None:
    """Random histories of two units over 2.5 years (captures, recaptures, handovers,
    clashes; day, week, month and span dates; claims and denials), a few reports added
    or withdrawn in a short stretch: every resumed timeline equals the full derivation,
    and a good share of narrow windows resume (None sends the unit to a wider window or
    a full derivation)."""
    r = random.Random(12)
    resumed = windowed = 0
    for case in range(120):
        old = [_random_event(r, f"e{case}-{i}", START, 900) for i in range(r.randrange(40, 400))]
        added = [_random_event(r, f"n{case}-{k}", START + dt.timedelta(days=r.randrange(900)), 20)
                 for k in range(r.randrange(1, 4))]
        removed = [e for e in old if r.random() < 0.02]
        new = [e for e in old if e not in removed] + added
        first = min(e.date.start for e in (*added, *removed))
        last = max(e.date.end for e in (*added, *removed))
        before, after = derive_control(old), derive_control(new)

        def read(ids: list[str], new: list[Event] = new) -> tuple[list[Event], dict[str, Mention]]:
            return [e for e in new if e.id in ids], {}

        for unit in {PANJWAYI.id, KANDAHAR.id}:
            want = [s for s in after if s.unit_id == unit]
            for reach in (30, 120, None):
                window = (None, None) if reach is None else (
                    first - dt.timedelta(days=reach), last + dt.timedelta(days=reach))
                seen = [e for e in new if (window[0] is None or e.date.end >= window[0])
                        and (window[1] is None or e.date.start <= window[1])]
                got = resume_timeline(unit, seen, None, [s for s in before if s.unit_id == unit],
                                      changed=(first, last), window=window, read=read)
                if reach is None:
                    assert got == want
                elif got is not None:
                    assert got == want, (case, unit, reach)
                    resumed += 1
                windowed += reach is not None
    assert resumed > windowed // 6


def _store_changes(st: Store, old: list[Event], new: list[Event]) -> None:
    """What a batch does: store the new versions, remember the changed units and dates."""
    st.upsert_events(new)
    st.mark_control_dirty(_changed_units(old, new, set(), set()))


def _full(st: Store) -> list[ControlState]:
    stored = st.get_control()
    refresh_control(st)
    full = st.get_control()
    st.replace_control(stored)
    return full


def test_a_district_centre_report_refreshes_its_district(tmp_path: Path) -> None:
    """The town of Zurmat falling is Zurmat district falling: a refresh of the units a
    batch touched re-derives the district from its own and its centre's events (it used
    to derive the district from the town's event alone and add a second row)."""
    with Store(tmp_path / "c.duckdb") as st:
        st.upsert_events([_event("d1", dt.date(2021, 7, 1), ZURMAT)])
        refresh_control(st)
        _store_changes(st, [], [_event("t1", dt.date(2021, 7, 10), ZURMAT_TOWN)])
        refresh_control(st, units=st.dirty_control_units())
        rows = st.get_control()
        assert [(s.unit_id, s.date, s.controller, s.event_ids) for s in rows] == [
            (ZURMAT.id, dt.date(2021, 7, 1), "taliban", ("d1", "t1"))]
        assert rows == _full(st) and not st.dirty_control_units()


def test_a_change_in_a_long_history_is_resumed_from_the_stored_timeline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten years of changes at one district; a report added in year five (it supports a
    row that later reports also support) is re-derived over a window around it, never
    from the whole history, and the stored timeline equals a full re-derivation."""
    history = []
    for year in range(10):
        base = START + dt.timedelta(weeks=53 * year)
        history += [_event(f"y{year}a", base, PANJWAYI),
                    _event(f"y{year}b", base + dt.timedelta(days=40), PANJWAYI, sub=CLASH),
                    _event(f"y{year}c", base + dt.timedelta(days=90), PANJWAYI, sub=REGAINS,
                           a1=ARMY, a2=TALIBAN),
                    _event(f"y{year}d", base + dt.timedelta(days=200), PANJWAYI,
                           precision="month", days=29)]
    with Store(tmp_path / "h.duckdb") as st:
        st.upsert_events(history)
        refresh_control(st)
        added = _event("late", START + dt.timedelta(weeks=53 * 5, days=95), PANJWAYI,
                       sub=REGAINS, a1=ARMY, a2=TALIBAN, status="claimed")
        _store_changes(st, [], [added])

        def no_full_derivation(*_a: Any, **_k: Any) -> Any:
            raise AssertionError("the unit was derived from its whole history")

        monkeypatch.setattr(sitrep.control, "derive_control", no_full_derivation)
        refresh_control(st, units=st.dirty_control_units())
        monkeypatch.undo()
        assert any("late" in s.event_ids for s in st.get_control())
        assert st.get_control() == _full(st)
