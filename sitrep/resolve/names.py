"""Transliteration-aware name keys: one key for every spelling of a place name.

News, GeoNames, AGCHO and ACLED write the same Dari/Pashto name in many Latin forms
(``Qala-i-Naw``, ``Qala-e Naw``, ``Qal'ah-ye Now``, ``Qala-I- Naw``). :func:`name_key`
folds them to one lookup key so an exact dictionary lookup does most of the work and
fuzzy matching is only a fallback. The rules are deliberately small and symmetric:
the same function builds the index (``scripts/build_gazetteer.py``) and the queries.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from sitrep.wordfile import DATA_DIR, WordFile

__all__ = ["KIND_WORDS", "WORDS", "fold", "name_key", "strip_kind_words"]

# Apostrophe-like marks that transliterations use for ʿayn/hamza: dropped, not spaced.
_MARKS = re.compile(r"[’'`ʿʾ‘ʻ´]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,()]+")
# Transliteration knowledge lives in sitrep/data/resolve_words.yaml (checked on load):
# the izafe connector written as its own word (Qala-i-Naw, Surkh-o-Parsa), spelling
# families folded to one form, and the kind words stripped from a key but kept as a hint.
#: the word file of place resolution (one instance: places.py and extract/location.py read it too)
WORDS = WordFile(DATA_DIR / "resolve_words.yaml")
_IZAFE = WORDS.list("izafe")
_TOKEN_MAP = WORDS.map("token_map")
KIND_WORDS = WORDS.map("kind_words")


@functools.lru_cache(maxsize=1 << 15)  # pure; places and actors fold the same names often
def fold(text: str) -> str:
    """Strip diacritics (``Lashkar Gāh`` -> ``Lashkar Gah``), keep case and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def strip_kind_words(text: str) -> tuple[str, set[str]]:
    """Remove leading/trailing kind words ("Kandahar province", "the city of Herat").

    Returns the bare name and the kinds the removed words pointed to.
    """
    words = text.split()
    kinds: set[str] = set()
    while words and words[0].lower() in {"the", "of"} | set(KIND_WORDS):
        w = words.pop(0).lower()
        if w in KIND_WORDS:
            kinds.add(KIND_WORDS[w])
    while words and words[-1].lower().strip(".,") in KIND_WORDS:
        kinds.add(KIND_WORDS[words.pop().lower().strip(".,")])
    return " ".join(words), kinds


@functools.lru_cache(maxsize=1 << 15)  # pure; resolution keys the same names often
def name_key(text: str) -> str:
    """The lookup key of a place name: casefolded, diacritic-free, izafe-free.

    >>> name_key("Qala-i-Naw") == name_key("Qal'ah-ye Now") == name_key("Qala-I- Naw")
    True
    """
    s = _MARKS.sub("", fold(text)).casefold()
    tokens = [t for t in _SEPARATORS.split(s) if t]
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _IZAFE and 0 < i < len(tokens) - 1:
            continue
        # Izafe glued to a word ("Puli Khumri", "Mazari Sharif") is in the token map.
        out.append(_TOKEN_MAP.get(tok, tok))
    return " ".join(out)
