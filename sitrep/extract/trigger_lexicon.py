"""The trigger lexicon (``sitrep/data/triggers.yaml``) and the ACLED ontology, compiled.

The lexicon is data so analysts can read and extend it; this module turns it into
spaCy matchers once per vocabulary: ``seq`` patterns become :class:`spacy.matcher.Matcher`
rules and ``dep`` patterns :class:`spacy.matcher.DependencyMatcher` rules, both over a
lower-cased lemma attribute (``Token._.sitrep_lemma``) that also repairs the few words the
small English model mis-lemmatises ("staged" -> "stag"). The file's header documents the
pattern syntax.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, POS
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab
from thinc.types import Ints2d

from sitrep.errors import ConfigError
from sitrep.wordfile import read_yaml

__all__ = [
    "LemmaIndex",
    "Lexicon",
    "OntologyRow",
    "PatternRule",
    "TypeRule",
    "compiled_matchers",
    "event_type_of",
    "lemma_of",
    "lemmas",
    "shadow_doc",
    "load_lexicon",
    "load_ontology",
]

_LEMMA_KEY = "sitrep.lemmas"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True, slots=True)
class OntologyRow:
    disorder_type: str
    event_type: str
    sub_event_type: str
    definition: str
    plover: str


@dataclass(frozen=True, slots=True)
class PatternRule:
    """One trigger pattern of the lexicon."""

    id: str
    sub_event_type: str
    score: float
    resolve: str | None = None  # "territorial" | "target" | None
    unless: tuple[str, ...] = ()  # cue lemmas (or "a b" sequences) that cancel it
    needs: tuple[str, ...] = ()  # at least one must be in the sentence
    # where unless/needs cues are looked up: "sentence"; "doc" (the whole Doc); "clause"
    # (the trigger's own clause: a cue in a 'because' or reported clause is another event's);
    # "window" (the sentence and the one before: 'US airstrikes were carried out ... A
    # Taliban vehicle was targeted and destroyed')
    context: str = "sentence"


@dataclass(frozen=True, slots=True)
class TypeRule:
    """Per sub-event type: cue words and the readings it outranks."""

    name: str
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()
    outranks: tuple[str, ...] = ()


@dataclass(slots=True)
class Lexicon:
    """The parsed YAML: rules by id, raw matcher patterns, word lists and knobs."""

    threshold: float
    cue_up: float
    cue_down: float
    outrank_factor: float
    lemma_fixes: dict[str, str]
    lists: dict[str, tuple[str, ...]]
    types: dict[str, TypeRule]
    rules: dict[str, PatternRule]
    seq_patterns: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    dep_patterns: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()  # every lemma the patterns mention
    veto_ids: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=1)
def load_ontology() -> dict[str, OntologyRow]:
    """Sub-event type -> its ontology row (25 ACLED sub-event types)."""
    text = (DATA_DIR / "ontology.csv").read_text(encoding="utf-8")
    rows = [OntologyRow(**r) for r in csv.DictReader(text.splitlines())]
    return {r.sub_event_type: r for r in rows}


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event type a sub-event type belongs to (ConfigError if unknown)."""
    try:
        return load_ontology()[sub_event_type].event_type
    except KeyError:
        raise ConfigError(f"ontology.csv: unknown sub-event type {sub_event_type!r}") from None


def lemma_of(token: Token) -> str:
    """Lower-cased lemma, repaired where the small model gets it wrong.

    The lexicon's ``lemma_fixes`` map surface forms or bad lemmas ("staged" -> "stag") to
    the right lemma; a word the tagger took for a proper noun keeps its inflection
    ("Clashes"), so a regular suffix is stripped when that yields a lexicon word.
    """
    lex = load_lexicon()
    low = token.lower_
    if low in lex.lemma_fixes:
        return lex.lemma_fixes[low]
    lemma = token.lemma_.lower() or low
    lemma = lex.lemma_fixes.get(lemma, lemma)
    if lemma not in lex.words and lemma == low and len(low) > 4:
        for suffix, repl in _SUFFIXES:
            if low.endswith(suffix) and low[: -len(suffix)] + repl in lex.words:
                return low[: -len(suffix)] + repl
    return lemma


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
             ("ing", ""), ("ing", "e"), ("d", ""))


def lemmas(doc: Doc) -> list[str]:
    """:func:`lemma_of` for every token of the Doc (cached in ``doc.user_data``)."""
    cached = doc.user_data.get(_LEMMA_KEY)
    if cached is None or len(cached) != len(doc):
        cached = [lemma_of(t) for t in doc]
        doc.user_data[_LEMMA_KEY] = cached
    return cached


def shadow_doc(doc: Doc) -> Doc:
    """A copy of the Doc's analysis whose words are the normalised lemmas (for matching):
    the same tags, parse and entities, copied as arrays (a missing tag reads ``X``, a
    missing dependency label ``dep``, a token outside every entity ``O``)."""
    shadow = Doc(doc.vocab, words=lemmas(doc), spaces=[bool(t.whitespace_) for t in doc])
    attrs = [ENT_IOB, ENT_TYPE]
    if doc.has_annotation("POS"):
        attrs.append(POS)
    if doc.has_annotation("DEP"):
        attrs += [HEAD, DEP]
    values = cast(Ints2d, doc.to_array(attrs))
    values[values[:, 0] == 0, 0] = 2  # ENT_IOB: 'O' where unset
    strings = doc.vocab.strings
    if POS in attrs:
        col = attrs.index(POS)
        values[values[:, col] == 0, col] = strings.add("X")
    if DEP in attrs:
        col = attrs.index(DEP)
        values[values[:, col] == 0, col] = strings.add("dep")
    return shadow.from_array(attrs, values)


def _expand(items: Iterable[str], lists: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for it in items:
        it = str(it).strip().lower()
        if it.startswith("$"):
            if it[1:] not in lists:
                raise ConfigError(f"triggers.yaml: unknown word list {it!r}")
            out.extend(lists[it[1:]])
        elif it:
            out.append(it)
    return tuple(dict.fromkeys(out))


_TOKEN_RE = re.compile(r"^(?P<body>[^/?]+)(?:/(?P<pos>[A-Z,]+))?(?P<opt>\?)?$")


def _token_variants(spec: str, lists: Mapping[str, tuple[str, ...]],
                    first: bool = False) -> list[dict[str, Any]]:
    """One token of the ``seq`` mini-syntax -> spaCy token pattern(s).

    Matching runs on a shadow Doc whose words are the normalised lemmas, so a lemma test
    is a ``LOWER`` test. The first token of a pattern is expanded into one exact-valued
    pattern per (lemma, POS): spaCy checks exact values in C, whereas set predicates run
    in Python for every token of every document (ten times slower on 5,000 notes).
    """
    if spec.startswith("*"):
        return [{"OP": f"{{0,{int(spec[1:] or 1)}}}"}]
    m = _TOKEN_RE.match(spec)
    if not m:
        raise ConfigError(f"triggers.yaml: bad token {spec!r}")
    body, pos, opt = m.group("body"), m.group("pos"), m.group("opt")
    poses = pos.split(",") if pos else [None]
    if body.startswith("@"):
        bases: list[dict[str, Any]] = [{"ENT_TYPE": {"IN": body[1:].split(",")}}]
    elif body == "#":
        bases = [{"LIKE_NUM": True}]
    else:
        words = list(_expand(body.split("|"), lists))
        bases = [{"LOWER": w} for w in words] if first else [{"LOWER": {"IN": words}}]
    out = []
    if first or len(poses) == 1:
        for base in bases:
            for p in poses:
                out.append({**base, **({"POS": p} if p else {})})
    else:
        out = [{**base, "POS": {"IN": poses}} for base in bases]
    if opt:
        for pat in out:
            pat["OP"] = "?"
    return out


def _seq_patterns(seq: str, lists: Mapping[str, tuple[str, ...]]) -> list[list[dict[str, Any]]]:
    specs = seq.split()
    rest = [_token_variants(t, lists)[0] for t in specs[1:]]
    return [[first, *rest] for first in _token_variants(specs[0], lists, first=True)]


def _dep_patterns(dep: Mapping[str, str],
                  lists: Mapping[str, tuple[str, ...]]) -> list[list[dict[str, Any]]]:
    child = _token_variants(str(dep["child"]), lists)[0]
    child["DEP"] = {"IN": str(dep["rel"]).split("|")}
    return [[{"RIGHT_ID": "head", "RIGHT_ATTRS": head},
             {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "child", "RIGHT_ATTRS": child}]
            for head in _token_variants(str(dep["head"]), lists, first=True)]


def _add_pattern(lex: Lexicon, raw: Mapping[str, Any], where: str) -> str:
    pid = str(raw.get("id") or "")
    if not pid or pid in lex.seq_patterns or pid in lex.dep_patterns:
        raise ConfigError(f"triggers.yaml: {where}: missing or duplicate pattern id {pid!r}")
    if "seq" in raw:
        lex.seq_patterns[pid] = _seq_patterns(str(raw["seq"]), lex.lists)
    elif "dep" in raw:
        lex.dep_patterns[pid] = _dep_patterns(raw["dep"], lex.lists)
    else:
        raise ConfigError(f"triggers.yaml: {where}: pattern {pid} has neither seq nor dep")
    return pid


def parse_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """Validate and parse the YAML mapping (sub-event types must exist in the ontology)."""
    ontology = load_ontology()
    lists = {k: tuple(str(w).lower() for w in v) for k, v in (data.get("lists") or {}).items()}
    lex = Lexicon(
        threshold=float(data.get("threshold", 0.45)),
        cue_up=float(data.get("cue_up", 0.08)),
        cue_down=float(data.get("cue_down", 0.15)),
        outrank_factor=float(data.get("outrank_factor", 0.6)),
        lemma_fixes={str(k).lower(): str(v).lower() for k, v in (data.get("lemma_fixes") or {}).items()},
        lists=lists,
        types={},
        rules={},
    )
    lex.words = frozenset(_pattern_words(data, lists))
    vetoes = [_add_pattern(lex, v, "vetoes") for v in data.get("vetoes") or []]
    lex.veto_ids = frozenset(vetoes)
    for name, spec in (data.get("types") or {}).items():
        if name not in ontology:
            raise ConfigError(f"triggers.yaml: {name!r} is not an ACLED sub-event type in ontology.csv")
        for other in spec.get("outranks") or []:
            if other not in ontology:
                raise ConfigError(f"triggers.yaml: {name}: outranks unknown type {other!r}")
        lex.types[name] = TypeRule(
            name=name,
            up=_expand(spec.get("up") or [], lists),
            down=_expand(spec.get("down") or [], lists),
            veto=_expand(spec.get("veto") or [], lists),
            outranks=tuple(spec.get("outranks") or []),
        )
        for raw in spec.get("patterns") or []:
            pid = _add_pattern(lex, raw, name)
            lex.rules[pid] = PatternRule(
                id=pid,
                sub_event_type=name,
                score=float(raw.get("score", 0.5)),
                resolve=raw.get("resolve"),
                unless=_expand(raw.get("unless") or [], lists),
                needs=_expand(raw.get("needs") or [], lists),
                context=_context(raw.get("context"), pid),
            )
    return lex


_CONTEXTS = ("sentence", "doc", "clause", "window")


def _context(value: object, pid: str) -> str:
    context = str(value or "sentence")
    if context not in _CONTEXTS:
        raise ConfigError(f"triggers.yaml: pattern {pid}: context must be one of {_CONTEXTS}, not {context!r}")
    return context


def _pattern_words(data: Mapping[str, Any], lists: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every lemma the lexicon mentions (guides suffix repair in :func:`lemma_of`)."""
    words: set[str] = {w for ws in lists.values() for w in ws}
    raws = list(data.get("vetoes") or [])
    for spec in (data.get("types") or {}).values():
        raws.extend(spec.get("patterns") or [])
    for raw in raws:
        toks = str(raw["seq"]).split() if "seq" in raw else [str(v) for v in raw["dep"].values()]
        for tok in toks:
            words.update(w for w in re.split(r"[|/?]", tok) if w.islower())
    return words


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, parsed once per process."""
    data = read_yaml(DATA_DIR / "triggers.yaml", "trigger lexicon")
    try:
        return parse_lexicon(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"sitrep/data/triggers.yaml: {exc}") from exc


_M = TypeVar("_M", Matcher, DependencyMatcher)


class LemmaIndex(Generic[_M]):
    """A spaCy matcher restricted to the patterns that can match in a given text.

    spaCy's Matcher tries every pattern at every token: ~1,050 sequence patterns after the
    first-token expansion were about half the non-parse time of the pipeline. A pattern
    whose first token (a dependency pattern: its head) is an exact lemma can only match
    where that lemma is, so a text is matched by a matcher holding the patterns whose
    lemma occurs in it, plus those whose first token is not a lemma (a number, an entity
    type), added in the lexicon's order. It gives the matches the full matcher gives, in
    the same order: a pattern that cannot start is rejected at its first token and never
    touches the other patterns' states (the dependency matcher lists matches pattern by
    pattern, sentence by sentence). The matcher of each set of lemmas is built once
    (bounded cache); ``full`` holds every pattern and validates the lexicon once.
    """

    def __init__(self, make: Callable[[bool], _M], patterns: Mapping[str, list[list[dict[str, Any]]]],
                 first: Callable[[list[dict[str, Any]]], dict[str, Any]]) -> None:
        self._make: Callable[[bool], _M] = make
        self.full: _M = make(True)
        self._entries: list[tuple[str, list[dict[str, Any]]]] = []
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        for pid, pats in patterns.items():
            self.full.add(pid, pats)
            for pat in pats:
                token = first(pat)
                word = token.get("LOWER")
                exact = isinstance(word, str) and set(token) <= {"LOWER", "POS"}
                slot = self._by_word.setdefault(str(word), []) if exact else self._always
                slot.append(len(self._entries))
                self._entries.append((pid, pat))
        self._subset: Callable[[frozenset[str]], _M] = functools.lru_cache(maxsize=4096)(self._build)

    def for_lemmas(self, lowers: Iterable[str]) -> _M | None:
        """The matcher for a text whose tokens have these ``LOWER`` values (None: nothing
        can match there)."""
        present = frozenset(self._by_word.keys() & set(lowers))
        if not present and not self._always:
            return None
        return self._subset(present)

    def _build(self, present: frozenset[str]) -> _M:
        chosen = sorted([*self._always, *(i for w in present for i in self._by_word[w])])
        matcher = self._make(False)  # the patterns were validated by ``full``
        for pid, group in itertools.groupby(chosen, key=lambda i: self._entries[i][0]):
            matcher.add(pid, [self._entries[i][1] for i in group])
        return matcher


_MATCHERS: dict[int, tuple[Vocab, LemmaIndex[Matcher], LemmaIndex[DependencyMatcher]]] = {}


def compiled_matchers(vocab: Vocab) -> tuple[LemmaIndex[Matcher], LemmaIndex[DependencyMatcher]]:
    """The lexicon's sequence and dependency matchers for this vocabulary (built once)."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1], cached[2]
    lex = load_lexicon()
    seq = LemmaIndex(lambda validate: Matcher(vocab, validate=validate), lex.seq_patterns,
                     lambda pat: pat[0])
    dep = LemmaIndex(lambda validate: DependencyMatcher(vocab, validate=validate),
                     lex.dep_patterns, lambda pat: pat[0]["RIGHT_ATTRS"])
    _MATCHERS[id(vocab)] = (vocab, seq, dep)
    return seq, dep
