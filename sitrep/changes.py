"""What changed since a moment: ``sitrep changes --since``, ``GET /changes?since=``.

The writer logs every event created, revised (more sources, status claimed -> reported
or disputed, fatalities revised) or removed and every control change made or withdrawn
in the store's ``changes`` table, in the same transaction as the change itself
(:class:`sitrep.store.Store`). This module reads that log back for people: one item
per event (its changes since the moment merged: an event created and then revised is
``new`` with its latest values; a revised one shows each field's first and last
value), one per control change, each with its sources (outlet, URL, title of every
article behind it).

``as_of`` is the time of the latest change the reader could see: a client that asks
again with ``since=as_of`` misses nothing and sees nothing twice (the reader may be a
snapshot that lags the writer; its own clock is not the right cursor).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from sitrep.errors import InputError
from sitrep.model import Event
from sitrep.store import Store, utc_now

__all__ = ["change_report", "iso_utc", "parse_duration", "parse_since"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day|days|w|week|weeks)\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400,
                 "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800}


def parse_duration(value: str) -> float:
    """``90s``, ``30m``, ``2h``, ``1d``, ``1w`` -> seconds (ValueError otherwise)."""
    found = _DURATION.match(value)
    if not found:
        raise ValueError(f"{value!r} is not a duration like 30s, 5m, 2h, 1d")
    return float(found.group(1)) * _UNIT_SECONDS[found.group(2).lower()]


def parse_since(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """``DURATION`` back from now (``90s``, ``30m``, ``2h``, ``1d``, ``1w``) or an ISO
    date or date-time (UTC unless it names its offset) -> a naive UTC date-time."""
    now = now or utc_now()
    text = value.strip()
    if _DURATION.match(text):
        return now - dt.timedelta(seconds=parse_duration(text))
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError("--since", f"{value!r}: expected a duration (30m, 2h, 1d) or an ISO "
                                    "date-time (2026-12-06T08:00, UTC unless an offset is given)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def change_report(store: Store, since: dt.datetime | None = None, *,
                  after_seq: int | None = None, limit: int = 10_000) -> dict[str, Any]:
    """Events and control changes changed after ``since`` (and/or change-log sequence
    number ``after_seq``): ``{"since", "as_of", "last_seq", "items": [...]}``, the items
    oldest first (see the module docstring)."""
    log = store.changes_since(since, after_seq=after_seq, limit=limit)
    last_seq, last_at = store.last_change()
    if log:
        last_seq, last_at = log[-1]["seq"], log[-1]["at"]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in log:
        key = ("event", row["event_id"]) if row["event_id"] else ("control", f"{row['unit_id']}@{row['data'].get('date')}")
        item = merged.get(key)
        if item is None:
            merged[key] = {"kind": row["kind"], "at": row["at"], "seq": row["seq"],
                           "event_id": row["event_id"], "unit_id": row["unit_id"],
                           "changed": dict(row["data"]) if row["kind"] == "event_updated" else {},
                           "data": row["data"]}
            continue
        merged.pop(key)  # re-inserted last: the items are ordered by their latest change
        item.update(at=row["at"], seq=row["seq"], data=row["data"])
        if row["kind"] == "event_removed":
            if item["kind"] == "event_new":
                continue  # created and gone again within the period: nothing to tell
            item["kind"] = "event_removed"
        elif row["kind"] == "event_updated":
            for name, (old, new) in row["data"].items():
                item["changed"][name] = [item["changed"].get(name, [old])[0], new]
        elif row["kind"].startswith("control"):
            item["kind"] = row["kind"]
        merged[key] = item
    items = list(merged.values())
    events = {e.id: e for e in _events(store, {i["event_id"] for i in items if i["event_id"]})}
    sources = _sources(store, events.values())
    out = []
    for item in items:
        if item["event_id"]:
            out.append(_event_item(item, events.get(item["event_id"]), sources))
        else:
            out.append(_control_item(store, item, sources))
    return {"since": iso_utc(since), "as_of": iso_utc(last_at), "last_seq": last_seq, "items": out}


def _events(store: Store, ids: Iterable[str]) -> list[Event]:
    return [e for e in (store.get_event(i) for i in sorted(ids)) if e is not None]


def _sources(store: Store, events: Iterable[Event]) -> dict[str, dict[str, Any]]:
    """article id -> {article_id, outlet, url, title, published} for these events' articles."""
    ids = {a for e in events for a in e.article_ids}
    return {a.id: {"article_id": a.id, "outlet": a.outlet, "url": a.url, "title": a.title,
                   "published": iso_utc(a.published)} for a in store.get_articles(ids)} if ids else {}


def _event_item(item: dict[str, Any], event: Event | None,
                sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kind = {"event_new": "new_event", "event_updated": "updated_event",
            "event_removed": "removed_event"}[item["kind"]]
    out: dict[str, Any] = {"kind": kind, "at": iso_utc(item["at"]), "seq": item["seq"],
                           "event_id": item["event_id"], "changed": item["changed"]}
    if event is not None:
        place = event.place
        out.update(
            date=event.date.start.isoformat(), event_type=event.event_type,
            sub_event_type=event.sub_event_type, location=place.name if place else None,
            admin1=place.admin1 if place else None,
            actor1=event.actor1.name if event.actor1 else None,
            actor2=event.actor2.name if event.actor2 else None, fatalities=event.fatalities,
            status=event.status, n_sources=event.n_sources, notes=event.notes,
            sources=[sources[a] for a in event.article_ids if a in sources])
    return out


def _control_item(store: Store, item: dict[str, Any],
                  sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = item["data"]
    out: dict[str, Any] = {"kind": item["kind"], "at": iso_utc(item["at"]), "seq": item["seq"],
                           "unit_id": item["unit_id"], "date": data.get("date"),
                           "controller": data.get("controller"),
                           "previous": data.get("previous"), "confirmed": data.get("confirmed")}
    state = next((s for s in store.control_history(item["unit_id"])
                  if s.date.isoformat() == data.get("date")), None)
    if state is not None:
        events = _events(store, state.event_ids)
        sources.update(_sources(store, [e for e in events
                                        if not set(e.article_ids) <= sources.keys()]))
        out.update(unit_name=state.unit_name, unit_level=state.unit_level, admin1=state.admin1,
                   event_ids=list(state.event_ids),
                   sources=[sources[a] for e in events for a in e.article_ids if a in sources])
    return out


def iso_utc(value: dt.date | dt.datetime | None) -> str | None:
    """A date as ``YYYY-MM-DD``, a naive UTC date-time as ISO with a ``Z``; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds") + "Z"
    return value.isoformat()
