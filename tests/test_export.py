"""Exports: ACLED-compatible columns, valid GeoJSON, lossless JSONL, Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from gold_mentions import gold_mentions, load_gold

from sitrep.control import derive_control
from sitrep.export import (
    ACLED_COLUMNS,
    acled_row,
    control_geojson,
    events_geojson,
    render_control,
    render_events,
    write_events_parquet,
)
from sitrep.fuse import fuse
from sitrep.model import ControlState, Event, from_dict
from sitrep.resolve.gazetteer import Gazetteer

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp,"
    "status,n_sources,sources,first_reported,confidence,date_start,date_end,mention_ids,evidence"
)


Fused = tuple[list[Event], list[ControlState]]


@pytest.fixture(scope="module")
def fused() -> Fused:
    mentions, articles, _ = gold_mentions(load_gold())
    events = fuse(mentions, articles).events
    return events, derive_control(events, {m.id: m for m in mentions})


def test_acled_csv_header_is_acleds_then_sitreps_extras(fused: Fused) -> None:
    text = render_events(fused[0], "acled-csv")
    assert text.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(fused[0])
    assert list(rows[0])[:len(ACLED_COLUMNS)] == ACLED_COLUMNS


def test_acled_row_values_follow_acled_conventions(fused: Fused) -> None:
    events = fused[0]
    panj = next(e for e in events if e.place and e.place.name == "Panjwayi"
                and e.sub_event_type == "Non-state actor overtakes territory")
    r = acled_row(panj)
    assert r["event_id_cnty"].startswith("AFG") and r["event_id_cnty"][3:].isdigit()
    assert acled_row(panj)["event_id_cnty"] == r["event_id_cnty"]  # stable
    assert (r["event_date"], r["year"], r["time_precision"]) == ("2021-07-04", 2021, 1)
    assert r["disorder_type"] == "Political violence"
    assert (r["iso"], r["region"], r["country"]) == (4, "South Asia", "Afghanistan")
    assert (r["inter1"], r["inter2"], r["interaction"]) == (2, 1, 12)
    assert r["fatalities"] == 0 and r["n_sources"] == 2
    assert r["evidence"].count(":") == len(panj.evidence)
    june = next(e for e in events if e.date.precision == "month")
    assert acled_row(june)["time_precision"] == 3
    tehran = next(e for e in events if e.place and e.place.name == "Tehran")
    assert acled_row(tehran)["country"] == "Iran"
    assert acled_row(tehran)["event_id_cnty"].startswith("IRN")


def test_geojson_is_a_valid_feature_collection(fused: Fused) -> None:
    gj = json.loads(render_events(fused[0], "geojson"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == len(fused[0])
    for f in gj["features"]:
        assert f["type"] == "Feature" and set(f) >= {"geometry", "properties"}
        if f["geometry"] is not None:
            lon, lat = f["geometry"]["coordinates"]
            assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    assert events_geojson([])["features"] == []


def test_jsonl_round_trips_every_event(fused: Fused) -> None:
    lines = render_events(fused[0], "jsonl").splitlines()
    assert [from_dict(Event, json.loads(x)) for x in lines] == fused[0]
    with pytest.raises(ValueError, match="unknown event format"):
        render_events(fused[0], "xml")


def test_parquet_has_the_acled_columns(tmp_path: Path, fused: Fused) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    assert write_events_parquet(fused[0], out) == len(fused[0])
    table = pq.read_table(out)
    assert table.column_names[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert table.num_rows == len(fused[0])
    assert set(table.column("year").to_pylist()) == {2021}


def test_control_exports_carry_units_evidence_and_polygons() -> None:
    gaz = Gazetteer.default()
    panj = gaz.get("AF2704")
    assert panj is not None
    state = ControlState(unit_id=panj.id, unit_name=panj.name, unit_level="district",
                         admin1=panj.admin1, date=dt.date(2021, 7, 4), controller="taliban",
                         confirmed=True, event_ids=("e1",), lat=panj.lat, lon=panj.lon)
    row = json.loads(render_control([state], "jsonl"))
    assert {"unit_id", "unit_name", "unit_level", "admin1", "date", "controller", "confirmed",
            "event_ids", "evidence"} <= set(row)
    assert (row["country"], row["iso3"]) == ("Afghanistan", "AFG")
    points = control_geojson([state])
    assert points["features"][0]["geometry"]["type"] == "Point"
    shapes = control_geojson([state], polygons=True)
    assert shapes["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    head = render_control([state], "csv").splitlines()[0]
    assert head.startswith("unit_id,unit_name,unit_level,country,iso3,admin1,date,controller,confirmed")
