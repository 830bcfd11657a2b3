"""Who says so: reporting anchors (verbs, 'according to', statement nouns), their
speakers, the clause each speaker owns, and narrative plans ('<noun> will <verb>')."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.claims.lexicon import DETERMINERS, PRONOUNS, Lexicon, lexicon
from sitrep.model import Modality
from sitrep.nlp import doc_text, ents_in
from sitrep.profile import active_profile
from sitrep.resolve.actors import resolve_actor

__all__ = ["Anchor", "can_speak", "clause_span", "find_anchors", "find_plan", "in_quotes",
           "speaker_name", "speaker_phrase"]

def speaker_phrase(tok: Token) -> SpacySpan:
    """The noun phrase of a speaker (with compounds, 'of' complement, apposition)."""
    doc = tok.doc
    left, right = tok.left_edge.i, tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "nmod", "appos", "punct") or (
                child.dep_ == "prep" and child.lower_ in ("of", "in")):
            right = max(right, child.right_edge.i)
        else:
            break
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].lower_ in DETERMINERS):
        left += 1
    return doc[left:right + 1]


def speaker_name(phrase: SpacySpan, on: dt.date | None = None) -> str:
    """'Hessamuddin Shams (Badghis Governor)', a canonical actor name as of the day ``on``
    (the article's; 'officials said' after the fall of Kabul are the Taliban's), or the
    phrase."""
    text = phrase.text.strip(" ,\"“”'")
    people = [e for e in ents_in(phrase) if e.label_ == "PERSON"]
    if people:
        person = max(people, key=len)
        role = (text[:person.start_char - phrase.start_char]
                + text[person.end_char - phrase.start_char:]).strip(" ,")
        role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I).strip(" ,")
        return f"{person.text} ({role})" if role else person.text
    actor = _actor(text, on)
    theatre = active_profile().countries
    if actor and any(c.name in actor for c in theatre):
        # the dictionary's fuzzy 'government' must not turn 'the British government'
        # into the Afghan one: a foreign nationality in the phrase keeps the raw name
        own = tuple(w.lower() for c in theatre for w in (c.name, c.demonym) if w)
        foreign = [e for e in ents_in(phrase) if e.label_ in ("NORP", "GPE")
                   and not e.text.lower().startswith(own)]
        if foreign:
            return text
    return actor or text


def _actor(text: str, on: dt.date | None) -> str | None:
    actor = resolve_actor(text, on)
    return actor.name if actor is not None else None


def can_speak(tok: Token, lex: Lexicon) -> bool:
    """A plausible claimant head: a pronoun, a name, or a noun like 'official'."""
    if tok.lower_ in PRONOUNS or tok.pos_ == "PROPN":
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return tok.lemma_.lower() in lex.speaker_nouns or tok.lower_ in lex.speaker_nouns


def _subject(verb: Token, lex: Lexicon) -> Token | None:
    """The speaker of a reporting verb: its subject or agent, climbing through clauses
    ('released a statement saying', 'insisting' hanging on a reported verb) until a
    plausible claimant is found."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        cands = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        for agent in (c for c in tok.children if c.dep_ == "agent"):
            cands += [c for c in agent.children if c.dep_ == "pobj"]
        if tok.pos_ == "NOUN":  # 'the Taliban claim to control ...'
            cands += [c for c in tok.children if c.dep_ in ("compound", "poss")]
        for c in cands:
            if can_speak(c, lex):
                return c
        if tok.head == tok or tok.dep_ == "ROOT":
            return None
        tok = tok.head
    return None


# a closing quote glued to the reporting verb by the source ('conquered”said')
_GLUED_LEMMAS = lexicon().glued_verbs
_GLUED = re.compile(rf"[”“\"]({'|'.join(map(re.escape, _GLUED_LEMMAS))})$", re.I)


@dataclass(slots=True)
class Anchor:
    token: Token
    modality: Modality
    speaker: Token | None  # head of the speaker phrase (None = narrative)


_QUOTE_MARKS = ("”", "“", '"')  # what a glued reporting verb follows
_ANCHORS_KEY = "sitrep.claim_anchor_tokens"
#: the lexicon last read, and per (text, lower-case form, lemma) string ids whether a token
#: of them can anchor a statement
_CAN_ANCHOR: list[Any] = [None, {}]


def _anchor_tokens(sentence: SpacySpan, lex: Lexicon) -> list[Token]:
    """The sentence's tokens that may anchor a statement ('according', a reporting verb's
    or statement noun's form or lemma, a word glued to a quotation mark), in order: the
    tokens :func:`find_anchors` can keep, found once per Doc from its arrays."""
    doc = sentence.doc
    cached = doc.user_data.get(_ANCHORS_KEY)
    if cached is None or cached[0] != len(doc) or cached[1] != id(lex):
        if _CAN_ANCHOR[0] is not lex:
            _CAN_ANCHOR[:] = [lex, {}]
        known: dict[tuple[int, int, int], bool] = _CAN_ANCHOR[1]
        strings = doc.vocab.strings
        found: list[int] = []
        for i, key in enumerate(map(tuple, doc.to_array([ORTH, LOWER, LEMMA]).tolist())):
            can = known.get(key)
            if can is None:
                text, low, lemma = strings[key[0]], strings[key[1]], strings[key[2]].lower()
                can = known[key] = (low == "according" or lemma in lex.verbs or low in lex.statement_nouns
                                    or any(q in text for q in _QUOTE_MARKS))
            if can:
                found.append(i)
        cached = doc.user_data[_ANCHORS_KEY] = (len(doc), id(lex), found)
    found = cached[2]
    return [doc[i] for i in found[bisect_left(found, sentence.start):bisect_left(found, sentence.end)]]


def find_anchors(sentence: SpacySpan, lex: Lexicon) -> list[Anchor]:
    out: list[Anchor] = []
    for tok in _anchor_tokens(sentence, lex):
        low = tok.lower_
        if low == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            objs = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
            if objs:
                out.append(Anchor(tok, "claimed", objs[0]))
            continue
        lemma = tok.lemma_.lower()
        glued = _GLUED.search(tok.text)
        if glued:  # '“Kandahar is completely conquered”said a Taliban spokesman'
            lemma = _GLUED_LEMMAS.get(glued.group(1).lower(), "")
            speaker = next((c for c in tok.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")
                            and c.i > tok.i and can_speak(c, lex)), None)
            if lemma in lex.verbs:
                out.append(Anchor(tok, lex.verbs[lemma], speaker))
                continue
        if tok.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
            if tok.dep_ in ("amod", "compound") or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
                continue  # 'civilians accused of ...', 'targeted attacks': modifiers
            speaker = _subject(tok, lex)
            if speaker is None and tok.dep_ not in ("ROOT", "ccomp", "conj"):
                continue  # 'to plan to strengthen', 'insisting' with nobody speaking
            out.append(Anchor(tok, lex.verbs[lemma], speaker))
        elif tok.pos_ == "NOUN" and lemma in lex.verbs and any(
                c.dep_ in ("xcomp", "ccomp") for c in tok.children):
            out.append(Anchor(tok, lex.verbs[lemma], _subject(tok, lex)))
        elif tok.pos_ == "NOUN" and low in lex.statement_nouns and any(
                c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" for m in c.children)
                for c in tok.children):
            out.append(Anchor(tok, "claimed", None))  # 'accusations that he had ...'
    # a reporting verb inside a quotation is the speaker's own wording
    out = [a for a in out if not in_quotes(a.token) or _GLUED.search(a.token.text)]
    # a pronoun speaker under an anchor with a named speaker is that speaker again
    # ('the EU threatened … if they take power … and asked for …')
    named = [a for a in out if a.speaker is not None and a.speaker.lower_ not in PRONOUNS]
    return [a for a in out if not (
        a.speaker is not None and a.speaker.lower_ in PRONOUNS
        and any(n.token in a.token.ancestors for n in named))]


def find_plan(sentence: SpacySpan) -> Token | None:
    """'<noun subject> will <verb>': a narrative plan or forecast."""
    for tok in sentence:
        if tok.lower_ == "will" and tok.dep_ == "aux":
            verb = tok.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN") and not in_quotes(subj):
                return verb
    return None


def in_quotes(tok: Token) -> bool:
    """Inside a quotation (by parity: machine translation mixes up opening and closing
    marks, as in '“We are going to …, “said Ned Price')."""
    text = doc_text(tok.doc)
    # from the paragraph start: a quotation may open in the previous sentence
    start = text.rfind("\n", 0, tok.sent.start_char) + 1
    before = text[start:tok.idx]
    return sum(before.count(q) for q in '"“”«»') % 2 == 1


def clause_span(anchor: Token, others: Iterable[Token], sentence: SpacySpan) -> tuple[int, int]:
    """Token range of an anchor's clause, cut where another speaker's clause begins."""
    lo, hi = anchor.left_edge.i, anchor.right_edge.i
    if anchor.dep_ == "ROOT" or anchor.lower_ == "according":
        lo, hi = sentence.start, sentence.end - 1
    for other in others:
        if other is anchor or other in anchor.ancestors:
            continue  # the other clause contains this one
        olo, ohi = other.left_edge.i, other.right_edge.i
        if olo > anchor.i:
            hi = min(hi, olo - 1)
        elif ohi < anchor.i:
            lo = max(lo, ohi + 1)
    doc = sentence.doc
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space
                       or doc[hi].lower_ in {"while", "and", "but"}):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].lower_ in {"while", "and", "but"}):
        lo += 1
    return lo, hi

