"""Every kind of bad input gets one clear failure; the rest of the batch is stored."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.ingest import IngestOptions, ingest, ingest_into
from sitrep.store import Store

GOOD = ("The Taliban captured the district of Panjwai on Sunday, July 4, 2021 after a night of heavy "
        "fighting with government forces, the district governor said. The insurgents seized the police "
        "headquarters and the governor's office, and dozens of families fled to Kandahar city.")


def _inputs(tmp: Path) -> dict[str, str]:
    files = {
        "good.txt": GOOD.encode(),
        "nul.txt": b"abc\x00def" * 20,
        "image.txt": b"\x89PNG\r\n\x1a\n" + b"0" * 50,
        "empty.txt": b"",
        "latin.txt": b"\xff\xfe" + "abc".encode("utf-16-le") + b"\x00\xd8",  # lone surrogate
        "huge.txt": b"word " * 400,
        "broken.json": b'{"text": "unterminated',
        "feed.rss": b"<rss><channel><title>x</title></channel>",
        "broken.html": b"<html><body><div><<<>>></",
        "nav.html": b"<html><head><title>t</title></head><body></body></html>",
        "short.txt": b"Share on Facebook\n\nBreaking news\n\nI subscribe",
        "lines.jsonl": (json.dumps({"text": GOOD.replace("Sunday", "Monday")}) + "\n{oops\n").encode(),
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    return {name: str(tmp / name) for name in files}


def test_each_bad_input_fails_with_its_reason(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    result = ingest([*paths.values(), str(tmp_path / "missing.txt")], IngestOptions(max_bytes=1500))
    reasons = {Path(f.source).name: f.reason for f in result.failures}
    assert "NUL bytes" in reasons["nul.txt"]
    assert "file signature" in reasons["image.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert "byte-order mark" in reasons["latin.txt"]
    assert "1,500-byte cap" in reasons["huge.txt"]
    assert reasons["broken.json"].startswith("malformed JSON")
    assert reasons["nav.html"] == "malformed or empty HTML: no article text found"
    assert "feed" in reasons["feed.rss"] and "no entries" in reasons["feed.rss"]
    assert reasons["broken.html"].startswith(("malformed or empty HTML", "too short after cleaning"))
    assert "too short after cleaning" in reasons["short.txt"]
    assert reasons["lines.jsonl#2"].startswith("malformed JSON line")
    assert reasons["missing.txt"] == "no such file or directory"
    assert len(result.failures) == 12
    assert sorted(Path(a.source).name for a in result.articles) == ["good.txt", "lines.jsonl#1"]


def test_undecodable_bytes_are_reported(tmp_path: Path) -> None:
    f = tmp_path / "mojibake.txt"
    f.write_bytes(bytes(range(128, 256)) * 4)
    (failure,) = ingest([str(f)]).failures
    assert failure.source == str(f) and ("undecodable" in failure.reason or "binary" in failure.reason)


def test_failures_never_lose_stored_articles(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        first = ingest_into(store, [paths["good.txt"]])
        assert len(first.added) == 1 and first.failures == []
        second = ingest_into(store, list(paths.values()), IngestOptions(max_bytes=1500))
        assert second.skipped == 1 and len(second.added) == 1 and len(second.failures) == 11
        assert store.count("articles") == 2


def test_jsonl_cap_applies_per_record_not_to_the_whole_file(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    records = [json.dumps({"text": GOOD + f" Report number {i} of the series."}) for i in range(8)]
    records.insert(3, json.dumps({"text": "word " * 400}))
    f.write_text("\n".join(records) + "\n", encoding="utf-8")
    assert f.stat().st_size > 1500
    result = ingest([str(f)], IngestOptions(max_bytes=1500))
    (failure,) = result.failures
    assert failure.source == f"{f}#4" and "cap" in failure.reason
    assert len(result.articles) == 8
