"""The embedded gazetteer: shipped tables in ``sitrep/data/gazetteer/``, indexed by name key.

No Elasticsearch and no GeoNames download: ``scripts/build_gazetteer.py`` writes a compact
table (Afghan provinces, districts, towns, curated sites; world countries and major
cities) plus the village list and simplified polygons. Loading them here costs a few tens
of milliseconds (``bench/places_eval.py`` prints the figure), once per process.

Place ids: province = adm1 pcode (``AF27``), district = adm2 pcode (``AF2704``; the three
2014 polygons that share a 2018 pcode with a neighbour get a letter suffix, ``AF3202b``
= Herat city district), town = ``gn:<geonameid>``, village = ``vil:<n>`` (a theatre's
curated ones ``vil:<slug>``, Ukraine's codifier settlements ``kt:<KATOTTG code>``), curated
site = ``site:<slug>``, country = ``country:<ISO2>``, region = ``region:<slug>``.
"""

from __future__ import annotations

import csv
import functools
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from sitrep.model import Place
from sitrep.resolve.names import name_key

__all__ = ["DATA_DIR", "Entry", "Gazetteer", "newer_district_seat"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
POINT_KINDS = {"city", "village", "base", "border_crossing", "prison"}


@dataclass(frozen=True, slots=True)
class Entry:
    """A gazetteer row: the Place plus what ranking needs (names, population, tier)."""

    place: Place
    names: tuple[str, ...]  # primary spellings (tagged by the NER ruler)
    alt_names: tuple[str, ...] = ()  # lookup-only spellings (GeoNames alternates, Dari)
    population: int = 0
    capital_of: str | None = None  # province pcode when this town is its capital
    country_code: str = ""  # ISO2
    listed_village: bool = False  # a row of villages.csv (whatever its kind: a theatre's are towns)


def newer_district_seat(place: Place) -> bool:
    """A reviewed town of the theatre (``sites_curated.csv``: ids ``site:``, inside one of
    the boundaries' districts) that news names as a district: the seat of a district newer
    than the boundaries (Takhta Pul of Kandahar). A reviewed place across the border
    (Darra Adam Khel) lies in no district of the boundaries."""
    return place.kind == "city" and place.id.startswith("site:") and bool(place.admin2_id)


def _precision(kind: str, has_point: bool, has_admin2: bool) -> int | None:
    """ACLED geo_precision: 1 a point (town, site), 2 a district, 3 a province."""
    if kind in {"country", "region"}:
        return None
    if kind == "province":
        return 3
    if kind == "district":
        return 2
    if has_point:
        return 1
    return 2 if has_admin2 else 3


def _place(row: dict[str, str]) -> Place:
    lat = float(row["lat"]) if row["lat"] else None
    lon = float(row["lon"]) if row["lon"] else None
    return Place(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        country=row["country"] or None,
        admin1=row["admin1"] or None,
        admin2=row["admin2"] or None,
        lat=lat,
        lon=lon,
        geo_precision=_precision(row["kind"], lat is not None, bool(row["admin2"])),
        admin1_id=row["admin1_id"] or None,
        admin2_id=row["admin2_id"] or None,
    )


class Gazetteer:
    """Name-key index over the shipped tables. Build with :meth:`default` or :meth:`load`."""

    def __init__(self, entries: list[Entry], directory: Path = DATA_DIR) -> None:
        self.directory = directory
        self.entries = entries
        self._by_id: dict[str, Entry] = {e.place.id: e for e in entries}
        self._primary: dict[str, list[Entry]] = defaultdict(list)
        self._alt: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            for index, names in ((self._primary, e.names), (self._alt, e.alt_names)):
                for n in names:
                    for k in _keys(n):
                        if e not in index[k]:
                            index[k].append(e)
        self._capitals = {e.capital_of: e.place for e in entries if e.capital_of}
        self._village_index: tuple[dict[str, Entry], dict[str, list[Entry]]] | None = None
        self._key_views: dict[str | None, Mapping[str, tuple[Entry, ...]]] = {}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, directory: Path = DATA_DIR) -> Gazetteer:
        """Read ``places.csv`` from ``directory`` (villages load lazily on first use)."""
        entries = []
        with (directory / "places.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                entries.append(
                    Entry(
                        place=_place(row),
                        names=tuple(n for n in row["names"].split("|") if n),
                        alt_names=tuple(n for n in row["alt_names"].split("|") if n),
                        population=int(row["population"] or 0),
                        capital_of=row["capital_of"] or None,
                        country_code=row["country_code"] or "",
                    )
                )
        return cls(entries, directory)

    @staticmethod
    def default() -> Gazetteer:
        """The gazetteer of the active conflict profile (:mod:`sitrep.profile`; the shipped
        Afghan tables by default), loaded once per process."""
        from sitrep.profile import active_profile

        return Gazetteer.at(active_profile().gazetteer)

    @staticmethod
    @functools.cache
    def at(directory: Path) -> Gazetteer:
        """The gazetteer in ``directory`` (a profile's ``gazetteer`` folder), loaded once
        per process."""
        return Gazetteer.load(directory)

    # ------------------------------------------------------------------ lookup

    def get(self, place_id: str) -> Place | None:
        """The Place with this id (any kind, villages included: ``vil:``, a codifier's
        ``kt:``), or None."""
        e = self._by_id.get(place_id) or self._villages()[0].get(place_id)
        return e.place if e else None

    def entry(self, place_id: str) -> Entry | None:
        return self._by_id.get(place_id)

    def lookup(self, key: str) -> tuple[list[Entry], list[Entry]]:
        """Entries whose primary / alternate spellings have this name key (exact)."""
        nospace = key.replace(" ", "")
        prim = self._primary.get(key) or self._primary.get(nospace) or []
        alt = self._alt.get(key) or self._alt.get(nospace) or []
        return list(prim), [e for e in alt if e not in prim]

    def villages(self, key: str) -> list[Entry]:
        """Villages (``villages.csv``, optional: abubaker47's for Afghanistan, filtered to
        their province; a theatre's curated ones) with this name key."""
        return list(self._villages()[1].get(key, []))

    def keys(self, *, country_code: str | None = None) -> Mapping[str, tuple[Entry, ...]]:
        """Primary and alternate name keys (for fuzzy matching), optionally one country only.

        Built once per country code and shared (read-only): callers run it per sentence."""
        view = self._key_views.get(country_code)
        if view is None:
            out: dict[str, list[Entry]] = defaultdict(list)
            for index in (self._primary, self._alt):
                for k, es in index.items():
                    for e in es:
                        if country_code is None or e.country_code == country_code:
                            out[k].append(e)
            view = self._key_views[country_code] = MappingProxyType(
                {k: tuple(es) for k, es in out.items()})
        return view

    def capital_of(self, province_id: str) -> Place | None:
        """The provincial capital (a town Place) of a province pcode, e.g. AF27 -> Kandahar."""
        return self._capitals.get(province_id)

    def capital_province(self, place_id: str) -> str | None:
        """The province pcode a town is the capital of, or None (not a provincial capital)."""
        e = self._by_id.get(place_id)
        return e.capital_of if e else None

    def ruler_names(self) -> Iterator[tuple[str, Place]]:
        """Every primary spelling with its Place (the NER ruler tags these)."""
        for e in self.entries:
            for n in e.names:
                yield n, e.place

    # ------------------------------------------------------------------ polygons

    def units_geojson(self, level: Literal["province", "district"]) -> dict[str, Any]:
        """Province or district polygons (simplified) with ``unit_id`` = pcode, ``name``, ``admin1``."""
        files = {"province": "provinces.geojson", "district": "districts.geojson"}
        if level not in files:
            raise ValueError(f"units_geojson: level must be 'province' or 'district', not {level!r}")
        return _read_json(self.directory / files[level])

    # ------------------------------------------------------------------ internals

    def _villages(self) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
        """Villages are 7k rows used only as a last resort: load them on first use."""
        if self._village_index is None:
            self._village_index = self._load_villages()
        return self._village_index

    def _load_villages(self) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
        by_id: dict[str, Entry] = {}
        by_key: dict[str, list[Entry]] = defaultdict(list)
        if not (self.directory / "villages.csv").is_file():  # optional in a profile
            return by_id, {}
        with (self.directory / "villages.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                prov = self.get(row["admin1_id"])
                dist = self.get(row["admin2_id"]) if row["admin2_id"] else None
                place = Place(
                    id=row["id"],
                    name=row["name"],
                    kind=row.get("kind") or "village",  # a theatre's settlements may all be towns
                    country=prov.country if prov else None,
                    admin1=prov.name if prov else None,
                    admin2=dist.name if dist else None,
                    lat=float(row["lat"]) if row["lat"] else None,  # a village may have none
                    lon=float(row["lon"]) if row["lon"] else None,
                    # a theatre's table says how exact the point is (2: approximate, its
                    # hromada's centre); without that column a point is the village's own
                    geo_precision=int(row["geo_precision"]) if row.get("geo_precision") else 1 if row["lat"] else 2,
                    admin1_id=row["admin1_id"],
                    admin2_id=row["admin2_id"] or None,
                )
                code = self._by_id[row["admin1_id"]].country_code if prov else ""
                # one row per spelling: the first names the village ('Bilohorivka', then
                # 'Bilogorivka'), the others find it
                e = by_id.setdefault(row["id"], Entry(place=place, names=(row["name"],), country_code=code,
                                                      listed_village=True))
                if e not in by_key[name_key(row["name"])]:
                    by_key[name_key(row["name"])].append(e)
        return by_id, dict(by_key)


def _keys(name: str) -> set[str]:
    k = name_key(name)
    return {k, k.replace(" ", "")} if k else set()


@functools.cache
def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
