"""Article identity and syndicated-copy grouping.

- Identity: ``Article.id`` is a hash of the *normalised* clean text (Unicode NFKC,
  case-folded, punctuation and spacing collapsed), so re-ingesting the same story from
  another file or a re-crawl with different chrome adds nothing.
- Near-duplicates: the same wire story under two outlets with small edits. Each text
  becomes a set of word 5-gram shingles, summarised by a 64-value MinHash signature;
  locality-sensitive hashing (16 bands x 4 rows) proposes candidate pairs, so a new
  article is compared only to the few articles sharing a band, never to the whole
  corpus. A candidate is a copy when the exact shingle Jaccard is >= 0.5 or one
  text's shingles are >= 0.8 contained in the other's (a trimmed copy).
- ``duplicate_of`` is the id of the group's first-seen member (stored articles come
  before the batch, the batch in input order), so groups never chain.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import replace

import numpy as np

from sitrep.model import Article, stable_id

__all__ = ["DuplicateIndex", "StoredLookup", "assign_duplicates", "band_keys", "content_id", "normalise_text",
           "shingles", "signature", "signature_bands"]

_SHINGLE = 5
_PERMS = 64
_BANDS = 16
_ROWS = _PERMS // _BANDS
JACCARD_MIN = 0.5
CONTAINMENT_MIN = 0.8

_rng = np.random.default_rng(20210704)  # fixed seed: signatures are deterministic
_A = _rng.integers(1, 2**63, size=_PERMS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=_PERMS, dtype=np.uint64)


def normalise_text(text: str) -> str:
    """The form of a text that identity and similarity are computed on."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


def content_id(text: str) -> str:
    """The article id: a content hash of the normalised clean text."""
    return stable_id(normalise_text(text))


def shingles(norm: str) -> set[int]:
    """Hashed word 5-gram shingles of a normalised text (``normalise_text``)."""
    words = norm.split()
    if len(words) < _SHINGLE:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            for g in grams}


def signature(sh: Set[int]) -> np.ndarray:
    """The 64-value MinHash signature of a shingle set."""
    if not sh:
        return np.full(_PERMS, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = np.fromiter(sh, dtype=np.uint64, count=len(sh))
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the hash family
        hashed = _A[:, None] * x[None, :] + _B[:, None]
    return hashed.min(axis=1)


#: stored articles filed under any of the given band keys (``band_keys`` strings)
StoredLookup = Callable[[list[str]], Sequence[Article]]


class DuplicateIndex:
    """An LSH index of shingle sets; ``match`` returns the root id of a near-duplicate.

    With ``stored``, the articles of a store are candidates too without being indexed
    up front: ``match`` asks ``stored`` for the stored articles sharing a band with the
    text (their band keys are kept in the store) and indexes just those, so matching
    against a large store costs the candidates, not the whole corpus. The answer is the
    one the index would give with every stored article added first (a stored article's
    root is its ``duplicate_of``, which is always a group's first member).
    """

    def __init__(self, stored: StoredLookup | None = None) -> None:
        self._buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
        self._shingles: dict[str, Set[int]] = {}
        self._root: dict[str, str] = {}
        self._stored = stored
        #: texts whose stored candidates are already indexed -> (shingles, bands)
        self._ready: dict[str, tuple[Set[int], list[tuple[int, bytes]]]] = {}

    def _bands(self, text: str) -> tuple[Set[int], list[tuple[int, bytes]]]:
        sh, bands = _sketch(text)
        return sh, list(bands)

    def preload(self, texts: Iterable[str]) -> None:
        """Index the stored candidates of all these texts with one ``stored`` look-up
        (one store query per ingest batch instead of one per article)."""
        if self._stored is None:
            return
        keys: dict[str, None] = {}
        for text in texts:
            if text not in self._ready:
                self._ready[text] = sh_bands = self._bands(text)
                keys.update((_key_text(b, raw), None) for b, raw in sh_bands[1])
        if keys:
            for a in self._stored(list(keys)):
                self.add(a.id, a.text, root=a.duplicate_of)

    def __len__(self) -> int:
        return len(self._shingles)

    def add(self, article_id: str, text: str, root: str | None = None) -> None:
        if article_id in self._shingles:
            return
        sh, bands = _sketch(text)
        self._shingles[article_id] = sh
        self._root[article_id] = self._root.get(root, root) if root else article_id
        for key in bands:
            self._buckets[key].append(article_id)

    def match(self, text: str) -> str | None:
        """The root id of the most similar indexed copy of ``text``, if any."""
        ready = self._ready.pop(text, None)
        sh, bands = ready if ready is not None else self._bands(text)
        if not sh:
            return None
        if self._stored is not None and ready is None:
            for a in self._stored([_key_text(b, raw) for b, raw in bands]):
                self.add(a.id, a.text, root=a.duplicate_of)
        candidates = {c for key in bands for c in self._buckets.get(key, ())}
        best: tuple[float, str] | None = None
        for cid in sorted(candidates):
            other = self._shingles[cid]
            inter = len(sh & other)
            jaccard = inter / len(sh | other)
            contained = inter / min(len(sh), len(other))
            if jaccard >= JACCARD_MIN or contained >= CONTAINMENT_MIN:
                score = max(jaccard, contained)
                if best is None or score > best[0]:
                    best = score, cid
        return self._root[best[1]] if best else None


def signature_bands(sig: np.ndarray) -> Iterable[tuple[int, bytes]]:
    """The LSH bands of a signature: (band number, the band's bytes)."""
    for b in range(_BANDS):
        yield b, sig[b * _ROWS:(b + 1) * _ROWS].tobytes()


def _key_text(band: int, raw: bytes) -> str:
    return f"{band}:{raw.hex()}"


def band_keys(text: str) -> list[str]:
    """The LSH band keys ``DuplicateIndex`` files ``text`` under, as strings ('band:hex');
    the store keeps them per article (``Store.articles_in_bands``)."""
    return [_key_text(b, raw) for b, raw in _sketch(text)[1]]


@functools.lru_cache(maxsize=1024)
def _sketch(text: str) -> tuple[frozenset[int], tuple[tuple[int, bytes], ...]]:
    """A text's shingles and LSH bands, computed once: ingest matches a new text, indexes
    it and stores its band keys (three shinglings of the same text before)."""
    sh = shingles(normalise_text(text))
    return frozenset(sh), tuple(signature_bands(signature(sh)))


def assign_duplicates(articles: Sequence[Article], existing: Iterable[Article] = ()) -> list[Article]:
    """Set ``duplicate_of`` on ``articles`` against each other and ``existing`` ones."""
    index = DuplicateIndex()
    for a in existing:
        index.add(a.id, a.text, root=a.duplicate_of)
    out: list[Article] = []
    for a in articles:
        root = index.match(a.text)
        if root == a.id:
            root = None
        out.append(replace(a, duplicate_of=root) if root != a.duplicate_of else a)
        index.add(a.id, a.text, root=root)
    return out
