"""Conflict profiles (issue 11): the loader's checks, the database's recorded profile, and a
third theatre built from data files alone (a toy Mozambique 2021 profile in a tmp folder:
profile.yaml, a five-unit gazetteer, a three-actor book) running the whole pipeline on a
realistic article written here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import sitrep
from sitrep.cli import app
from sitrep.errors import ConfigError
from sitrep.profile import (
    DEFAULT_PROFILE,
    active_profile,
    available_profiles,
    bind_profile,
    load_profile,
    restoring_profile,
    use_profile,
)
from sitrep.store import Store
from tests.scripts import load_script


@pytest.fixture(autouse=True)
def _default_profile_after() -> Iterator[None]:
    """The active profile is process-wide: every test here leaves the default active."""
    yield
    use_profile(None)


# ---------------------------------------------------------------- the toy third profile

PLACE_HEADER = ("id,name,kind,country,country_code,admin1,admin2,admin1_id,admin2_id,lat,lon,"
                "population,capital_of,names,alt_names,source")
PLACES = [
    "country:MZ,Mozambique,country,Mozambique,MZ,,,,,-18.25,35.0,29000000,,Mozambique,,test",
    "country:TZ,Tanzania,country,Tanzania,TZ,,,,,-6.0,35.0,58000000,,Tanzania,,test",
    "MZ01,Cabo Delgado,province,Mozambique,MZ,Cabo Delgado,,MZ01,,-12.3,39.6,,,Cabo Delgado,,test",
    "MZ0101,Palma,district,Mozambique,MZ,Cabo Delgado,Palma,MZ01,MZ0101,-10.78,40.47,,,Palma,,test",
    "MZ0102,Mocimboa da Praia,district,Mozambique,MZ,Cabo Delgado,Mocimboa da Praia,MZ01,MZ0102,"
    "-11.35,40.35,,,Mocimboa da Praia,Mocímboa da Praia,test",
    "gn:1,Palma,city,Mozambique,MZ,Cabo Delgado,Palma,MZ01,MZ0101,-10.78,40.47,50000,,Palma,,test",
    "gn:2,Mocimboa da Praia,city,Mozambique,MZ,Cabo Delgado,Mocimboa da Praia,MZ01,MZ0102,"
    "-11.35,40.35,30000,,Mocimboa da Praia,Mocímboa da Praia,test",
    "gn:3,Pemba,city,Mozambique,MZ,Cabo Delgado,,MZ01,,-12.97,40.52,200000,MZ01,Pemba,,test",
]


def _square(x: float, y: float, d: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d],
                                                 [x, y]]]}


def _features(units: list[tuple[str, str, tuple[float, float, float]]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"unit_id": uid, "name": name, "admin1": "Cabo Delgado",
                                           "admin1_id": "MZ01"},
         "geometry": _square(*box)} for uid, name, box in units]}


PROFILE = {
    "name": "mozambique-2021",
    "title": "Cabo Delgado 2021 (toy profile of the test suite)",
    "countries": [{"name": "Mozambique", "iso2": "MZ", "iso3": "MOZ", "iso": 508,
                   "region": "Eastern Africa", "demonym": "Mozambican"}],
    "focus_country": "Mozambique",
    "dates": {"start": "2021-01-01", "end": "2021-12-31"},
    "sides": {
        "insurgents": {"label": "Insurgents", "colour": "#8e44ad", "actors": ["islamic state"],
                       "inter": [2, 3], "insurgent": True},
        "government": {"label": "Government", "colour": "#2e86c1",
                       "actors": ["military forces of mozambique"], "inter": [1],
                       "state": {"from": "1975-06-25"}, "gives": True},
    },
    "captures": {"default_loser": "Mozambican forces", "default_rebel": "insurgents",
                 "foreign_hands_to": "government"},
    "gazetteer": "gazetteer",
    "actors": "actors.yaml",
    "unit_levels": {"province": {"label": "province"}, "district": {"label": "district"}},
    "map": {"center": [-12.0, 40.0], "zoom": 8},
}

ACTORS = {"actors": [
    {"id": "moz-military", "name": "Military Forces of Mozambique (2015-)", "inter": 1,
     "country": "Mozambique",
     "aliases": ["Mozambican forces", "Mozambican troops", "Mozambican army",
                 "Mozambican soldiers", "government forces", "security forces", "army",
                 "troops", "soldiers"]},
    {"id": "is-mozambique", "name": "Islamic State (Mozambique)", "inter": 2,
     "country": "Mozambique", "proper": True,
     "aliases": ["insurgents", "insurgent", "militants", "jihadists", "Islamic State",
                 "Islamic State-linked insurgents", "Al-Shabaab", "fighters"]},
    {"id": "civilians-mozambique", "name": "Civilians (Mozambique)", "inter": 7,
     "country": "Mozambique", "aliases": ["civilians", "residents", "villagers"]},
]}


def write_toy_profile(folder: Path) -> Path:
    """A complete profile written as data files only (no Python)."""
    gaz = folder / "gazetteer"
    gaz.mkdir(parents=True)
    (gaz / "places.csv").write_text("\n".join([PLACE_HEADER, *PLACES]) + "\n", encoding="utf-8")
    (gaz / "provinces.geojson").write_text(json.dumps(_features(
        [("MZ01", "Cabo Delgado", (39.0, -13.5, 2.0))])), encoding="utf-8")
    (gaz / "districts.geojson").write_text(json.dumps(_features(
        [("MZ0101", "Palma", (40.0, -11.0, 0.5)),
         ("MZ0102", "Mocimboa da Praia", (40.0, -11.5, 0.5))])), encoding="utf-8")
    (folder / "actors.yaml").write_text(yaml.safe_dump(ACTORS), encoding="utf-8")
    (folder / "profile.yaml").write_text(yaml.safe_dump(PROFILE, sort_keys=False),
                                         encoding="utf-8")
    return folder


#: two reports written for this test in wire style: the March 2021 fall of Palma and the
#: army's recapture a week later
ARTICLES = {
    "palma-falls.txt": """Title: Insurgents seize Mozambican town of Palma after three-day assault
Date: 2021-03-29
Outlet: Example Wire

PEMBA, Mozambique, March 29 (Example Wire) - Islamic State-linked insurgents captured the town of Palma in northern Mozambique on Sunday after a three-day assault, a defence ministry spokesman said.

Dozens of civilians were killed in the attack, which began on Wednesday, and thousands of residents fled into the bush, aid workers said.
""",
    "palma-retaken.txt": """Title: Mozambique army says it has retaken Palma
Date: 2021-04-05
Outlet: Example Wire

PEMBA, Mozambique, April 5 (Example Wire) - Mozambican forces regained control of the town of Palma on Sunday, a week after insurgents overran it, the defence ministry said.

Soldiers patrolled the streets of the town on Monday and some residents had begun to return, a spokesman said.
""",
}


@pytest.fixture()
def toy(tmp_path: Path) -> Path:
    return write_toy_profile(tmp_path / "mozambique-2021")


def test_a_third_profile_written_as_data_runs_the_whole_pipeline(toy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    checked = runner.invoke(app, ["profile", "check", str(toy)])
    assert checked.exit_code == 0, checked.output
    news = tmp_path / "news"
    news.mkdir()
    for name, text in ARTICLES.items():
        (news / name).write_text(text, encoding="utf-8")
    db = tmp_path / "moz.duckdb"

    summary = sitrep.run([str(news)], db=db, profile=toy)
    assert summary.articles_analysed == 2 and not summary.failures

    ds = sitrep.open(db)  # the database recorded the profile: no --profile needed
    assert ds.profile.name == "mozambique-2021"
    events = ds.events(min_confidence=0).to_pylist()
    palma = [e for e in events if e["location"] == "Palma"]
    assert palma, events
    assert {e["place_id"] for e in events} <= {"MZ0101", "MZ0102", "gn:1", "gn:2", "gn:3",
                                                "MZ01", "country:MZ", None}  # the toy gazetteer
    types = {e["sub_event_type"] for e in palma}
    assert {"Non-state actor overtakes territory", "Government regains territory"} <= types
    taken = next(e for e in palma if e["sub_event_type"] == "Non-state actor overtakes territory")
    assert taken["actor1"] == "Islamic State (Mozambique)"
    assert taken["actor2"] == "Military Forces of Mozambique (2015-)"  # captures.default_loser

    # the control timeline uses the profile's sides: taken, then retaken (a flip back)
    control = [(c["date"].isoformat(), c["controller"])
               for c in ds.control(min_confidence=0).to_pylist() if c["unit_name"] == "Palma"]
    assert [c for _d, c in control] == ["insurgents", "government"], control
    assert control[0][0] == "2021-03-28" and control[1][0] == "2021-04-04"

    # exports carry the profile's country codes
    acled = runner.invoke(app, ["events", "--db", str(db), "--format", "acled-csv",
                                "--min-confidence", "0"])
    assert acled.exit_code == 0, acled.output
    rows = list(csv.DictReader(io.StringIO(acled.output)))
    assert len(rows) == len(events)
    assert {(r["country"], r["iso"], r["region"]) for r in rows} == {
        ("Mozambique", "508", "Eastern Africa")}  # nothing in Afghanistan
    assert all(r["event_id_cnty"].startswith("MOZ") for r in rows)
    for command in ("events", "control"):  # sitrep's own rows too, placeless events included
        own = runner.invoke(app, [command, "--db", str(db), "--format", "csv", "--min-confidence", "0"])
        assert own.exit_code == 0, own.output
        assert {(r["country"], r["iso3"]) for r in csv.DictReader(io.StringIO(own.output))} == {
            ("Mozambique", "MOZ")}, command
    assert {(e["country"], e["iso3"]) for e in events} == {("Mozambique", "MOZ")}

    # the situation report is titled with the theatre and draws the profile's legend
    report = tmp_path / "moz.md"
    made = runner.invoke(app, ["report", "--db", str(db), "--out", str(report),
                               "--min-confidence", "0"])
    assert made.exit_code == 0, made.output
    text = report.read_text(encoding="utf-8")
    assert "Situation report: Mozambique" in text and "Palma" in text

    # a command naming another profile than the database's is refused, clearly
    wrong = runner.invoke(app, ["control", "--db", str(db), "--profile", DEFAULT_PROFILE])
    assert wrong.exit_code == 2
    assert "built with profile 'mozambique-2021'" in " ".join(wrong.output.split())


def test_the_dashboard_and_report_follow_the_database_profile(toy: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from sitrep.api import create_app

    db = tmp_path / "moz.duckdb"
    with Store(db) as st:
        bind_profile(st, str(toy), record=True)
    use_profile(None)
    with TestClient(create_app(str(db), warm=False)) as client:
        info = client.get("/profile").json()
        units = client.get("/geo/units", params={"level": "district"}).json()
    assert info["name"] == "mozambique-2021" and info["map"]["zoom"] == 8
    assert {c["key"]: c["colour"] for c in info["controllers"]}["insurgents"] == "#8e44ad"
    assert {f["properties"]["name"] for f in units["features"]} == {"Palma", "Mocimboa da Praia"}


def test_serving_a_database_with_another_profile_is_refused_and_releases_it(
        toy: Path, tmp_path: Path) -> None:
    """The app asked for another profile than the database's: a ConfigError naming
    both, and the database (writer and snapshot reader) is closed again, so the user can
    serve it with the right profile in the same process."""
    from fastapi.testclient import TestClient

    from sitrep.api import create_app

    db = tmp_path / "moz.duckdb"
    with Store(db) as st:
        bind_profile(st, str(toy), record=True)
    use_profile(None)
    with pytest.raises(ConfigError, match="built with"):
        create_app(str(db), warm=False, profile=DEFAULT_PROFILE)
    from sitrep.store import snapshot_path

    with Store(snapshot_path(str(db))) as snap:  # no read-only connection left open on it
        assert snap.get_setting("profile") == "mozambique-2021"
    with TestClient(create_app(str(db), warm=False)) as client:
        assert client.get("/profile").json()["name"] == "mozambique-2021"


@pytest.mark.parametrize(("regains", "gainer"), [(None, "government"), ("actor", "insurgents")])
def test_a_regain_goes_to_the_state_or_to_the_actors_side_as_the_profile_says(
        toy: Path, regains: str | None, gainer: str) -> None:
    """'The insurgents retook Palma' typed as a regain: with the default rule the unit goes
    to the state of the day; with ``captures.regains: actor`` (a war between two states,
    each side's forces retaking ground) to actor1's side."""
    import datetime as dt

    from sitrep.control import derive_control
    from sitrep.model import Actor, DateInterval, Event
    from sitrep.resolve.gazetteer import Gazetteer

    if regains:
        _broken(toy, {"captures": {**PROFILE["captures"], "regains": regains}})
    use_profile(toy)
    day = dt.date(2021, 4, 4)
    palma = Gazetteer.default().get("MZ0101")
    assert palma is not None and palma.country == "Mozambique"
    event = Event(id="e1", date=DateInterval(day, day), event_type="Battles",
                  sub_event_type="Government regains territory", place=palma,
                  actor1=Actor("is-mozambique", "Islamic State (Mozambique)", 2, "Mozambique"))
    assert [s.controller for s in derive_control([event])] == [gainer]


# ---------------------------------------------------------------- the loader's checks

def test_the_default_profile_is_afghanistan_2021_with_its_files() -> None:
    p = load_profile()
    assert p.name == DEFAULT_PROFILE == active_profile().name
    assert DEFAULT_PROFILE in available_profiles()
    assert p.focus_country == "Afghanistan" and p.focus.iso3 == "AFG" and p.focus.iso == 4
    assert p.sides.insurgent == "taliban" and p.default_loser == "Afghan forces"
    assert (p.gazetteer / "places.csv").is_file() and p.actors[0].name == "actors.yaml"
    assert p.controllers == {"taliban", "government", "nrf", "contested", "unconfirmed"}
    assert p.level_label("provincial_capital") == "provincial capital"
    assert {"province", "district"} <= p.tracked_levels


def _broken(toy: Path, change: dict[str, Any]) -> Path:
    raw = yaml.safe_load((toy / "profile.yaml").read_text(encoding="utf-8"))
    for key, value in change.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    (toy / "profile.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    return toy


@pytest.mark.parametrize(("change", "message"), [
    ({"focus_country": "Tanzania"}, r"focus_country: 'Tanzania' is not one of the countries"),
    ({"gazetteer": None}, r"gazetteer: missing"),
    ({"colour_of_war": "red"}, r"colour_of_war: unknown key"),
    ({"countries": [{"name": "Mozambique", "iso2": "moz"}]}, r"countries\[0\]\.iso2"),
    ({"dates": {"start": "2021-12-31", "end": "2021-01-01"}}, r"dates: end .* is before start"),
    ({"sides": {"insurgents": {"label": "I", "colour": "purple", "insurgent": True},
                "government": {"label": "G", "colour": "#2e86c1"}}}, r"sides.*colour"),
    ({"actors": "nobody.yaml"}, r"actors: .*nobody.yaml: no such file"),
    ({"unit_levels": {"oblast": {"label": "oblast"}}}, r"unit_levels.oblast: unknown level"),
    ({"captures": {"foreign_hands_to": "government", "regains": "whoever"}},
     r"regains is 'state' or 'actor'"),
])
def test_a_broken_profile_is_an_error_naming_the_file_and_the_key(
        toy: Path, change: dict[str, Any], message: str) -> None:
    path = _broken(toy, change)
    with pytest.raises(ConfigError, match=message) as err:
        load_profile(path)
    assert str(path / "profile.yaml") in str(err.value)


def test_an_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ConfigError, match=f"unknown profile 'narnia'.*{DEFAULT_PROFILE}"):
        load_profile("narnia")


def test_profile_check_reports_data_files_that_disagree(toy: Path) -> None:
    """A district polygon of no district of places.csv, and a default loser the actor
    book does not know: both named, with their file, and the command fails."""
    districts = toy / "gazetteer" / "districts.geojson"
    data = json.loads(districts.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["unit_id"] = "MZ9999"
    districts.write_text(json.dumps(data), encoding="utf-8")
    _broken(toy, {"captures": {"default_loser": "Frelimo brigades",
                               "foreign_hands_to": "government"}})
    result = CliRunner().invoke(app, ["profile", "check", str(toy)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "unit_id 'MZ9999' is no district of places.csv" in text
    assert "captures.default_loser: 'Frelimo brigades' resolves to no actor" in text


def test_a_database_records_its_profile_and_later_commands_default_to_it(
        toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITREP_PROFILE", raising=False)
    db = tmp_path / "a.duckdb"
    with Store(db) as st:  # no profile asked: the default, recorded
        assert bind_profile(st, None, record=True).name == DEFAULT_PROFILE
        assert st.get_setting("profile") == DEFAULT_PROFILE
    other = tmp_path / "b.duckdb"
    with Store(other) as st:
        bind_profile(st, str(toy), record=True)
    use_profile(None)
    with Store(other, read_only=True) as st:  # a reader gets the recorded (toy) profile
        assert bind_profile(st, None).name == "mozambique-2021"
        assert active_profile().name == "mozambique-2021"
    monkeypatch.setenv("SITREP_PROFILE", DEFAULT_PROFILE)  # the environment asks another
    with Store(other, read_only=True) as st, pytest.raises(ConfigError, match="built with"):
        bind_profile(st, None)


@pytest.mark.parametrize("name", available_profiles())
def test_every_shipped_profile_passes_its_checks(name: str) -> None:
    from sitrep.profile_check import check_profile

    profile, problems = check_profile(name)
    assert profile.name == name and problems == []


def test_a_bench_set_store_leaves_the_callers_profile_active(tmp_path: Path) -> None:
    """bench/eval_seeds.py binds each set's profile to its database; afterwards the
    process's active profile is the caller's again (a Ukraine set run in a test session
    once left every later in-process run on the Ukraine theatre)."""

    bench = load_script("bench/eval_seeds.py", "eval_seeds_for_test")
    before = active_profile().name
    db = tmp_path / "ua.duckdb"
    with Store(db) as store:
        store.set_setting("profile", "ukraine-2022")
    with bench.set_store("ukraine_extra", db, reuse=True):
        assert active_profile().name == "ukraine-2022"
    assert active_profile().name == before
    with restoring_profile():
        use_profile("ukraine-2022")
    assert active_profile().name == before
