"""Quantities with roles in one sentence: killed, wounded, prisoners freed, displaced...

A number only matters with what it counts and what happened to it, so each
quantity is found as a *counted noun* (``families``, ``inmates``, ``soldiers``)
with a number or a vague quantifier in front of it, and its role comes from the
noun plus the verb it hangs on ("fled" → displaced, "released" → freed). Numbers
that count nothing we model (distances, percentages, years) are dropped.

Vague quantities follow a conservative convention (ACLED codes "dozens" as 12
and "hundreds" as 100; the value is the lowest reading, the range what the word
can mean):

=================  =====  =====  =====
word               value  low    high
=================  =====  =====  =====
a few / some       2      2      5
several / many     3      3      9
scores             20     20     99
dozens / tens      12     12     99
several dozen      24     24     99
hundreds           100    100    999
several hundred    200    200    999
thousands          1000   1000   9999
tens of thousands  10000  10000  99999
=================  =====  =====  =====

Exact numbers: "300" → 300 (low = high = 300); "more than / over / at least 300"
→ value 300, low 300, high None; "about / around / nearly 200" → value 200 with
no range (the source is approximate, not a bound). "no one was injured" →
wounded 0 (a negated count is a number, not a negated event).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.lexicon import quantity_words
from sitrep.model import Quantity, Span
from sitrep.nlp import doc_text, span_text

__all__ = ["VAGUE_QUANTITIES", "extract_numbers", "parse_number_words"]

_WORDS = quantity_words()  # data/quantities.yaml, checked on load

# word -> (value, low, high); see the module docstring table.
VAGUE_QUANTITIES: dict[str, tuple[int, int, int]] = _WORDS.vague
_SEVERAL_MULTIPLIER = _WORDS.several
_UNITS = _WORDS.number_words
_SCALES = _WORDS.scales

_FILLERS = {"than", "at", "a", "the", "to", "of"}  # not the number, not the hedge


def _hedge_words(phrases: tuple[str, ...]) -> set[str]:
    """The content word of each hedge phrase ('at least' -> 'least')."""
    return {w for p in phrases for w in p.split() if w not in _FILLERS}


_LOWER_BOUND = _hedge_words(_WORDS.hedges.lower_bound)
# an upper bound ('up to 300') is read as an approximate value without a range
_APPROX = _hedge_words(_WORDS.hedges.approximate + _WORDS.hedges.upper_bound)

# counted noun lemma -> role family; the verb decides between families where needed.
_PEOPLE_NOUNS = _WORDS.counted_nouns["people"]
_PRISONER_NOUNS = _WORDS.counted_nouns["prisoners"]
_FAMILY_NOUNS = _WORDS.counted_nouns["families"]
_FORCE_NOUNS = _WORDS.counted_nouns["forces"]
_DISTRICT_NOUNS = _WORDS.counted_nouns["places"]

_KILL_VERBS = _WORDS.role_words["killed"]
_WOUND_VERBS = _WORDS.role_words["wounded"]
_FREE_VERBS = _WORDS.role_words["freed"]
_DISPLACE_VERBS = _WORDS.role_words["displaced"]
_CROSS_VERBS = _WORDS.role_words["crossed"]
_HOLD_VERBS = _WORDS.role_words["held"]


def _alternatives(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in phrases)


_NOBODY = re.compile(rf"\b({_alternatives(_WORDS.nobody)})\b", re.I)
_ZERO_ROLES = {**_WORDS.zero_participles, **_WORDS.zero_intransitive}
_ZERO_VERB = re.compile(rf"\s+(?:{_alternatives(_WORDS.zero_auxiliaries)})\s+"
                        rf"({_alternatives(_WORDS.zero_participles)})\b"
                        rf"|\s+({_alternatives(_WORDS.zero_intransitive)})\b")


def parse_number_words(text: str) -> int | None:
    """``'two hundred'`` → 200, ``'1,200'`` → 1200, ``'75,000'`` → 75000; None if not a number."""
    t = text.strip().lower().replace("-", " ")
    digits = t.replace(",", "").replace(" ", "")
    if digits.isdigit():
        return int(digits)
    total, current, seen = 0, 0, False
    for word in t.split():
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _head_chain(noun: Token, depth: int = 3) -> list[str]:
    """Lemmas governing the noun, nearest first (its own participle modifiers, then its heads,
    each followed by the result that completes it: 'were shot | dead', 'beaten | to death')."""
    chain = [c.lemma_.lower() for c in noun.children if c.dep_ in ("acl", "relcl", "amod")]
    tok = noun
    for _ in range(depth):
        if tok.head == tok:
            break
        tok = tok.head
        chain.append(tok.lemma_.lower())
        chain.append(tok.lower_)
        chain.extend(_results(tok))
    return chain


def _results(verb: Token) -> list[str]:
    """The result a verb's action ends in, when written after it ('shot dead', 'stabbed to
    death'): the lemma of its predicative complement or of the object of its 'to'; none for a
    verb that harms no one ('sentenced to death', 'feared dead': ``no_harm_verbs``)."""
    out: list[str] = []
    if verb.lemma_.lower() in _WORDS.no_harm_verbs:
        return out
    for c in verb.children:
        if c.i <= verb.i:
            continue
        if c.dep_ in ("oprd", "acomp"):
            out.append(c.lemma_.lower())
        elif c.dep_ == "prep" and c.lower_ == "to":
            out.extend(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
    return out


def _is_total(noun: Token) -> bool:
    """The noun is the 'of the N' total of a share ('a third of the 34 provincial capitals',
    'around 100 of the country's nearly 400 districts')."""
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "of" and any(
        t.like_num or t.lower_ in _WORDS.share_words
        for t in head.head.subtree if t.i < head.i)


def _first_class(chain: list[str], classes: list[tuple[str, frozenset[str]]]) -> str | None:
    """The role of the nearest governing word that belongs to one of ``classes``."""
    for lemma in chain:
        for role, words in classes:
            if lemma in words:
                return role
    return None


_COUNTED_NOUNS = _PRISONER_NOUNS | _FAMILY_NOUNS | _DISTRICT_NOUNS | _FORCE_NOUNS | _PEOPLE_NOUNS


def _role_for(noun: Token, sent_lemmas: set[str]) -> str | None:
    """The role of a counted noun; ``sent_lemmas`` are its sentence's (built once per sentence)."""
    lemma = noun.lemma_.lower()
    if lemma not in _COUNTED_NOUNS:
        return None  # the head chain below is the costly part: skip it for other nouns
    chain = _head_chain(noun)
    if lemma in _PRISONER_NOUNS:
        return "prisoners_freed" if set(chain) & _FREE_VERBS or sent_lemmas & _FREE_VERBS else "prisoners"
    if lemma in _FAMILY_NOUNS:
        return "families_displaced" if (set(chain) | sent_lemmas) & _DISPLACE_VERBS else None
    if lemma in _DISTRICT_NOUNS:
        if _is_total(noun):
            return None  # '12 of the 34 provincial capitals': 34 is the country's total
        return "districts_held" if set(chain) & _HOLD_VERBS else None
    if lemma in _FORCE_NOUNS:
        role = _first_class(chain, [("killed", _KILL_VERBS), ("wounded", _WOUND_VERBS),
                                    ("soldiers_crossed", _CROSS_VERBS)])
        if role is None and {"border", "cross"} <= sent_lemmas:
            role = "soldiers_crossed"
        return role
    if lemma in _PEOPLE_NOUNS:
        return _first_class(chain, [("killed", _KILL_VERBS), ("wounded", _WOUND_VERBS),
                                    ("people_displaced", _DISPLACE_VERBS)])
    return None


def _quantity_before(noun: Token) -> tuple[int, int | None, int | None, int, int] | None:
    """The number in front of a counted noun: (value, low, high, start_char, end_char)."""
    doc = noun.doc
    # numeric modifiers directly attached, or a quantifier phrase "hundreds of X" (noun is pobj)
    nums = [c for c in noun.children if c.dep_ in ("nummod", "amod", "quantmod") or c.like_num]
    nums = [c for c in nums if c.i < noun.i]
    if nums:
        first = min(c.left_edge.i for c in nums)
        words = doc[first : noun.i]
        return _read_quantity(words.text, words.start_char, words.end_char)
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.i < noun.i:
        quant = head.head
        words = doc[quant.left_edge.i : quant.i + 1]
        return _read_quantity(words.text, words.start_char, words.end_char)
    return None


def _read_quantity(text: str, start: int, end: int) -> tuple[int, int | None, int | None, int, int] | None:
    words = [w for w in re.split(r"\s+", text.lower().replace("-", " ")) if w]
    if not words:
        return None
    lower_bound = any(w in _LOWER_BOUND for w in words)
    approx = any(w in _APPROX for w in words[:-1]) or words[0] == "some" and len(words) > 1
    if "several" in words or "a" in words and "few" not in words:
        for w in words:
            if w in _SEVERAL_MULTIPLIER and "several" in words:
                v, lo, hi = _SEVERAL_MULTIPLIER[w]
                return v, lo, hi, start, end
    for w in reversed(words):
        if w in VAGUE_QUANTITIES:
            if w == "tens" and "thousands" in words:
                return 10000, 10000, 99999, start, end
            v, lo, hi = VAGUE_QUANTITIES[w]
            return v, lo, hi, start, end
    numeric = [w for w in words if w not in _LOWER_BOUND | _APPROX | _FILLERS]
    value = parse_number_words(" ".join(numeric))
    if value is None:
        for w in reversed(numeric):
            value = parse_number_words(w)
            if value is not None:
                break
    if value is None:
        return None
    if lower_bound:
        return value, value, None, start, end
    if approx:
        return value, None, None, start, end
    return value, value, value, start, end


def extract_numbers(sentence: SpacySpan) -> tuple[Quantity, ...]:
    """Every role-bearing quantity in ``sentence`` (char offsets are the Doc's = article's)."""
    found: list[Quantity] = []
    seen_roles: set[str] = set()
    sent_lemmas = {t.lemma_.lower() for t in sentence}
    for tok in sentence:
        if tok.pos_ not in ("NOUN", "PROPN", "PRON") and tok.lemma_.lower() not in _PEOPLE_NOUNS:
            continue
        if tok.pos_ == "PRON" or tok.lower_ in ("one", "nobody"):
            continue
        role = _role_for(tok, sent_lemmas)
        if role is None:
            continue
        q = _quantity_before(tok)
        if q is None:
            continue
        value, low, high, start, end = q
        if start >= end:
            continue
        text = doc_text(sentence.doc)[start : tok.idx + len(tok.text)]
        found.append(Quantity(role=role, value=value, low=low, high=high,
                              span=Span(start, tok.idx + len(tok.text), text)))
        seen_roles.add(role)
    found.extend(_zero_counts(sentence, seen_roles))
    return tuple(found)


def _zero_counts(sentence: SpacySpan, seen_roles: set[str]) -> list[Quantity]:
    """'no one was injured' → wounded 0; 'nobody was killed' → killed 0."""
    out: list[Quantity] = []
    for m in _NOBODY.finditer(span_text(sentence)):
        start = sentence.start_char + m.start()
        tail = span_text(sentence)[m.end() : m.end() + 40].lower()
        verb = _ZERO_VERB.match(tail)
        role = _ZERO_ROLES[verb.group(1) or verb.group(2)] if verb else None
        if verb and role and role not in seen_roles:
            end = sentence.start_char + m.end() + verb.end()
            out.append(Quantity(role=role, value=0, low=0, high=0,
                                span=Span(start, end, doc_text(sentence.doc)[start:end])))
    return out
