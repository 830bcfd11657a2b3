"""Control timeline: the sides of sides.yaml (a third side after the fall of Kabul),
aggregate and partial reports, clashes that contest a unit, same-day conflicts, and the
scoring of control changes (gold controller names, border-crossing units)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gold_mentions import actor

from sitrep.control import derive_control
from sitrep.errors import ConfigError
from sitrep.evaluate.agreement import controller_key
from sitrep.model import (
    Actor,
    ActorRef,
    ControlState,
    DateInterval,
    DateRef,
    Event,
    Evidence,
    Mention,
    Place,
    PlaceRef,
    Span,
)
from sitrep.ontology import parse_sides
from sitrep.profile import load_profile
from sitrep.resolve.gazetteer import Gazetteer

GAZ = Gazetteer.default()
ANDARAB = GAZ.get("AF0907")  # the gazetteer's Andarab district (Banu is its centre)
KALDAR = GAZ.get("AF2113")
SAR_E_PUL = GAZ.get("gn:1127110")  # provincial capital of Sar-e Pul
KABUL = GAZ.get("gn:1138958")
SHAHRAK = GAZ.get("AF2306")
TALIBAN = actor("Taliban")
ARMY = actor("Military Forces of Afghanistan (2014-2021)")
NRF = Actor(id="nrf", name="NRF: National Resistance Front", inter=2, country="Afghanistan")
IS_K = Actor(id="is-k", name="Islamic State (Afghanistan)", inter=2, country="Afghanistan")
CIVILIANS = actor("Civilians (Afghanistan)")
OVERTAKES = "Non-state actor overtakes territory"
REGAINS = "Government regains territory"
TRANSFER = "Non-violent transfer of territory"
CLASH = "Armed clash"


def ev(eid: str, sub: str, place: Place | None, day: str, *, a1: Any = TALIBAN, a2: Any = ARMY,
       status: str = "reported", end: str | None = None, precision: str = "day",
       mention_ids: tuple[str, ...] = ()) -> Event:
    d = dt.date.fromisoformat(day)
    return Event(id=eid, date=DateInterval(d, dt.date.fromisoformat(end or day),
                                           precision),  # type: ignore[arg-type]
                 event_type="Battles", sub_event_type=sub, actor1=a1, actor2=a2, place=place,
                 status=status, mention_ids=mention_ids,  # type: ignore[arg-type]
                 evidence=(Evidence(f"art-{eid}", 0, 10, "quote"),))


def mention(mid: str, sentence: str, trigger: str, place: Place, place_text: str | None, *,
            start: int = 500, place_at: int | None = None, day: str = "2021-08-06",
            sub: str = OVERTAKES, a1: Any = TALIBAN, a1_text: str | None = None) -> Mention:
    """A mention of ``sentence`` (starting at article offset ``start``) whose place is
    written as ``place_text`` inside it, or at article offset ``place_at`` outside it;
    actor1 written as ``a1_text`` in it, or carried in from elsewhere in the story."""
    t0 = start + sentence.index(trigger)
    a1_span = Span(0, 0, "")
    if a1_text is not None:
        a0 = start + sentence.index(a1_text)
        a1_span = Span(a0, a0 + len(a1_text), a1_text)
    if place_text is not None:
        p0 = start + sentence.index(place_text)
        pspan = Span(p0, p0 + len(place_text), place_text)
    else:
        assert place_at is not None
        pspan = Span(place_at, place_at + 5, place.name)
    d = dt.date.fromisoformat(day)
    return Mention(id=mid, article_id="a1", sentence=Span(start, start + len(sentence), sentence),
                   trigger=Span(t0, t0 + len(trigger), trigger), event_type="Battles",
                   sub_event_type=sub, actor1=ActorRef(a1_span, a1),
                   place=PlaceRef(pspan, place), date=DateRef(None, DateInterval(d, d)))


def rows_of(states: list[ControlState]) -> list[tuple[str, str, str]]:
    return [(s.unit_name, s.date.isoformat(), s.controller) for s in states]


# ---- sides.yaml ----------------------------------------------------------------------

def load_sides() -> Any:
    """The default (afghanistan-2021) profile's sides."""
    return load_profile().sides


def test_sides_file_defines_every_controller_once_and_its_colour() -> None:
    sides = load_sides()
    assert set(sides.colours()) == {"taliban", "government", "nrf", "contested", "unconfirmed"}
    assert sides.insurgent == "taliban"
    assert sides.state_on(dt.date(2021, 8, 14)) == "government"
    assert sides.state_on(dt.date(2021, 8, 15)) == "taliban"
    assert sides.of_actor("NRF: National Resistance Front", 2) == "nrf"
    assert sides.of_actor("Military Forces of Afghanistan (2014-2021)", 1) == "government"
    assert sides.of_actor("Military Forces of Afghanistan (2021-)", 1) == "taliban"
    assert sides.of_actor("Unidentified Armed Group (Afghanistan)", 3) == "taliban"  # inter code


def _raw() -> dict[str, Any]:
    import yaml

    from sitrep.ontology import DATA_DIR
    raw: dict[str, Any] = yaml.safe_load((DATA_DIR / "sides.yaml").read_text(encoding="utf-8"))
    return raw


def test_sides_file_is_checked_on_load() -> None:
    parse_sides(_raw())  # the shipped file is valid
    bad = _raw()
    bad["sides"]["Warlords!"] = {"label": "Warlords", "colour": "#000000"}
    with pytest.raises(ConfigError, match="lower-case"):
        parse_sides(bad)
    bad = _raw()
    del bad["states"]["unconfirmed"]
    with pytest.raises(ConfigError, match="must include"):
        parse_sides(bad)
    bad = _raw()
    bad["sides"]["nrf"]["insurgent"] = True
    with pytest.raises(ConfigError, match="exactly one side"):
        parse_sides(bad)
    bad = _raw()
    bad["sides"]["nrf"]["state"] = {"from": "2021-08-01"}  # two states at once
    with pytest.raises(ConfigError, match="overlap"):
        parse_sides(bad)
    bad = _raw()
    bad["sides"]["nrf"]["colour"] = "green"
    with pytest.raises(ConfigError, match="colour"):
        parse_sides(bad)


# ---- a third side --------------------------------------------------------------------

def test_resistance_takes_districts_after_the_fall_of_kabul_and_the_taliban_retake_them() -> None:
    """After 15 August the NRF overran Andarab districts (coded 'Non-state actor overtakes
    territory', actor1 the NRF) and the Taliban, now the state, retook them ('Government
    regains territory', actor1 the Taliban): nrf, then taliban."""
    assert ANDARAB is not None
    events = [ev("t0", OVERTAKES, ANDARAB, "2021-08-15"),
              ev("n1", OVERTAKES, ANDARAB, "2021-08-20", a1=NRF, a2=TALIBAN),
              ev("t1", REGAINS, ANDARAB, "2021-08-22", a1=TALIBAN, a2=NRF)]
    assert rows_of(derive_control(events)) == [
        ("Andarab", "2021-08-15", "taliban"), ("Andarab", "2021-08-20", "nrf"),
        ("Andarab", "2021-08-22", "taliban")]
    # a retake with no actor named goes to the state of its day
    retake = ev("t2", REGAINS, ANDARAB, "2021-08-22", a1=None, a2=None)
    assert rows_of(derive_control([events[1], retake]))[-1] == ("Andarab", "2021-08-22", "taliban")
    # a third side retaking what it lost keeps it ('resistance forces retook Deh Salah')
    nrf_back = ev("n2", REGAINS, ANDARAB, "2021-08-25", a1=NRF, a2=TALIBAN)
    assert rows_of(derive_control([*events, nrf_back]))[-1] == ("Andarab", "2021-08-25", "nrf")
    # before the fall of Kabul a recapture is the government's whatever actor1 says
    before = ev("g1", REGAINS, ANDARAB, "2021-07-20", a1=TALIBAN, a2=ARMY)
    assert rows_of(derive_control([before])) == [("Andarab", "2021-07-20", "government")]


def test_a_clash_contests_a_unit_only_between_sides_that_hold_ground() -> None:
    assert ANDARAB is not None and KABUL is not None
    fight = ev("c1", "Armed clash", ANDARAB, "2021-08-23", a1=NRF, a2=TALIBAN)
    assert [s.controller for s in derive_control([fight])] == ["contested"]
    unnamed = ev("c2", "Armed clash", ANDARAB, "2021-08-24", a1=TALIBAN, a2=None)
    assert [s.controller for s in derive_control([unnamed])] == ["contested"]
    # Islamic State fighters and the Taliban: both insurgents to the map; civilians
    # hold no ground
    insiders = ev("c3", "Armed clash", KABUL, "2021-10-06", a1=IS_K, a2=TALIBAN)
    crowd = ev("c4", "Armed clash", KABUL, "2021-08-18", a1=CIVILIANS, a2=None)
    assert derive_control([insiders, crowd]) == []


# ---- aggregate and partial reports ---------------------------------------------------

def test_a_count_of_districts_dates_no_change_at_the_dateline_or_a_place_named_elsewhere() -> None:
    assert KABUL is not None and SHAHRAK is not None
    dateline = "Kabul, June 8 (dpa) - The insurgents took three more districts on Tuesday."
    m1 = mention("m1", dateline, "took three more districts", KABUL, "Kabul", start=0,
                 day="2021-06-08")
    e1 = ev("e1", OVERTAKES, KABUL, "2021-06-08", mention_ids=("m1",))
    assert derive_control([e1], {"m1": m1}) == []
    # the place came from an earlier sentence: the count says nothing about it
    tally = "Since the start of the withdrawal on May 1, at least 12 districts have fallen."
    m2 = mention("m2", tally, "have fallen", SHAHRAK, None, place_at=100, day="2021-05-01")
    e2 = ev("e2", OVERTAKES, SHAHRAK, "2021-05-01", mention_ids=("m2",))
    assert derive_control([e2], {"m2": m2}) == []
    # a district named in the list of the count is a change of its own
    listed = "Six districts, among them Shahrak and Pasaband, fell to the Taliban this week."
    m3 = mention("m3", listed, "fell to", SHAHRAK, "Shahrak", day="2021-06-07")
    e3 = ev("e3", OVERTAKES, SHAHRAK, "2021-06-07", mention_ids=("m3",))
    assert rows_of(derive_control([e3], {"m3": m3})) == [("Shahrak", "2021-06-07", "taliban")]


def test_district_centres_abandoned_across_the_country_take_no_town_named_elsewhere() -> None:
    """'Afghan government forces abandoned or were pushed out of six district centers across
    the country' and 'the service members, who were under siege in the district centres, ...
    evacuated': a report of many districts naming none of them, its place read off another
    sentence (here the provincial capital of Sar-e Pul). The capital does not fall; the
    district a sentence names does."""
    assert SAR_E_PUL is not None and SHAHRAK is not None
    lead = ("Kabul, June 14 (dpa) - Afghan government forces abandoned or were pushed out of six "
            "district centers across the country in the past 24 hours.")
    m1 = mention("m1", lead, "abandoned", SAR_E_PUL, None, start=0, place_at=900,
                 day="2021-06-14", sub=TRANSFER, a1=ARMY)
    siege = ("The service members, who were under siege in the district centres for a long time, "
             "have either escaped or evacuated with the help of air support.")
    m2 = mention("m2", siege, "evacuated", SAR_E_PUL, None, start=300, place_at=900,
                 day="2021-06-14", sub=TRANSFER, a1=ARMY)
    e1 = ev("e1", TRANSFER, SAR_E_PUL, "2021-06-14", a1=ARMY, a2=TALIBAN, mention_ids=("m1", "m2"))
    assert derive_control([e1], {"m1": m1, "m2": m2}) == []
    named = "Government forces abandoned the Shahrak district centre before dawn."
    m3 = mention("m3", named, "abandoned", SHAHRAK, "Shahrak", day="2021-06-14", sub=TRANSFER,
                 a1=ARMY, a1_text="Government forces")
    e3 = ev("e3", TRANSFER, SHAHRAK, "2021-06-14", a1=ARMY, a2=TALIBAN, mention_ids=("m3",))
    assert rows_of(derive_control([e3], {"m3": m3})) == [("Shahrak", "2021-06-14", "taliban")]


def test_a_capture_of_most_of_a_town_makes_it_contested_not_fallen() -> None:
    assert SAR_E_PUL is not None
    share = "The insurgents seized most of the provincial capital, Sar-e-Pul, a council member said."
    m1 = mention("m1", share, "seized", SAR_E_PUL, "Sar-e-Pul", day="2021-08-05")
    e1 = ev("e1", OVERTAKES, SAR_E_PUL, "2021-08-05", mention_ids=("m1",))
    assert [s.controller for s in derive_control([e1], {"m1": m1})] == ["contested"]
    # an entry into the town, or a building in it taken, is not its fall either
    entry = "Taliban fighters entered the city of Sar-e-Pul on Thursday, officials said."
    m0 = mention("m0", entry, "entered the city", SAR_E_PUL, "Sar-e-Pul", day="2021-08-05")
    e0 = ev("e0", OVERTAKES, SAR_E_PUL, "2021-08-05", mention_ids=("m0",))
    assert [s.controller for s in derive_control([e0], {"m0": m0})] == ["contested"]
    whole = "The insurgents seized the provincial capital, Sar-e-Pul, a council member said."
    m2 = mention("m2", whole, "seized", SAR_E_PUL, "Sar-e-Pul", day="2021-08-08")
    e2 = ev("e2", OVERTAKES, SAR_E_PUL, "2021-08-08", mention_ids=("m2",))
    assert [(s.date.day, s.controller) for s in derive_control(
        [e1, e2], {"m1": m1, "m2": m2})] == [(5, "contested"), (8, "taliban")]


def test_a_share_written_before_the_place_is_no_fall_of_the_place() -> None:
    """'The northern part of Kherson region has been cleared': the share of the place is
    named before it, with the trigger after; the place is contested, not changed hands."""
    assert SAR_E_PUL is not None
    for text, controller in (
            ("The northern part of Sar-e-Pul was captured by the insurgents on Thursday.",
             "contested"),
            ("Most of the city of Sar-e-Pul was captured by the insurgents on Thursday.",
             "contested"),
            ("Sar-e-Pul was captured by the insurgents on Thursday, a council member said.",
             "taliban"),
            ("Residents of Sar-e-Pul said part of the army had left before the city was "
             "captured by the insurgents.", "taliban"),
            # a share of the people, not of the town
            ("Most of the residents of Sar-e-Pul had fled before the city was captured by "
             "the insurgents.", "taliban"),
            ("Half of the people in Sar-e-Pul fled as it was captured by the insurgents.",
             "taliban")):
        m = mention("m", text, "captured", SAR_E_PUL, "Sar-e-Pul", day="2021-08-05")
        e = ev("e", OVERTAKES, SAR_E_PUL, "2021-08-05", mention_ids=("m",))
        assert [s.controller for s in derive_control([e], {"m": m})] == [controller], text




def test_an_entry_stays_contested_whatever_else_its_event_says() -> None:
    """'Fighters entered the city' with a building 'that the insurgents had seized' and
    the insurgents' own word that they withdrew: no report says the town fell."""
    assert SAR_E_PUL is not None
    texts = {
        "m1": ("Taliban fighters broke into Sar-e-Pul, the capital of the province, on "
               "Wednesday, officials said.", "broke into", OVERTAKES, TALIBAN),
        "m2": ("Commandos cleared the police headquarters and the governor's office that "
               "the insurgents had seized on Wednesday, the ministry said.", "seized",
               OVERTAKES, TALIBAN),
        "m3": ("The Taliban said their fighters had withdrawn from the city to spare "
               "civilians.", "withdrawn from", TRANSFER, TALIBAN),
    }
    mentions = {mid: mention(mid, text, trig, SAR_E_PUL, "Sar-e-Pul" if mid == "m1" else None,
                             place_at=10, day="2021-08-04", sub=sub, a1=a1)
                for mid, (text, trig, sub, a1) in texts.items()}
    e1 = ev("e1", OVERTAKES, SAR_E_PUL, "2021-08-04", mention_ids=tuple(mentions))
    assert rows_of(derive_control([e1], mentions)) == [("Sar-e Pul", "2021-08-04", "contested")]
    # the government withdrawing from the town its attackers entered hands it over
    left = ("Government forces withdrew from the city overnight after the Taliban "
            "entered it, a council member said.")
    m4 = mention("m4", left, "withdrew from", SAR_E_PUL, None, place_at=10, day="2021-08-04",
                 sub=TRANSFER, a1=ARMY)
    e2 = ev("e2", OVERTAKES, SAR_E_PUL, "2021-08-04", mention_ids=(*mentions, "m4"))
    assert rows_of(derive_control([e2], {**mentions, "m4": m4})) == [
        ("Sar-e Pul", "2021-08-04", "taliban")]
    # a building before a 'that' which is not the trigger's object takes nothing
    said = ("A spokesman at the police headquarters said that the Taliban had captured "
            "Sar-e-Pul after days of fighting.")
    m7 = mention("m7", said, "captured", SAR_E_PUL, "Sar-e-Pul", day="2021-08-04")
    e5 = ev("e5", OVERTAKES, SAR_E_PUL, "2021-08-04", mention_ids=("m7",))
    assert rows_of(derive_control([e5], {"m7": m7})) == [("Sar-e Pul", "2021-08-04", "taliban")]
    # a later report that the town fell wins; the holder entering it again adds basis
    fell = "Sar-e-Pul fell to the Taliban on Friday after two days of fighting, officials said."
    m5 = mention("m5", fell, "fell to", SAR_E_PUL, "Sar-e-Pul", day="2021-08-06")
    e3 = ev("e3", OVERTAKES, SAR_E_PUL, "2021-08-06", mention_ids=("m5",))
    again = "Taliban fighters entered Sar-e-Pul again on Monday, residents said."
    m6 = mention("m6", again, "entered", SAR_E_PUL, "Sar-e-Pul", day="2021-08-09")
    e4 = ev("e4", OVERTAKES, SAR_E_PUL, "2021-08-09", mention_ids=("m6",))
    rows = derive_control([e1, e3, e4], {**mentions, "m5": m5, "m6": m6})
    assert rows_of(rows) == [("Sar-e Pul", "2021-08-04", "contested"),
                             ("Sar-e Pul", "2021-08-06", "taliban")]
    assert rows[-1].event_ids == ("e3", "e4")


def test_a_vague_change_is_dated_when_it_is_known_to_have_happened() -> None:
    """'... captured, bringing the total to 37 since May 1' (published 19 June): the map
    shows the change on the 19th, not on 1 May."""
    assert SHAHRAK is not None
    since = ev("s1", OVERTAKES, SHAHRAK, "2021-05-01", end="2021-06-19", precision="range")
    assert rows_of(derive_control([since])) == [("Shahrak", "2021-06-19", "taliban")]


def test_on_one_day_the_change_backed_by_its_actor_wins() -> None:
    """'Security forces re-captured the district' read as a capture with no actor1, beside
    the army's recapture the same day: the district is the government's."""
    assert KALDAR is not None
    misread = ev("o1", OVERTAKES, KALDAR, "2021-07-26", a1=None, a2=ARMY)
    retake = ev("r1", REGAINS, KALDAR, "2021-07-26", a1=ARMY, a2=TALIBAN)
    for order in ([misread, retake], [retake, misread]):
        assert [s.controller for s in derive_control(order)] == ["government"]
    # a report confirming a claimed change the same day keeps the confirmed row
    claim = ev("c1", REGAINS, KALDAR, "2021-07-23", a1=ARMY, a2=TALIBAN, status="claimed")
    rows = derive_control([claim, misread, retake])
    assert [(s.date.day, s.controller, s.confirmed) for s in rows] == [
        (23, "government", False), (26, "government", True)]


# ---- scoring -------------------------------------------------------------------------

def test_gold_controller_names_and_crossing_units_are_scored() -> None:
    from sitrep.evaluate.gold import Gold
    from sitrep.evaluate.ledger import score_control

    assert controller_key("NRF: National Resistance Front") == "nrf"
    assert controller_key("Government") == "government" and controller_key("Taliban") == "taliban"
    crossing = GAZ.get("site:torghundi")
    assert crossing is not None
    state = ControlState(unit_id=crossing.id, unit_name=crossing.name, unit_level="border_crossing",
                         admin1=crossing.admin1, date=dt.date(2021, 7, 9), controller="taliban",
                         confirmed=True, event_ids=("e",), evidence=(), lat=None, lon=None)
    class StoredGold(Gold):  # every gold event counts as stored
        def in_store(self, entry: Any) -> bool:
            return True

    g = {"id": "G1", "event_date": "2021-07-09", "date_precision": "day",
         "control_change": {"unit": "Torghundi border crossing", "unit_level": "border_crossing",
                            "new_controller": "Taliban"}}
    result = score_control(StoredGold("", {"events": [g]}), [state])
    assert result["correct"] == 1, result["rows"]


EXTRA = Path(__file__).resolve().parents[1] / ".." / "news_extra" / "gold.json"


@pytest.mark.skipif(not EXTRA.exists(), reason="news_extra (../news_extra) is not present")
def test_every_gold_controller_of_news_extra_is_a_side_or_state() -> None:
    events = json.loads(EXTRA.read_text(encoding="utf-8"))["events"]
    names = {e["control_change"]["new_controller"] for e in events if e.get("control_change")}
    assert names and all(load_sides().key_of(n) for n in names), names
    assert load_sides().key_of("warlord militia") is None  # no guessing


def test_a_fall_told_twice_outranks_a_fight_told_in_casualties() -> None:
    """A crossing taken after a battle: two sentences tell the fall, four tell the fight
    (the dead, the wounded): a capture, as ACLED codes it. One sentence of a fall against
    a fight told thrice stays a clash (outcome unknown)."""
    from sitrep.event_values import main_type, mention_observation

    crossing = GAZ.get("site:torghundi")
    assert crossing is not None
    falls = ["The Taliban took over the border crossing after a night of fighting.",
             "Traders said the insurgents captured the crossing and raised their flag."]
    fight = ["Two guards were killed in the fighting at the crossing.",
             "Dozens of fighters were wounded in the clashes, a doctor said.",
             "Heavy fighting went on for hours near the border post.",
             "One border policeman was killed, officials said."]
    obs = [mention_observation(mention(f"f{i}", s, s.split()[3], crossing, None, place_at=0,
                                       day="2021-07-09"), {}) for i, s in enumerate(falls)]
    obs += [mention_observation(replace(mention(f"c{i}", s, s.split()[1], crossing, None,
                                                place_at=0, day="2021-07-09"),
                                        sub_event_type="Armed clash"), {})
            for i, s in enumerate(fight)]
    assert all(o is not None for o in obs)
    assert main_type([o for o in obs if o is not None]) == OVERTAKES
    assert main_type([o for o in obs[1:-1] if o is not None]) == "Armed clash"


def test_a_report_naming_no_unit_of_its_own_changes_no_town() -> None:
    """A key town taken somewhere in Kandahar province, a province resolved to its
    capital town, a trip to Kabul, a border crossing taken while the place read is a
    town: none is a change of the town the place resolved to."""
    kandahar = GAZ.get("gn:1138336")
    assert kandahar is not None and KABUL is not None
    town = "The insurgents said they had seized a strategic town in Kandahar on Wednesday."
    m1 = mention("m1", town, "seized", kandahar, "Kandahar", day="2021-07-14")
    prov = "Fighters overran a border post in the southern Kandahar province overnight."
    m2 = mention("m2", prov, "overran", kandahar, "Kandahar", day="2021-07-14")
    trip = "The commander was last seen before his departure to Kabul two weeks ago."
    m3 = mention("m3", trip, "departure", KABUL, "Kabul", day="2021-07-01",
                 sub="Non-violent transfer of territory")
    crossing = "Insurgents captured the country's key border crossing with Iran overnight."
    m5 = mention("m5", crossing, "captured the country's key border crossing", kandahar, None,
                 place_at=40, day="2021-07-14")
    for m, place in ((m1, kandahar), (m2, kandahar), (m3, KABUL), (m5, kandahar)):
        e = ev("e", m.sub_event_type, place, m.date.interval.start.isoformat(),  # type: ignore[union-attr]
               mention_ids=(m.id,))
        assert derive_control([e], {m.id: m}) == [], m.sentence.text
    # the town itself named as what fell is a change
    fall = "The insurgents said they had seized Kandahar city on Wednesday."
    m4 = mention("m4", fall, "seized", kandahar, "Kandahar", day="2021-07-14")
    e4 = ev("e4", OVERTAKES, kandahar, "2021-07-14", mention_ids=("m4",))
    assert [s.controller for s in derive_control([e4], {"m4": m4})] == ["taliban"]


def test_units_named_in_a_list_after_the_trigger_are_changes_of_their_own() -> None:
    """'districts including Kahmard' is no 'districts in' (an unnamed district), and a
    name before the cue names the unit: 'the retaking of Malistan districts in Ghazni
    and Kaldar district in Balkh' retakes Kaldar."""
    assert KALDAR is not None and SHAHRAK is not None
    listed = ("The militants have captured three districts including Pasaband in Ghor "
              "province and Shahrak in the same province over the past day.")
    m1 = mention("m1", listed, "captured three districts", SHAHRAK, "Shahrak", day="2021-07-13")
    e1 = ev("e1", OVERTAKES, SHAHRAK, "2021-07-13", mention_ids=("m1",))
    assert rows_of(derive_control([e1], {"m1": m1})) == [("Shahrak", "2021-07-13", "taliban")]
    named = ("The government announced the retaking of Malistan districts in Ghazni and "
             "Kaldar district in Balkh from Taliban forces.")
    m2 = mention("m2", named, "retaking of", KALDAR, "Kaldar", day="2021-07-18", sub=REGAINS)
    e2 = ev("e2", REGAINS, KALDAR, "2021-07-18", a1=ARMY, a2=TALIBAN, mention_ids=("m2",))
    assert [s.controller for s in derive_control([e2], {"m2": m2})] == ["government"]
    # an unnamed district in the place is still no change of it
    unnamed = "The militants have captured a district in Kaldar area of Balkh overnight."
    m3 = mention("m3", unnamed, "captured", KALDAR, "Kaldar", day="2021-07-13")
    e3 = ev("e3", OVERTAKES, KALDAR, "2021-07-13", mention_ids=("m3",))
    assert derive_control([e3], {"m3": m3}) == []


def test_a_province_changes_hands_only_when_a_report_names_it_as_taken() -> None:
    """'took control of Panjshir province' is a change of the province, dated by that
    report (a month-level recap of it waits for the day-level report); 'overran eight
    districts of Panjshir' and 'fighting in Panjshir province' are not."""
    panjshir = GAZ.get("AF08")
    assert panjshir is not None and panjshir.kind == "province"
    recap = ("The Taliban claimed they have taken control of Panjshir province, the last "
             "holdout since their blitz last month.")
    m1 = mention("m1", recap, "taken control of", panjshir, "Panjshir", day="2021-08-24")
    m1 = replace(m1, recap=True, date=DateRef(Span(0, 1, "last month"), DateInterval(
        dt.date(2021, 8, 1), dt.date(2021, 8, 31), "month")))
    resist = "Massoud promised to resist if Taliban forces try to enter the valley."
    m2 = mention("m2", resist, "enter", panjshir, None, place_at=10, day="2021-08-24")
    e1 = ev("e1", OVERTAKES, panjshir, "2021-08-23", end="2021-08-24", precision="range",
            mention_ids=("m1", "m2"))
    news = "The Taliban claims it has taken control of holdout province Panjshir."
    m3 = mention("m3", news, "taken control of", panjshir, "Panjshir", day="2021-09-06",
                 start=900)
    counted = "Thousands of Taliban fighters overran eight districts of Panjshir overnight."
    m4 = mention("m4", counted, "overran", panjshir, "Panjshir", day="2021-09-05", start=1200)
    e2 = ev("e2", OVERTAKES, panjshir, "2021-09-05", end="2021-09-06", precision="range",
            mention_ids=("m3", "m4"))
    states = derive_control([e1, e2], {m.id: m for m in (m1, m2, m3, m4)})
    assert rows_of(states) == [("Panjshir", "2021-09-06", "taliban")]
    assert states[0].unit_level == "province"
    assert [ev.quote for ev in states[0].evidence] == [news, recap] or \
        {ev.quote for ev in states[0].evidence} == {news, recap}
    e4 = ev("e4", OVERTAKES, panjshir, "2021-09-05", mention_ids=("m4",))
    fight = ev("e5", "Armed clash", panjshir, "2021-09-04", a1=TALIBAN, a2=NRF)
    assert derive_control([e4, fight], {"m4": m4}) == []


def test_a_change_told_since_a_day_is_dated_by_the_day_report_inside_its_span() -> None:
    """'Since Friday the Taliban have captured ..., Taloqan, ...' (6-10 August) and a
    report of Taloqan's fall on the 8th: one change, on the 8th; alone, the span's end."""
    taloqan = GAZ.get("gn:1123004")
    assert taloqan is not None
    since = ev("s1", OVERTAKES, taloqan, "2021-08-06", end="2021-08-10", precision="range")
    fall = ev("d1", OVERTAKES, taloqan, "2021-08-08")
    rows = derive_control([since, fall])
    assert [(s.date.isoformat(), s.controller) for s in rows] == [("2021-08-08", "taliban")]
    assert set(rows[0].event_ids) == {"s1", "d1"}
    assert [s.date.isoformat() for s in derive_control([since])] == ["2021-08-10"]
    # 'yesterday or today' (no date expression) keeps its first day: at most a day early
    recent = ev("y1", OVERTAKES, taloqan, "2021-08-07", end="2021-08-08", precision="range")
    assert [s.date.isoformat() for s in derive_control([recent])] == ["2021-08-07"]


def test_a_district_centre_falling_is_its_district_falling() -> None:
    town = GAZ.get("gn:1123906")  # the town of Spin Boldak, centre of Spin Boldak district
    assert town is not None and town.kind == "city"
    rows = derive_control([ev("t1", OVERTAKES, town, "2021-07-14")])
    assert [(s.unit_id, s.unit_level, s.controller) for s in rows] == [
        ("AF2711", "district", "taliban")]
    # a provincial capital stays the city (Kandahar city is not Kandahar district)
    kandahar = GAZ.get("gn:1138336")
    assert kandahar is not None
    rows = derive_control([ev("k1", OVERTAKES, kandahar, "2021-08-13")])
    assert [(s.unit_id, s.unit_level) for s in rows] == [("gn:1138336", "provincial_capital")]


def test_a_foreign_force_handing_a_base_over_gives_it_to_the_other_side() -> None:
    bagram = GAZ.get("site:bagram-airfield")
    us = actor("Military Forces of the United States (2021-)")
    assert bagram is not None
    handover = ev("b1", "Non-violent transfer of territory", bagram, "2021-07-02", a1=ARMY, a2=us)
    assert [s.controller for s in derive_control([handover])] == ["government"]
    leaving = ev("b2", "Non-violent transfer of territory", bagram, "2021-07-02", a1=us, a2=None)
    assert [s.controller for s in derive_control([leaving])] == ["government"]


def test_the_dashboard_colours_every_side_as_the_profile_does(tmp_path: Any) -> None:
    """The dashboard takes its colours, labels and unit names from GET /profile (the
    database's conflict profile): app.js names no side of its own."""
    import re
    from pathlib import Path

    from fastapi.testclient import TestClient

    from sitrep.api import create_app
    from tests.serve.fixtures import build

    js = (Path(__file__).resolve().parents[1] / "sitrep" / "web" / "static" / "app.js").read_text(
        encoding="utf-8")
    assert re.search(r"const CONTROL = \{\};", js) and 'getJSON("/profile")' in js
    assert not re.search(r"taliban|government|#c0392b", js.split("const TYPES")[0], re.I)
    db = tmp_path / "d.duckdb"
    build(db)
    with TestClient(create_app(str(db), warm=False)) as client:
        body = client.get("/profile").json()
    shown = {c["key"]: c["colour"].lower() for c in body["controllers"]}
    want = load_sides().colours()
    assert shown == {k: v.lower() for k, v in want.items()}
    assert body["name"] == "afghanistan-2021" and body["unit_levels"]["district"]["label"] == "district"
    assert {c["key"]: c["label"] for c in body["controllers"]}["nrf"] == "National Resistance Front"


# ---- a unit named in a list after an unnamed-unit phrase; the reports' vote -------------

DEH_SALAH = GAZ.get("AF0908")


def test_a_unit_listed_after_the_districts_of_a_province_is_named() -> None:
    """'retaken three districts in Baghlan, including Banu, Deh-e Salah and Puli Hisar':
    the phrase 'districts in' names the province the listed districts lie in, not an
    unnamed unit; 'captured a key district in Baghlan province' names none."""
    assert DEH_SALAH is not None
    listed = ("On Friday, the former defence minister said that resistance forces had "
              "retaken three districts in Baghlan, including Banu, Deh-e Salah and Puli Hisar.")
    m = mention("m1", listed, "retaken", DEH_SALAH, "Deh-e Salah", day="2021-08-20",
                sub=REGAINS, a1=NRF)
    e = ev("e1", REGAINS, DEH_SALAH, "2021-08-20", a1=NRF, a2=TALIBAN, mention_ids=("m1",))
    assert rows_of(derive_control([e], {"m1": m})) == [("Deh Salah", "2021-08-20", "nrf")]
    unnamed = "The resistance said it had retaken a key district in Deh Salah on Friday."
    m2 = mention("m2", unnamed, "retaken", DEH_SALAH, "Deh Salah", day="2021-08-20",
                 sub=REGAINS, a1=NRF)
    e2 = replace(e, mention_ids=("m2",))
    assert derive_control([e2], {"m2": m2}) == []


def test_the_side_most_reports_hand_the_unit_to_wins_over_the_fused_reading() -> None:
    """Two reports of the NRF retaking Deh Salah and one misread as the Taliban's capture:
    the event fused as a Taliban takeover (the capture's precedence) still hands the
    district to the side most of its reports name (on a tie, the side a retaking names)."""
    assert DEH_SALAH is not None
    texts = [("Resistance fighters retook Deh Salah district on Friday.", "retook", REGAINS, NRF,
              "Resistance fighters"),
             ("The NRF said its forces had recaptured Deh Salah.", "recaptured", REGAINS, NRF,
              "The NRF"),
             ("The Taliban's capture of Deh Salah was reported.", "capture", OVERTAKES,
              TALIBAN, "The Taliban")]
    ms = {f"m{i}": mention(f"m{i}", s, t, DEH_SALAH, "Deh Salah", start=100 * i,
                           day="2021-08-20", sub=sub, a1=a1, a1_text=a1_text)
          for i, (s, t, sub, a1, a1_text) in enumerate(texts)}
    e = ev("e1", OVERTAKES, DEH_SALAH, "2021-08-20", mention_ids=tuple(ms))
    assert rows_of(derive_control([e], ms)) == [("Deh Salah", "2021-08-20", "nrf")]
    # a tie between a retaking and a capture: the retaking presupposes the loss, so it is
    # the state the unit is left in
    two = {k: ms[k] for k in ("m0", "m2")}
    assert rows_of(derive_control([replace(e, mention_ids=tuple(two))], two)) == [
        ("Deh Salah", "2021-08-20", "nrf")]
    # a tie between two captures keeps the fused reading
    took = {"m0": replace(ms["m0"], sub_event_type=OVERTAKES), "m2": ms["m2"]}
    assert rows_of(derive_control([replace(e, mention_ids=tuple(took))], took)) == [
        ("Deh Salah", "2021-08-20", "taliban")]
    # a report whose actor is carried in from the story (not written in it) casts no vote
    carried = {k: replace(m, actor1=ActorRef(Span(9999, 9999, ""), NRF)) for k, m in two.items()
               if k == "m0"} | {"m2": ms["m2"]}
    assert rows_of(derive_control([replace(e, mention_ids=tuple(carried))], carried)) == [
        ("Deh Salah", "2021-08-20", "taliban")]


def test_a_capture_its_sentence_writes_the_state_making_is_the_states_gain() -> None:
    """'Afghan commandos captured Kaldar district on Monday' (a capture told with the word
    a non-state gain usually takes, the state's forces written as its actor) votes for the
    state, as a 'retook' does: with them, it outvotes the one report of the Taliban's
    capture the event was fused as (Ukraine's 'capture of Lyman' is Ukraine's)."""
    assert KALDAR is not None
    texts = [("Afghan commandos captured Kaldar district on Monday.", "captured", OVERTAKES,
              ARMY, "Afghan commandos"),
             ("Government forces retook Kaldar after a night of fighting.", "retook", REGAINS,
              ARMY, "Government forces"),
             ("The Taliban's capture of Kaldar was reported.", "capture", OVERTAKES, TALIBAN,
              "The Taliban")]
    ms = {f"m{i}": mention(f"m{i}", s, t, KALDAR, "Kaldar", start=100 * i, day="2021-06-28",
                           sub=sub, a1=a1, a1_text=a1_text)
          for i, (s, t, sub, a1, a1_text) in enumerate(texts)}
    e = ev("e1", OVERTAKES, KALDAR, "2021-06-28", mention_ids=tuple(ms))
    assert rows_of(derive_control([e], ms)) == [("Kaldar", "2021-06-28", "government")]
    # after the fall of Kabul the Taliban are the state: their capture is theirs either way
    late = {k: replace(m, date=DateRef(None, DateInterval(dt.date(2021, 9, 4), dt.date(2021, 9, 4))))
            for k, m in ms.items() if k == "m2"}
    e2 = ev("e2", OVERTAKES, KALDAR, "2021-09-04", mention_ids=("m2",))
    assert rows_of(derive_control([e2], late)) == [("Kaldar", "2021-09-04", "taliban")]


def test_fighting_only_recalled_puts_no_unit_in_dispute() -> None:
    """'The group announced a general amnesty for all who fought against them in the past'
    in a Kabul story of 18 August: a fight only recalled, dated by no words of its own (the
    publication day is an upper bound), is no clash of that day, and the capital the
    Taliban took on the 15th is not contested from the 18th. Told with its own day ('fought
    them in Kabul on Tuesday'), the clash does put it in dispute."""
    assert KABUL is not None
    fell = mention("m0", "The Taliban took Kabul on Sunday.", "took", KABUL, "Kabul",
                   day="2021-08-15")
    recalled = replace(mention("m1", "In Kabul, the group announced a general amnesty for "
                               "all who fought against them in the past.", "fought", KABUL,
                               "Kabul", start=200, day="2021-08-18", sub=CLASH,
                               a1_text="the group"), recap=True)
    took = ev("e0", OVERTAKES, KABUL, "2021-08-15", mention_ids=("m0",))
    fight = ev("e1", CLASH, KABUL, "2021-08-18", a2=None, mention_ids=("m1",))
    ms = {"m0": fell, "m1": recalled}
    assert rows_of(derive_control([took, fight], ms)) == [("Kabul", "2021-08-15", "taliban")]
    dated = replace(recalled, date=replace(recalled.date, span=Span(250, 257, "Tuesday")))
    assert rows_of(derive_control([took, fight], {"m0": fell, "m1": dated})) == [
        ("Kabul", "2021-08-15", "taliban"), ("Kabul", "2021-08-18", "contested")]


def test_a_withdrawal_hands_the_unit_to_the_other_side_of_the_side_written_leaving() -> None:
    """'All American and NATO troops have left Bagram': the foreign force written before
    the withdrawal trigger left, so the base goes to the government (the profile's
    ``foreign_hands_to``), whatever default actors the transfer carries; two such reports
    outvote one whose defaults hand it to the Taliban."""
    bagram = GAZ.get("site:bagram-airfield")
    assert bagram is not None
    us = actor("Military Forces of the United States (2021-)")
    texts = [("All American and NATO troops have left Bagram Airfield.", "left", us,
              "All American and NATO troops"),
             ("US forces withdrew from Bagram on Friday.", "withdrew from", us, "US forces"),
             ("The Taliban said they took over Bagram.", "took over", TALIBAN, "The Taliban")]
    ms = {f"m{i}": mention(f"m{i}", s, t, bagram, "Bagram", start=100 * i, day="2021-07-02",
                           sub=TRANSFER, a1=a1, a1_text=a1_text)
          for i, (s, t, a1, a1_text) in enumerate(texts)}
    e = ev("e1", TRANSFER, bagram, "2021-07-02", mention_ids=tuple(ms))
    assert rows_of(derive_control([e], ms)) == [("Bagram Airfield", "2021-07-02", "government")]


def test_fighting_a_report_recalls_does_not_outvote_the_change_of_the_day() -> None:
    """'Russia claimed to have captured Mariupol on Friday', beside 'this comes after a
    nearly three-month siege' and 'the steel mill had been the site of fierce fighting for
    weeks' (recaps): a capture, the siege is what led to it. Told as news of the day, the
    same two fights outvote the one claim (outcome unknown)."""
    from sitrep.event_values import main_type, mention_observation

    # (no actor1: the helper's default, the Taliban, are the Afghan state in 2022 and their
    # capture a regain, ``event_values.by_gainer``)
    claim = mention("m0", "Russia claimed to have captured Mariupol on Friday.", "captured",
                    SAR_E_PUL, None, place_at=0, day="2022-05-20", a1=None)
    fights = [replace(mention(f"c{i}", s, t, SAR_E_PUL, None, start=100 * (i + 1), place_at=0,
                              day="2022-05-20"), sub_event_type="Armed clash", recap=True)
              for i, (s, t) in enumerate([
                  ("This comes after a nearly three-month siege of the port city.", "siege"),
                  ("The steel mill had been the site of fierce fighting for weeks.",
                   "fierce fighting")])]
    obs = [mention_observation(m, {}) for m in (claim, *fights)]
    assert all(o is not None for o in obs)
    assert main_type([o for o in obs if o is not None]) == OVERTAKES
    news = [mention_observation(replace(m, recap=False), {}) for m in fights]
    assert main_type([o for o in [obs[0], *news] if o is not None]) == "Armed clash"


def test_a_withdrawal_naming_no_one_leaving_changes_no_unit() -> None:
    """'people helping the injured leave the area' read as a transfer: no side is written
    leaving, so the defaults the event carries hand the town to no one."""
    m = mention("m0", "People were helping the injured leave the area near the hospital.",
                "leave the area", SAR_E_PUL, None, place_at=0, sub=TRANSFER)
    e = ev("e1", TRANSFER, SAR_E_PUL, "2021-08-06", mention_ids=("m0",))
    assert derive_control([e], {"m0": m}) == []
    assert rows_of(derive_control([e])) == [("Sar-e Pul", "2021-08-06", "taliban")]  # no reports


def test_a_report_naming_no_unit_does_not_date_the_change_a_recap_gives() -> None:
    """'entered several settlements on the way to Sar-e Pul on Aug. 9' (no unit of its
    own: the settlements) fused with 'retook control of Sar-e Pul last month': the change
    rests on the recap alone, vague, and a day-level report of it on 11 Aug dates it."""
    month = DateInterval(dt.date(2021, 8, 1), dt.date(2021, 8, 31), "month")
    recap = replace(mention("m0", "Afghan forces retook control of Sar-e Pul last month.",
                            "retook", SAR_E_PUL, "Sar-e Pul", sub=REGAINS, a1=ARMY,
                            a1_text="Afghan forces"),
                    recap=True, date=DateRef(None, month))
    on_way = mention("m1", "Afghan forces entered several settlements on the way to Sar-e Pul "
                     "on Aug. 9.", "entered several settlements", SAR_E_PUL, "Sar-e Pul",
                     start=700, day="2021-08-09", sub=REGAINS, a1=ARMY, a1_text="Afghan forces")
    day = mention("m2", "Afghan forces retook Sar-e Pul on Wednesday.", "retook", SAR_E_PUL,
                  "Sar-e Pul", start=900, day="2021-08-11", sub=REGAINS, a1=ARMY,
                  a1_text="Afghan forces")
    e = ev("e1", REGAINS, SAR_E_PUL, "2021-08-09", a1=ARMY, a2=TALIBAN, mention_ids=("m0", "m1"))
    e2 = ev("e2", REGAINS, SAR_E_PUL, "2021-08-11", a1=ARMY, a2=TALIBAN, mention_ids=("m2",))
    ms = {"m0": recap, "m1": on_way, "m2": day}
    assert rows_of(derive_control([e, e2], ms)) == [("Sar-e Pul", "2021-08-11", "government")]


def test_the_profile_reads_an_actors_side_once_for_control_and_extraction() -> None:
    """Profile.side_of is the one reading of an actor's side (the control timeline and the
    extractor's withdrawal rule both use it): name words first, then a force of no theatre
    country ('foreign'), then the ACLED inter code; a party of no side is None."""
    from sitrep.model import Actor

    afghanistan, ukraine = load_profile("afghanistan-2021"), load_profile("ukraine-2022")
    assert afghanistan.side_of(Actor("t", "Taliban", 2, "Afghanistan")) == "taliban"
    assert afghanistan.side_of(Actor("g", "Military Forces of Afghanistan (2014-2021)", 1,
                                     "Afghanistan")) == "government"
    assert afghanistan.side_of(Actor("u", "Military Forces of the United States (2021-)", 8,
                                     "United States")) == "foreign"
    assert afghanistan.side_of(Actor("c", "Civilians (Afghanistan)", 7, "Afghanistan")) is None
    # Russia is a theatre country of the Ukraine profile: its forces hold ground there
    assert ukraine.side_of(Actor("r", "Military Forces of Russia (2000-)", 8, "Russia")) == "russia"
    assert ukraine.side_of(None) is None


def test_a_report_at_the_province_with_no_date_of_its_own_does_not_date_the_change() -> None:
    """Fusion joined 'our fighters are liberating the land of Sar-e Pul province' (read at
    the province, dated by its article, two days early) to the government's retaking of
    the town: the change takes the town's report's day (the province's report still tells
    it: beside an entry into the town, the whole place taken). A report of many
    units that dates itself ('districts were retaken on Friday') still vouches for the
    event's day."""
    province = GAZ.get("AF23")
    assert province is not None and province.kind == "province"
    wide = mention("m0", "Our fighters are liberating the land of Sar-e Pul province.",
                   "liberating", province, "Sar-e Pul province", day="2021-08-09", sub=REGAINS,
                   a1=ARMY, a1_text="Our fighters")
    town = mention("m1", "Afghan forces retook the city of Sar-e Pul on Wednesday.", "retook",
                   SAR_E_PUL, "Sar-e Pul", start=900, day="2021-08-11", sub=REGAINS, a1=ARMY,
                   a1_text="Afghan forces")
    e = ev("e1", REGAINS, SAR_E_PUL, "2021-08-09", a1=ARMY, a2=TALIBAN, mention_ids=("m0", "m1"))
    assert rows_of(derive_control([e], {"m0": wide, "m1": town})) == [
        ("Sar-e Pul", "2021-08-11", "government")]
    # it still tells the change: beside an entry into the town it is the whole place taken
    entry = mention("m3", "Afghan forces entered the city of Sar-e Pul on Wednesday.",
                    "entered", SAR_E_PUL, "Sar-e Pul", start=900, day="2021-08-11", sub=REGAINS,
                    a1=ARMY, a1_text="Afghan forces")
    e = ev("e1", REGAINS, SAR_E_PUL, "2021-08-09", a1=ARMY, a2=TALIBAN, mention_ids=("m0", "m3"))
    assert rows_of(derive_control([e], {"m0": wide, "m3": entry})) == [
        ("Sar-e Pul", "2021-08-11", "government")]
    friday = DateRef(Span(1040, 1046, "Friday"),
                     DateInterval(dt.date(2021, 8, 6), dt.date(2021, 8, 6)))
    many = replace(mention("m2", "The districts were retaken on Friday, the governor said.",
                           "retaken", SAR_E_PUL, None, start=1000, place_at=900, sub=REGAINS,
                           a1=ARMY), date=friday)
    e = ev("e1", REGAINS, SAR_E_PUL, "2021-08-06", a1=ARMY, a2=TALIBAN, mention_ids=("m2", "m1"))
    assert rows_of(derive_control([e], {"m2": many, "m1": town})) == [
        ("Sar-e Pul", "2021-08-06", "government")]


def test_a_report_located_only_near_a_town_changes_no_control_of_it() -> None:
    """'The Taliban overran the hills north of Kandahar' read near Kandahar (basis NEAR): the
    hills changed hands, not the city; read in Kandahar itself it is the city's fall."""
    from sitrep.model import NEAR

    kandahar = GAZ.get("gn:1138336")
    assert kandahar is not None
    m = mention("m0", "The Taliban overran Kandahar on Friday.", "overran", kandahar, "Kandahar")
    e = ev("e1", OVERTAKES, kandahar, "2021-08-06", mention_ids=("m0",))
    assert rows_of(derive_control([e], {"m0": m})) == [("Kandahar", "2021-08-06", "taliban")]
    assert m.place is not None
    near = replace(m, place=replace(m.place, basis=NEAR))
    assert derive_control([e], {"m0": near}) == []
