"""The claims ledger: statistics and assertions, who makes them, as of when, who disputes.

A claim is what somebody *says* — a statistic ("the Taliban claim to control around 100
of the country's nearly 400 districts"), an assertion ("Kandahar is completely
conquered"), a plan or promise, an opinion — never a confirmed fact (modality is
``claimed``, ``denied`` or ``planned``). Rules, per sentence of the parsed article:

1. **Attributed statements**: a reporting verb (say, claim, deny, announce, accuse…;
   ``data/reporting_verbs.csv``, column ``ledger``), "according to X", or a statement noun
   ("a statement saying…"). The claimant is the verb's subject (or X), pronouns fall
   back to the last named speaker of the article, and the speaker is mapped to a
   canonical actor (:func:`sitrep.resolve.actors.resolve_actor`) when the phrase is an
   organisation; a named person keeps the name with the role in brackets
   ("Hessamuddin Shams (Badghis Governor)").
2. **Statistics** in the narrative: "N of M units", "a third of the 421 districts"
   (quantity = fraction × total rounded to 0.1, approximate, the statement keeps the
   fraction), percentages, "the fifth district to fall", "at least 183 civilians …
   killed". Unattributed ones are the outlet's own claims ("AFP (narrative)").
3. **Plans** in the narrative: "<noun subject> will <verb>" ("International troops will
   complete their departure later this month").

Two speakers in one sentence ("The Pentagon indicated… while the British government
announced…") give two claims, each quoting its own clause. ``disputed_by``: a dispute
verb in the same or the next two sentences ("Afghan authorities dispute this number"),
and a denial disputes the nearest earlier claim of somebody else (and vice versa).
``as_of`` is the day-precise date expression next to the reporting verb ("announced on
Friday"), resolved against the publication date, else the publication date.

Submodules: :mod:`.lexicon` (the word lists of ``data/claim_patterns.yaml`` and the
shared ones of :mod:`sitrep.lexicon`),
:mod:`.statistics` (numbers with unit and total), :mod:`.speakers` (anchors, speakers,
clauses); this module assembles the claims.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.claims.lexicon import PRONOUNS, Lexicon, lexicon
from sitrep.claims.speakers import (
    Anchor,
    can_speak,
    clause_span,
    find_anchors,
    find_plan,
    speaker_name,
    speaker_phrase,
)
from sitrep.claims.statistics import Stat, find_statistics
from sitrep.model import Article, Claim, Modality, Span, stable_id
from sitrep.nlp import doc_text, ents_in
from sitrep.resolve.dates import find_date_expressions, resolve_date

__all__ = ["Lexicon", "extract_claims", "find_statistics", "lexicon"]

# ---------------------------------------------------------------- dates


def _as_of(sentence: SpacySpan, verb: Token | None, published: dt.date | None) -> dt.date | None:
    """The day-precise date next to the reporting verb, else the publication date."""
    if verb is None or published is None:
        return published
    text = sentence.text
    vpos = verb.idx - sentence.start_char
    best: tuple[int, dt.date] | None = None
    for s, e in find_date_expressions(text):
        distance = s - (vpos + len(verb.text)) if s >= vpos else vpos - e
        if distance > 25:
            continue
        ref = resolve_date(text[s:e], published, sentence=text)
        if ref is None or ref.interval.start != ref.interval.end:
            continue
        if ref.interval.start > published:
            continue
        if best is None or distance < best[0]:
            best = (distance, ref.interval.start)
    return best[1] if best else published


# ---------------------------------------------------------------- assembly


def _narrative(article: Article) -> str:
    return f"{article.wire or article.outlet or 'article'} (narrative)"


def extract_claims(article: Article, doc: Doc) -> list[Claim]:
    """Claims of one article (``doc`` is the parse of ``article.text``)."""
    lex = lexicon()
    claims: list[Claim] = []
    sentence_of: list[int] = []  # sentence index of each claim
    last_speaker: str | None = None
    sentences = list(doc.sents)
    words = _words_before(doc)
    for si, sent in enumerate(sentences):
        if words[sent.end] - words[sent.start] < 4:  # fewer than four words
            continue
        anchors = find_anchors(sent, lex)
        stats = find_statistics(sent)
        plan = find_plan(sent) if not anchors else None
        if not anchors and not stats and plan is None:
            continue
        made: list[tuple[Claim, Token | None]] = []
        if anchors:
            # one claim per distinct speaker; the first anchor of a speaker wins
            by_speaker: dict[str, Anchor] = {}
            names: dict[str, str] = {}
            for a in anchors:
                name = _speaker(a, last_speaker, article)
                key = name.lower()
                if key not in by_speaker or (by_speaker[key].modality == "claimed"
                                             and a.modality != "claimed"):
                    by_speaker[key] = a
                    names[key] = name
            multi = len(by_speaker) > 1
            heads = [a.token for a in by_speaker.values()]
            for key, a in by_speaker.items():
                lo, hi = (clause_span(a.token, heads, sent) if multi
                          else (sent.start, sent.end - 1))
                if hi - lo < 3:  # a stray fragment, not a statement
                    continue
                made.append((_claim(article, sent, doc, lo, hi, names[key], a.modality,
                                    stats, a.token), a.token))
                if a.speaker is not None and a.speaker.lower_ not in PRONOUNS:
                    last_speaker = names[key]
        elif stats:
            made.append((_claim(article, sent, doc, sent.start, sent.end - 1,
                                _narrative(article), "claimed", stats), None))
        elif plan is not None:
            made.append((_claim(article, sent, doc, sent.start, sent.end - 1,
                                _narrative(article), "planned", []), plan))
        # further statistics of the same sentence get their own ledger rows
        if len(stats) > 1 and len(made) == 1:
            base, verb = made[0]
            for st in stats[1:]:
                made.append((dataclasses.replace(
                    base, id=stable_id(article.id, st.start, "claim"), quantity=st.quantity,
                    unit=st.unit, of_total=st.of_total, approximate=st.approximate,
                    quote=_stat_quote(doc, st, sent)), verb))
        for claim, verb in made:
            claim = dataclasses.replace(claim, as_of=_as_of(sent, verb, article.published))
            claims.append(claim)
            sentence_of.append(si)
    return _link_disputes(claims, sentence_of)


def _words_before(doc: Doc) -> list[int]:
    """Per token offset (and the Doc's end), how many words (tokens neither punctuation
    nor space) come before it."""
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    words = (flags.sum(axis=1) == 0).cumsum().tolist() if len(doc) else []
    return [0, *words]


def _speaker(a: Anchor, last: str | None, article: Article) -> str:
    if a.speaker is None:
        return _narrative(article)
    if a.speaker.lower_ in PRONOUNS:
        return last or _narrative(article)
    phrase = speaker_phrase(a.speaker)
    if len(phrase) == 1 and a.speaker.lower_ in lexicon().generic_speakers:
        # 'according to the NGO' -> the organisation named last before it
        earlier = [e for e in ents_in(a.speaker.doc)
                   if e.label_ == "ORG" and e.end <= a.speaker.i and e.text != a.speaker.text]
        if earlier:
            return speaker_name(earlier[-1], article.published)
    return speaker_name(phrase, article.published)


def _stat_quote(doc: Doc, st: Stat, sent: SpacySpan) -> Span:
    span = doc.char_span(st.start, st.end, alignment_mode="expand") or sent
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    lo, hi = clause_span(verb, [], sent) if verb.dep_ != "ROOT" else (span.start, span.end - 1)
    lo, hi = min(lo, span.start), max(hi, span.end - 1)
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return Span(s, e, doc_text(doc)[s:e])


def _content(anchor: Token | None, lo: int, hi: int) -> tuple[int, int] | None:
    """What the anchor reports, without the attribution: its complement clause
    ('the Taliban claim [to control around 100 of … districts]')."""
    if anchor is None or anchor.lower_ == "according":
        return None
    inside = [c for c in anchor.children if lo <= c.left_edge.i and c.right_edge.i <= hi]
    parts = [c for c in inside if c.dep_ in ("ccomp", "xcomp")]
    if anchor.lemma_.lower() not in lexicon().addressee_verbs:
        # 'denied any involvement', 'announced the deployment of 3,000 soldiers'; not the
        # speaker of an inverted 'said a Taliban spokesman', nor whom one 'told'
        parts += [c for c in inside if c.dep_ == "dobj" and not can_speak(c, lexicon())]
    if not parts:
        return None
    start = min(c.left_edge.i for c in parts)
    end = max(c.right_edge.i for c in parts)
    doc = anchor.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"that", "to"}):
        start += 1
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return (start, end) if end - start >= 2 else None


def _claim(article: Article, sent: SpacySpan, doc: Doc, lo: int, hi: int, claimant: str,
           modality: Modality, stats: Sequence[Stat], anchor: Token | None = None) -> Claim:
    while hi > lo and doc[hi].is_space:
        hi -= 1
    while lo < hi and doc[lo].is_space:
        lo += 1
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    inside = [st for st in stats if s <= st.start < e] or list(stats)
    st = inside[0] if inside else None
    content = _content(anchor, lo, hi)
    if content is not None:  # the statement is what is claimed, the quote keeps who said it
        cs, ce = doc[content[0]].idx, doc[content[1]].idx + len(doc[content[1]].text)
        statement = " ".join(doc_text(doc)[cs:ce].split())
    else:
        statement = " ".join(doc_text(doc)[s:e].split())
    if st is not None and st.note and st.quantity is not None:
        statement += f" [{st.note} ≈ {st.quantity:g}]"
    return Claim(
        id=stable_id(article.id, s, "claim"), article_id=article.id, claimant=claimant,
        statement=statement, quote=Span(s, e, doc_text(doc)[s:e]), as_of=article.published,
        quantity=st.quantity if st else None, unit=st.unit if st else None,
        of_total=st.of_total if st else None, approximate=st.approximate if st else False,
        modality=modality,
    )


def _link_disputes(claims: list[Claim], sentence_of: list[int]) -> list[Claim]:
    """Fill ``disputed_by`` from dispute verbs after a claim and from denials before one."""
    out = list(claims)
    for i, c in enumerate(claims):
        if c.modality != "denied":
            continue
        si = sentence_of[i]
        # the denial disputes the nearest earlier claim of someone else (5 sentences back)
        for j in range(i - 1, -1, -1):
            if si - sentence_of[j] > 5:
                break
            other = out[j]
            if other.claimant != c.claimant and other.modality != "denied":
                if c.claimant not in other.disputed_by:
                    out[j] = dataclasses.replace(other,
                                                 disputed_by=(*other.disputed_by, c.claimant))
                out[i] = dataclasses.replace(out[i], disputed_by=(other.claimant,))
                break
    return out

