"""The ukraine-2022 profile's control timeline: Russian captures and Ukrainian recaptures
of settlements flip control back (issue 11: Izium, Lyman, Kherson), each town its own unit
(ACLED codes Ukraine's settlements, not their raions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest

from sitrep.control import derive_control, unit_level
from sitrep.model import Actor, DateInterval, Event, Evidence, Place
from sitrep.profile import use_profile
from sitrep.resolve.actors import ActorBook
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.places import resolve_place

OVERTAKES, REGAINS = "Non-state actor overtakes territory", "Government regains territory"
TRANSFER = "Non-violent transfer of territory"


@pytest.fixture(autouse=True)
def ukraine() -> Iterator[None]:
    use_profile("ukraine-2022")
    yield
    use_profile(None)


def _actor(text: str) -> Actor:
    found = ActorBook.default().resolve(text)
    assert found is not None, text
    return found


def _town(name: str, sentence: str) -> Place:
    place = resolve_place(name, sentence=sentence)
    assert place is not None and place.kind == "city", name
    return place


def _ev(eid: str, sub: str, place: Place, day: str, a1: str, a2: str) -> Event:
    d = dt.date.fromisoformat(day)
    return Event(id=eid, date=DateInterval(d, d, "day"), event_type="Battles", sub_event_type=sub,
                 actor1=_actor(a1), actor2=_actor(a2), place=place, status="reported",
                 evidence=(Evidence(f"art-{eid}", 0, 10, "quote"),))


def test_a_raion_centre_is_its_own_settlement_unit() -> None:
    izium = _town("Izium", "Russian forces took Izium.")
    assert (izium.admin2, unit_level(izium)) == ("Izium", "city")
    assert resolve_place("Izium raion").kind == "district"  # type: ignore[union-attr]
    kherson = _town("Kherson", "Ukrainian troops entered Kherson.")
    assert unit_level(kherson) == "provincial_capital"
    assert Gazetteer.default().capital_province(kherson.id) == "UA65"


@pytest.mark.parametrize(("town", "taken", "retaken"), [
    ("Izium", "2022-04-01", "2022-09-10"),
    ("Lyman", "2022-05-26", "2022-10-01"),
    ("Kherson", "2022-03-02", "2022-11-11"),
])
def test_recapture_flips_control_back(town: str, taken: str, retaken: str) -> None:
    place = _town(town, f"Russian forces captured {town}.")
    rows = derive_control([
        _ev("a", OVERTAKES, place, taken, "Russian forces", "Ukrainian forces"),
        _ev("b", REGAINS, place, retaken, "Ukrainian forces", "Russian forces"),
    ])
    assert [(r.controller, r.date.isoformat()) for r in rows] == [("russia", taken), ("ukraine", retaken)]
    assert {r.unit_name for r in rows} == {place.name} and {r.unit_level for r in rows} <= {"city", "provincial_capital"}


@pytest.mark.parametrize(("town", "gainer", "leaver", "first", "after"), [
    # Azovstal: the garrison's surrender, as the extractor writes a transfer (actor1 the
    # side that gains: 'the Ukrainian garrison of Mariupol surrendered')
    ("Mariupol", "Russian forces", "Ukrainian forces", "ukraine", "russia"),
    # 'Russian forces withdrew from Kherson': actor1 Ukraine's forces, who take the city
    # (a giving Ukraine handed it back to Russia)
    ("Kherson", "Ukrainian forces", "Russian forces", "russia", "ukraine"),
])
def test_a_transfer_hands_the_town_to_its_actor1(town: str, gainer: str, leaver: str,
                                                 first: str, after: str) -> None:
    place = _town(town, f"Troops withdrew from {town}.")
    before = OVERTAKES if first == "russia" else REGAINS
    rows = derive_control([
        _ev("a", before, place, "2022-03-01", leaver, gainer),
        _ev("b", TRANSFER, place, "2022-05-16", gainer, leaver),
    ])
    assert [r.controller for r in rows] == [first, after]


def test_a_withdrawal_naming_only_the_side_that_left_hands_the_town_to_the_other() -> None:
    """'Russian troops withdrew from Lyman' read with the side that left as actor2 and no
    actor1: the town goes to Ukraine (and a Ukrainian withdrawal hands it to Russia)."""
    lyman = _town("Lyman", "Russian forces captured Lyman.")
    left = replace(_ev("b", TRANSFER, lyman, "2022-10-01", "Russian forces", "Russian forces"),
                   actor1=None)
    rows = derive_control([
        _ev("a", OVERTAKES, lyman, "2022-05-26", "Russian forces", "Ukrainian forces"), left])
    assert [(r.controller, r.date.isoformat()) for r in rows] == [
        ("russia", "2022-05-26"), ("ukraine", "2022-10-01")]
    retreat = replace(_ev("c", TRANSFER, lyman, "2022-05-26", "Ukrainian forces",
                          "Ukrainian forces"), actor1=None)
    rows = derive_control([retreat])
    assert [r.controller for r in rows] == ["russia"]


def test_a_curated_site_changes_hands_like_a_base() -> None:
    """Snake Island (a curated site of the Ukrainian gazetteer) taken on the first day and
    abandoned at the end of June: a unit of its own on the map, taken and handed back."""
    island = resolve_place("Snake Island", sentence="Russian forces captured Snake Island.")
    assert island is not None and island.kind == "site" and unit_level(island) == "base"
    rows = derive_control([
        _ev("a", OVERTAKES, island, "2022-02-24", "Russian forces", "Ukrainian forces"),
        _ev("b", REGAINS, island, "2022-06-30", "Ukrainian forces", "Russian forces"),
    ])
    assert [(r.controller, r.unit_level) for r in rows] == [("russia", "base"), ("ukraine", "base")]


def test_a_disputed_capture_is_contested_on_this_profiles_map() -> None:
    """'Wagner's chief claimed his men had taken Soledar; Kyiv denied it' (the event is
    disputed): the ukraine-2022 profile's sides say a claim the other side denies is no
    fact of the map (``disputed: contested``); afghanistan-2021 keeps the claimant's side,
    unconfirmed (the Taliban's claim to Panjshir). A capture reported by both stays Russia's."""
    soledar = _town("Soledar", "Wagner fighters took Soledar.")
    claim = replace(_ev("e1", OVERTAKES, soledar, "2023-01-10", "Wagner Group",
                        "Ukrainian forces"), status="disputed")
    row, = derive_control([claim])
    assert (row.controller, row.date) == ("contested", dt.date(2023, 1, 10))
    reported = replace(claim, status="reported")
    assert [s.controller for s in derive_control([reported])] == ["russia"]
    use_profile("afghanistan-2021")
    kandahar = resolve_place("Kandahar")
    assert kandahar is not None
    taken = Event(id="e2", date=DateInterval(dt.date(2021, 8, 13), dt.date(2021, 8, 13), "day"),
                  event_type="Battles", sub_event_type=OVERTAKES, place=kandahar,
                  status="disputed", evidence=(Evidence("art-e2", 0, 10, "quote"),))
    row, = derive_control([taken])
    assert (row.controller, row.confirmed) == ("taliban", False)


def test_the_disputed_convention_is_checked_on_load() -> None:
    import yaml

    from sitrep.errors import ConfigError
    from sitrep.ontology import DATA_DIR, parse_sides
    raw = yaml.safe_load((DATA_DIR / "profiles" / "ukraine-2022" / "sides.yaml").read_text(
        encoding="utf-8"))
    assert parse_sides(raw).disputed == "contested"
    with pytest.raises(ConfigError, match="disputed"):
        parse_sides({**raw, "disputed": "russia"})
