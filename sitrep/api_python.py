"""The Python API for notebooks (``import sitrep``).

::

    import sitrep

    sitrep.run(["examples/corpus"], db="demo.duckdb")   # ingest + analyse (incremental)
    # another theatre: sitrep.run(paths, db="ua.duckdb", profile="ukraine-2022")
    ds = sitrep.open("demo.duckdb")                      # the profile the db was built with
    events = ds.events(admin1="Kandahar")                # a pyarrow.Table
    events.to_pandas()                                   # with pandas installed
    # polars.from_arrow(events), R's arrow::as_arrow_table(...), duckdb.arrow(events) ...

Every table is a ``pyarrow.Table`` with the columns of the CLI's ``--format csv``
(full names, one typed column each: dates as ``date32``, lists as ``list<string>``), so
pandas, polars, DuckDB and R read it without a file in between.

:func:`open` does not hold the database: each call opens it read-only for the time of
one query, so ``sitrep run`` in another process can write between two calls.

Conflict profiles (:mod:`sitrep.profile`, ``docs/profiles.md``): ``run`` and ``open``
take ``profile=`` (a shipped name or a folder); a database records the profile it was
built with, so ``open`` defaults to it and another one is a ConfigError.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sitrep.confidence import DEFAULT_MIN_CONFIDENCE
from sitrep.errors import SitrepError
from sitrep.export import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CONTROL_COLUMNS,
    EVENT_COLUMNS,
    article_row,
    claim_row,
    control_row,
    event_row,
    evidence_text,
    to_arrow,
)
from sitrep.profile import Profile, bind_profile
from sitrep.store import DEFAULT_DB, EventFilter, Store

__all__ = ["Dataset", "open", "run"]

Day = dt.date | str | None


def _day(value: Day, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a date or 'YYYY-MM-DD'") from None


def _evidence_list(evidence: Sequence[Any]) -> list[str]:
    """``article_id:start-end`` per evidence span."""
    return evidence_text(evidence).split(";") if evidence else []


class Dataset:
    """The events, control timeline, claims and articles of one sitrep database."""

    def __init__(self, db: str | os.PathLike[str], profile: str | os.PathLike[str] | None = None,
                 ) -> None:
        self.path = Path(db)
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no such sitrep database "
                                    "(build one with sitrep.run(paths, db=...))")
        with Store(self.path, read_only=True) as st:  # a profile mismatch fails here
            self.profile: Profile = bind_profile(
                st, os.fspath(profile) if profile is not None else None, record=False)

    def __repr__(self) -> str:
        return f"sitrep.Dataset({str(self.path)!r}, profile={self.profile.name!r})"

    def _store(self) -> Store:
        st = Store(self.path, read_only=True)
        bind_profile(st, self.profile.folder, record=False)  # this dataset's theatre
        return st

    def events(self, *, date_from: Day = None, date_to: Day = None, admin1: str | None = None,
               event_type: str | None = None, sub_event_type: str | None = None,
               actor: str | None = None, min_sources: int | None = None,
               min_confidence: float = DEFAULT_MIN_CONFIDENCE, status: str | None = None,
               limit: int | None = None, offset: int = 0, sort: str = "date") -> Any:
        """Fused events, filtered like ``sitrep events`` (one row per event; ``evidence``
        lists ``article_id:start-end`` spans). ``min_confidence=0`` shows every event."""
        flt = EventFilter(date_from=_day(date_from, "date_from"), date_to=_day(date_to, "date_to"),
                          admin1=admin1, event_type=event_type, sub_event_type=sub_event_type,
                          actor=actor, min_sources=min_sources, min_confidence=min_confidence,
                          status=status, limit=limit, offset=offset, sort=sort)
        with self._store() as st:
            events = st.get_events(flt)
        return to_arrow([{**event_row(e), "evidence": _evidence_list(e.evidence)} for e in events],
                        EVENT_COLUMNS)

    def control(self, as_of: Day = None, *, admin1: str | None = None,
                min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Any:
        """Every control change, or with ``as_of`` the latest state of each unit that day."""
        with self._store() as st:
            states = st.get_control(_day(as_of, "as_of"), min_confidence=min_confidence)
        if admin1:
            states = [s for s in states if (s.admin1 or "").lower() == admin1.lower()]
        return to_arrow([{**control_row(s), "evidence": _evidence_list(s.evidence)}
                         for s in states], CONTROL_COLUMNS)

    def claims(self) -> Any:
        """The claims ledger: who claims what, as of when, disputed by whom (statements,
        never confirmed facts)."""
        with self._store() as st:
            claims = st.get_claims()
        return to_arrow([claim_row(c) for c in claims], CLAIM_COLUMNS)

    def articles(self, *, text: bool = False) -> Any:
        """The stored articles (``text=True`` adds the clean text)."""
        with self._store() as st:
            articles = st.get_articles()
        columns = [*ARTICLE_COLUMNS, "text"] if text else ARTICLE_COLUMNS
        return to_arrow([article_row(a, text=text) for a in articles], columns)


def open(db: str | os.PathLike[str] = DEFAULT_DB, *,
         profile: str | os.PathLike[str] | None = None) -> Dataset:
    """The database at ``db`` as a :class:`Dataset` (FileNotFoundError if it is missing),
    with the conflict profile it was built with (``profile``, when given, must be it)."""
    return Dataset(db, profile)


def run(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        db: str | os.PathLike[str] = DEFAULT_DB, *, batch_size: int = 32,
        max_bytes: int = 5_000_000, allow_private: bool = False,
        profile: str | os.PathLike[str] | None = None) -> Any:
    """``sitrep run``: ingest ``paths`` (files, directories, .jsonl, feeds, URLs) into
    ``db``, analyse the new articles, fuse events and derive control. Returns the
    run's summary (``articles_added``, ``events``, ``failures`` ...; ``to_dict()``).
    Re-running on the same inputs adds nothing. ``profile``: the conflict profile (a
    shipped name such as ``"ukraine-2022"`` or a folder; default: the database's, else
    ``SITREP_PROFILE``, else ``afghanistan-2021``)."""
    from sitrep.ingest import IngestOptions
    from sitrep.pipeline import RunOptions
    from sitrep.pipeline import run as run_pipeline

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    sources = [os.fspath(p) for p in paths]
    if not sources:
        raise SitrepError("sitrep.run: give at least one path")
    options = RunOptions(batch_size=batch_size,
                         ingest=IngestOptions(max_bytes=max_bytes, allow_private=allow_private))
    with Store(Path(db)) as store:
        bind_profile(store, os.fspath(profile) if profile is not None else None, record=True)
        return run_pipeline(sources, store, options)
