"""``sitrep profile check``: a conflict profile's data files checked against each other.

:func:`sitrep.profile.load_profile` checks ``profile.yaml`` itself (keys, types, that the
files exist, the sides). This module opens the files a profile names and checks what a
profile author gets wrong in them, so a new theatre fails here with a list of problems,
each naming the file, instead of giving quietly wrong events later:

- ``places.csv`` has the gazetteer columns and loads; its province and district ids are
  unique; every row's ``kind`` is a known one; the focus country has units in it;
- ``provinces.geojson`` / ``districts.geojson`` are FeatureCollections whose features carry
  ``unit_id`` and ``name``, and every ``unit_id`` is a province / district of places.csv;
- ``villages.csv`` (optional) has its columns and its provinces exist;
- the actor books load (every ``ConfigError`` of :class:`sitrep.resolve.actors.ActorBook`),
  and ``captures.default_loser`` / ``default_rebel`` resolve in them;
- every side that lists actor words matches at least one actor of the book (else a
  capture by that side could never be credited to it).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError
from sitrep.profile import Profile, load_profile
from sitrep.resolve.actors import ActorBook
from sitrep.resolve.gazetteer import Gazetteer

__all__ = ["PLACE_COLUMNS", "PLACE_KINDS", "VILLAGE_COLUMNS", "check_profile"]

PLACE_COLUMNS = ("id", "name", "kind", "country", "country_code", "admin1", "admin2",
                 "admin1_id", "admin2_id", "lat", "lon", "population", "capital_of", "names",
                 "alt_names")
VILLAGE_COLUMNS = ("id", "name", "admin1_id", "admin2_id", "lat", "lon")
#: the place kinds the stages know; a ``site`` is a named point that is no control unit
#: (a plant, a bridge), a base, prison or border crossing is one
PLACE_KINDS = frozenset({"country", "province", "district", "city", "base", "border_crossing",
                         "prison", "site", "region"})


def check_profile(name_or_path: str | Path | Profile) -> tuple[Profile, list[str]]:
    """The profile and every problem found in its data files (empty: it is usable).
    ``profile.yaml`` defects raise ConfigError (from :func:`load_profile`)."""
    profile = name_or_path if isinstance(name_or_path, Profile) else load_profile(name_or_path)
    problems = _gazetteer_problems(profile)
    problems += _actor_problems(profile)
    return profile, problems


def _gazetteer_problems(p: Profile) -> list[str]:
    places = p.gazetteer / "places.csv"
    with places.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in PLACE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [f"{places}: missing column(s) {missing} (the columns are "
                    f"{', '.join(PLACE_COLUMNS)})"]
        rows = list(reader)
    out: list[str] = []
    units: dict[str, set[str]] = {"province": set(), "district": set()}
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        if row["id"] in seen:
            out.append(f"{places}: line {n}: id {row['id']!r} appears twice")
        seen.add(row["id"])
        if row["kind"] not in PLACE_KINDS:
            out.append(f"{places}: line {n}: kind {row['kind']!r} is not one of "
                       f"{sorted(PLACE_KINDS)}")
        if row["kind"] in units:
            units[row["kind"]].add(row["id"])
        for key in ("lat", "lon", "population"):
            if row[key] and not _number(row[key]):
                out.append(f"{places}: line {n}: {key} {row[key]!r} is not a number")
    if not any(r["country"] == p.focus_country and r["kind"] in units for r in rows):
        out.append(f"{places}: no province or district in the focus country "
                   f"{p.focus_country!r} (the 'country' column must spell it the same)")
    for level, file in (("province", "provinces.geojson"), ("district", "districts.geojson")):
        out += _polygon_problems(p.gazetteer / file, units[level], level)
    out += _village_problems(p.gazetteer / "villages.csv", units["province"])
    if not out:
        try:
            Gazetteer.load(p.gazetteer)
        except (ValueError, KeyError) as exc:
            out.append(f"{places}: does not load ({type(exc).__name__}: {exc})")
    return out


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _polygon_problems(path: Path, ids: set[str], level: str) -> list[str]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: not readable GeoJSON ({exc})"]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        return [f"{path}: not a GeoJSON FeatureCollection"]
    out = []
    for i, feat in enumerate(data["features"]):
        props = feat.get("properties") or {} if isinstance(feat, dict) else {}
        uid = props.get("unit_id")
        if not uid or not props.get("name"):
            out.append(f"{path}: feature {i}: needs properties unit_id and name")
        elif uid not in ids:
            out.append(f"{path}: feature {i}: unit_id {uid!r} is no {level} of places.csv")
    return out[:20]


def _village_problems(path: Path, provinces: set[str]) -> list[str]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in VILLAGE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [f"{path}: missing column(s) {missing}"]
        bad = [n for n, r in enumerate(reader, start=2) if r["admin1_id"] not in provinces]
    return [f"{path}: line {n}: admin1_id is no province of places.csv" for n in bad[:20]]


def _actor_problems(p: Profile) -> list[str]:
    try:
        book = ActorBook.load(p.actors, include_default=False)
    except ConfigError as exc:
        return [str(exc)]
    out = []
    for key in ("default_loser", "default_rebel"):
        name = getattr(p, key)
        if name and book.resolve(name, p.date_start) is None:
            out.append(f"{p.path}: captures.{key}: {name!r} resolves to no actor of "
                       f"{', '.join(str(a) for a in p.actors)}")
    names = [a.name.lower() for a in book.actors]
    for side in p.sides.sides:
        if side.actors and not any(rx.search(n) for rx in side.actors for n in names):
            out.append(f"{p.path}: side {side.key!r}: none of its actor words matches an "
                       "actor of the book (a capture could never be credited to it)")
    return out
