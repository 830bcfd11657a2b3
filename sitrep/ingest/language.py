"""Offline language identification (lingua), restricted to the languages we expect.

lingua has no Pashto model: when ``ps`` is allowed, Arabic-script text that lingua
calls Persian/Arabic but that uses Pashto-only letters (ټ ډ ړ ږ ښ ګ ڼ ې ۍ) is Pashto.

Restricting lingua to a handful of languages keeps it at ~30 MB and ~3 ms per article
(all 75 preloaded take 1.4 GB). The detector is built lazily, once per process and
language set. Under ~20 words every detector guesses, so short texts get ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sitrep.errors import ConfigError

__all__ = ["DEFAULT_LANGUAGES", "MIN_WORDS", "detect_language"]

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de", "ar", "fa", "ps", "ru")
#: below this many words a text gets no language
MIN_WORDS = 20
#: below this confidence the best guess is not reported
MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 4000  # the opening is plenty and keeps long articles cheap


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> tuple[Any, dict[Any, str]]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    langs = []
    for code in codes:
        if code == "ps":
            continue  # no lingua model; see _PASHTO_LETTERS
        try:
            langs.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError) as exc:
            raise ConfigError(f"unknown language code {code!r} (use ISO 639-1, e.g. en, fr)") from exc
    if len(langs) < 2:
        raise ConfigError("language detection needs at least two languages")
    detector = LanguageDetectorBuilder.from_languages(*langs).build()
    names = {lang: lang.iso_code_639_1.name.lower() for lang in langs}
    return detector, names


_PASHTO_LETTERS = frozenset("ټډړږښګڼېۍځڅ")


def detect_language(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> tuple[str | None, float]:
    """(ISO 639-1 code or None, confidence 0..1) for ``text``."""
    if len(text.split()) < MIN_WORDS:
        return None, 0.0
    codes = tuple(sorted({c.lower() for c in languages}))
    lingua_codes = {c for c in codes if c != "ps"} | ({"fa", "ar"} if "ps" in codes else set())
    detector, names = _detector(tuple(sorted(lingua_codes)))
    values = detector.compute_language_confidence_values(text[:_SAMPLE_CHARS])
    if not values:
        return None, 0.0
    top = values[0]
    if top.value < MIN_CONFIDENCE:
        return None, float(top.value)
    code = names[top.language]
    if "ps" in codes and code in ("fa", "ar") and sum(ch in _PASHTO_LETTERS for ch in text) >= 5:
        return "ps", float(top.value)
    if code not in codes:  # fa/ar were only added to catch Pashto
        return None, float(top.value)
    return code, float(top.value)
