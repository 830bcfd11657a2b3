"""Exports of events, control states and claims, shared by the CLI and the HTTP API.

Researchers join sitrep's output with ACLED, so ``acled-csv`` (and Parquet) use
ACLED's column names in ACLED's order, then sitrep's extras (status, n_sources,
sources, first_reported, confidence, date_start, date_end, mention_ids, evidence as
``article_id:start-end``). ``csv``/``jsonl`` are sitrep's own shapes (jsonl is the
whole record, lossless); ``geojson`` is a FeatureCollection of points (events and
control units; optionally district polygons for district units).

ACLED conventions applied: ``time_precision`` 1 day / 2 range or week / 3 month or
year; ``event_date`` of an imprecise event is the middle of its interval (the text
only supports the interval, which the extras keep); fatalities default to 0;
``interaction`` joins the two ``inter`` codes lower first (one actor: code x 10);
``event_id_cnty`` is the country's ISO3 + a number derived from the stable event id; the
country and its codes of an event with no place are the conflict profile's focus country's.
sitrep's own event and control rows carry ``country`` and ``iso3`` the same way (a control
unit's country is its gazetteer place's), so a multi-theatre export can be split by country.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.model import Article, Claim, ControlState, Event, Evidence, stable_id, to_dict
from sitrep.ontology import CIVILIANS_INTER
from sitrep.profile import active_profile
from sitrep.resolve.gazetteer import Gazetteer

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_EXTRA_COLUMNS",
    "ARTICLE_COLUMNS",
    "CLAIM_COLUMNS",
    "CLAIM_FORMATS",
    "CLAIM_TABLE_COLUMNS",
    "CONTROL_COLUMNS",
    "CONTROL_FORMATS",
    "EVENT_COLUMNS",
    "EVENT_FORMATS",
    "acled_row",
    "article_row",
    "claim_row",
    "claim_table_row",
    "control_geojson",
    "control_row",
    "event_row",
    "events_geojson",
    "evidence_text",
    "render_control",
    "render_events",
    "to_arrow",
    "write_events_parquet",
]

DATA = Path(__file__).parent / "data"

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
ACLED_EXTRA_COLUMNS = ["status", "n_sources", "sources", "first_reported", "confidence",
                       "date_start", "date_end", "mention_ids", "evidence"]
EVENT_COLUMNS = [
    "id", "date_start", "date_end", "precision", "event_type", "sub_event_type", "actor1",
    "actor2", "country", "iso3", "admin1", "admin2", "location", "place_id", "latitude", "longitude",
    "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "status", "claimed_by",
    "confirmed_by", "n_sources", "sources", "first_reported", "confidence", "notes",
    "mention_ids", "article_ids", "evidence",
]
ARTICLE_COLUMNS = ["id", "url", "outlet", "wire", "published", "published_basis", "language",
                   "duplicate_of", "title", "source"]
CONTROL_COLUMNS = ["unit_id", "unit_name", "unit_level", "country", "iso3", "admin1", "date",
                   "controller",
                   "confirmed", "event_ids", "evidence", "lat", "lon"]
EVENT_FORMATS = ("table", "csv", "acled-csv", "jsonl", "geojson", "parquet")
CONTROL_FORMATS = ("table", "csv", "jsonl", "geojson")
CLAIM_COLUMNS = ["claimant", "statement", "quantity", "unit", "of_total", "approximate",
                 "as_of", "disputed_by", "modality", "quote", "article_id", "start", "end"]
#: the terminal table folds quantity/unit/total and the offsets into one cell each
CLAIM_TABLE_COLUMNS = ["claimant", "statement", "amount", "as_of", "modality", "disputed_by",
                       "where"]
CLAIM_FORMATS = ("table", "csv", "jsonl")
_TIME_PRECISION = {"day": 1, "range": 2, "week": 2, "month": 3, "year": 3}
_FALLBACK_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
    "Riots": "Demonstrations", "Strategic developments": "Strategic developments",
}


@cache
def _disorder_types() -> dict[str, str]:
    """sub_event_type -> ACLED disorder_type, from the ontology shipped by the typing stage."""
    path = DATA / "ontology.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {r["sub_event_type"]: r.get("disorder_type", "") for r in csv.DictReader(f)}


@cache
def _countries() -> dict[str, dict[str, str]]:
    with (DATA / "acled_countries.csv").open(encoding="utf-8") as f:
        return {r["country"]: r for r in csv.DictReader(f)}


def _country_codes(name: str) -> dict[str, str]:
    """ACLED's iso, iso3 and region of a country: the conflict profile's own codes for a
    theatre country (``countries`` in profile.yaml), else ``acled_countries.csv``."""
    known = _countries().get(name, {})
    theatre = active_profile().country(name)
    if theatre is None:
        return known
    return {"iso": str(theatre.iso) if theatre.iso else known.get("iso", ""),
            "iso3": theatre.iso3 or known.get("iso3", ""),
            "region": theatre.region or known.get("region", "")}


def _country_of(country: str | None) -> tuple[str, str]:
    """The country a row is in and its ISO3: its place's, else the profile's focus country."""
    name = country or active_profile().focus_country
    return name, _country_codes(name).get("iso3", "")


def evidence_text(evidence: Iterable[Evidence]) -> str:
    """Evidence as ``article_id:start-end`` items joined with ';'."""
    return ";".join(f"{e.article_id}:{e.start}-{e.end}" for e in evidence)


def _evidence_json(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [{"article_id": e.article_id, "start": e.start, "end": e.end, "quote": e.quote}
            for e in evidence]


# ---------------------------------------------------------------- events
def event_row(e: Event) -> dict[str, Any]:
    """sitrep's flat event row (``csv``, ``table``, GeoJSON properties)."""
    p = e.place
    country, iso3 = _country_of(p.country if p else None)
    return {
        "id": e.id, "date_start": e.date.start.isoformat(), "date_end": e.date.end.isoformat(),
        "precision": e.date.precision, "event_type": e.event_type,
        "sub_event_type": e.sub_event_type, "actor1": e.actor1.name if e.actor1 else None,
        "actor2": e.actor2.name if e.actor2 else None, "country": country, "iso3": iso3,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None, "location": p.name if p else None,
        "place_id": p.id if p else None, "latitude": p.lat if p else None,
        "longitude": p.lon if p else None, "geo_precision": p.geo_precision if p else None,
        "fatalities": e.fatalities, "fatalities_low": e.fatalities_low,
        "fatalities_high": e.fatalities_high, "status": e.status, "claimed_by": e.claimed_by,
        "confirmed_by": list(e.confirmed_by), "n_sources": e.n_sources,
        "sources": list(e.sources),
        "first_reported": e.first_reported.isoformat() if e.first_reported else None,
        "confidence": e.confidence, "notes": e.notes, "mention_ids": list(e.mention_ids),
        "article_ids": list(e.article_ids), "evidence": evidence_text(e.evidence),
    }


def _interaction(a: int | None, b: int | None) -> int | str:
    codes = sorted(c for c in (a, b) if c is not None)
    if len(codes) == 2:
        return codes[0] * 10 + codes[1]
    return codes[0] * 10 if codes else ""


def acled_row(e: Event) -> dict[str, Any]:
    """One ACLED-compatible row (ACLED's columns, then sitrep's extras)."""
    p = e.place
    country_name, _ = _country_of(p.country if p else None)
    country = _country_codes(country_name)
    iso3 = country.get("iso3") or "XXX"
    mid = e.date.start + (e.date.end - e.date.start) / 2
    inter1 = e.actor1.inter if e.actor1 else None
    inter2 = e.actor2.inter if e.actor2 else None
    stamp = (int(dt.datetime.combine(e.first_reported, dt.time(), dt.UTC).timestamp())
             if e.first_reported else "")
    row: dict[str, Any] = {
        "event_id_cnty": f"{iso3}{int(stable_id('acled', e.id)[:8], 16)}",
        "event_date": mid.isoformat(), "year": mid.year,
        "time_precision": _TIME_PRECISION.get(e.date.precision, 3),
        "disorder_type": _disorder_types().get(e.sub_event_type)
        or _FALLBACK_DISORDER.get(e.event_type, ""),
        "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "actor1": e.actor1.name if e.actor1 else "", "assoc_actor_1": "",
        "inter1": inter1 if inter1 is not None else "",
        "actor2": e.actor2.name if e.actor2 else "", "assoc_actor_2": "",
        "inter2": inter2 if inter2 is not None else "",
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == CIVILIANS_INTER else "",
        "iso": int(country["iso"]) if country.get("iso") else "", "region": country.get("region", ""),
        "country": country_name,
        "admin1": (p.admin1 or "") if p else "", "admin2": (p.admin2 or "") if p else "",
        "admin3": "", "location": p.name if p else "",
        "latitude": p.lat if p and p.lat is not None else "",
        "longitude": p.lon if p and p.lon is not None else "",
        "geo_precision": p.geo_precision if p and p.geo_precision else "",
        "source": "; ".join(e.sources), "source_scale": "", "notes": e.notes,
        "fatalities": e.fatalities or 0, "tags": "", "timestamp": stamp,
        "status": e.status, "n_sources": e.n_sources, "sources": "; ".join(e.sources),
        "first_reported": e.first_reported.isoformat() if e.first_reported else "",
        "confidence": e.confidence, "date_start": e.date.start.isoformat(),
        "date_end": e.date.end.isoformat(), "mention_ids": ";".join(e.mention_ids),
        "evidence": evidence_text(e.evidence),
    }
    return row


def events_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """A FeatureCollection of event points (null geometry when the place has no point)."""
    features = []
    for e in events:
        p = e.place
        geometry = ({"type": "Point", "coordinates": [p.lon, p.lat]}
                    if p and p.lat is not None and p.lon is not None else None)
        props = event_row(e)
        props["evidence"] = _evidence_json(e.evidence)
        features.append({"type": "Feature", "id": e.id, "geometry": geometry,
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                       lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v
                    for k, v in r.items()})
    return buf.getvalue()


def render_events(events: Sequence[Event], fmt: str) -> str:
    """Events as text in ``csv``, ``acled-csv``, ``jsonl`` or ``geojson``."""
    if fmt == "csv":
        return _csv((event_row(e) for e in events), EVENT_COLUMNS)
    if fmt == "acled-csv":
        return _csv((acled_row(e) for e in events), ACLED_COLUMNS + ACLED_EXTRA_COLUMNS)
    if fmt == "jsonl":
        return "".join(json.dumps(to_dict(e), ensure_ascii=False, sort_keys=True) + "\n"
                       for e in events)
    if fmt == "geojson":
        return json.dumps(events_geojson(events), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown event format {fmt!r}; choose one of "
                     f"{', '.join(f for f in EVENT_FORMATS if f not in ('table', 'parquet'))}")


def write_events_parquet(events: Sequence[Event], path: str | Path) -> int:
    """Write the ACLED-compatible rows (+ extras) as Parquet; returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = ACLED_COLUMNS + ACLED_EXTRA_COLUMNS
    rows = [acled_row(e) for e in events]
    numeric = {"year", "time_precision", "inter1", "inter2", "interaction", "geo_precision",
               "fatalities", "timestamp", "n_sources"}
    floats = {"latitude", "longitude", "confidence"}
    arrays = {}
    for c in columns:
        values = [r[c] if r[c] != "" else None for r in rows]
        if c in numeric:
            arrays[c] = pa.array(values, type=pa.int64())
        elif c in floats:
            arrays[c] = pa.array(values, type=pa.float64())
        else:
            arrays[c] = pa.array([None if v is None else str(v) for v in values],
                                 type=pa.string())
    pq.write_table(pa.table(arrays), str(path))
    return len(rows)


# ---------------------------------------------------------------- control
def control_row(s: ControlState) -> dict[str, Any]:
    """A flat control row: unit, country, date, controller, confirmed, basis events and evidence."""
    unit = Gazetteer.default().get(s.unit_id)
    country, iso3 = _country_of(unit.country if unit else None)
    return {"unit_id": s.unit_id, "unit_name": s.unit_name, "unit_level": s.unit_level,
            "country": country, "iso3": iso3, "admin1": s.admin1, "date": s.date.isoformat(), "controller": s.controller,
            "confirmed": s.confirmed, "event_ids": list(s.event_ids),
            "evidence": _evidence_json(s.evidence), "lat": s.lat, "lon": s.lon}


def _district_polygons() -> dict[str, Any]:
    try:
        from sitrep.resolve.gazetteer import Gazetteer

        gj = Gazetteer.default().units_geojson("district")
    except Exception:  # polygons are an optional layer: points still export
        return {}
    return {f["properties"].get("unit_id"): f["geometry"] for f in gj.get("features", [])}


def control_geojson(states: Iterable[ControlState], *, polygons: bool = False) -> dict[str, Any]:
    """Control states as points; with ``polygons`` district units get their district shape."""
    shapes = _district_polygons() if polygons else {}
    features = []
    for s in states:
        geometry = shapes.get(s.unit_id) if s.unit_level == "district" else None
        if geometry is None and s.lat is not None and s.lon is not None:
            geometry = {"type": "Point", "coordinates": [s.lon, s.lat]}
        features.append({"type": "Feature", "id": f"{s.unit_id}@{s.date.isoformat()}",
                         "geometry": geometry, "properties": control_row(s)})
    return {"type": "FeatureCollection", "features": features}


def render_control(states: Sequence[ControlState], fmt: str, *, polygons: bool = False) -> str:
    """Control states as ``csv``, ``jsonl`` or ``geojson`` text."""
    if fmt == "csv":
        rows = []
        for s in states:
            r = control_row(s)
            r["evidence"] = evidence_text(s.evidence)
            rows.append(r)
        return _csv(rows, CONTROL_COLUMNS)
    if fmt == "jsonl":
        return "".join(json.dumps(control_row(s), ensure_ascii=False) + "\n" for s in states)
    if fmt == "geojson":
        return json.dumps(control_geojson(states, polygons=polygons), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown control format {fmt!r}; choose csv, jsonl or geojson")


# ---------------------------------------------------------------- claims
def claim_row(c: Claim) -> dict[str, Any]:
    """One claim as a flat row (the ``sitrep claims`` csv / jsonl columns)."""
    return {"claimant": c.claimant, "statement": c.statement, "quantity": c.quantity,
            "unit": c.unit, "of_total": c.of_total, "approximate": c.approximate,
            "as_of": c.as_of.isoformat() if c.as_of else None,
            "disputed_by": list(c.disputed_by), "modality": c.modality,
            "quote": c.quote.text, "article_id": c.article_id,
            "start": c.quote.start, "end": c.quote.end}


def claim_table_row(c: Claim) -> dict[str, Any]:
    """A claim row for a terminal table: ``amount`` ('~100 of 400 districts') and
    ``where`` ('<article id prefix>:start-end') fold several columns into one cell."""
    r = claim_row(c)
    q = r["quantity"]
    if q is not None:
        approx = "~" if r["approximate"] else ""
        total = f" of {r['of_total']:g}" if r["of_total"] is not None else ""
        r["amount"] = f"{approx}{q:g}{total} {r['unit'] or ''}".strip()
    r["where"] = f"{str(r['article_id'])[:8]}:{r['start']}-{r['end']}"
    return r


# ---------------------------------------------------------------- articles
def article_row(a: Article, *, text: bool = False) -> dict[str, Any]:
    """One stored article as a flat row (the ``sitrep articles`` columns; + ``text``)."""
    row: dict[str, Any] = {
        "id": a.id, "url": a.url, "outlet": a.outlet, "wire": a.wire,
        "published": a.published.isoformat() if a.published else None,
        "published_basis": a.published_basis, "language": a.language,
        "duplicate_of": a.duplicate_of, "title": a.title, "source": a.source}
    if text:
        row["text"] = a.text
    return row


# ---------------------------------------------------------------- Arrow (notebooks)
#: the Arrow type of every column of the event, control, claim and article rows, so a
#: table's schema never depends on which values it happens to hold
ARROW_KINDS: dict[str, str] = {
    **dict.fromkeys(("date_start", "date_end", "first_reported", "date", "as_of", "published"),
                    "date"),
    **dict.fromkeys(("fatalities", "fatalities_low", "fatalities_high", "n_sources",
                     "geo_precision", "start", "end"), "int"),
    **dict.fromkeys(("latitude", "longitude", "confidence", "lat", "lon", "quantity",
                     "of_total"), "float"),
    **dict.fromkeys(("approximate", "confirmed"), "bool"),
    **dict.fromkeys(("confirmed_by", "sources", "mention_ids", "article_ids", "event_ids",
                     "disputed_by", "evidence"), "list"),
}


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float"
    if all(isinstance(v, list | tuple) for v in present):
        return "list"
    return "string"


def to_arrow(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """Flat rows as a ``pyarrow.Table``, one typed column each (:data:`ARROW_KINDS`;
    other columns by their values): dates as ``date32``, ``bool``, ``int64``, ``float64``,
    lists as ``list<string>``, the rest as strings."""
    import pyarrow as pa

    arrays: dict[str, Any] = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        kind = ARROW_KINDS.get(c) or _kind(values)
        if kind == "date":
            arrays[c] = pa.array([v if isinstance(v, dt.date) or v is None
                                  else dt.date.fromisoformat(str(v)) for v in values],
                                 type=pa.date32())
        elif kind == "bool":
            arrays[c] = pa.array(values, type=pa.bool_())
        elif kind == "int":
            arrays[c] = pa.array(values, type=pa.int64())
        elif kind == "float":
            arrays[c] = pa.array([None if v is None else float(v) for v in values], type=pa.float64())
        elif kind == "list":
            arrays[c] = pa.array([None if v is None else [str(x) for x in v] for v in values],
                                 type=pa.list_(pa.string()))
        else:
            arrays[c] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    return pa.table(arrays)
