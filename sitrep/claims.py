"""The claims ledger: statistics and assertions, who makes them, as of when, who disputes.

A claim is what somebody *says* — a statistic ("the Taliban claim to control around 100
of the country's nearly 400 districts"), an assertion ("Kandahar is completely
conquered"), a plan or promise, an opinion — never a confirmed fact (modality is
``claimed``, ``denied`` or ``planned``). Rules, per sentence of the parsed article:

1. **Attributed statements**: a reporting verb (say, claim, deny, announce, accuse…;
   lexicon in ``data/claim_patterns.yaml``), "according to X", or a statement noun
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
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.model import Article, Claim, Modality, Span, stable_id

__all__ = ["Lexicon", "extract_claims", "lexicon"]

_DATA = Path(__file__).parent / "data" / "claim_patterns.yaml"
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "this", "that", "her", "him",
             "them", "us"}
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her"}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_APPROX = r"(?:about|around|nearly|almost|some|roughly|approximately|over|more than|" \
          r"at least|up to|less than|fewer than|~)"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of ``data/claim_patterns.yaml``, ready for lookups."""

    verbs: dict[str, Modality]
    statement_nouns: frozenset[str]
    dispute: frozenset[str]
    units: tuple[str, ...]
    people_units: frozenset[str]
    roles: dict[str, str]
    fractions: dict[str, float]
    proportions: tuple[str, ...]
    ordinals: dict[str, int]
    speaker_nouns: frozenset[str]
    generic_speakers: frozenset[str]


@lru_cache(maxsize=1)
def lexicon(path: str | None = None) -> Lexicon:
    data: dict[str, Any] = yaml.safe_load(Path(path or _DATA).read_text(encoding="utf-8"))
    verbs: dict[str, Modality] = {}
    modality: dict[str, Modality] = {"claimed": "claimed", "denied": "denied",
                                     "planned": "planned", "claimed_other": "claimed"}
    for group, lemmas in data["reporting"].items():
        for lemma in lemmas:
            verbs.setdefault(str(lemma), modality[group])
    roles = {str(lemma): role for role, lemmas in data["roles"].items() for lemma in lemmas}
    people = {"civilians", "people", "families", "soldiers", "troops", "prisoners", "inmates",
              "fighters", "children"}
    return Lexicon(
        verbs=verbs,
        statement_nouns=frozenset(data["statement_nouns"]),
        dispute=frozenset(data["dispute"]),
        units=tuple(sorted(data["units"], key=len, reverse=True)),
        people_units=frozenset(u for u in data["units"] if u in people),
        roles=roles,
        fractions={str(k): float(v) for k, v in data["fractions"].items()},
        proportions=tuple(data["proportions"]),
        ordinals={str(k): int(v) for k, v in data["ordinals"].items()},
        speaker_nouns=frozenset(data["speaker_nouns"]),
        generic_speakers=frozenset(data["generic_speakers"]),
    )


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class _Stat:
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
        from sitrep.extract.numbers import parse_number_words

        value = parse_number_words(text)
        return float(value) if value is not None else None


@lru_cache(maxsize=1)
def _stat_patterns() -> list[tuple[str, re.Pattern[str]]]:
    lex = lexicon()
    units = "|".join(re.escape(u) for u in lex.units)
    fractions = "|".join(re.escape(f) for f in sorted(lex.fractions, key=len, reverse=True))
    ordinals = "|".join(lex.ordinals)
    total = rf"(?:the\s+)?(?:\w+[’']s\s+)?(?P<a2>{_APPROX}\s+)?(?P<tot>{_NUM})\s+" \
            rf"(?:\w+\s+){{0,2}}?(?P<unit>{units})"
    return [
        ("of", re.compile(rf"(?P<a1>{_APPROX}\s+)?(?P<q>{_NUM})\s+of\s+{total}", re.I)),
        ("frac", re.compile(rf"(?P<a1>{_APPROX}\s+)?(?P<q>{fractions})\s+of\s+{total}", re.I)),
        ("pct", re.compile(rf"(?P<a1>{_APPROX}\s+)?(?P<q>{_NUM})\s*(?:%|per\s?cent)", re.I)),
        ("ord", re.compile(rf"\b(?P<q>{ordinals})\s+(?P<unit>{units.replace('s|', '|')}s?)\b",
                           re.I)),
        ("count", re.compile(rf"(?P<a1>{_APPROX}\s+)(?P<q>{_NUM})\s+(?:\w+\s+)?(?P<unit>{units})"
                             rf"\b", re.I)),
        ("count", re.compile(rf"\b(?P<q>\d{{1,3}}(?:,\d{{3}})+|\d{{3,}})\s+(?:\w+\s+)?"
                             rf"(?P<unit>{units})\b", re.I)),
        ("prop", re.compile(rf"\b(?P<a1>almost\s+|nearly\s+)?(?P<q>{'|'.join(lex.proportions)})\b",
                            re.I)),
    ]


def _unit_name(unit: str, plural: bool = False) -> str:
    unit = unit.lower().replace("centres", "centers")
    if plural and not unit.endswith("s"):  # 'the fifth district' counts districts
        unit += "s"
    return re.sub(r"\s+", "_", unit)


def find_statistics(sentence: SpacySpan) -> list[_Stat]:
    """Statistics in one sentence, left to right, without overlaps."""
    lex = lexicon()
    text, base = sentence.text, sentence.start_char
    found: list[_Stat] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _stat_patterns():
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
            found.append(_Stat(base + s, base + e, quantity, unit, total, approx, note))
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
        tok = tok.head if tok.head is not tok else None
    return None


# ---------------------------------------------------------------- speakers


def _phrase(tok: Token) -> SpacySpan:
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
    while left < right and (doc[left].is_punct or doc[left].lower_ in _DETERMINERS):
        left += 1
    return doc[left:right + 1]


def _speaker_name(phrase: SpacySpan) -> str:
    """'Hessamuddin Shams (Badghis Governor)', a canonical actor name, or the phrase."""
    text = phrase.text.strip(" ,\"“”'")
    people = [e for e in phrase.ents if e.label_ == "PERSON"]
    if people:
        person = max(people, key=len)
        role = (text[:person.start_char - phrase.start_char]
                + text[person.end_char - phrase.start_char:]).strip(" ,")
        role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I).strip(" ,")
        return f"{person.text} ({role})" if role else person.text
    actor = _actor(text)
    if actor and "Afghanistan" in actor:
        # the dictionary's fuzzy 'government' must not turn 'the British government'
        # into the Afghan one: a foreign nationality in the phrase keeps the raw name
        foreign = [e for e in phrase.ents if e.label_ in ("NORP", "GPE")
                   and not e.text.lower().startswith("afghan")]
        if foreign:
            return text
    return actor or text


def _actor(text: str) -> str | None:
    try:
        from sitrep.resolve.actors import resolve_actor
    except ImportError:  # the actor dictionary is not available: keep the raw speaker
        return None
    try:
        actor = resolve_actor(text)
    except Exception:
        return None
    return actor.name if actor is not None else None


def _can_speak(tok: Token, lex: Lexicon) -> bool:
    """A plausible claimant head: a pronoun, a name, or a noun like 'official'."""
    if tok.lower_ in _PRONOUNS or tok.pos_ == "PROPN":
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
            if _can_speak(c, lex):
                return c
        if tok.head is tok or tok.dep_ == "ROOT":
            return None
        tok = tok.head
    return None


# a closing quote glued to the reporting verb by the source ('conquered”said')
_GLUED = re.compile(r"[”“\"](said|says|told|added|claimed|announced|stated|insisted)$", re.I)
_GLUED_LEMMAS = {"said": "say", "says": "say", "told": "tell", "added": "add",
                 "claimed": "claim", "announced": "announce", "stated": "state",
                 "insisted": "insist"}


@dataclass(slots=True)
class _Anchor:
    token: Token
    modality: Modality
    speaker: Token | None  # head of the speaker phrase (None = narrative)


def _anchors(sentence: SpacySpan, lex: Lexicon) -> list[_Anchor]:
    out: list[_Anchor] = []
    for tok in sentence:
        low = tok.lower_
        if low == "according":
            to = [c for c in tok.children if c.lower_ == "to"]
            objs = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
            if objs:
                out.append(_Anchor(tok, "claimed", objs[0]))
            continue
        lemma = tok.lemma_.lower()
        glued = _GLUED.search(tok.text)
        if glued:  # '“Kandahar is completely conquered”said a Taliban spokesman'
            lemma = _GLUED_LEMMAS.get(glued.group(1).lower(), "")
            speaker = next((c for c in tok.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")
                            and c.i > tok.i and _can_speak(c, lex)), None)
            if lemma in lex.verbs:
                out.append(_Anchor(tok, lex.verbs[lemma], speaker))
                continue
        if tok.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
            if tok.dep_ in ("amod", "compound") or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
                continue  # 'civilians accused of ...', 'targeted attacks': modifiers
            speaker = _subject(tok, lex)
            if speaker is None and tok.dep_ not in ("ROOT", "ccomp", "conj"):
                continue  # 'to plan to strengthen', 'insisting' with nobody speaking
            out.append(_Anchor(tok, lex.verbs[lemma], speaker))
        elif tok.pos_ == "NOUN" and lemma in lex.verbs and any(
                c.dep_ in ("xcomp", "ccomp") for c in tok.children):
            out.append(_Anchor(tok, lex.verbs[lemma], _subject(tok, lex)))
        elif tok.pos_ == "NOUN" and low in lex.statement_nouns and any(
                c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" for m in c.children)
                for c in tok.children):
            out.append(_Anchor(tok, "claimed", None))  # 'accusations that he had ...'
    # a reporting verb inside a quotation is the speaker's own wording
    out = [a for a in out if not _in_quotes(a.token) or _GLUED.search(a.token.text)]
    # a pronoun speaker under an anchor with a named speaker is that speaker again
    # ('the EU threatened … if they take power … and asked for …')
    named = [a for a in out if a.speaker is not None and a.speaker.lower_ not in _PRONOUNS]
    return [a for a in out if not (
        a.speaker is not None and a.speaker.lower_ in _PRONOUNS
        and any(n.token in a.token.ancestors for n in named))]


def _plan(sentence: SpacySpan) -> Token | None:
    """'<noun subject> will <verb>': a narrative plan or forecast."""
    for tok in sentence:
        if tok.lower_ == "will" and tok.dep_ == "aux":
            verb = tok.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN") and not _in_quotes(subj):
                return verb
    return None


def _in_quotes(tok: Token) -> bool:
    """Inside a quotation (by parity: machine translation mixes up opening and closing
    marks, as in '“We are going to …, “said Ned Price')."""
    text = tok.doc.text
    # from the paragraph start: a quotation may open in the previous sentence
    start = text.rfind("\n", 0, tok.sent.start_char) + 1
    before = text[start:tok.idx]
    return sum(before.count(q) for q in '"“”«»') % 2 == 1


def _clause(anchor: Token, others: Iterable[Token], sentence: SpacySpan) -> tuple[int, int]:
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


# ---------------------------------------------------------------- dates


def _as_of(sentence: SpacySpan, verb: Token | None, published: dt.date | None) -> dt.date | None:
    """The day-precise date next to the reporting verb, else the publication date."""
    if verb is None or published is None:
        return published
    try:
        from sitrep.resolve.dates import find_date_expressions, resolve_date
    except ImportError:
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
    for si, sent in enumerate(sentences):
        if len([t for t in sent if not t.is_punct and not t.is_space]) < 4:
            continue
        anchors = _anchors(sent, lex)
        stats = find_statistics(sent)
        plan = _plan(sent) if not anchors else None
        if not anchors and not stats and plan is None:
            continue
        made: list[tuple[Claim, Token | None]] = []
        if anchors:
            # one claim per distinct speaker; the first anchor of a speaker wins
            by_speaker: dict[str, _Anchor] = {}
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
                lo, hi = (_clause(a.token, heads, sent) if multi
                          else (sent.start, sent.end - 1))
                if hi - lo < 3:  # a stray fragment, not a statement
                    continue
                made.append((_claim(article, sent, doc, lo, hi, names[key], a.modality,
                                    stats, a.token), a.token))
                if a.speaker is not None and a.speaker.lower_ not in _PRONOUNS:
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


def _speaker(a: _Anchor, last: str | None, article: Article) -> str:
    if a.speaker is None:
        return _narrative(article)
    if a.speaker.lower_ in _PRONOUNS:
        return last or _narrative(article)
    phrase = _phrase(a.speaker)
    if len(phrase) == 1 and a.speaker.lower_ in lexicon().generic_speakers:
        # 'according to the NGO' -> the organisation named last before it
        earlier = [e for e in a.speaker.doc.ents
                   if e.label_ == "ORG" and e.end <= a.speaker.i and e.text != a.speaker.text]
        if earlier:
            return _speaker_name(earlier[-1])
    return _speaker_name(phrase)


def _stat_quote(doc: Doc, st: _Stat, sent: SpacySpan) -> Span:
    span = doc.char_span(st.start, st.end, alignment_mode="expand") or sent
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    lo, hi = _clause(verb, [], sent) if verb.dep_ != "ROOT" else (span.start, span.end - 1)
    lo, hi = min(lo, span.start), max(hi, span.end - 1)
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return Span(s, e, doc.text[s:e])


_ADDRESSEE_VERBS = {"tell", "assure", "reassure", "inform", "brief", "warn"}


def _content(anchor: Token | None, lo: int, hi: int) -> tuple[int, int] | None:
    """What the anchor reports, without the attribution: its complement clause
    ('the Taliban claim [to control around 100 of … districts]')."""
    if anchor is None or anchor.lower_ == "according":
        return None
    inside = [c for c in anchor.children if lo <= c.left_edge.i and c.right_edge.i <= hi]
    parts = [c for c in inside if c.dep_ in ("ccomp", "xcomp")]
    if anchor.lemma_.lower() not in _ADDRESSEE_VERBS:
        # 'denied any involvement', 'announced the deployment of 3,000 soldiers'; not the
        # speaker of an inverted 'said a Taliban spokesman', nor whom one 'told'
        parts += [c for c in inside if c.dep_ == "dobj" and not _can_speak(c, lexicon())]
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
           modality: Modality, stats: Sequence[_Stat], anchor: Token | None = None) -> Claim:
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
        statement = " ".join(doc.text[cs:ce].split())
    else:
        statement = " ".join(doc.text[s:e].split())
    if st is not None and st.note and st.quantity is not None:
        statement += f" [{st.note} ≈ {st.quantity:g}]"
    return Claim(
        id=stable_id(article.id, s, "claim"), article_id=article.id, claimant=claimant,
        statement=statement, quote=Span(s, e, doc.text[s:e]), as_of=article.published,
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
