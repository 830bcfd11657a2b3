"""Control timeline: captures, recaptures, claims vs confirmations, as-of queries."""

from __future__ import annotations

import datetime as dt

from gold_mentions import actor, gold_mentions, load_gold

from sitrep.control import derive_control, state_as_of, unit_level
from sitrep.fuse import fuse
from sitrep.model import DateInterval, Event, Evidence, Place
from sitrep.resolve.gazetteer import Gazetteer

GAZ = Gazetteer.default()
KANDAHAR = GAZ.get("gn:1138336")  # Kandahar city, capital of Kandahar province
PANJWAYI = GAZ.get("AF2704")
KANDAHAR_PROV = GAZ.get("AF27")
TALIBAN = actor("Taliban")
ARMY = actor("Military Forces of Afghanistan (2014-2021)")
US = actor("Military Forces of the United States (2021-)")


def ev(eid: str, sub: str, place: Place | None, day: str, *, status: str = "reported",
       a1: object = TALIBAN, a2: object = ARMY, precision: str = "day",
       end: str | None = None) -> Event:
    d = dt.date.fromisoformat(day)
    return Event(id=eid, date=DateInterval(d, dt.date.fromisoformat(end or day),
                                           precision),  # type: ignore[arg-type]
                 event_type="Battles", sub_event_type=sub, actor1=a1, actor2=a2,  # type: ignore[arg-type]
                 place=place, status=status,  # type: ignore[arg-type]
                 evidence=(Evidence(f"art-{eid}", 0, 10, "quote"),))


def test_places_map_to_unit_levels() -> None:
    assert KANDAHAR and PANJWAYI and KANDAHAR_PROV
    assert unit_level(KANDAHAR) == "provincial_capital"
    assert unit_level(PANJWAYI) == "district"
    # a province is a unit only for a report that names it as taken (no mention here)
    assert unit_level(KANDAHAR_PROV) == "province"
    assert derive_control([ev("p1", "Non-state actor overtakes territory", KANDAHAR_PROV,
                              "2021-08-13")]) == []


def test_capture_then_recapture_flips_back() -> None:
    events = [ev("e1", "Non-state actor overtakes territory", PANJWAYI, "2021-07-04"),
              ev("e2", "Government regains territory", PANJWAYI, "2021-07-20", a1=ARMY,
                 a2=TALIBAN),
              ev("e3", "Non-state actor overtakes territory", PANJWAYI, "2021-08-01")]
    rows = derive_control(events)
    assert [(r.date.isoformat(), r.controller) for r in rows] == [
        ("2021-07-04", "taliban"), ("2021-07-20", "government"), ("2021-08-01", "taliban")]
    assert rows[0].unit_id == "AF2704" and rows[0].unit_level == "district"
    assert rows[0].admin1 == "Kandahar" and rows[0].event_ids == ("e1",)
    assert rows[0].evidence[0].article_id == "art-e1"


def test_claim_alone_is_the_claimants_unconfirmed_and_a_report_confirms_it() -> None:
    claim = ev("c1", "Non-state actor overtakes territory", KANDAHAR, "2021-08-13",
               status="claimed")
    rows = derive_control([claim])
    assert [(r.controller, r.confirmed) for r in rows] == [("taliban", False)]
    report = ev("c2", "Non-state actor overtakes territory", KANDAHAR, "2021-08-14")
    rows = derive_control([claim, report])
    assert [(r.date.day, r.controller, r.confirmed) for r in rows] == [
        (13, "taliban", False), (14, "taliban", True)]
    # a claim of what is already confirmed adds basis, not a row
    again = ev("c3", "Non-state actor overtakes territory", KANDAHAR, "2021-08-15",
               status="claimed")
    rows = derive_control([claim, report, again])
    assert len(rows) == 2 and rows[-1].event_ids == ("c2", "c3")


def test_unresolved_clash_in_a_town_is_contested_but_a_vague_one_is_not() -> None:
    clash = ev("k1", "Armed clash", KANDAHAR, "2021-07-07")
    june = ev("k0", "Armed clash", KANDAHAR, "2021-06-01", precision="month",
              end="2021-06-30")
    assert [r.controller for r in derive_control([june, clash])] == ["contested"]
    capture = ev("k2", "Non-state actor overtakes territory", KANDAHAR, "2021-07-07")
    rows = derive_control([clash, capture])
    assert [(r.date.day, r.controller) for r in rows] == [(7, "taliban")]  # same day: capture


def test_repeated_state_makes_no_new_row_and_denials_change_nothing() -> None:
    a = ev("r1", "Armed clash", KANDAHAR, "2021-07-07")
    b = ev("r2", "Armed clash", KANDAHAR, "2021-07-08", a1=ARMY, a2=TALIBAN)
    denied = ev("r3", "Non-state actor overtakes territory", KANDAHAR, "2021-07-09",
                status="denied")
    rows = derive_control([a, b, denied])
    assert len(rows) == 1 and rows[0].event_ids == ("r1", "r2")


def test_foreign_withdrawal_hands_the_base_to_the_government() -> None:
    bagram = GAZ.get("site:bagram-airfield")
    rows = derive_control([ev("b1", "Non-violent transfer of territory", bagram, "2021-07-02",
                              a1=US, a2=None)])
    assert [(r.unit_level, r.controller) for r in rows] == [("base", "government")]


def test_as_of_gives_the_latest_state_per_unit() -> None:
    events = [ev("e1", "Non-state actor overtakes territory", PANJWAYI, "2021-07-04"),
              ev("e2", "Government regains territory", PANJWAYI, "2021-07-20", a1=ARMY,
                 a2=TALIBAN),
              ev("k1", "Armed clash", KANDAHAR, "2021-07-07")]
    rows = derive_control(events)
    assert [(s.unit_id, s.controller) for s in state_as_of(rows, dt.date(2021, 7, 10))] == [
        ("AF2704", "taliban"), ("gn:1138336", "contested")]
    assert [(s.unit_id, s.controller) for s in state_as_of(rows, dt.date(2021, 7, 5))] == [
        ("AF2704", "taliban")]
    assert state_as_of(rows, dt.date(2021, 7, 1)) == []


def test_gold_mentions_give_the_seed_control_targets() -> None:
    mentions, articles, _truth = gold_mentions(load_gold())
    rows = derive_control(fuse(mentions, articles).events, {m.id: m for m in mentions})
    got = {(r.unit_name, r.date.isoformat(), r.controller, r.confirmed) for r in rows}
    assert {("Panjwayi", "2021-07-04", "taliban", True),
            ("Qala-e-Naw", "2021-07-07", "contested", True),
            ("Qala-e-Naw", "2021-08-12", "taliban", True),
            ("Herat", "2021-08-12", "taliban", True),
            ("Ghazni", "2021-08-12", "taliban", True),
            ("Kandahar", "2021-08-13", "taliban", True)} <= got
    assert not any(r.unit_name == "Kunduz" for r in rows)  # June attack held off: no change


def test_a_capture_is_taliban_whatever_the_actor_order_and_foreign_places_are_skipped() -> None:
    swapped = ev("s1", "Non-state actor overtakes territory", PANJWAYI, "2021-07-04", a1=ARMY,
                 a2=TALIBAN)
    doha = GAZ.get("gn:290030")
    events = [swapped]
    if doha is not None:
        events.append(ev("d1", "Armed clash", doha, "2021-08-13"))
    rows = derive_control(events)
    assert [(r.unit_id, r.controller) for r in rows] == [("AF2704", "taliban")]


def test_a_jail_capture_does_not_flip_the_town() -> None:
    from dataclasses import replace

    from sitrep.model import ActorRef, DateRef, Mention, PlaceRef, Span

    def m(mid: str, trig: str) -> Mention:
        span = Span(0, len(trig), trig)
        assert KANDAHAR is not None
        return Mention(id=mid, article_id="a", sentence=span, trigger=span, event_type="Battles",
                       sub_event_type="Non-state actor overtakes territory",
                       actor1=ActorRef(span, TALIBAN), place=PlaceRef(span, KANDAHAR),
                       date=DateRef(None, DateInterval(dt.date(2021, 8, 11), dt.date(2021, 8, 11))))
    jail = replace(ev("j1", "Non-state actor overtakes territory", KANDAHAR, "2021-08-11",
                      status="claimed"), mention_ids=("m1",))
    assert derive_control([jail], {"m1": m("m1", "seized the jail")}) == []
    assert [r.controller for r in derive_control([jail], {"m1": m("m1", "seized the city")})] == [
        "taliban"]


def test_a_state_side_transfer_hands_the_town_to_the_taliban() -> None:
    gov = actor("Government of Afghanistan (2014-2021)")
    handover = ev("h1", "Non-violent transfer of territory", KANDAHAR, "2021-08-12", a1=gov, a2=ARMY)
    assert [r.controller for r in derive_control([handover])] == ["taliban"]


def test_a_month_level_recap_never_flips_a_unit_before_the_day_level_report() -> None:
    """'In July, the Taliban took Kandahar' (month) and the 13 August fall (day) are one
    change: the map must not paint the city Taliban from 1 July."""
    recap = ev("m1", "Non-state actor overtakes territory", KANDAHAR, "2021-07-01",
               precision="month", end="2021-07-31")
    fall = ev("d1", "Non-state actor overtakes territory", KANDAHAR, "2021-08-13")
    fight = ev("c1", "Armed clash", KANDAHAR, "2021-07-20", a1=ARMY, a2=TALIBAN)
    rows = derive_control([recap, fight, fall])
    assert [(r.date.isoformat(), r.controller) for r in rows] == [
        ("2021-07-20", "contested"), ("2021-08-13", "taliban")]
    assert rows[-1].event_ids == ("d1", "m1")
    # alone, the month-level report is all there is: it dates the change at the end of
    # its span, the day by which it is known to have happened (never early on the map)
    assert [r.date.isoformat() for r in derive_control([recap])] == ["2021-07-31"]
    # a recapture between them makes the vague report a change of its own
    back = ev("r1", "Government regains territory", KANDAHAR, "2021-08-01", a1=ARMY,
              a2=TALIBAN)
    rows = derive_control([recap, back, fall])
    assert [(r.date.isoformat(), r.controller) for r in rows] == [
        ("2021-07-31", "taliban"), ("2021-08-01", "government"), ("2021-08-13", "taliban")]
    # ... and never after a later change of hands: 'in July' before a 20 July recapture
    back20 = ev("r2", "Government regains territory", KANDAHAR, "2021-07-20", a1=ARMY,
                a2=TALIBAN)
    rows = derive_control([recap, back20])
    assert [(r.date.isoformat(), r.controller) for r in rows] == [
        ("2021-07-19", "taliban"), ("2021-07-20", "government")]
