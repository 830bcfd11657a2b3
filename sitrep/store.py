"""The embedded store: one DuckDB file (default ``./sitrep.duckdb``).

Every record is kept whole as JSON (``data``, written by :func:`sitrep.model.to_dict`)
next to the columns that filters and exports need, so a stage can add a field to its
record without a migration; a new column or table is a new entry in ``MIGRATIONS``.

Integrity rules:
- every write happens inside :meth:`Store.transaction` (a batch is all or nothing,
  so a run killed mid-way leaves the file consistent);
- articles are keyed by content hash and inserted with ``ON CONFLICT DO NOTHING``
  (re-ingesting adds nothing);
- mentions and claims are replaced per article, events and control states per id,
  so a re-run converges instead of duplicating;
- every event created, revised (sources, status, fatalities) or removed and every
  control change made or withdrawn is logged in ``changes`` in the same transaction
  (``sitrep changes``, ``GET /changes``).

One writer, many readers: DuckDB lets one process open a file for writing and no other
process open it at all. The long-running writer (``sitrep serve``, ``sitrep watch``)
publishes a consistent read-only copy after each committed round
(:meth:`Store.publish_snapshot`); a read-only ``Store`` that finds the database locked
reads that copy instead (``docs/live.md``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from sitrep.errors import StoreError
from sitrep.model import Article, Claim, ControlState, Event, Mention, to_dict

__all__ = ["DEFAULT_DB", "EVENT_COLUMNS", "EventFilter", "SCHEMA_VERSION", "Store", "StoreError",
           "confident_control", "snapshot_path", "utc_now"]

DEFAULT_DB = "sitrep.duckdb"

T = TypeVar("T")
log = logging.getLogger("sitrep.store")


# Each entry moves the schema from version i to i+1. Never edit a released entry:
# append a new one (ALTER TABLE ... / CREATE TABLE ...).
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE articles (
            id VARCHAR PRIMARY KEY, source VARCHAR, url VARCHAR, outlet VARCHAR,
            wire VARCHAR, title VARCHAR, language VARCHAR, published DATE,
            published_basis VARCHAR, published_confidence DOUBLE, duplicate_of VARCHAR,
            data VARCHAR NOT NULL, ingested_at TIMESTAMP DEFAULT current_timestamp,
            analysed BOOLEAN DEFAULT false)""",
        """CREATE TABLE mentions (
            id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, event_type VARCHAR,
            sub_event_type VARCHAR, data VARCHAR NOT NULL)""",
        """CREATE TABLE events (
            id VARCHAR PRIMARY KEY, date_start DATE, date_end DATE, precision VARCHAR,
            event_type VARCHAR, sub_event_type VARCHAR, actor1 VARCHAR, actor2 VARCHAR,
            admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, lat DOUBLE, lon DOUBLE,
            fatalities INTEGER, status VARCHAR, n_sources INTEGER, first_reported DATE,
            data VARCHAR NOT NULL)""",
        """CREATE TABLE control (
            unit_id VARCHAR, date DATE, controller VARCHAR, confirmed BOOLEAN,
            unit_name VARCHAR, unit_level VARCHAR, admin1 VARCHAR, data VARCHAR NOT NULL,
            PRIMARY KEY (unit_id, date))""",
        """CREATE TABLE claims (
            id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, claimant VARCHAR,
            as_of DATE, data VARCHAR NOT NULL)""",
        "CREATE INDEX mentions_article ON mentions(article_id)",
        "CREATE INDEX claims_article ON claims(article_id)",
    ],
    [  # articles whose analysis raised: skipped by later runs until retried (pipeline)
        """CREATE TABLE analysis_failures (
            article_id VARCHAR PRIMARY KEY, reason VARCHAR NOT NULL,
            failed_at TIMESTAMP DEFAULT current_timestamp)""",
    ],
    [  # near-duplicate LSH band keys per article (ingest.dedup.band_keys), so ingest
       # looks up the stored articles sharing a band instead of re-shingling them all;
       # filled for the stored articles by the backfill below
        """CREATE TABLE article_bands (
            band VARCHAR NOT NULL, article_id VARCHAR NOT NULL, PRIMARY KEY (band, article_id))""",
        # the event's place id: the control unit it can change (refresh per unit)
        "ALTER TABLE events ADD COLUMN place_id VARCHAR",
        "UPDATE events SET place_id = json_extract_string(data, '$.place.id')",
        # control units whose events changed since their timeline was last derived
        "CREATE TABLE control_dirty (unit_id VARCHAR PRIMARY KEY)",
    ],
    [  # settings of the database: the conflict profile it was built with (sitrep.profile)
        "CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    ],
    [  # the change log (sitrep.changes): one row per event created, revised or removed
       # and per control change made or withdrawn, written in the writer's transaction
        "CREATE SEQUENCE change_seq START 1",
        """CREATE TABLE changes (
            seq BIGINT PRIMARY KEY DEFAULT nextval('change_seq'), changed_at TIMESTAMP NOT NULL,
            kind VARCHAR NOT NULL, event_id VARCHAR, unit_id VARCHAR, data VARCHAR NOT NULL)""",
        "CREATE INDEX changes_at ON changes(changed_at)",
        # items a watched source has delivered (feed guid/URL, file path+mtime+size)
        """CREATE TABLE watch_items (
            source VARCHAR NOT NULL, key VARCHAR NOT NULL,
            seen_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (source, key))""",
    ],
    [  # control refresh from a unit's changed stretch (pipeline.refresh_control): the
       # first start and last end of the dates of a dirty unit's changed events (NULL:
       # re-derive the unit from all its events); the district each event's place lies in
       # (a district centre's events change the district's timeline); every unit
       # re-derived once (a refresh keyed by the event's place alone had missed that)
        "ALTER TABLE control_dirty ADD COLUMN since DATE",
        "ALTER TABLE control_dirty ADD COLUMN until DATE",
        "ALTER TABLE events ADD COLUMN place_admin2_id VARCHAR",
        "UPDATE events SET place_admin2_id = json_extract_string(data, '$.place.admin2_id')",
        "INSERT OR IGNORE INTO control_dirty (unit_id) SELECT DISTINCT unit_id FROM control",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
#: the columns of the events table, in the order ``Store.upsert_events`` writes them
EVENT_COLUMNS = ("id", "date_start", "date_end", "precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "admin1", "admin2", "location", "lat", "lon", "fatalities",
                 "status", "n_sources", "first_reported", "data", "place_id", "place_admin2_id")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters shared by ``sitrep events`` and ``GET /events``."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    min_sources: int | None = None
    #: hide events whose calibrated confidence is below this (sitrep.confidence)
    min_confidence: float | None = None
    status: str | None = None
    limit: int | None = None
    offset: int = 0
    sort: str = "date"  # date | -date | n_sources | -n_sources | fatalities | -fatalities


_SORTS = {
    "date": "date_start, id",
    "-date": "date_start DESC, id",
    "n_sources": "n_sources, id",
    "-n_sources": "n_sources DESC, id",
    "fatalities": "fatalities NULLS FIRST, id",
    "-fatalities": "fatalities DESC NULLS LAST, id",
}


#: up to this many values an ``IN`` list is written with one placeholder each (see Store._in)
_IN_PLACEHOLDERS = 64

#: an event's (calibrated) confidence, read from its record
_CONFIDENCE = "CAST(json_extract(data, '$.confidence') AS DOUBLE)"


_Decode = Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> _Decode:
    """``lambda value: sitrep.model._convert(tp, value)`` compiled once per type: the
    type hints are inspected here, not for every field of every row. Decoding stored
    records (``from_dict``) was most of the cost of reading events and mentions back
    (the control refresh, fusion windows). Same rules, same results as ``from_dict``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _decoder(args[0])
        return _same
    if origin is tuple:
        inner = _decoder(typing.get_args(tp)[0])
        return lambda v: None if v is None else tuple(inner(x) for x in v)
    if origin is typing.Literal:
        return _same
    if tp is dt.date:
        return lambda v: v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_decoder(tp)
    if tp is float:
        return lambda v: float(v) if isinstance(v, int) else v
    return _same


def _same(v: Any) -> Any:
    return v


def _record_decoder(cls: type) -> _Decode:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]
    plain = [name for name, dec in fields if dec is _same]  # taken as stored
    converted = [(name, dec) for name, dec in fields if dec is not _same]

    def decode(data: Any) -> Any:
        if data is None or isinstance(data, cls):
            return data
        kwargs = {name: data[name] for name in plain if name in data}
        for name, dec in converted:
            if name in data:
                value = data[name]
                kwargs[name] = None if value is None else dec(value)
        return cls(**kwargs)

    return decode


class _Memo:
    """Records decoded from their stored JSON, kept by that JSON (the newest ``limit``).

    Records are frozen dataclasses and decoding is a pure function of the class and the
    text, so a text read again gives the very record decoded before. Successive batches
    of a run re-read mostly the same events and mentions around their dates (fusion's
    window: ~2,400 events and ~5,600 mentions a batch at 6,400 articles); decoding them
    again was the store's largest cost at 20,000 articles. A record changed since has a
    new text, so it is decoded afresh: nothing to invalidate.
    """

    #: the records kept: those a batch re-reads around its dates (an article's text can
    #: be long and is read once per batch it is fused in: decoded each time)
    KEPT = (Event, Mention)

    def __init__(self, limit: int = 16_000) -> None:
        self.limit = limit  # per class: ~1.5 kB of text + its record each
        self._by_class: dict[type, dict[str, Any]] = {}

    def decoder(self, cls: type) -> Callable[[str], Any]:
        decode, loads = _decoder(cls), json.loads
        if cls not in self.KEPT:
            return lambda raw: decode(loads(raw))
        memo = self._by_class.setdefault(cls, {})
        limit = self.limit

        def read(raw: str) -> Any:
            found = memo.get(raw)
            if found is None:
                found = memo[raw] = decode(loads(raw))
                if len(memo) > limit:  # the oldest text goes
                    del memo[next(iter(memo))]
            return found

        return read


class _LazyRecords(Mapping[str, T]):
    """id -> record, decoded from its stored JSON on first access."""

    def __init__(self, read: Callable[[str], T], raw: dict[str, str]) -> None:
        self._read = read
        self._raw = raw
        self._done: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = self._read(self._raw[key])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _dump(obj: Any) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True)


class Store:
    """A DuckDB-backed store. Use as a context manager; write inside :meth:`transaction`."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            # a reader never creates a database: a mistyped --db is named, not made empty
            raise StoreError(f"{self.path}: no such database; build one with "
                             "`sitrep run PATH... --db FILE`")
        #: the published snapshot read instead of the locked database (None: the database)
        self.snapshot: str | None = None
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:  # locked by another process, not a DuckDB file...
            locked = "lock" in str(exc).lower()  # DuckDB: one writing process, no readers beside it
            snapshot = snapshot_path(self.path)
            if locked and read_only and Path(snapshot).exists():
                # the writer (sitrep serve / sitrep watch) publishes a consistent copy
                # after each committed round: read that (see docs/live.md)
                self.con = duckdb.connect(snapshot, read_only=True)
                self.snapshot = snapshot
                log.info("%s is in use by its writer; reading its snapshot %s", self.path, snapshot)
            elif locked:
                raise StoreError(
                    f"{self.path}: the database is in use by another process (a running "
                    f"`sitrep run`, `sitrep ingest` or `sitrep serve`); retry when it has "
                    f"finished, or stop it ({exc})") from exc
            else:
                raise StoreError(f"{self.path}: cannot open database: {exc}") from exc
        self._depth = 0
        self._memo = _Memo()  # decoded records by their stored text (see _Memo)
        if not read_only:
            self._migrate()
        elif self.schema_version() != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {self.schema_version()}, expected "
                f"{SCHEMA_VERSION}; open it once for writing to migrate"
            )

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside are committed together or not at all (nestable)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._depth = 0

    def publish_snapshot(self) -> str:
        """Write a consistent read-only copy of the committed database to
        :func:`snapshot_path` (a temporary file renamed over the old copy, so a reader
        sees the old or the new copy, never a partial one); returns its path.

        The copy is made by DuckDB itself (``COPY FROM DATABASE``): reading the file
        with ``open()`` in this process would drop DuckDB's POSIX lock on it."""
        if self._depth:
            raise StoreError("publish_snapshot inside a transaction would copy uncommitted rows")
        target = snapshot_path(self.path)
        tmp = f"{target}.tmp"
        for stale in (tmp, f"{tmp}.wal"):
            Path(stale).unlink(missing_ok=True)
        row = self.con.execute("SELECT current_database()").fetchone()
        name = row[0] if row else "main"
        self.con.execute("ATTACH ? AS sitrep_snapshot", [tmp])
        try:
            self.con.execute(f'COPY FROM DATABASE "{name}" TO sitrep_snapshot')
        finally:
            self.con.execute("DETACH sitrep_snapshot")
        os.replace(tmp, target)
        return target

    def fingerprint(self) -> tuple[int, ...]:
        """Changes whenever a write round changed what readers see (articles stored or
        analysed, failures recorded, events or control changed, the profile recorded): a snapshot is published
        again only when this moved."""
        row = self.con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE analysed), "
            "(SELECT count(*) FROM analysis_failures), (SELECT coalesce(max(seq), 0) FROM changes), "
            "(SELECT count(*) FROM watch_items), (SELECT count(*) FROM settings)").fetchone()
        return tuple(int(v) for v in row) if row else ()

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this sitrep "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        if current == SCHEMA_VERSION:
            return
        with self.transaction():
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            for version in range(current, SCHEMA_VERSION):
                for sql in MIGRATIONS[version]:
                    self.con.execute(sql)
                if version + 1 == 3:  # band keys of the articles stored before version 3
                    self.backfill_bands()
                self.con.execute("INSERT INTO schema_version VALUES (?)", [version + 1])

    # ------------------------------------------------------------ helpers
    def _rows(self, cls: type[T], sql: str, params: Sequence[Any] = ()) -> list[T]:
        read = self._memo.decoder(cls)
        return [read(r[0]) for r in self.con.execute(sql, params).fetchall()]

    @staticmethod
    def _in(ids: Iterable[str]) -> tuple[str, list[Any]]:
        """``IN`` clause and parameters for some strings. A long list is one list
        parameter: DuckDB binds thousands of ``?`` one by one (0.15 s for the 5,600 stored
        mentions a batch re-reads at 20,000 articles, 0.025 s as one list)."""
        ids = list(ids)
        if len(ids) > _IN_PLACEHOLDERS:
            return "(SELECT unnest(?::VARCHAR[]))", [ids]
        return ("(" + ",".join("?" * len(ids)) + ")" if ids else "(NULL)"), ids

    def _bulk(self, table: str, columns: Sequence[str], rows: list[list[Any]], *,
              on_conflict: str | None = None) -> None:
        """INSERT OR REPLACE many rows at once through an Arrow table (one statement;
        row-by-row inserts (``executemany``) dominated run time on large batches); with
        ``on_conflict`` (``ON CONFLICT ... DO ...``, or "" for none) a plain INSERT with that
        clause instead. Rows are inserted in the given order (a sequence default numbers
        them so)."""
        if not rows:
            return
        import pyarrow as pa

        data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        self.con.register("_sitrep_bulk", data)
        try:
            self.con.execute(f"INSERT {'' if on_conflict is not None else 'OR REPLACE '}INTO {table} "
                             f"({', '.join(columns)}) SELECT {', '.join(columns)} FROM _sitrep_bulk "
                             f"{on_conflict}")
        finally:
            self.con.unregister("_sitrep_bulk")

    # ------------------------------------------------------------ settings
    def get_setting(self, key: str) -> str | None:
        """A setting of the database (e.g. ``profile``), None when unset."""
        row = self.con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, value])

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions", "events", "control", "claims"}:
            raise ValueError(f"unknown table {table!r}")
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    # ------------------------------------------------------------ articles
    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Insert new articles; returns the ids that were not already stored."""
        batch = list({a.id: a for a in articles}.values())
        clause, params = self._in(a.id for a in batch)
        known = {r[0] for r in self.con.execute(f"SELECT id FROM articles WHERE id IN {clause}",
                                                 params).fetchall()}
        new = [a for a in batch if a.id not in known]
        if not new:
            return []
        with self.transaction():
            self._bulk("articles", ("id", "source", "url", "outlet", "wire", "title", "language",
                                    "published", "published_basis", "published_confidence",
                                    "duplicate_of", "data"),
                       [[a.id, a.source, a.url, a.outlet, a.wire, a.title, a.language, a.published,
                         a.published_basis, a.published_confidence, a.duplicate_of, _dump(a)]
                        for a in new], on_conflict="ON CONFLICT DO NOTHING")
            self._add_bands(new)
        return [a.id for a in new]

    def _add_bands(self, articles: Iterable[Article]) -> None:
        from sitrep.ingest.dedup import band_keys

        rows = [[key, a.id] for a in articles for key in dict.fromkeys(band_keys(a.text))]
        self._bulk("article_bands", ("band", "article_id"), rows)

    def backfill_bands(self, chunk: int = 2000) -> int:
        """Store the near-duplicate band keys of every article that has none (the
        migration to schema version 3, or articles inserted by raw SQL); returns how
        many articles were filled."""
        ids = [r[0] for r in self.con.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_bands) "
            "ORDER BY id").fetchall()]
        with self.transaction():
            for i in range(0, len(ids), chunk):
                self._add_bands(self.get_articles(ids[i:i + chunk]))
        return len(ids)

    def articles_in_bands(self, keys: Iterable[str]) -> list[str]:
        """Ids of the stored articles filed under any of these band keys (dedup look-up)."""
        clause, params = self._in(dict.fromkeys(keys))
        rows = self.con.execute(
            f"SELECT DISTINCT article_id FROM article_bands WHERE band IN {clause}", params).fetchall()
        return sorted(r[0] for r in rows)

    def get_articles(self, ids: Iterable[str] | None = None, *,
                     min_published_confidence: float | None = None) -> list[Article]:
        """The given articles (by id), or all in ingest order; ``min_published_confidence``
        keeps only those dated at least that confidently (decoding the others is skipped)."""
        if min_published_confidence is not None:
            if ids is not None:
                raise ValueError("min_published_confidence filters all articles, not given ids")
            return self._rows(Article, "SELECT data FROM articles WHERE published_confidence >= ? "
                                       "ORDER BY ingested_at, id", [min_published_confidence])
        if ids is None:
            return self._rows(Article, "SELECT data FROM articles ORDER BY ingested_at, id")
        clause, params = self._in(ids)
        return self._rows(Article, f"SELECT data FROM articles WHERE id IN {clause} ORDER BY id", params)

    def get_article(self, article_id: str) -> Article | None:
        found = self.get_articles([article_id])
        return found[0] if found else None

    def articles_published_near(self, windows: Sequence[tuple[dt.date, dt.date]]) -> list[str]:
        """Ids of the analysed articles published inside any of ``windows`` (first, last
        day), by id: whose reports dated by their publication fall near those days."""
        if not windows:
            return []
        spans = " OR ".join(["published BETWEEN ? AND ?"] * len(windows))
        rows = self.con.execute(f"SELECT id FROM articles WHERE analysed AND ({spans}) ORDER BY id",
                                [d for w in windows for d in w]).fetchall()
        return [r[0] for r in rows]

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM articles").fetchall()}

    def unanalysed_article_ids(self, *, skip_failed: bool = False) -> list[str]:
        """Articles not analysed yet; ``skip_failed`` leaves out those whose analysis
        raised in an earlier run (see :meth:`record_analysis_failures`)."""
        skip = (" AND id NOT IN (SELECT article_id FROM analysis_failures)"
                if skip_failed else "")
        rows = self.con.execute(
            f"SELECT id FROM articles WHERE NOT analysed{skip} ORDER BY ingested_at, id").fetchall()
        return [r[0] for r in rows]

    def mark_analysed(self, ids: Iterable[str], analysed: bool = True) -> None:
        """Set the analysed flag; an analysed article has no recorded failure any more."""
        clause, params = self._in(ids)
        with self.transaction():
            self.con.execute(f"UPDATE articles SET analysed = ? WHERE id IN {clause}", [analysed, *params])
            if analysed:
                self.con.execute(f"DELETE FROM analysis_failures WHERE article_id IN {clause}", params)

    def record_analysis_failures(self, reasons: dict[str, str]) -> None:
        """Remember that analysing these articles (id -> one-line reason) raised. The
        article id is its content hash, so changed content is a new, unfailed article."""
        if not reasons:
            return
        with self.transaction():
            self.con.executemany(
                "INSERT OR REPLACE INTO analysis_failures (article_id, reason, failed_at) "
                "VALUES (?, ?, current_timestamp)", [[k, v] for k, v in reasons.items()])

    def analysis_failures(self) -> dict[str, str]:
        """Unanalysed articles whose analysis raised: article id -> reason."""
        rows = self.con.execute(
            "SELECT f.article_id, f.reason FROM analysis_failures f JOIN articles a "
            "ON a.id = f.article_id WHERE NOT a.analysed ORDER BY f.failed_at, f.article_id"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    # ------------------------------------------------------------ watched items
    def known_watch_items(self, source: str, keys: Iterable[str]) -> set[str]:
        """The keys (feed guid or URL, file path+mtime+size) ``source`` delivered before."""
        clause, params = self._in(keys)
        return {r[0] for r in self.con.execute(
            f"SELECT key FROM watch_items WHERE source = ? AND key IN {clause}",
            [source, *params]).fetchall()}

    def add_watch_items(self, source: str, keys: Iterable[str]) -> None:
        rows = [[source, k] for k in dict.fromkeys(keys)]
        if rows:
            with self.transaction():
                self.con.executemany("INSERT OR IGNORE INTO watch_items (source, key) VALUES (?, ?)",
                                     rows)

    # ------------------------------------------------------------ mentions
    def replace_mentions(self, article_ids: Iterable[str], mentions: Iterable[Mention]) -> None:
        """Replace all mentions of the given articles (idempotent re-analysis)."""
        clause, params = self._in(article_ids)
        with self.transaction():
            self.con.execute(f"DELETE FROM mentions WHERE article_id IN {clause}", params)
            self._bulk("mentions", ("id", "article_id", "event_type", "sub_event_type", "data"),
                       [[m.id, m.article_id, m.event_type, m.sub_event_type, _dump(m)]
                        for m in {m.id: m for m in mentions}.values()])

    def get_mentions(self, *, article_ids: Iterable[str] | None = None,
                     ids: Iterable[str] | None = None) -> list[Mention]:
        if ids is not None:
            clause, params = self._in(ids)
            return self._rows(Mention, f"SELECT data FROM mentions WHERE id IN {clause} ORDER BY id", params)
        if article_ids is not None:
            clause, params = self._in(article_ids)
            return self._rows(
                Mention, f"SELECT data FROM mentions WHERE article_id IN {clause} ORDER BY id", params)
        return self._rows(Mention, "SELECT data FROM mentions ORDER BY article_id, id")

    def mention_records(self, ids: Iterable[str]) -> Mapping[str, Mention]:
        """The mentions with these ids as a mapping that decodes each record when it is
        first read: a consumer that reads only some (the control derivation) does not
        pay for decoding the others."""
        clause, params = self._in(ids)
        rows = self.con.execute(f"SELECT id, data FROM mentions WHERE id IN {clause}", params).fetchall()
        return _LazyRecords(self._memo.decoder(Mention), dict(rows))

    # ------------------------------------------------------------ claims
    def replace_claims(self, article_ids: Iterable[str], claims: Iterable[Claim]) -> None:
        clause, params = self._in(article_ids)
        with self.transaction():
            self.con.execute(f"DELETE FROM claims WHERE article_id IN {clause}", params)
            self._bulk("claims", ("id", "article_id", "claimant", "as_of", "data"),
                       [[c.id, c.article_id, c.claimant, c.as_of, _dump(c)]
                        for c in {c.id: c for c in claims}.values()])

    def get_claims(self) -> list[Claim]:
        return self._rows(Claim, "SELECT data FROM claims ORDER BY as_of NULLS LAST, id")

    # ------------------------------------------------------------ events
    def upsert_events(self, events: Iterable[Event]) -> None:
        rows = []
        unique = list({e.id: e for e in events}.values())
        for e in unique:
            p = e.place
            rows.append([e.id, e.date.start, e.date.end, e.date.precision, e.event_type,
                         e.sub_event_type, e.actor1.name if e.actor1 else None,
                         e.actor2.name if e.actor2 else None,
                         p.admin1 if p else None, p.admin2 if p else None, p.name if p else None,
                         p.lat if p else None, p.lon if p else None, e.fatalities, e.status,
                         e.n_sources, e.first_reported, _dump(e), p.id if p else None,
                         p.admin2_id if p else None])
        with self.transaction():
            self._log_event_changes(unique)
            self._bulk("events", EVENT_COLUMNS, rows)

    def delete_events(self, ids: Iterable[str]) -> None:
        clause, params = self._in(ids)
        with self.transaction():
            gone = [r[0] for r in self.con.execute(
                f"SELECT id FROM events WHERE id IN {clause} ORDER BY id", params).fetchall()]
            self._log_changes([("event_removed", i, None, {}) for i in gone])
            self.con.execute(f"DELETE FROM events WHERE id IN {clause}", params)

    # ------------------------------------------------------------ change log
    #: what a revision of an event worth telling changes (sitrep.changes): its reports
    #: (articles), independent sources, status, fatalities
    CHANGE_FIELDS = ("articles", "n_sources", "status", "fatalities")

    def _log_event_changes(self, events: list[Event]) -> None:
        """Log each event about to be written: new, or revised in a field of
        :attr:`CHANGE_FIELDS` (old and new value); events equal in those are not logged."""
        clause, params = self._in(e.id for e in events)
        old = {r[0]: r[1:] for r in self.con.execute(
            "SELECT id, json_array_length(json_extract(data, '$.article_ids')), n_sources, status, "
            f"fatalities FROM events WHERE id IN {clause}", params).fetchall()}
        logged: list[tuple[str, str | None, str | None, dict[str, Any]]] = []
        for e in events:
            if e.id not in old:
                logged.append(("event_new", e.id, None, {}))
                continue
            now = (len(e.article_ids), e.n_sources, e.status, e.fatalities)
            diff = {f: [a, b] for f, a, b in zip(self.CHANGE_FIELDS, old[e.id], now, strict=True)
                    if a != b}
            if diff:
                logged.append(("event_updated", e.id, None, diff))
        self._log_changes(logged)

    def _log_changes(self, entries: Iterable[tuple[str, str | None, str | None, dict[str, Any]]]) -> None:
        """Append (kind, event id, unit id, data) rows to the change log, stamped now (UTC)."""
        at = utc_now()
        rows = [[at, kind, event_id, unit_id, json.dumps(data, sort_keys=True, default=str)]
                for kind, event_id, unit_id, data in entries]
        self._bulk("changes", ("changed_at", "kind", "event_id", "unit_id", "data"), rows, on_conflict="")

    def changes_since(self, since: dt.datetime | None = None, *, after_seq: int | None = None,
                      limit: int | None = None) -> list[dict[str, Any]]:
        """Change-log rows after ``since`` (UTC, naive) and/or after sequence number
        ``after_seq``, oldest first: seq, at, kind, event_id, unit_id, data (decoded)."""
        where: list[str] = ["TRUE"]
        params: list[Any] = []
        if since is not None:
            where.append("changed_at > ?")
            params.append(since)
        if after_seq is not None:
            where.append("seq > ?")
            params.append(after_seq)
        sql = (f"SELECT seq, changed_at, kind, event_id, unit_id, data FROM changes "
               f"WHERE {' AND '.join(where)} ORDER BY seq")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [{"seq": r[0], "at": r[1], "kind": r[2], "event_id": r[3], "unit_id": r[4],
                 "data": json.loads(r[5])} for r in self.con.execute(sql, params).fetchall()]

    def last_change(self) -> tuple[int, dt.datetime | None]:
        """(highest sequence number, its time) of the change log; (0, None) when empty."""
        row = self.con.execute("SELECT seq, changed_at FROM changes ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), row[1]) if row else (0, None)

    def get_events_of_types(self, sub_event_types: Iterable[str], *,
                            place_ids: Iterable[str] | None = None) -> list[Event]:
        """Events of the given sub-event types (what the control timeline is derived from),
        with ``place_ids`` only those at these places (the control units to refresh)."""
        clause, params = self._in(sub_event_types)
        where = f"sub_event_type IN {clause}"
        if place_ids is not None:
            places, more = self._in(place_ids)
            where, params = f"{where} AND place_id IN {places}", [*params, *more]
        return self._rows(Event, f"SELECT data FROM events WHERE {where} ORDER BY date_start, id",
                          params)

    def events_near(self, admin1: str | None, windows: Sequence[tuple[dt.date, dt.date]],
                    article_ids: Iterable[str] = ()) -> list[Event]:
        """Events of province ``admin1`` whose dates overlap any of ``windows`` (first, last
        day), by date: the events new mentions there could join. With ``admin1`` None,
        the events with no province, and those of any province resting on one of
        ``article_ids`` (a re-analysed article's own events). One query, reading only the
        windows' events: a batch whose mentions are months apart in one province does not
        read all the months between."""
        if not windows:
            return []
        if admin1 is not None:
            return self.events_near_provinces({admin1: windows}).get(admin1, [])
        spans = " OR ".join(["(date_end >= ? AND date_start <= ?)"] * len(windows))
        params: list[Any] = [d for w in windows for d in w]
        where = ("(admin1 IS NULL OR list_has_any(CAST(json_extract_string(data, '$.article_ids[*]') "
                 "AS VARCHAR[]), ?::VARCHAR[]))")
        params.append(sorted(set(article_ids)))
        return self._rows(Event, f"SELECT data FROM events WHERE ({spans}) AND {where} "
                                 "ORDER BY date_start, id", params)

    def events_near_provinces(self, windows: Mapping[str, Sequence[tuple[dt.date, dt.date]]]
                              ) -> dict[str, list[Event]]:
        """:meth:`events_near` for several provinces (province -> its windows) in one
        query: province -> its events overlapping its windows, by date."""
        rows = [(k, lo, hi) for k, ws in windows.items() for lo, hi in ws]
        if not rows:
            return {}
        import pyarrow as pa

        self.con.register("_sitrep_near", pa.table({
            "province": [r[0] for r in rows], "lo": [r[1] for r in rows], "hi": [r[2] for r in rows]}))
        try:
            found = self.con.execute(
                "SELECT w.province, e.id, e.data FROM events e JOIN _sitrep_near w "
                "ON lower(e.admin1) = lower(w.province) AND e.date_end >= w.lo AND e.date_start <= w.hi "
                "ORDER BY w.province, e.date_start, e.id").fetchall()
        finally:
            self.con.unregister("_sitrep_near")
        read = self._memo.decoder(Event)
        out: dict[str, list[Event]] = {}
        last: tuple[str, str] | None = None
        for province, eid, data in found:
            if (province, eid) != last:  # an event overlapping two windows is read once
                out.setdefault(province, []).append(read(data))
                last = (province, eid)
        return out

    def events_by_id(self, ids: Iterable[str]) -> list[Event]:
        """The stored events with these ids (those that exist), by id."""
        clause, params = self._in(ids)
        return self._rows(Event, f"SELECT data FROM events WHERE id IN {clause} ORDER BY id", params)

    def get_event(self, event_id: str) -> Event | None:
        found = self._rows(Event, "SELECT data FROM events WHERE id = ?", [event_id])
        return found[0] if found else None

    def _event_where(self, f: EventFilter) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if f.date_from:
            where.append("date_end >= ?")
            params.append(f.date_from)
        if f.date_to:
            where.append("date_start <= ?")
            params.append(f.date_to)
        for column, value in (("event_type", f.event_type), ("sub_event_type", f.sub_event_type),
                              ("status", f.status)):
            if value:
                where.append(f"lower({column}) = lower(?)")
                params.append(value)
        if f.admin1:
            where.append("lower(admin1) = lower(?)")
            params.append(f.admin1)
        if f.actor:
            where.append("(actor1 ILIKE ? ESCAPE '\\' OR actor2 ILIKE ? ESCAPE '\\')")
            literal = f.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [f"%{literal}%", f"%{literal}%"]
        if f.min_sources:
            where.append("n_sources >= ?")
            params.append(f.min_sources)
        if f.min_confidence:
            where.append(f"{_CONFIDENCE} >= ?")
            params.append(f.min_confidence)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def get_events(self, f: EventFilter | None = None) -> list[Event]:
        f = f or EventFilter()
        if f.sort not in _SORTS:
            raise ValueError(f"unknown sort {f.sort!r}; choose one of {', '.join(_SORTS)}")
        where, params = self._event_where(f)
        sql = f"SELECT data FROM events{where} ORDER BY {_SORTS[f.sort]}"
        if f.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [f.limit, f.offset]
        return self._rows(Event, sql, params)

    def event_summaries(self, f: EventFilter | None = None) -> list[dict[str, Any]]:
        """Flat rows for maps and tables, read from the columns (no JSON decoding of
        whole events): what a dashboard needs for 10,000 events in one request."""
        f = f or EventFilter()
        if f.sort not in _SORTS:
            raise ValueError(f"unknown sort {f.sort!r}; choose one of {', '.join(_SORTS)}")
        where, params = self._event_where(f)
        sql = ("SELECT id, date_start, date_end, precision, event_type, sub_event_type, actor1, "
               "actor2, admin1, admin2, location, lat, lon, fatalities, status, n_sources, "
               f"json_extract_string(data, '$.notes') AS notes, {_CONFIDENCE} AS confidence "
               f"FROM events{where} ORDER BY {_SORTS[f.sort]}")
        if f.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [f.limit, f.offset]
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        out = []
        for row in cur.fetchall():
            rec = dict(zip(names, row, strict=True))
            rec["date_start"], rec["date_end"] = rec["date_start"].isoformat(), rec["date_end"].isoformat()
            out.append(rec)
        return out

    def count_events(self, f: EventFilter | None = None) -> int:
        where, params = self._event_where(f or EventFilter())
        row = self.con.execute(f"SELECT count(*) FROM events{where}", params).fetchone()
        return int(row[0]) if row else 0

    # ------------------------------------------------------------ control
    def replace_control(self, states: Iterable[ControlState], *,
                        unit_ids: Iterable[str] | None = None) -> None:
        """Replace the whole control timeline (it is derived from all events), or with
        ``unit_ids`` the timelines of these units only (``states`` are theirs)."""
        where, params = "", list[Any]()
        if unit_ids is not None:
            clause, params = self._in(unit_ids)
            where = f" WHERE unit_id IN {clause}"
        unique = {(s.unit_id, s.date): s for s in states}
        with self.transaction():
            old = {(r[0], r[1]): (r[2], r[3]) for r in self.con.execute(
                f"SELECT unit_id, date, controller, confirmed FROM control{where}", params).fetchall()}
            self.con.execute(f"DELETE FROM control{where}", params)
            self._bulk("control", ("unit_id", "date", "controller", "confirmed", "unit_name",
                                   "unit_level", "admin1", "data"),
                       [[s.unit_id, s.date, s.controller, s.confirmed, s.unit_name, s.unit_level,
                         s.admin1, _dump(s)] for s in unique.values()])
            self._log_changes(
                [("control_changed", None, s.unit_id,
                  {"date": s.date, "controller": s.controller, "confirmed": s.confirmed,
                   "previous": old[key][0] if key in old else None})
                 for key, s in sorted(unique.items()) if old.get(key) != (s.controller, s.confirmed)]
                + [("control_withdrawn", None, key[0], {"date": key[1], "controller": was[0]})
                   for key, was in sorted(old.items()) if key not in unique])

    def mark_control_dirty(self, units: Mapping[str, tuple[dt.date, dt.date] | None] | Iterable[str]
                           ) -> None:
        """Remember units whose events changed (their timeline is re-derived later), each
        with the stretch of dates the changed events cover (first start, last end, old and
        new versions), merged with the stretch already remembered; a bare unit id or None
        means the unit is re-derived from all its events."""
        stretches = units if isinstance(units, Mapping) else dict.fromkeys(units)
        rows = [[u, s[0] if s else None, s[1] if s else None] for u, s in stretches.items()]
        full = "control_dirty.{0} IS NULL OR excluded.{0} IS NULL"
        with self.transaction():
            self._bulk("control_dirty", ("unit_id", "since", "until"), rows, on_conflict=(
                "ON CONFLICT (unit_id) DO UPDATE SET "
                f"since = CASE WHEN {full.format('since')} THEN NULL "
                "ELSE least(control_dirty.since, excluded.since) END, "
                f"until = CASE WHEN {full.format('until')} THEN NULL "
                "ELSE greatest(control_dirty.until, excluded.until) END"))

    def dirty_control_units(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT unit_id FROM control_dirty ORDER BY unit_id").fetchall()]

    def dirty_control_stretches(self) -> dict[str, tuple[dt.date, dt.date] | None]:
        """Dirty unit -> the stretch of dates its changed events cover, or None (re-derive
        the unit from all its events)."""
        return {r[0]: (r[1], r[2]) if r[1] is not None and r[2] is not None else None
                for r in self.con.execute(
                    "SELECT unit_id, since, until FROM control_dirty ORDER BY unit_id").fetchall()}

    def events_of_units(self, sub_event_types: Iterable[str],
                        windows: Mapping[str, tuple[dt.date | None, dt.date | None]]
                        ) -> dict[str, list[Event]]:
        """Unit id -> the events of these sub-event types that can change the unit: at its
        place or at a place lying in it as a district (a district centre stands for its
        district), dated to overlap its window (first day, last day; None: open)."""
        if not windows:
            return {}
        import pyarrow as pa

        units = sorted(windows)
        self.con.register("_sitrep_windows", pa.table({
            "unit_id": units, "lo": [windows[u][0] for u in units],
            "hi": [windows[u][1] for u in units]}))
        types_clause, params = self._in(sub_event_types)
        where = (f"e.sub_event_type IN {types_clause} AND (w.lo IS NULL OR e.date_end >= w.lo) "
                 "AND (w.hi IS NULL OR e.date_start <= w.hi)")
        try:
            rows = self.con.execute(
                f"SELECT w.unit_id, e.id, e.data FROM events e JOIN _sitrep_windows w "
                f"ON e.place_id = w.unit_id WHERE {where} UNION ALL "
                f"SELECT w.unit_id, e.id, e.data FROM events e JOIN _sitrep_windows w "
                f"ON e.place_admin2_id = w.unit_id AND e.place_id IS DISTINCT FROM w.unit_id "
                f"WHERE {where}", [*params, *params]).fetchall()
        finally:
            self.con.unregister("_sitrep_windows")
        read = self._memo.decoder(Event)
        out: dict[str, list[Event]] = {}
        for unit, _eid, data in rows:
            out.setdefault(unit, []).append(read(data))
        return out

    def event_span_of_units(self, sub_event_types: Iterable[str], unit_ids: Iterable[str]
                            ) -> dict[str, tuple[dt.date, dt.date]]:
        """Unit id -> (earliest end, latest start) of the events that can change it (those
        :meth:`events_of_units` reads): whether a window covers the unit's whole history."""
        types_clause, params = self._in(sub_event_types)
        units_clause, more = self._in(unit_ids)
        rows = self.con.execute(
            "SELECT unit, min(date_end), max(date_start) FROM ("
            f"SELECT place_id AS unit, date_start, date_end FROM events "
            f"WHERE sub_event_type IN {types_clause} AND place_id IN {units_clause} UNION ALL "
            f"SELECT place_admin2_id, date_start, date_end FROM events "
            f"WHERE sub_event_type IN {types_clause} AND place_admin2_id IN {units_clause} "
            "AND place_id IS DISTINCT FROM place_admin2_id) GROUP BY unit",
            [*params, *more, *params, *more]).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def control_of_units(self, unit_ids: Iterable[str]) -> dict[str, list[ControlState]]:
        """Unit id -> its stored control timeline, in date order."""
        clause, params = self._in(unit_ids)
        out: dict[str, list[ControlState]] = {}
        for s in self._rows(ControlState, f"SELECT data FROM control WHERE unit_id IN {clause} "
                            "ORDER BY unit_id, date", params):
            out.setdefault(s.unit_id, []).append(s)
        return out

    def clear_control_dirty(self, unit_ids: Iterable[str]) -> None:
        clause, params = self._in(unit_ids)
        with self.transaction():
            self.con.execute(f"DELETE FROM control_dirty WHERE unit_id IN {clause}", params)

    def get_control(self, as_of: dt.date | None = None, *,
                    min_confidence: float | None = None) -> list[ControlState]:
        """Every change (``as_of`` None), or the latest state per unit on ``as_of``.

        With ``min_confidence``, a change resting only on events below it is left out (so
        ``as_of`` falls back to the unit's previous change), and a kept change cites only
        its events at or above it (with their evidence).
        """
        if min_confidence:
            return confident_control(self._rows(ControlState, "SELECT data FROM control "
                                                "ORDER BY date, unit_id"),
                                     self.event_confidences(), min_confidence, as_of)
        if as_of is None:
            return self._rows(ControlState, "SELECT data FROM control ORDER BY date, unit_id")
        return self._rows(
            ControlState,
            "SELECT data FROM (SELECT data, date, unit_id, row_number() OVER "
            "(PARTITION BY unit_id ORDER BY date DESC) AS rn FROM control WHERE date <= ?) "
            "WHERE rn = 1 ORDER BY unit_id",
            [as_of],
        )

    def event_confidences(self) -> dict[str, tuple[float, frozenset[tuple[str, int, int]]]]:
        """Event id -> (confidence, evidence keys (article id, start, end))."""
        rows = self.con.execute(
            f"SELECT id, {_CONFIDENCE}, json_extract_string(data, '$.evidence') FROM events"
        ).fetchall()
        return {r[0]: (float(r[1] if r[1] is not None else 0.0),
                       frozenset((e["article_id"], e["start"], e["end"])
                                 for e in json.loads(r[2] or "[]"))) for r in rows}

    def control_history(self, unit_id: str, *,
                        min_confidence: float | None = None) -> list[ControlState]:
        states = self._rows(
            ControlState, "SELECT data FROM control WHERE unit_id = ? ORDER BY date", [unit_id])
        if min_confidence:
            return confident_control(states, self.event_confidences(), min_confidence)
        return states


def utc_now() -> dt.datetime:
    """Now in UTC, naive: the change log's clock."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def snapshot_path(db_path: str | Path) -> str:
    """Where the writer of ``db_path`` publishes its read-only snapshot."""
    return f"{db_path}.snapshot"


def confident_control(states: Iterable[ControlState],
                      events: Mapping[str, tuple[float, frozenset[tuple[str, int, int]]]],
                      threshold: float, as_of: dt.date | None = None) -> list[ControlState]:
    """The control changes that rest on at least one event at or above ``threshold``,
    citing only those events and their evidence; with ``as_of``, the latest such change
    per unit on that day. ``events``: id -> (confidence, evidence keys)."""
    kept: list[ControlState] = []
    for s in states:
        ids = tuple(i for i in s.event_ids if i in events and events[i][0] >= threshold)
        if not ids:
            continue
        keys = frozenset().union(*(events[i][1] for i in ids))
        evidence = tuple(ev for ev in s.evidence if (ev.article_id, ev.start, ev.end) in keys)
        kept.append(dataclasses.replace(s, event_ids=ids, evidence=evidence or s.evidence))
    if as_of is None:
        return kept
    latest: dict[str, ControlState] = {}
    for s in sorted(kept, key=lambda s: s.date):
        if s.date <= as_of:
            latest[s.unit_id] = s
    return [latest[u] for u in sorted(latest)]
