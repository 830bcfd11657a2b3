"""Word lists of mention extraction, read from ``sitrep/data/extract_words.yaml``.

Language knowledge (which prepositions, nouns or verbs play a role) is data: a new word
is a one-line edit of the YAML file, checked on load by :class:`sitrep.wordfile.WordFile`
(a missing list or a non-word raises a :class:`ConfigError` naming it).
"""

from __future__ import annotations

from sitrep.wordfile import DATA_DIR, WordFile

__all__ = ["FILE", "reload", "word_list", "word_map"]

FILE = WordFile(DATA_DIR / "extract_words.yaml")


def word_list(name: str) -> frozenset[str]:
    """The named word list (a ConfigError when the file lacks it)."""
    return FILE.list(name)


def word_map(name: str) -> dict[str, str]:
    """The named word -> value map (a ConfigError when the file lacks it)."""
    return FILE.map(name)


def reload() -> None:
    """Forget the loaded file (tests that point ``FILE.path`` elsewhere)."""
    FILE.reload()
