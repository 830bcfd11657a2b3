"""Structured logs for the long-running commands (``sitrep watch``, ``sitrep serve``).

A log call passes its fields as ``extra={"fields": {...}}`` (:func:`log_event` does it):
``json`` writes one JSON object per line (``ts`` in UTC, ``level``, ``logger``,
``event``, ``msg`` and the fields), for journald, Loki or ``jq``; ``text`` writes the
same as ``ts level logger msg key=value ...`` for a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import IO, Any

__all__ = ["JsonFormatter", "TextFormatter", "log_event", "setup_logging"]


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


def _ts(record: logging.LogRecord) -> str:
    return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {"ts": _ts(record), "level": record.levelname.lower(),
                               "logger": record.name, "msg": record.getMessage()}
        out.update(_fields(record))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{_ts(record)} {record.levelname.lower()} {record.name} {record.getMessage()}"
        line = f"{line} {extra}" if extra else line
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(fmt: str = "json", level: str = "info", stream: IO[str] | None = None) -> None:
    """Send the ``sitrep`` loggers to ``stream`` (default stderr) in ``fmt`` (json | text)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger("sitrep")
    root.handlers = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def log_event(logger: logging.Logger, level: int, event: str, msg: str, **fields: Any) -> None:
    """One structured line: ``event`` names what happened, ``fields`` its details."""
    logger.log(level, msg, extra={"fields": {"event": event, **fields}})
