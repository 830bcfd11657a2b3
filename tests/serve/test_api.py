"""Every endpoint of the HTTP API, auth refusal, validation and the one error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sitrep.api import create_app
from tests.serve.fixtures import build


@pytest.fixture()
def client(tmp_path) -> TestClient:
    db = tmp_path / "api.duckdb"
    build(db)
    with TestClient(create_app(str(db), token="s3cret")) as c:
        yield c


def _is_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["status"] == status and err["message"]
    if code:
        assert err["code"] == code
    return err


def test_events_filters_sort_and_pagination(client) -> None:
    all_ = client.get("/events").json()
    assert all_["total"] == 2 and [e["id"] for e in all_["items"]] == ["e2", "e1"]  # -date
    assert [e["id"] for e in client.get("/events?sort=date").json()["items"]] == ["e1", "e2"]
    page = client.get("/events?sort=date&limit=1&offset=1").json()
    assert page["total"] == 2 and [e["id"] for e in page["items"]] == ["e2"]
    assert [e["id"] for e in client.get("/events?admin1=kandahar").json()["items"]] == ["e1"]
    assert client.get("/events?from=2021-08-01&to=2021-08-31").json()["total"] == 1
    assert client.get("/events?actor=taliban&min_sources=2").json()["total"] == 0


def test_summary_view_is_flat_and_agrees_with_the_full_view(client) -> None:
    full = client.get("/events?sort=date").json()["items"]
    rows = client.get("/events?sort=date&view=summary").json()["items"]
    assert [r["id"] for r in rows] == [e["id"] for e in full]
    first = rows[0]
    assert (first["location"], first["admin1"], first["lat"]) == ("Panjwayi", "Kandahar", 31.55)
    assert first["actor1"] == "Taliban" and first["notes"] == "Taliban seized Panjwayi district."
    assert "evidence" not in first and "mention_ids" not in first
    _is_error(client.get("/events?view=everything"), 422)


def test_event_detail_has_quotes_sources_and_offsets(client) -> None:
    e = client.get("/events/e1").json()
    (m,) = e["mentions"]
    assert m["outlet"] == "France 24" and m["url"] == "https://example.org/a"
    assert m["quote"].startswith("The Taliban seized") and (m["start"], m["end"]) == (0, 75)
    _is_error(client.get("/events/nope"), 404, "not_found")


def test_bad_dates_and_unknown_filters_are_422(client) -> None:
    err = _is_error(client.get("/events?from=2021-13-45"), 422, "validation_error")
    assert "from" in err["message"]
    err = _is_error(client.get("/events?province=Kandahar"), 422, "unknown_filter")
    assert "province" in err["message"]
    _is_error(client.get("/events?from=2021-09-01&to=2021-08-01"), 422)
    _is_error(client.get("/events?limit=0"), 422)
    _is_error(client.get("/control?as_of=yesterday"), 422)


def test_control_as_of_and_history(client) -> None:
    assert {s["unit_id"] for s in client.get("/control?as_of=2021-07-10").json()["items"]} == {"AF2704"}
    assert len(client.get("/control").json()["items"]) == 2
    hist = client.get("/control/AF2704/history").json()["items"]
    assert hist[0]["controller"] == "taliban" and hist[0]["event_ids"] == ["e1"]
    _is_error(client.get("/control/XX/history"), 404)
    changes = client.get("/control/changes?from=2021-08-01").json()["items"]
    assert [c["unit_name"] for c in changes] == ["Herat"]


def test_claims_articles_stats(client) -> None:
    (c,) = client.get("/claims").json()["items"]
    assert c["claimant"] == "Taliban" and c["disputed_by"] == ["Afghan authorities"]
    a = client.get("/articles/" + "a" * 16).json()
    assert a["outlet"] == "France 24" and "Panjwai" in a["text"]
    _is_error(client.get("/articles/zzz"), 404)
    s = client.get("/stats").json()
    assert s["events"] == 2 and s["by_admin1"] == {"Kandahar": 1, "Herat": 1}
    assert s["by_day"] == {"2021-07-04": 1, "2021-08-12": 1}


def test_ingest_requires_token(client) -> None:
    body = {"articles": [{"text": "x"}]}
    _is_error(client.post("/ingest", json=body), 401, "unauthorized")
    _is_error(client.post("/ingest", json=body, headers={"Authorization": "Bearer wrong"}), 403)
    _is_error(client.post("/ingest", json={"articles": []}, headers={"X-Sitrep-Token": "s3cret"}), 422)


def test_ingest_disabled_without_configured_token(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SITREP_API_TOKEN", raising=False)
    db = tmp_path / "x.duckdb"
    build(db)
    with TestClient(create_app(str(db))) as c:
        _is_error(c.post("/ingest", json={"articles": [{"text": "x"}]}), 403, "ingest_disabled")


def test_openapi_document_is_valid(client) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/events", "/events/{event_id}", "/control", "/control/{unit_id}/history",
                 "/claims", "/articles/{article_id}", "/stats", "/ingest", "/report"):
        assert path in doc["paths"], path
    params = {p["name"] for p in doc["paths"]["/events"]["get"]["parameters"]}
    assert {"from", "to", "admin1", "type", "min_sources", "limit", "offset", "sort"} <= params


def test_unknown_route_and_method_use_the_error_shape(client) -> None:
    _is_error(client.get("/nowhere"), 404)
    _is_error(client.delete("/events"), 405)
