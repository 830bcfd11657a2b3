"""Checked word files: language knowledge kept as data under ``sitrep/data/``.

A word file is YAML with ``version: 1`` and up to three sections: ``lists`` (name -> a
non-empty list of lower-case words), ``maps`` (name -> lower-case word -> string) and
``names`` (name -> a non-empty list of display strings, any case). Each file is read
once and checked on first use; a missing or malformed entry raises
:class:`sitrep.errors.ConfigError` naming the file and the entry, so a broken edit fails
loudly instead of quietly changing what the code matches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError

__all__ = ["DATA_DIR", "WordFile", "read_yaml"]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: libyaml's parser when PyYAML has it (same documents, a tenth of the time), else PyYAML's own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, what: str = "data file") -> dict[str, Any]:
    """A YAML mapping read from ``path``; a ConfigError naming the file otherwise.

    The one reader of the project's data files (word files, cue files, actor books):
    each loader then checks its own keys.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what} ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top of the {what}")
    return data


class WordFile:
    """One checked word file (``WordFile(DATA_DIR / "extract_words.yaml")``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None

    def reload(self) -> None:
        """Forget the loaded content (the next access reads ``path`` again)."""
        self._data = None

    def list(self, name: str) -> frozenset[str]:
        """The named word list."""
        return frozenset(self._entry("lists", name))

    def map(self, name: str) -> dict[str, str]:
        """The named word -> value map."""
        return dict(self._entry("maps", name))

    def names(self, name: str) -> tuple[str, ...]:
        """The named list of display strings (case kept)."""
        return tuple(self._entry("names", name))

    def _entry(self, section: str, name: str) -> Any:
        data = self._load()
        if name not in data.get(section, {}):
            kind = {"lists": "list", "maps": "map", "names": "names list"}[section]
            raise ConfigError(f"{self.path.name}: missing {kind} {name!r}")
        return data[section][name]

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = _check(self.path)
        return self._data


def _check(path: Path) -> dict[str, Any]:
    data = read_yaml(path, "word file")
    if data.get("version") != 1:
        raise ConfigError(f"{path.name}: expected a mapping with version: 1")
    for section in ("lists", "maps", "names"):
        if not isinstance(data.setdefault(section, {}), dict):
            raise ConfigError(f"{path.name}: section {section!r} must be a mapping")
    for name, words in data["lists"].items():
        if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w and w == w.lower() and w.strip() == w for w in words):
            raise ConfigError(f"{path.name}: list {name!r} must be a non-empty list of lower-case words "
                              "(quote YAML booleans such as on, off, yes, no)")
    for name, mapping in data["maps"].items():
        if not isinstance(mapping, dict) or not mapping or not all(
                isinstance(k, str) and k == k.lower() and isinstance(v, str) for k, v in mapping.items()):
            raise ConfigError(f"{path.name}: map {name!r} must map lower-case words to strings")
    for name, items in data["names"].items():
        if not isinstance(items, list) or not items or not all(isinstance(x, str) and x.strip() for x in items):
            raise ConfigError(f"{path.name}: names list {name!r} must be a non-empty list of strings")
    return data
