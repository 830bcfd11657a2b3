"""Statistics in a sentence: 'N of M units', fractions and percentages of a total,
ordinals ('the fifth district to fall'), counted people with their role ('at least 183
civilians … killed'), proportions ('almost all of')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.claims.lexicon import APPROX, NUM, Lexicon, lexicon
from sitrep.extract.numbers import parse_number_words

__all__ = ["Stat", "find_statistics"]

@dataclass(frozen=True, slots=True)
class Stat:
    start: int  # char offsets in the Doc
    end: int
    quantity: float | None
    unit: str | None
    of_total: float | None
    approximate: bool
    note: str = ""


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        value = parse_number_words(text)
        return float(value) if value is not None else None


@lru_cache(maxsize=1)
def _stat_patterns() -> list[tuple[str, re.Pattern[str]]]:
    lex = lexicon()
    units = "|".join(re.escape(u) for u in lex.units)
    fractions = "|".join(re.escape(f) for f in sorted(lex.fractions, key=len, reverse=True))
    ordinals = "|".join(lex.ordinals)
    total = rf"(?:the\s+)?(?:\w+[’']s\s+)?(?P<a2>{APPROX}\s+)?(?P<tot>{NUM})\s+" \
            rf"(?:\w+\s+){{0,2}}?(?P<unit>{units})"
    return [
        ("of", re.compile(rf"(?P<a1>{APPROX}\s+)?(?P<q>{NUM})\s+of\s+{total}", re.I)),
        ("frac", re.compile(rf"(?P<a1>{APPROX}\s+)?(?P<q>{fractions})\s+of\s+{total}", re.I)),
        ("pct", re.compile(rf"(?P<a1>{APPROX}\s+)?(?P<q>{NUM})\s*(?:%|per\s?cent)", re.I)),
        ("ord", re.compile(rf"\b(?P<q>{ordinals})\s+(?P<unit>{units.replace('s|', '|')}s?)\b",
                           re.I)),
        ("count", re.compile(rf"(?P<a1>{APPROX}\s+)(?P<q>{NUM})\s+(?:\w+\s+)?(?P<unit>{units})"
                             rf"\b", re.I)),
        ("count", re.compile(rf"\b(?P<q>\d{{1,3}}(?:,\d{{3}})+|\d{{3,}})\s+(?:\w+\s+)?"
                             rf"(?P<unit>{units})\b", re.I)),
        ("prop", re.compile(rf"\b(?P<a1>almost\s+|nearly\s+)?(?P<q>{'|'.join(lex.proportions)})\b",
                            re.I)),
    ]


_DIGIT = re.compile(r"\d")  # what NUM needs
_NUMERIC = frozenset({"of", "frac", "pct", "count"})  # the patterns that cannot match without one
#: words a pattern cannot match without (one of them, in the lower-cased sentence): most
#: sentences have none, and the patterns are tried at every character
_NEEDS = {"of": ("of",), "frac": ("of",), "pct": ("%", "cent")}


def _unit_name(unit: str, plural: bool = False) -> str:
    unit = unit.lower().replace("centres", "centers")
    if plural and not unit.endswith("s"):  # 'the fifth district' counts districts
        unit += "s"
    return re.sub(r"\s+", "_", unit)


def find_statistics(sentence: SpacySpan) -> list[Stat]:
    """Statistics in one sentence, left to right, without overlaps."""
    lex = lexicon()
    text, base = sentence.text, sentence.start_char
    found: list[Stat] = []
    taken: list[tuple[int, int]] = []
    digits = _DIGIT.search(text) is not None
    low = text.lower()
    for kind, pat in _stat_patterns():
        if kind in _NUMERIC and not digits:  # (their quantity or total is a NUM)
            continue
        if kind in _NEEDS and not any(w in low for w in _NEEDS[kind]):
            continue
        for m in pat.finditer(text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            q_text = m.group("q").lower()
            approx = bool(m.groupdict().get("a1")) or bool(m.groupdict().get("a2"))
            unit = (_unit_name(m.group("unit"), plural=kind == "ord")
                    if m.groupdict().get("unit") else None)
            total = _number(m.group("tot")) if m.groupdict().get("tot") else None
            note = ""
            if kind == "frac":
                frac = lex.fractions[re.sub(r"\s+", " ", q_text)]
                quantity = round(frac * total, 1) if total else None
                approx, note = True, f"{q_text} of {m.group('tot')}"
            elif kind == "pct":
                quantity, unit, total = _number(q_text), "percent", 100.0
            elif kind == "ord":
                quantity = float(lex.ordinals[q_text])
            elif kind == "prop":
                quantity, unit, approx, note = None, None, True, q_text
            else:
                quantity = _number(q_text)
            if unit and unit in lex.people_units:
                role = _role(sentence, base + s, base + e, lex)
                unit = f"{unit}_{role}" if role else unit
            found.append(Stat(base + s, base + e, quantity, unit, total, approx, note))
            taken.append((s, e))
    return sorted(found, key=lambda st: st.start)


def _role(sentence: SpacySpan, start: int, end: int, lex: Lexicon) -> str | None:
    """What happened to the counted people: the verb their noun hangs on."""
    span = sentence.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok: Token | None = span.root
    for _ in range(4):
        if tok is None:
            break
        role = lex.roles.get(tok.lemma_.lower())
        if role:
            return role
        tok = tok.head if tok.head != tok else None
    return None

