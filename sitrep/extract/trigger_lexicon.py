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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, POS
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab
from thinc.types import Ints2d

from sitrep.errors import ConfigError
from sitrep.wordfile import read_yaml

__all__ = [
    "Lexicon",
    "OntologyRow",
    "DependencyIndex",
    "PatternRule",
    "Row",
    "SequenceIndex",
    "TypeRule",
    "compiled_matchers",
    "event_type_of",
    "lemma_of",
    "lemmas",
    "shadow_doc",
    "token_rows",
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
    return _repaired(load_lexicon(), token.lower_, token.lemma_)


def _repaired(lex: Lexicon, low: str, spacy_lemma: str) -> str:
    """:func:`lemma_of` of a token with lower-case form ``low`` and spaCy lemma ``spacy_lemma``."""
    if low in lex.lemma_fixes:
        return lex.lemma_fixes[low]
    lemma = spacy_lemma.lower() or low
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
        cached = doc.user_data[_LEMMA_KEY] = _doc_lemmas(doc)
    return cached


#: the lexicon :func:`lemma_of` last read, and its answers by (lower-case form, spaCy
#: lemma) string ids: a token's repaired lemma is a function of those two alone
_REPAIRED: list[Any] = [None, {}]


def _doc_lemmas(doc: Doc) -> list[str]:
    lex = load_lexicon()
    if _REPAIRED[0] is not lex:
        _REPAIRED[:] = [lex, {}]
    known: dict[tuple[int, int], str] = _REPAIRED[1]
    strings = doc.vocab.strings

    def repaired(key: tuple[int, int]) -> str:
        lemma = known[key] = _repaired(lex, strings[key[0]], strings[key[1]])
        return lemma

    ids = cast(Ints2d, doc.to_array([LOWER, LEMMA]))
    return [lemma if (lemma := known.get(key)) is not None else repaired(key)
            for key in zip(ids[:, 0].tolist(), ids[:, 1].tolist(), strict=True)]


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


# --------------------------------------------------------------- matching

# A token as the patterns see it (the lemma shadow of :func:`shadow_doc`, as ids): LOWER of
# the normalised lemma, POS ('X' where missing), ENT_TYPE, LIKE_NUM of the lemma, DEP ('dep'
# where missing) and the index of its syntactic head.
Row = tuple[int, int, int, int, int, int]
# one pattern token: (quantifier, then the id sets it tests in Row order, None: any value)
Step = tuple[int, frozenset[int] | None, frozenset[int] | None, frozenset[int] | None,
             frozenset[int] | None, frozenset[int] | None]
_ONE, _ZERO_ONE = 1, 2  # the two quantifiers the lexicon's mini-syntax compiles to
_TESTED = ("LOWER", "POS", "ENT_TYPE", "LIKE_NUM", "DEP")  # Row order


def token_rows(doc: Doc) -> list[Row]:
    """Per token, the :data:`Row` the patterns test: what :func:`shadow_doc`'s tokens carry,
    read from the Doc's arrays without building the shadow Doc."""
    strings, vocab = doc.vocab.strings, doc.vocab
    n = len(doc)
    if not n:
        return []
    values = cast(Ints2d, doc.to_array([POS, ENT_TYPE, DEP]))
    zeros = [0] * n
    pos = _filled(values[:, 0], strings.add("X")) if doc.has_annotation("POS") else zeros
    dep, heads = zeros, list(range(n))
    if doc.has_annotation("DEP"):
        dep = _filled(values[:, 2], strings.add("dep"))
        heads = (numpy.arange(n) + doc.to_array(HEAD).astype("int64")).tolist()
    words = _word_ids(vocab)
    lems = lemmas(doc)
    for lemma in lems:
        if lemma not in words:
            words[lemma] = (strings.add(lemma.lower()), int(vocab[lemma].like_num))
    found = [words[lemma] for lemma in lems]
    return list(zip([w for w, _num in found], pos, values[:, 1].tolist(), [num for _w, num in found],
                    dep, heads, strict=True))


def _filled(column: Any, missing: int) -> list[int]:
    """A column of string ids with ``missing`` where it is unset (0)."""
    return numpy.where(column == 0, numpy.uint64(missing), column).tolist()  # type: ignore[no-any-return]


_WORD_IDS: dict[int, tuple[Vocab, dict[str, tuple[int, int]]]] = {}


def _word_ids(vocab: Vocab) -> dict[str, tuple[int, int]]:
    """Per lemma, the id of its lower-case form and whether it is like a number, for this
    vocabulary (filled as lemmas are met)."""
    cached = _WORD_IDS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        cached = _WORD_IDS[id(vocab)] = (vocab, {})
    return cached[1]


def _quantifiers(op: object) -> list[int]:
    """spaCy's expansion of an ``OP`` (``{n,m}`` is n required and m-n optional tokens)."""
    if op is None:
        return [_ONE]
    if op == "?":
        return [_ZERO_ONE]
    m = re.fullmatch(r"\{(\d*),(\d+)\}", str(op))
    if not m or int(m.group(1) or 0) > int(m.group(2)):
        raise ConfigError(f"triggers.yaml: operator {op!r} is not supported by the trigger index")
    least = int(m.group(1) or 0)
    return [_ONE] * least + [_ZERO_ONE] * (int(m.group(2)) - least)


def _steps(spec: Mapping[str, Any], vocab: Vocab) -> list[Step]:
    """One token of a spaCy pattern -> its steps (one per quantifier of its ``OP``)."""
    unknown = set(spec) - {*_TESTED, "OP"}
    if unknown:
        raise ConfigError(f"triggers.yaml: token attributes {sorted(unknown)} are not supported")
    tests: list[frozenset[int] | None] = []
    for attr in _TESTED:
        value = spec.get(attr)
        if value is None:
            tests.append(None)
        elif isinstance(value, bool):
            tests.append(frozenset({int(value)}))
        elif isinstance(value, str):
            tests.append(frozenset({vocab.strings.add(value)}))
        elif isinstance(value, Mapping) and set(value) == {"IN"}:
            tests.append(frozenset(vocab.strings.add(str(v)) for v in value["IN"]))
        else:
            raise ConfigError(f"triggers.yaml: {attr} test {value!r} is not supported")
    lower, pos, ent, num, dep = tests
    return [(q, lower, pos, ent, num, dep) for q in _quantifiers(spec.get("OP"))]


def _exact_word(step: Step) -> int | None:
    """The one LOWER a required step accepts (None: it may match other words or none)."""
    lower = step[1]
    return next(iter(lower)) if step[0] == _ONE and lower is not None and len(lower) == 1 else None


def _matches(step: Step, row: Row) -> bool:
    _q, lower, pos, ent, num, dep = step
    return ((lower is None or row[0] in lower) and (pos is None or row[1] in pos)
            and (ent is None or row[2] in ent) and (num is None or row[3] in num)
            and (dep is None or row[4] in dep))


class SequenceIndex:
    """The lexicon's ``seq`` patterns matched as spaCy's :class:`~spacy.matcher.Matcher`
    matches them — the same hits in the same order — but tried only where they can start.

    spaCy's Matcher starts a state for every one of the ~1,200 patterns at every token and
    rejects nearly all at once (that, and building smaller matchers per sentence, was about
    half the non-parse time). Here a pattern whose first token is an exact lemma starts only
    at tokens with that lemma (the others, a number or an entity type first, start
    everywhere), and the states then advance by the Matcher's own transition rules
    (``spacy/matcher/matcher.pyx`` ``transition_states``: the same quantifier actions, the
    same order of surviving and branched states, ``finish_states`` at the span's end, the
    same de-duplication of (pattern, start, end)). A pattern that cannot start (its first
    token required and not this one) is rejected by the Matcher before it touches any other
    state, so it is not started: that changes neither the hits nor their order. ``full`` is
    spaCy's Matcher with every pattern: it validates the lexicon and is what the tests
    compare against.
    """

    def __init__(self, vocab: Vocab, patterns: Mapping[str, list[list[dict[str, Any]]]]) -> None:
        self.full = Matcher(vocab, validate=True)
        compiled: list[tuple[str, tuple[Step, ...]]] = []
        by_word: dict[int, list[int]] = {}
        always: list[int] = []
        for pid, pats in patterns.items():
            self.full.add(pid, pats)
            for pat in pats:
                steps = tuple(step for spec in pat for step in _steps(spec, vocab))
                word = _exact_word(steps[0])
                (always if word is None else by_word.setdefault(word, [])).append(len(compiled))
                compiled.append((pid, steps))
        # per first lemma, the patterns that may start there, in the lexicon's order
        self._starts = {word: tuple(compiled[i] for i in sorted([*ids, *always]))
                        for word, ids in by_word.items()}
        self._always = tuple(compiled[i] for i in always)

    def __call__(self, rows: Sequence[Row], lo: int, hi: int) -> list[tuple[str, int, int]]:
        """The (pattern id, start, end) hits inside tokens ``lo:hi`` (Doc offsets), in the
        order spaCy's Matcher gives them over that span."""
        states: list[tuple[str, tuple[Step, ...], int, int, int]] = []  # pid, steps, step, start, length
        found: list[tuple[str, int, int]] = []
        starts, always = self._starts, self._always
        for i in range(lo, hi):
            row = rows[i]
            seeds = starts.get(row[0], always)
            if seeds:  # (a required first token that does not match is rejected at once)
                states += [(pid, steps, 0, i, 0) for pid, steps in seeds
                           if steps[0][0] != _ONE or _matches(steps[0], row)]
            if states:
                states = _transition(states, row, found)
        for pid, steps, k, start, length in states:  # spaCy's finish_states
            while steps[k][0] == _ZERO_ONE:
                if k + 1 == len(steps):
                    found.append((pid, start, start + length))
                    break
                k += 1
        seen: set[tuple[str, int, int]] = set()
        out = []
        for hit in found:
            if hit not in seen and hit[2] > hit[1]:
                seen.add(hit)
                out.append(hit)
        return out


def _transition(states: list[tuple[str, tuple[Step, ...], int, int, int]], row: Row,
                found: list[tuple[str, int, int]]) -> list[tuple[str, tuple[Step, ...], int, int, int]]:
    """One token of spaCy's ``transition_states`` for the two quantifiers (ONE: the token
    must match; ZERO_ONE: it may), the same actions in the same order."""
    kept: list[tuple[str, tuple[Step, ...], int, int, int]] = []
    branched: list[tuple[str, tuple[Step, ...], int, int, int]] = []
    for pid, steps, k, start, length in states:
        last = len(steps) - 1
        while True:
            step = steps[k]
            hit = _matches(step, row)
            if step[0] == _ONE:
                if hit:
                    if k == last:
                        found.append((pid, start, start + length + 1))  # MATCH
                    else:
                        kept.append((pid, steps, k + 1, start, length + 1))  # ADVANCE
                break  # (no hit: REJECT)
            if k == last:
                if hit:  # MATCH_DOUBLE: with and without this token
                    if length > 0:
                        found.append((pid, start, start + length))
                    found.append((pid, start, start + length + 1))
                else:  # MATCH_REJECT
                    found.append((pid, start, start + length))
                break
            if hit:  # RETRY_ADVANCE: a state past this token; retry the next step here
                branched.append((pid, steps, k + 1, start, length + 1))
            k += 1  # (no hit: RETRY)
    return kept + branched


class DependencyIndex:
    """The lexicon's ``dep`` patterns (a head lemma and one direct dependent) matched as
    spaCy's :class:`~spacy.matcher.DependencyMatcher` matches them, in its order: pattern
    by pattern, then parse tree by parse tree (trees in the order of their first token),
    then head and dependent in token order. Heads are looked up by their lemma instead of
    every node pattern being tried at every token. ``full`` is spaCy's matcher."""

    def __init__(self, vocab: Vocab, patterns: Mapping[str, list[list[dict[str, Any]]]]) -> None:
        self.full = DependencyMatcher(vocab, validate=True)
        self._patterns: list[tuple[str, int, Step, Step]] = []
        for pid, pats in patterns.items():
            self.full.add(pid, pats)
            for head, child in pats:
                if child.get("REL_OP") != ">" or child.get("LEFT_ID") != head.get("RIGHT_ID"):
                    raise ConfigError(f"triggers.yaml: dependency pattern {pid} is not head > dependent")
                (head_step,), (child_step,) = _steps(head["RIGHT_ATTRS"], vocab), _steps(child["RIGHT_ATTRS"], vocab)
                word = _exact_word(head_step)
                if word is None:
                    raise ConfigError(f"triggers.yaml: dependency pattern {pid}: the head must be one lemma")
                self._patterns.append((pid, word, head_step, child_step))

    def __call__(self, rows: Sequence[Row]) -> list[tuple[str, int, int]]:
        """The (pattern id, head, dependent) matches over the whole Doc."""
        at: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            at.setdefault(row[0], []).append(i)
        if not any(word in at for _pid, word, _h, _c in self._patterns):
            return []
        children: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            if row[5] != i:
                children.setdefault(row[5], []).append(i)
        tree_first: dict[int, int] = {}  # a tree's root -> its first token
        roots: list[int] = []
        for i in range(len(rows)):
            root = i
            while rows[root][5] != root:
                root = rows[root][5]
            roots.append(root)
            tree_first.setdefault(root, i)
        out: list[tuple[str, int, int]] = []
        for pid, word, head_step, child_step in self._patterns:
            found = [(tree_first[roots[h]], h, c) for h in at.get(word, ()) if _matches(head_step, rows[h])
                     for c in children.get(h, ()) if _matches(child_step, rows[c])]
            out += [(pid, h, c) for _tree, h, c in sorted(found)]
        return out


_MATCHERS: dict[int, tuple[Vocab, SequenceIndex, DependencyIndex]] = {}


def compiled_matchers(vocab: Vocab) -> tuple[SequenceIndex, DependencyIndex]:
    """The lexicon's sequence and dependency matchers for this vocabulary (built once)."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1], cached[2]
    lex = load_lexicon()
    seq = SequenceIndex(vocab, lex.seq_patterns)
    dep = DependencyIndex(vocab, lex.dep_patterns)
    _MATCHERS[id(vocab)] = (vocab, seq, dep)
    return seq, dep
