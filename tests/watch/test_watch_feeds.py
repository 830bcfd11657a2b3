"""The watcher against a local feed server (127.0.0.1), through the real pipeline:
new items are picked up within one interval, known ones skipped (conditional GET, guid),
and a 500, a timeout, a malformed feed and an endless feed fail only their own source."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitrep.changes import change_report, parse_since
from sitrep.errors import ConfigError
from sitrep.store import Store
from sitrep.watch import WatchConfig, Watcher, WatchSource, Writer, load_sources
from tests.watch.feeds import FeedServer

INTERVAL = 0.5


def _wait(condition, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
    return time.monotonic() - started


def test_new_items_within_one_interval_known_ones_skipped(tmp_path: Path) -> None:
    with FeedServer() as fs:
        fs.publish(0, 1, 2)
        config = WatchConfig((WatchSource("wire", "feed", f"{fs.url}/feed.xml", interval=INTERVAL),),
                             allow_private=True)
        writer = Writer(str(tmp_path / "db.duckdb"))
        watcher = Watcher(config, writer, batch_size=4)
        watcher.poll_round()  # the first round also loads the language model
        assert writer.store.count("articles") == 3
        watcher.start()
        try:
            polls = fs.hits["/feed.xml"]
            _wait(lambda: fs.hits["/feed.xml"] >= polls + 2)
            assert fs.not_modified >= 1  # unchanged feed: 304, nothing re-read
            fs.publish(3, 4)
            seen = _wait(lambda: watcher.status["wire"].items_new == 5 and watcher.queue == 0
                         and watcher.last_round is not None and watcher.last_round["articles_added"] == 2)
            # within one interval (plus the analysis of two tiny articles)
            assert seen < INTERVAL + 5.0, seen
        finally:
            watcher.stop()
        assert writer.store.count("articles") == 5
        status = watcher.status["wire"]
        assert status.last_error is None and status.items_seen >= 8
        writer.close()

        # a restart knows the feed's items by guid: nothing new, nothing stored twice
        writer = Writer(str(tmp_path / "db.duckdb"))
        again = Watcher(config, writer)
        summary = again.poll_round()
        assert summary is not None and summary.articles_added == 0
        assert again.status["wire"].items_new == 0 and again.status["wire"].items_seen == 5
        assert writer.store.count("articles") == 5
        writer.close()


def test_failing_sources_fail_alone_and_back_off(tmp_path: Path) -> None:
    with FeedServer() as fs:
        fs.publish(0, 1)
        fs.slow_seconds = 3.0
        sources = (
            WatchSource("good", "feed", f"{fs.url}/feed.xml", interval=INTERVAL),
            WatchSource("error", "feed", f"{fs.url}/error.xml", interval=INTERVAL),
            WatchSource("slow", "feed", f"{fs.url}/slow.xml", interval=INTERVAL, timeout=0.3, deadline=0.6),
            WatchSource("garbage", "feed", f"{fs.url}/garbage.xml", interval=INTERVAL),
            WatchSource("endless", "feed", f"{fs.url}/endless.xml", interval=INTERVAL, max_bytes=100_000),
        )
        writer = Writer(str(tmp_path / "db.duckdb"))
        watcher = Watcher(WatchConfig(sources, allow_private=True), writer)
        started = time.monotonic()
        summary = watcher.poll_round()
        assert summary is not None and summary.articles_added == 2
        assert time.monotonic() - started < 20
        status = {s["name"]: s for s in watcher.status_json()["sources"]}
        assert status["good"]["last_error"] is None and status["good"]["items_new"] == 2
        assert "HTTP 500" in status["error"]["last_error"]
        assert "timed out" in status["slow"]["last_error"] or "deadline" in status["slow"]["last_error"]
        assert "malformed" in status["garbage"]["last_error"]
        assert "cap" in status["endless"]["last_error"]
        for name in ("error", "slow", "garbage", "endless"):
            assert status[name]["failures"] == 1 and status[name]["last_success"] is None
            assert status[name]["backoff"] == 2 * INTERVAL  # doubles with each failure
        watcher.poll_round([sources[3]])
        assert watcher.status["garbage"].failures == 2 and watcher.status["garbage"].backoff == 4 * INTERVAL
        # the failing source recovers once the server does; its items are the good feed's
        # (same content): stored once
        fs.fail = False
        time.sleep(2 * INTERVAL)
        watcher.poll_round([sources[1]])
        assert watcher.status["error"].failures == 0 and watcher.status["error"].last_success
        assert writer.store.count("articles") == 2
        writer.close()


def test_changes_report_new_and_updated_events_with_sources(tmp_path: Path) -> None:
    with FeedServer() as fs:
        fs.publish(0)
        config = WatchConfig((WatchSource("wire", "feed", f"{fs.url}/feed.xml", interval=INTERVAL,
                                          outlet="Wire"),), allow_private=True)
        writer = Writer(str(tmp_path / "db.duckdb"))
        watcher = Watcher(config, writer)
        watcher.poll_round()
        first = change_report(writer.store, parse_since("1h"))
        kinds = [i["kind"] for i in first["items"]]
        assert "new_event" in kinds
        event = next(i for i in first["items"] if i["kind"] == "new_event")
        assert event["admin1"] == "Helmand" and event["sources"][0]["url"].startswith("https://wire.example/")
        # a second outlet reports the same clash: the event gains a source
        item = dict(fs.items[0])
        item.update(guid="urn:other:0", link="https://other.example/0",
                    text=item["text"].replace("(Wire)", "(Other News)").replace(
                        "a provincial spokesman said", "the district governor told reporters"))
        with fs.lock:
            fs.items.append(item)
        watcher.poll_round()
        later = change_report(writer.store, after_seq=first["last_seq"])
        updated = [i for i in later["items"] if i["kind"] == "updated_event"]
        assert updated and updated[0]["event_id"] == event["event_id"]
        assert updated[0]["changed"]["articles"] == [1, 2]
        assert {s["url"] for s in updated[0]["sources"]} == {event["sources"][0]["url"],
                                                             "https://other.example/0"}
        # asking again from as_of gives nothing twice
        assert change_report(writer.store, parse_since(later["as_of"]))["items"] == []
        writer.close()


def test_sources_file_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "sources.yaml"
    good.write_text("allow_private: true\ndefaults: {interval: 2m}\nsources:\n"
                    "  - {name: wire, feed: 'http://127.0.0.1:9/feed.xml', outlet: Wire}\n"
                    "  - {folder: /srv/inbox, interval: 30}\n", encoding="utf-8")
    config = load_sources(good)
    assert [(s.name, s.kind, s.interval) for s in config.sources] == [
        ("wire", "feed", 120.0), ("/srv/inbox", "folder", 30.0)]
    shipped = load_sources(Path(__file__).resolve().parents[2] / "examples" / "sources.yaml")
    assert {s.kind for s in shipped.sources} == {"feed", "folder"} and not shipped.allow_private
    for text, message in [("sources: []", "non-empty list"),
                          ("sources:\n  - {feed: 'ftp://x/y'}", r"not an http\(s\) URL"),
                          ("sources:\n  - {feed: 'http://x/y', every: 3}", "unknown key"),
                          ("sources:\n  - {feed: 'http://x/y', interval: soon}", "interval")]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_sources(bad)


def test_since_takes_durations_and_iso_moments() -> None:
    import datetime as dt

    now = dt.datetime(2026, 12, 6, 12, 0)
    assert parse_since("90m", now) == dt.datetime(2026, 12, 6, 10, 30)
    assert parse_since("1d", now) == dt.datetime(2026, 12, 5, 12, 0)
    assert parse_since("2026-12-06T08:00", now) == dt.datetime(2026, 12, 6, 8, 0)
    assert parse_since("2026-12-06T10:00+02:00", now) == dt.datetime(2026, 12, 6, 8, 0)
    assert parse_since("2026-12-06T08:00:00.5Z", now) == dt.datetime(2026, 12, 6, 8, 0, 0, 500000)
    from sitrep.errors import InputError

    with pytest.raises(InputError, match="duration"):
        parse_since("yesterday", now)


def test_folder_source_picks_up_new_files_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    from tests.watch.feeds import article

    (inbox / "a.txt").write_text(article(0)["text"], encoding="utf-8")
    config = WatchConfig((WatchSource("inbox", "folder", str(inbox), interval=INTERVAL),))
    writer = Writer(str(tmp_path / "db.duckdb"))
    watcher = Watcher(config, writer)
    watcher.poll_round()
    (inbox / "b.txt").write_text(article(1)["text"], encoding="utf-8")
    summary = watcher.poll_round()
    assert summary is not None and summary.articles_added == 1
    assert watcher.status["inbox"].items_new == 2
    assert writer.store.count("articles") == 2
    # the snapshot readers see holds what was committed
    with Store(f"{tmp_path / 'db.duckdb'}.snapshot", read_only=True) as snap:
        assert snap.count("articles") == 2 and snap.unanalysed_article_ids() == []
    writer.close()


def test_stop_mid_round_finishes_the_batch_and_the_next_start_does_the_rest(tmp_path: Path) -> None:
    with FeedServer() as fs:
        fs.publish(*range(12))
        config = WatchConfig((WatchSource("wire", "feed", f"{fs.url}/feed.xml", interval=60),),
                             allow_private=True)
        writer = Writer(str(tmp_path / "db.duckdb"))
        watcher = Watcher(config, writer, batch_size=3)

        class StopAfterFirstBatch(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if getattr(record, "fields", {}).get("event") == "batch_committed":
                    watcher.stop_event.set()  # what SIGTERM does

        handler, logger = StopAfterFirstBatch(), logging.getLogger("sitrep.watch")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            assert watcher.poll_round() is None  # stopped part-way
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        assert writer.store.count("articles") == 12
        assert len(writer.store.unanalysed_article_ids()) == 9  # one whole batch done
        with Store(f"{tmp_path / 'db.duckdb'}.snapshot", read_only=True) as snap:
            assert len(snap.unanalysed_article_ids()) == 9  # what was committed is published
        writer.close()
        writer = Writer(str(tmp_path / "db.duckdb"))
        summary = Watcher(config, writer, batch_size=3).poll_round()
        assert summary is not None and summary.articles_analysed == 9 and summary.articles_added == 0
        assert writer.store.unanalysed_article_ids() == []
        writer.close()


def test_changes_go_to_the_webhook_and_the_changes_file(tmp_path: Path) -> None:
    received: list[dict[str, object]] = []

    class Hook(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        with FeedServer() as fs:
            fs.publish(0, 1)
            config = WatchConfig((WatchSource("wire", "feed", f"{fs.url}/feed.xml", interval=60),),
                                 allow_private=True)
            writer = Writer(str(tmp_path / "db.duckdb"))
            out = tmp_path / "changes.jsonl"
            watcher = Watcher(config, writer, changes_file=str(out),
                              webhook=f"http://127.0.0.1:{hook.server_address[1]}/hook")
            watcher.poll_round()
            fs.publish(2)
            watcher.poll_round()
            watcher.poll_round()  # nothing new: nothing sent again
            writer.close()
    finally:
        hook.shutdown()
        hook.server_close()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines == received
    assert sum(i["kind"] == "new_event" for i in lines) == 3
    assert [i["seq"] for i in lines] == sorted({i["seq"] for i in lines})  # each change once


def test_page_source_reread_when_it_changes_and_private_addresses_refused(tmp_path: Path) -> None:
    with FeedServer() as fs:
        page = WatchSource("ministry", "url", f"{fs.url}/page.html", interval=60)
        writer = Writer(str(tmp_path / "db.duckdb"))
        watcher = Watcher(WatchConfig((page,), allow_private=True), writer)
        assert watcher.poll_round() is not None and writer.store.count("articles") == 1
        watcher.poll_round()  # the same page: nothing new
        assert watcher.status["ministry"].items_new == 1
        fs.page = 5  # the page now shows another report
        summary = watcher.poll_round()
        assert summary is not None and summary.articles_added == 1
        assert {a.url for a in writer.store.get_articles()} == {f"{fs.url}/page.html"}
        # without allow_private, a loopback source is refused (the ingest SSRF check)
        guarded = Watcher(WatchConfig((page,)), writer)
        guarded.poll_round()
        assert "non-public address" in (guarded.status["ministry"].last_error or "")
        writer.close()
