"""Watch sources on a schedule: ``sitrep watch`` and ``sitrep serve --watch``.

    sources.yaml ─► Watcher ─ each due source, concurrently, outside the write lock ─►
        feed / url : conditional GET (ETag, Last-Modified) through ingest.fetch (SSRF
                     checks, size cap, timeout and deadline) -> ingest.readers.parse_text
        folder     : new or changed files (path, mtime, size) -> ingest.readers.read_source
    ─► items whose key (feed guid, else link; file path+mtime+size) the source delivered
       before are dropped (``watch_items``); the content hash drops the rest of the copies
    ─► Writer.writing(): ingest_documents_into + pipeline.run (batches, each one
       transaction) -> publish the read-only snapshot -> emit the new changes

One writer (:class:`Writer`: the process's only read-write ``Store``, behind a lock);
readers read the snapshot it publishes after each round (``docs/live.md``).

A source that fails (HTTP error, timeout, over the size cap, malformed feed) is logged,
its status records the error, and it is polled again after a backoff that doubles with
each consecutive failure (up to ``max_backoff``); the other sources go on.

Stopping (SIGTERM, :meth:`Watcher.stop`): the batch being analysed is finished and
committed, the rest of the round is left unanalysed and picked up by the next start
(``pipeline.run`` analyses every unanalysed article); a process killed outright loses at
most the uncommitted batch, which DuckDB rolls back and the next start redoes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sitrep.changes import change_report, iso_utc, parse_duration
from sitrep.errors import ConfigError, InputError
from sitrep.ingest import IngestOptions, ingest_documents_into
from sitrep.ingest.fetch import fetch_url
from sitrep.ingest.readers import RawDocument, decode_bytes, expand_sources, parse_text, read_source
from sitrep.logs import log_event
from sitrep.model import Failure
from sitrep.pipeline import RunOptions, RunSummary, run
from sitrep.store import Store, snapshot_path, utc_now
from sitrep.wordfile import read_yaml

__all__ = ["SourceStatus", "Stopping", "WatchConfig", "WatchSource", "Watcher", "Writer",
           "load_sources"]

log = logging.getLogger("sitrep.watch")

_KINDS = ("feed", "url", "folder")
_SOURCE_KEYS = {*_KINDS, "name", "interval", "outlet", "language", "max_bytes", "timeout", "deadline"}
_DEFAULT_KEYS = {"interval", "max_bytes", "timeout", "deadline"}
_TOP_KEYS = {"sources", "defaults", "allow_private", "max_backoff"}


class Stopping(Exception):
    """Raised between two batches when the watcher is asked to stop."""


@dataclass(frozen=True, slots=True)
class WatchSource:
    name: str
    kind: str  # feed | url | folder
    location: str  # the URL or the folder
    interval: float = 300.0  # seconds between polls
    outlet: str | None = None  # the site's name, for items whose outlet is not recognised
    language: str | None = None  # when an item declares none
    max_bytes: int = 5_000_000
    timeout: float = 15.0
    deadline: float = 60.0


@dataclass(frozen=True, slots=True)
class WatchConfig:
    sources: tuple[WatchSource, ...]
    allow_private: bool = False
    max_backoff: float = 3600.0  # seconds


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: expected seconds (a positive number) or a duration like 30s, 5m, 1h")


def load_sources(path: str | Path) -> WatchConfig:
    """Read a sources file (YAML; see ``examples/sources.yaml`` and docs/live.md)."""
    where = str(path)
    data = read_yaml(Path(path), "sources file")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(sorted(_TOP_KEYS))}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - _DEFAULT_KEYS:
        raise ConfigError(f"{where}: defaults takes {', '.join(sorted(_DEFAULT_KEYS))}")
    items = data.get("sources")
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: expected a non-empty list under 'sources'")
    sources: list[WatchSource] = []
    for n, item in enumerate(items, 1):
        at = f"{where}: sources[{n}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{at}: expected a mapping")
        if set(item) - _SOURCE_KEYS:
            raise ConfigError(f"{at}: unknown key(s) {', '.join(sorted(set(item) - _SOURCE_KEYS))}")
        kinds = [k for k in _KINDS if k in item]
        if len(kinds) != 1:
            raise ConfigError(f"{at}: give exactly one of feed: URL, url: URL or folder: PATH")
        kind, location = kinds[0], str(item[kinds[0]])
        if kind != "folder" and not location.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{at}: {kind} {location!r} is not an http(s) URL")
        merged = {**defaults, **item}
        try:
            source = WatchSource(
                name=str(item.get("name") or location), kind=kind, location=location,
                interval=_seconds(merged.get("interval", 300), f"{at}: interval"),
                outlet=item.get("outlet"), language=item.get("language"),
                max_bytes=int(merged.get("max_bytes", 5_000_000)),
                timeout=_seconds(merged.get("timeout", 15), f"{at}: timeout"),
                deadline=_seconds(merged.get("deadline", 60), f"{at}: deadline"))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{at}: {exc}") from None
        sources.append(source)
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}: two sources share a name; names must be unique")
    return WatchConfig(tuple(sources), allow_private=bool(data.get("allow_private", False)),
                       max_backoff=_seconds(data.get("max_backoff", 3600), f"{where}: max_backoff"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------- the one writer
class Writer:
    """The process's read-write :class:`Store` behind a lock; every write round ends by
    publishing the read-only snapshot (:meth:`Store.publish_snapshot`) and telling the
    listeners (the API reopens its reader on it)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.store = Store(path)
        self.lock = threading.RLock()
        self.published_at: dt.datetime | None = None
        self.publish_seconds: float | None = None
        self.version = 0
        self._listeners: list[Callable[[str], None]] = []
        self._published: tuple[int, ...] = ()
        self.publish()

    def on_publish(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store, for writing; what was committed inside is published on the way out
        (also when the round stopped part-way: its committed batches are whole)."""
        with self.lock:
            try:
                yield self.store
            finally:
                if self.store.fingerprint() != self._published:
                    self.publish()

    def publish(self) -> None:
        with self.lock:
            started = time.perf_counter()
            self._published = self.store.fingerprint()
            path = self.store.publish_snapshot()
            self.publish_seconds = round(time.perf_counter() - started, 4)
            self.published_at = utc_now()
            self.version += 1
        for listener in self._listeners:
            listener(path)

    def close(self) -> None:
        with self.lock:
            self.store.close()


# ---------------------------------------------------------------- per-source status
@dataclass(slots=True)
class SourceStatus:
    name: str
    kind: str
    location: str
    interval: float
    last_poll: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error: str | None = None
    last_error_at: dt.datetime | None = None
    failures: int = 0  # consecutive
    backoff: float = 0.0  # seconds waited after the last failure (0: healthy)
    items_seen: int = 0  # items the source listed, all polls
    items_new: int = 0  # items not delivered before, all polls
    next_poll: float = 0.0  # time.monotonic()
    etag: str | None = field(default=None, repr=False)
    last_modified: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k in ("etag", "last_modified", "next_poll"):
            out.pop(k)
        out["next_poll_in"] = round(max(0.0, self.next_poll - time.monotonic()), 1)
        return {k: (iso_utc(v) if isinstance(v, dt.datetime) else v) for k, v in out.items()}


@dataclass(slots=True)
class _Polled:
    """What one poll of one source brought: new documents and the keys to remember."""

    source: WatchSource
    documents: list[RawDocument | Failure] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


class Watcher:
    """Polls the sources of a :class:`WatchConfig` into the database of a :class:`Writer`."""

    def __init__(self, config: WatchConfig, writer: Writer, *, batch_size: int = 32,
                 changes_file: str | None = None, webhook: str | None = None,
                 ingest: IngestOptions | None = None) -> None:
        self.config, self.writer, self.batch_size = config, writer, batch_size
        self.changes_file, self.webhook = changes_file, webhook
        self.ingest = ingest or IngestOptions(progress=False)
        self.status = {s.name: SourceStatus(s.name, s.kind, s.location, s.interval)
                       for s in config.sources}
        self.stop_event = threading.Event()
        self.last_round: dict[str, Any] | None = None
        self.queue = 0  # documents fetched or articles stored, not analysed yet
        self.rounds = 0
        self._thread: threading.Thread | None = None
        with writer.lock:
            self._emitted_seq = writer.store.last_change()[0]

    # ------------------------------------------------------------ lifecycle
    def start(self) -> threading.Thread:
        """Poll in a background thread (``sitrep serve --watch``)."""
        self._thread = threading.Thread(target=self.run_forever, name="sitrep-watch", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 120.0) -> None:
        """Ask the loop to stop after the batch in progress; wait for it."""
        self.stop_event.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def run_forever(self) -> None:
        log_event(log, logging.INFO, "watch_started", f"watching {len(self.config.sources)} sources",
                  db=self.writer.path, sources=[s.name for s in self.config.sources])
        first = True
        while not self.stop_event.is_set():
            now = time.monotonic()
            due = [s for s in self.config.sources if self.status[s.name].next_poll <= now]
            if due or first:  # the first round also finishes what a stopped run left
                self.poll_round(due)
                first = False
            if self.stop_event.is_set():
                break
            wake = min(self.status[s.name].next_poll for s in self.config.sources)
            self.stop_event.wait(max(0.02, min(wake - time.monotonic(), 1.0)))
        log_event(log, logging.INFO, "watch_stopped", "watcher stopped", rounds=self.rounds)

    # ------------------------------------------------------------ one round
    def poll_round(self, sources: list[WatchSource] | None = None) -> RunSummary | None:
        """Poll ``sources`` (default all) once and analyse what is new (and whatever an
        earlier, stopped round left unanalysed). Returns the pipeline's summary."""
        sources = list(self.config.sources if sources is None else sources)
        polled: list[_Polled] = []
        if sources:
            with ThreadPoolExecutor(min(8, len(sources)), thread_name_prefix="sitrep-poll") as pool:
                for result in pool.map(self._poll_safely, sources):
                    if result is not None:
                        polled.append(result)
        documents = [d for p in polled for d in p.documents]
        self.queue = len(documents)
        if self.stop_event.is_set():
            return None
        started = time.perf_counter()
        with self.writer.writing() as store:
            summary = self._write(store, polled, documents)
        self.rounds += 1
        if summary is None:
            return None
        self.last_round = {**{k: v for k, v in summary.to_dict().items() if k != "failures"},
                           "finished_at": iso_utc(utc_now()),
                           "seconds": round(time.perf_counter() - started, 3)}
        if summary.articles_added or summary.articles_analysed:
            log_event(log, logging.INFO, "round_committed", "round committed and published",
                      **{k: self.last_round[k] for k in ("articles_added", "articles_analysed",
                                                         "events_new", "events_updated",
                                                         "events", "seconds")})
        self._emit_changes()
        return summary

    def _write(self, store: Store, polled: list[_Polled],
               documents: list[RawDocument | Failure]) -> RunSummary | None:
        report = ingest_documents_into(store, documents, self.ingest) if documents else None
        for p in polled:
            store.add_watch_items(p.source.name, p.keys)
        for failure in report.failures if report else []:
            log_event(log, logging.WARNING, "item_failed", "item not ingested",
                      item=failure.source, reason=failure.reason)
        self.queue = len(store.unanalysed_article_ids(skip_failed=True))
        total = self.queue
        summary: RunSummary | None = None

        def batch_done(done: int, batches: int) -> None:
            self.queue = max(0, total - done * self.batch_size)
            log_event(log, logging.INFO, "batch_committed", f"batch {done}/{batches} committed",
                      batch=done, batches=batches)
            if self.stop_event.is_set() and done < batches:
                raise Stopping(f"stopped after batch {done}/{batches}")

        try:
            summary = run([], store, RunOptions(batch_size=self.batch_size, on_batch=batch_done,
                                                ingest=self.ingest))
        except Stopping as exc:
            log_event(log, logging.INFO, "round_stopped",
                      f"{exc}; the rest is analysed on the next start")
            return None
        if report is not None:
            summary.articles_added, summary.articles_skipped = len(report.added), report.skipped
            summary.articles_failed = len(report.failures)
        self.queue = 0
        return summary

    def _poll_safely(self, source: WatchSource) -> _Polled | None:
        status = self.status[source.name]
        status.last_poll = utc_now()
        try:
            result = self._poll(source, status)
        except Exception as exc:  # noqa: BLE001 (one source never stops the others)
            status.failures += 1
            status.last_error = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            status.last_error_at = status.last_poll
            status.backoff = max(source.interval,
                                 min(source.interval * 2 ** status.failures, self.config.max_backoff))
            status.next_poll = time.monotonic() + status.backoff
            log_event(log, logging.WARNING, "source_failed", status.last_error, source=source.name,
                      failures=status.failures, retry_in=round(status.backoff, 1))
            return None
        status.failures, status.backoff, status.last_success = 0, 0.0, status.last_poll
        status.next_poll = time.monotonic() + source.interval
        status.items_new += len(result.documents)
        if result.documents:
            log_event(log, logging.INFO, "source_polled", f"{len(result.documents)} new items",
                      source=source.name, new=len(result.documents))
        return result

    def _poll(self, source: WatchSource, status: SourceStatus) -> _Polled:
        if source.kind == "folder":
            return self._poll_folder(source, status)
        got = fetch_url(source.location, max_bytes=source.max_bytes, timeout=source.timeout,
                        deadline=source.deadline, allow_private=self.config.allow_private,
                        etag=status.etag, last_modified=status.last_modified)
        if got.not_modified:
            return _Polled(source)
        text = decode_bytes(source.location, got.data, got.charset)
        kind = "feed" if source.kind == "feed" else got.kind
        docs = list(parse_text(source.location, text, kind, url=got.url))
        whole = [d for d in docs if isinstance(d, Failure) and d.source == source.location]
        if whole:  # the feed itself is unusable (malformed, no entries)
            raise InputError(source.name, whole[0].reason)
        for failure in (d for d in docs if isinstance(d, Failure)):
            log_event(log, logging.WARNING, "item_failed", "feed item not usable",
                      source=source.name, item=failure.source, reason=failure.reason)
        items = [self._as_item(source, d) for d in docs if isinstance(d, RawDocument)]
        status.items_seen += len(items)
        # a feed item is known by its guid (else link); a page by its content
        keys = {(d.guid or d.url if source.kind == "feed" else None) or _digest(d.text): d
                for d in items}
        with self.writer.lock:
            known = self.writer.store.known_watch_items(source.name, keys)
        # validators only once the items are read: a poll that fails keeps the old ones
        status.etag, status.last_modified = got.etag, got.last_modified
        fresh = [k for k in keys if k not in known]
        return _Polled(source, [keys[k] for k in fresh], fresh)

    def _poll_folder(self, source: WatchSource, status: SourceStatus) -> _Polled:
        if not Path(source.location).is_dir():
            raise InputError(source.name, f"{source.location}: no such folder")
        keys: dict[str, str] = {}
        for item in expand_sources([source.location]):
            if isinstance(item, str):
                st = Path(item).stat()
                keys[f"{item}|{st.st_mtime_ns}|{st.st_size}"] = item
        status.items_seen += len(keys)
        with self.writer.lock:
            known = self.writer.store.known_watch_items(source.name, keys)
        fresh = [k for k in keys if k not in known]
        docs = [self._as_item(source, d) if isinstance(d, RawDocument) else d
                for k in fresh for d in read_source(keys[k], source.max_bytes)]
        return _Polled(source, docs, fresh)

    @staticmethod
    def _as_item(source: WatchSource, doc: RawDocument) -> RawDocument:
        """A feed item is stored under its link (its position in the feed changes); the
        source's outlet is the site name that outlet identification starts from."""
        return replace(doc, source=doc.url or doc.guid or doc.source,
                       sitename=source.outlet or doc.sitename,
                       language=doc.language or source.language)


    # ------------------------------------------------------------ changes out
    def _emit_changes(self) -> None:
        if not (self.changes_file or self.webhook):
            return
        with self.writer.lock:
            report = change_report(self.writer.store, after_seq=self._emitted_seq)
        self._emitted_seq = report["last_seq"]
        if not report["items"]:
            return
        if self.changes_file:
            with open(self.changes_file, "a", encoding="utf-8") as f:
                for item in report["items"]:
                    f.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
        if self.webhook:
            import httpx

            for item in report["items"]:
                try:
                    httpx.post(self.webhook, json=item, timeout=5.0).raise_for_status()
                except httpx.HTTPError as exc:
                    log_event(log, logging.WARNING, "webhook_failed", f"webhook: {exc}",
                              seq=item.get("seq"))

    # ------------------------------------------------------------ status
    def status_json(self) -> dict[str, Any]:
        """Per-source status, the last round, the queue and the database's size."""
        db = Path(self.writer.path)
        snap = Path(snapshot_path(self.writer.path))
        return {
            "running": self._thread is not None and self._thread.is_alive(),
            "rounds": self.rounds,
            "queue": self.queue,
            "last_round": self.last_round,
            "sources": [self.status[s.name].to_dict() for s in self.config.sources],
            "database": {"path": str(db),
                         "bytes": sum(p.stat().st_size for p in (db, Path(f"{db}.wal")) if p.exists()),
                         "snapshot_bytes": snap.stat().st_size if snap.exists() else None,
                         "snapshot_published_at": iso_utc(self.writer.published_at),
                         "snapshot_seconds": self.writer.publish_seconds},
        }
