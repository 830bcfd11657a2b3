"""/health, /status and /changes on an app without a watcher; reads go to the snapshot
the app's writer published, and a write through POST /ingest is published at once."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sitrep.api import create_app
from tests.watch.feeds import article


def test_health_status_changes(tmp_path: Path) -> None:
    db = tmp_path / "api.duckdb"
    with TestClient(create_app(str(db), token="t", warm=False)) as client:
        assert client.get("/health").json()["status"] == "ok"
        status = client.get("/status").json()
        assert status["watch"] is None and status["snapshot"]["articles"] == 0
        assert Path(f"{db}.snapshot").exists()
        assert client.get("/changes?since=1h").json()["items"] == []
        bad = client.get("/changes?since=yesterday")
        assert bad.status_code == 422 and "duration" in bad.json()["error"]["message"]
        assert client.get("/changes?sinse=1h").status_code == 422
        item = article(3)
        posted = client.post("/ingest", headers={"X-Sitrep-Token": "t"}, json={"articles": [
            {"text": item["text"], "url": item["link"], "outlet": "Wire", "published": "2021-06-01"}]})
        assert posted.status_code == 200, posted.text
        after = client.get("/status").json()["snapshot"]
        assert after["articles"] == 1 and after["version"] == status["snapshot"]["version"] + 1
        changes = client.get("/changes?since=1h").json()
        new = [i for i in changes["items"] if i["kind"] == "new_event"]
        assert new and new[0]["sources"][0]["url"] == item["link"]
        assert client.get(f"/changes?since={changes['as_of']}").json()["items"] == []
        assert client.get(f"/changes?after_seq={changes['last_seq']}").json()["items"] == []
