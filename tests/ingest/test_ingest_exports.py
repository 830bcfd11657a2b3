"""The public API of sitrep.ingest is pinned (httpx test_exported_members style)."""

import sitrep.ingest


def test_exported_members() -> None:
    assert sorted(sitrep.ingest.__all__) == [
        "IngestOptions", "IngestReport", "IngestResult", "build_article", "ingest", "ingest_documents_into",
        "ingest_into"]
    for name in sitrep.ingest.__all__:
        assert getattr(sitrep.ingest, name).__module__ == "sitrep.ingest.stage"
