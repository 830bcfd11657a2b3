"""Word lists of mention extraction, read from ``sitrep/data/extract_words.yaml``.

Language knowledge (which prepositions, nouns or verbs play a role) is data: a new word
is a one-line edit of the YAML file. The file is checked on load: every list the code
asks for must exist and hold lower-case strings, else a :class:`ConfigError` names it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError

__all__ = ["reload", "word_list", "word_map"]

PATH = Path(__file__).resolve().parents[1] / "data" / "extract_words.yaml"


@functools.cache
def _load() -> dict[str, Any]:
    try:
        data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{PATH.name}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ConfigError(f"{PATH.name}: expected a mapping with version: 1")
    for section in ("lists", "maps"):
        if not isinstance(data.get(section), dict):
            raise ConfigError(f"{PATH.name}: missing section {section!r}")
    for name, words in data["lists"].items():
        if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w == w.lower() and w.strip() == w and w for w in words):
            raise ConfigError(f"{PATH.name}: list {name!r} must be a non-empty list of lower-case words")
    for name, mapping in data["maps"].items():
        if not isinstance(mapping, dict) or not mapping or not all(
                isinstance(k, str) and k == k.lower() and isinstance(v, str) for k, v in mapping.items()):
            raise ConfigError(f"{PATH.name}: map {name!r} must map lower-case words to strings")
    return data


def word_list(name: str) -> frozenset[str]:
    """The named word list (a ConfigError when the file lacks it)."""
    lists = _load()["lists"]
    if name not in lists:
        raise ConfigError(f"{PATH.name}: missing list {name!r}")
    return frozenset(lists[name])


def word_map(name: str) -> dict[str, str]:
    """The named word -> value map (a ConfigError when the file lacks it)."""
    maps = _load()["maps"]
    if name not in maps:
        raise ConfigError(f"{PATH.name}: missing map {name!r}")
    return dict(maps[name])


def reload() -> None:
    """Forget the loaded file (tests that point ``PATH`` elsewhere)."""
    _load.cache_clear()
