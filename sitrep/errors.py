"""The exception hierarchy of sitrep.

    SitrepError                 base of everything sitrep raises on purpose
    ├── InputError              one input (file, URL, record) cannot be used; names it and why
    │   ├── EmptyInput          empty file / no article text after cleaning
    │   ├── BinaryInput         not text (NUL bytes, image, archive...)
    │   ├── DecodeError         bytes undecodable in the declared and sniffed encodings
    │   ├── TooLarge            bigger than the configured cap
    │   ├── MalformedInput      broken JSON / HTML / feed
    │   └── FetchError          URL unreachable, refused, wrong content type, private address
    ├── StoreError              database cannot be opened / unknown schema
    └── ConfigError             bad option or data file

Batch stages do not die on an ``InputError``: they collect a
:class:`sitrep.model.Failure` (source + reason) per item and carry on.
"""

from __future__ import annotations

__all__ = [
    "BinaryInput",
    "ConfigError",
    "DecodeError",
    "EmptyInput",
    "FetchError",
    "InputError",
    "MalformedInput",
    "SitrepError",
    "StoreError",
    "TooLarge",
]


class SitrepError(Exception):
    """Base class of sitrep's own errors."""


class InputError(SitrepError):
    """An input cannot be used. ``source`` names it; the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class DecodeError(InputError):
    pass


class TooLarge(InputError):
    pass


class MalformedInput(InputError):
    pass


class FetchError(InputError):
    pass


class StoreError(SitrepError):
    """The database cannot be opened, or its schema is unknown."""


class ConfigError(SitrepError):
    """A bad option value or reference-data file."""
