"""The ukraine-2022 profile's data: gazetteer (oblasts, 2020 raions, GeoNames towns with
their Ukrainian and Russian spellings, curated sites), transliteration tables, actor book.

Loaded directly from the profile folder (``Gazetteer.load``, ``ActorBook.load``), so these
checks do not depend on which profile the process runs with.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest
from conftest import ROOT

from sitrep.resolve.actors import ActorBook
from sitrep.resolve.gazetteer import Entry, Gazetteer
from sitrep.resolve.names import name_key
from sitrep.wordfile import read_yaml
from tests.scripts import load_script

PROFILE = ROOT / "sitrep" / "data" / "profiles" / "ukraine-2022"
GAZ = PROFILE / "gazetteer"


@functools.cache
def _gaz() -> Gazetteer:
    return Gazetteer.load(GAZ)


def _best(name: str) -> Entry:
    """The entry a bare name stands for with no context: primary spellings first, then
    alternates; the most populous town, else the first unit."""
    prim, alt = _gaz().lookup(name_key(name))
    found = prim or alt
    assert found, name
    return max(found, key=lambda e: (e.place.kind == "city", e.population))


# ------------------------------------------------------------------ transliteration

@pytest.mark.parametrize(("variants", "name", "admin1"), [
    (["Kharkiv", "Kharkov", "Khar'kov"], "Kharkiv", "Kharkiv"),
    (["Kyiv", "Kiev", "Kiyev"], "Kyiv", "Kyiv City"),
    (["Mykolaiv", "Nikolaev", "Nikolayev", "Mykolayiv"], "Mykolaiv", "Mykolaiv"),
    (["Izium", "Izyum"], "Izium", "Kharkiv"),
    (["Sievierodonetsk", "Severodonetsk", "Syeverodonetsk"], "Sievierodonetsk", "Luhansk"),
    (["Lysychansk", "Lisichansk"], "Lysychansk", "Luhansk"),
    (["Bakhmut", "Artemovsk", "Artemivsk"], "Bakhmut", "Donetsk"),
    (["Zaporizhia", "Zaporizhzhia", "Zaporozhye"], "Zaporizhia", "Zaporizhia"),
    (["Odesa", "Odessa"], "Odesa", "Odesa"),
    (["Kupiansk", "Kupyansk"], "Kupiansk", "Kharkiv"),
    (["Balakliia", "Balakleya", "Balakliya"], "Balakliia", "Kharkiv"),
    (["Sloviansk", "Slavyansk"], "Sloviansk", "Donetsk"),
    (["Kryvyi Rih", "Krivoy Rog"], "Kryvyi Rih", "Dnipropetrovsk"),
    (["Lyman", "Krasny Liman"], "Lyman", "Donetsk"),
    (["Enerhodar", "Energodar"], "Enerhodar", "Zaporizhia"),
    (["Hostomel", "Gostomel"], "Hostomel", "Kyiv"),
])
def test_spelling_variants_resolve_to_one_place(variants: list[str], name: str, admin1: str) -> None:
    places = {_best(v).place for v in variants}
    assert len(places) == 1, variants
    place = places.pop()
    assert (place.name, place.kind, place.admin1, place.country) == (name, "city", admin1, "Ukraine")


def _translit(system: str):  # type: ignore[no-untyped-def]
    build = load_script("scripts/build_gazetteer.py")
    return build.Transliterator(read_yaml(ROOT / "sitrep" / "data" / "transliteration.yaml")[system])


@pytest.mark.parametrize(("system", "cyrillic", "latin"), [
    ("ukrainian", "Ізюм", "Izium"), ("ukrainian", "Сєвєродонецьк", "Sievierodonetsk"),
    ("ukrainian", "Куп’янськ", "Kupiansk"), ("ukrainian", "Київ", "Kyiv"),
    ("ukrainian", "Згурівка", "Zghurivka"), ("ukrainian", "Єнакієве", "Yenakiieve"),
    ("ukrainian", "Запоріжжя", "Zaporizhzhia"), ("ukrainian", "Біла Церква", "Bila Tserkva"),
    ("russian", "Харьков", "Kharkov"), ("russian", "Северодонецк", "Severodonetsk"),
    ("russian", "Николаев", "Nikolayev"), ("russian", "Запорожье", "Zaporozhye"),
    ("russian", "Кривой Рог", "Krivoy Rog"), ("russian", "Артемовск", "Artemovsk"),
])
def test_romanisation_tables(system: str, cyrillic: str, latin: str) -> None:
    assert _translit(system)(cyrillic) == latin


# ------------------------------------------------------------------ admin units

def test_bucha_is_in_kyiv_oblast_and_its_raion() -> None:
    bucha = _best("Bucha").place
    assert (bucha.admin1, bucha.admin1_id, bucha.admin2, bucha.kind) == ("Kyiv", "UA32", "Bucha", "city")
    assert bucha.lat == pytest.approx(50.55, abs=0.02) and bucha.lon == pytest.approx(30.21, abs=0.02)


def test_each_oblast_centre_is_the_capital_of_its_oblast() -> None:
    g = _gaz()
    with (GAZ / "admin1.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 27
    for row in table:
        capital = g.capital_of(row["id"])
        if not row["capital_geonameid"]:  # Kyiv oblast: its centre is Kyiv City's
            assert row["id"] == "UA32" and capital is None
            continue
        assert capital is not None, row
        assert capital.id == f"gn:{row['capital_geonameid']}" and capital.admin1_id == row["id"], row
        assert g.capital_province(capital.id) == row["id"]
    assert g.capital_of("UA63").name == "Kharkiv"  # type: ignore[union-attr]
    assert g.capital_of("UA30").name == "Kyiv"  # type: ignore[union-attr]
    assert g.capital_of("UA23").name == "Zaporizhia"  # type: ignore[union-attr]


def test_oblasts_and_raions_match_their_polygons() -> None:
    g = _gaz()
    kinds = [e.place.kind for e in g.entries if e.country_code == "UA"]
    assert kinds.count("province") == 27 and kinds.count("district") == 136
    provinces = g.units_geojson("province")["features"]
    districts = g.units_geojson("district")["features"]
    assert len(provinces) == 27 and len(districts) == 135  # one raion shares its old polygon
    for f in provinces + districts:
        p = g.get(f["properties"]["unit_id"])
        assert p is not None and p.name == f["properties"]["name"] and p.admin1 == f["properties"]["admin1"]
    names = {f["properties"]["name"] for f in provinces}
    assert {"Kharkiv", "Kyiv", "Kyiv City", "Crimea", "Sevastopol", "Zaporizhia", "Odesa"} <= names


def test_towns_sit_in_their_2020_raion() -> None:
    for town, raion in [("Lyman", "Kramatorsk"), ("Popasna", "Sievierodonetsk"), ("Izium", "Izium"),
                        ("Kupiansk", "Kupiansk"), ("Mariupol", "Mariupol"), ("Kherson", "Kherson")]:
        assert _best(town).place.admin2 == raion, town
    assert _best("Kyiv").place.admin2 is None  # ACLED codes no raion in Kyiv City


def test_curated_sites() -> None:
    azovstal = _best("Azovstal").place
    assert (azovstal.kind, azovstal.admin1, azovstal.admin2) == ("site", "Donetsk", "Mariupol")
    znpp = _best("Zaporizhzhia nuclear power plant").place
    assert (znpp.id, znpp.admin1) == ("site:zaporizhzhia-npp", "Zaporizhia")
    assert _best("Kerch bridge").place.admin1 == "Crimea"
    assert _best("Snake Island").place.admin1 == "Odesa"
    assert _best("Hostomel airport").place.kind == "base"
    olenivka = _best("Olenivka prison").place  # no coordinates in any source: none invented
    assert (olenivka.kind, olenivka.lat, olenivka.admin2, olenivka.geo_precision) == ("prison", None, "Volnovakha", 2)


def test_the_stoplist_keeps_actor_and_person_names_out_of_the_ruler() -> None:
    stop = set((GAZ / "ruler_stoplist.txt").read_text(encoding="utf-8").splitlines())
    assert {"Azov", "Shevchenko"} <= stop
    assert _best("Azov").place.kind == "city"  # still resolvable when passed as a place


# ------------------------------------------------------------------ actors

@functools.cache
def _book() -> ActorBook:
    return ActorBook.load([PROFILE / "actors.yaml"], include_default=False)


@pytest.mark.parametrize(("text", "name", "inter"), [
    ("Russian troops", "Military Forces of Russia (2000-)", 8),
    ("300 Russian soldiers", "Military Forces of Russia (2000-)", 8),
    ("Kremlin forces", "Military Forces of Russia (2000-)", 8),
    ("the Russian Defence Ministry", "Military Forces of Russia (2000-)", 8),
    ("Russian warplanes", "Military Forces of Russia (2000-) Air Force", 8),
    ("Wagner mercenaries", "Wagner Group", 8),
    ("DPR forces", "DNR: Donetsk People's Republic", 2),
    ("LPR militia", "LNR: Luhansk People's Republic", 2),
    ("Ukrainian forces", "Military Forces of Ukraine (2019-)", 1),
    ("the Armed Forces of Ukraine", "Military Forces of Ukraine (2019-)", 1),
    ("ZSU", "Military Forces of Ukraine (2019-)", 1),
    ("Ukrainian prisoners of war", "Military Forces of Ukraine (2019-)", 1),
    ("Ukrainian police", "Police Forces of Ukraine (2019-)", 1),
    ("civilians", "Civilians (Ukraine)", 7),
])
def test_actor_book_resolves(text: str, name: str, inter: int) -> None:
    actor = _book().resolve(text)
    assert actor is not None and (actor.name, actor.inter) == (name, inter), text


RUS, UKR = "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"


@pytest.mark.parametrize(("text", "name"), [
    # Kyiv's officials name the other side so ('the enemy is consolidated in the town')
    ("the enemy", RUS), ("enemy shelling", RUS), ("Russian occupation troops", RUS),
    ("the aggressor", RUS), ("Kremlin-backed forces", RUS),
    # the ministry's voice: its claims are the military's
    ("Russian Defence Minister Sergei Shoigu", RUS), ("Igor Konashenkov", RUS),
    # any Russian armed noun; Russia's units come with their country
    ("Russian airborne assault troops", RUS), ("Russia's 64th Motor Rifle Brigade", RUS),
    ("Russian border guards", RUS),
    ("Ukraine's southern military command", UKR), ("Operational Command South", UKR),
    ("Ukrainian border guards", UKR), ("Ukrainian airborne assault troops", UKR),
    # a numbered unit named bare is Ukraine's, as the news cites Kyiv's General Staff
    ("the 93rd Brigade", UKR), ("the forces of the 131st Separate Intelligence Battalion", UKR),
    ("Ukraine's 93rd Mechanized Brigade", UKR),
])
def test_actor_book_theatre_wording(text: str, name: str) -> None:
    actor = _book().resolve(text)
    assert actor is not None and actor.name == name, text


def test_actor_book_armed_patterns_keep_civilians_and_foreigners() -> None:
    assert _book().resolve("Ukrainian civilians").name == "Civilians (Ukraine)"  # type: ignore[union-attr]
    assert _book().resolve("Polish border guards") is None
    assert _book().resolve("Ukrainian counteroffensive") is None


def test_actor_book_foreign_forces_and_organisations() -> None:
    assert _book().resolve("Polish troops") is None  # not the head "troops"
    assert _book().resolve("Kremlin").name == "Government of Russia (2000-)"  # type: ignore[union-attr]
    assert _book().resolve("IAEA").name == "International Atomic Energy Agency"  # type: ignore[union-attr]
    assert _book().resolve("Taliban") is None  # the Afghan book is not merged in


def test_profile_file_names_this_data() -> None:
    raw = read_yaml(PROFILE / "profile.yaml", "profile")
    assert (PROFILE / raw["gazetteer"]).resolve() == GAZ.resolve()
    assert [Path(a).name for a in raw["actors"]] == ["actors.yaml"]
    sides = read_yaml(PROFILE / raw["sides"], "sides file")
    assert set(sides["sides"]) == {"russia", "ukraine"} and "contested" in sides["states"]
    assert {c["iso2"] for c in raw["countries"]} == {"UA", "RU"} and raw["focus_country"] == "Ukraine"


def test_city_sections_name_their_city() -> None:
    # 'North Saltivka was shelled': GeoNames' sections of a city are lookup names of it
    prim, alt = _gaz().lookup(name_key("Saltivka"))
    assert not prim and [e.place.name for e in alt] == ["Kharkiv"]
    assert [e.place.name for e in _gaz().lookup(name_key("Pravyi Bereh"))[1]] == ["Mariupol"]


def test_the_republics_are_regions_not_their_capitals() -> None:
    # tagged whole, 'Donetsk' inside 'Donetsk People's Republic' is not the city
    dpr = _best("Donetsk People's Republic").place
    assert (dpr.kind, dpr.admin1, dpr.lat, dpr.geo_precision) == ("region", "Donetsk", None, None)
    assert _best("Donbas").place.kind == "region" and _best("Donbass").place.admin1 is None


def test_kind_words_of_the_theatre() -> None:
    from sitrep.resolve.names import strip_kind_words

    assert strip_kind_words("Kharkiv Oblast") == ("Kharkiv", {"province"})
    assert strip_kind_words("the Kharkiv region") == ("Kharkiv", {"province"})
    assert strip_kind_words("Izium raion") == ("Izium", {"district"})
