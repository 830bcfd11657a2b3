"""A learned filter of mentions: does this sentence report an occurrence a coder would
code, or does it only look like one (a plan, a threat, a summary, a history, a tally,
a commentary)?

The rule extractor (:mod:`sitrep.extract`) proposes a mention for every sentence whose
trigger, place and date fit; on unseen real news many of those are not events. This
module scores each mention with a small logistic regression over GENERIC features of
the mention and its sentence (:func:`mention_features`) and the pipeline drops those
scoring under the model's threshold before fusion (:func:`keep_reportable`).

What it learns from: ``bench/train_reportable.py`` runs the pipeline on the project's
gold sets (seeds, demo corpus, the real-news train split, and the team's tuning sets
news_extra / ukraine_extra when present; never news_report or news_ukraine, which are
only measured) and labels each extracted mention 1 when it is part of a predicted event
that matches a gold event leniently (the occurrence at its place and day, type family
right), else 0 (the file's ``meta.label``; the trainer's ``--label`` measures the
others). The features are the mention's own fields (type, modality, recap, rule score,
date precision and distance from publication, place level, actors resolved, quantities and
the order of its toll),
the trigger's grammar (tag, dependency, the tense of its clause's verb, perfect /
passive / progressive / modal auxiliaries, negation, subordinate / relative /
complement clause, a definite or indefinite determiner or a count on a noun trigger),
the sentence's shape (position and index in the article, length, quotation marks, a
question, a year before the article's, places named, mentions sharing it), the article's
(how many mentions, how many of the same type, whether this is the first sentence of its
type) and the lemmas of common words in the sentence: only lower-case, non-proper-noun
words seen in many different training articles (``meta.vocabulary_rule``), so no name,
place or phrase of one article can be learned.

Data and licence: the model file ``sitrep/data/reportable_model.json`` holds feature
names and coefficients only — no sentence, quote, article or gold text; the gold and
the article texts stay outside the repository (``../shared``, ``../news_extra``,
``../ukraine_extra``) and are read at training time only. The coefficients are
derived from the project's own annotations and ship under the project's licence.
Run time needs no scikit-learn and never trains or downloads anything. The model file may
leave sub-event types unjudged (``meta.unjudged_types``, each with the trainer's measured
reason, ``bench/train_reportable.py`` ``UNJUDGED``): their mentions pass whatever they score.

    mention_features(mentions, article, doc) -> list[dict[str, float]]
    load_model().predict(features) -> float       probability the mention is reportable
                                                  (a sitrep.linear_model.LinearModel)
    keep_reportable(mentions, article, doc) -> list[Mention]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from sitrep.extract.arguments import trigger_token
from sitrep.linear_model import LinearModel, load_binary
from sitrep.model import Article, Mention
from sitrep.nlp import ents_in

__all__ = [
    "MODEL_PATH",
    "ReportableModel",
    "keep_reportable",
    "load_model",
    "mention_features",
    "mention_sentence",
    "sentence_words",
]

MODEL_PATH = Path(__file__).parent / "data" / "reportable_model.json"

#: the prefix of a sentence-word feature (``w=said``); the trainer keeps only words of
#: its vocabulary rule, the model only has coefficients for those
WORD = "w="
_QUOTES = "\"“”"
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_SUBORDINATORS = frozenset({"if", "unless", "once", "until", "before", "since", "as",
                            "after", "while", "when", "because", "though", "although"})


def sentence_words(sent: Iterable[Token]) -> set[str]:
    """The lower-case lemmas of the common words of a sentence (or of any run of its tokens:
    a trigger's subtree) — no proper nouns, numbers or punctuation: the candidates of the
    word vocabulary."""
    return {t.lemma_.lower() for t in sent
            if t.is_alpha and t.pos_ != "PROPN" and not t.ent_type_ and len(t.text) > 1}


def mention_sentence(doc: Doc, m: Mention) -> Span | None:
    """The mention's sentence in its article's parse (None when its characters are off-token)."""
    span = doc.char_span(m.sentence.start, m.sentence.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _date_features(m: Mention, article: Article) -> dict[str, float]:
    if m.date is None:
        return {"date=none": 1.0}
    iv = m.date.interval
    out = {f"date_prec={iv.precision}": 1.0}
    if m.date.span is None:
        out["date=publication"] = 1.0
    if article.published is not None:
        lag = (article.published - iv.end).days
        band = ("future" if lag < 0 else "same_day" if lag <= 1 else "week" if lag <= 7
                else "month" if lag <= 31 else "older")
        out[f"date_lag={band}"] = 1.0
    return out


def _grammar(tok: Token) -> dict[str, float]:
    """The trigger's tag and clause: tense/aspect, voice, modality, negation, subordination."""
    out = {f"tag={tok.tag_}": 1.0, f"dep={tok.dep_}": 1.0}
    head = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    for child in head.children:
        word = child.lower_
        if child.dep_ in ("aux", "auxpass"):
            if child.tag_ == "MD":
                out["aux=modal"] = 1.0
            elif child.lemma_ == "have":
                out["aux=perfect"] = 1.0
            elif child.lemma_ == "be" and child.dep_ == "aux":
                out["aux=progressive"] = 1.0
            elif child.lemma_ == "be":
                out["aux=passive"] = 1.0
            if word == "to":
                out["aux=to"] = 1.0
        if child.dep_ == "neg":
            out["neg"] = 1.0
        if child.dep_ == "mark" and word in _SUBORDINATORS:
            out["clause=subordinate"] = 1.0
    verb = tok if tok.pos_ in ("VERB", "AUX") else next(
        (a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    out[f"verb_tag={verb.tag_ if verb is not None else 'none'}"] = 1.0
    if tok.pos_ in ("NOUN", "PROPN"):
        for child in tok.children:
            if child.dep_ == "det" and child.lower_ in _DEFINITE:
                out["det=definite"] = 1.0
            elif child.dep_ == "det" and child.lower_ in ("a", "an"):
                out["det=indefinite"] = 1.0
            elif child.dep_ == "nummod":
                out["counted"] = 1.0
    if any(a.dep_ in ("relcl", "acl") for a in [head, *head.ancestors]):
        out["clause=relative"] = 1.0
    if any(a.dep_ in ("ccomp", "xcomp") for a in [head, *head.ancestors]):
        out["clause=complement"] = 1.0
    return out


def _toll_band(m: Mention) -> str:
    """The order of the largest count of dead or wounded: a tally since the start of a war
    ('has killed more than 5,100 civilians') runs to hundreds or thousands, one occurrence's
    toll rarely does."""
    top = max((q.value or 0 for q in m.numbers if q.role in ("killed", "wounded")), default=0)
    return "none" if top == 0 else "1-9" if top < 10 else "10-99" if top < 100 else "100+"


def _sentence_band(index: int) -> str:
    return "first" if index == 0 else "2-3" if index <= 2 else "4-6" if index <= 5 else "later"


def _past_year(sent: Span, article: Article) -> bool:
    """The sentence names a year before the article's (a history or a recap)."""
    if article.published is None:
        return False
    return any(t.like_num and len(t.text) == 4 and t.text.isdigit()
               and 1900 <= int(t.text) < article.published.year for t in sent)


def _one(m: Mention, article: Article, doc: Doc, context: _ArticleContext
         ) -> dict[str, float]:
    same_sentence = context.per_sentence[m.sentence.start]
    same_type = context.per_type[m.event_type]
    f: dict[str, float] = {
        f"sentence={_sentence_band(context.sentence_index.get(m.sentence.start, 99))}": 1.0,
        "article_mentions": min(context.n_mentions, 20) / 20,
        "same_type": min(same_type - 1, 4) / 4,
        "first_of_type": float(context.first_of_type[m.event_type] == m.sentence.start),
        f"type={m.event_type}": 1.0, f"sub={m.sub_event_type}": 1.0,
        f"modality={m.modality}": 1.0,
        "score": m.confidence,
        "recap": float(m.recap),
        "attributed": float(m.attribution is not None),
        "actor1": float(m.actor1 is not None and m.actor1.actor is not None),
        "actor2": float(m.actor2 is not None and m.actor2.actor is not None),
        "quantities": float(bool(m.numbers)),
        "killed": float(any(q.role == "killed" for q in m.numbers)),
        f"toll={_toll_band(m)}": 1.0,
        "shared_sentence": min(same_sentence - 1, 4) / 4,
        "position": m.sentence.start / max(len(article.text), 1),
        "lead": float(m.sentence.start < 400),
    }
    f.update(_date_features(m, article))
    place = m.place.place if m.place is not None else None
    f[f"place={place.kind if place is not None else 'none'}"] = 1.0
    sent = mention_sentence(doc, m)
    if sent is not None:
        places = {e.text for e in ents_in(sent) if e.label_ in ("GPE", "LOC", "FAC")}
        f["places"] = min(len(places), 5) / 5
        f["length"] = min(len(sent), 60) / 60
        f["no_final_stop"] = float(sent[-1].text not in (".", "!", "?", '"', "”", "'"))
        f["sentence_quote"] = float(any(c in sent.text for c in _QUOTES))
        f["question"] = float(sent[-1].text == "?" or sent.text.rstrip("\"”' ").endswith("?"))
        f["past_year"] = float(_past_year(sent, article))
        before = m.sentence.text[: max(m.trigger.start - m.sentence.start, 0)]
        f["trigger_in_quote"] = float(sum(before.count(c) for c in _QUOTES) % 2 == 1)
        if m.sentence.start not in context.words:  # once per sentence, not per mention
            context.words[m.sentence.start] = {WORD + w: 1.0 for w in sentence_words(sent)}
        f.update(context.words[m.sentence.start])
        tok = trigger_token(sent, m.trigger.start, m.trigger.end)
        f.update(_grammar(tok))
        f["trigger=" + tok.lemma_.lower()] = 1.0
    return f


def mention_features(mentions: Sequence[Mention], article: Article, doc: Doc
                     ) -> list[dict[str, float]]:
    """The model's inputs for each of an article's mentions (sparse: a missing name is 0).
    A pure function of the mention, its article and the article's parse."""
    context = _ArticleContext.of(mentions, doc)
    return [_one(m, article, doc, context) for m in mentions]


@dataclass(frozen=True, slots=True)
class _ArticleContext:
    """What a mention's features need of its article's other mentions and sentences."""

    per_sentence: Mapping[int, int]  # sentence start -> mentions in it
    per_type: Mapping[str, int]  # event type -> mentions of it
    first_of_type: Mapping[str, int]  # event type -> start of its first sentence
    sentence_index: Mapping[int, int]  # sentence start (char) -> index in the article
    n_mentions: int
    words: dict[int, dict[str, float]] = field(default_factory=dict)  # sentence start -> word features

    @classmethod
    def of(cls, mentions: Sequence[Mention], doc: Doc) -> _ArticleContext:
        per_sentence: dict[int, int] = {}
        per_type: dict[str, int] = {}
        first: dict[str, int] = {}
        for m in mentions:
            per_sentence[m.sentence.start] = per_sentence.get(m.sentence.start, 0) + 1
            per_type[m.event_type] = per_type.get(m.event_type, 0) + 1
            first[m.event_type] = min(first.get(m.event_type, m.sentence.start),
                                      m.sentence.start)
        index = {s.start_char: i for i, s in enumerate(doc.sents)} if mentions else {}
        return cls(per_sentence, per_type, first, index, len(mentions))


#: the model type (a sparse logistic regression over :func:`mention_features`)
ReportableModel = LinearModel


@cache
def load_model(path: Path = MODEL_PATH) -> ReportableModel:
    """The shipped model (checked on load: a broken file raises, it is never ignored)."""
    return load_binary(path, "train_reportable.py")


def keep_reportable(mentions: Sequence[Mention], article: Article, doc: Doc,
                    model: ReportableModel | None = None) -> list[Mention]:
    """``mentions`` without those the model scores under its threshold (in order); a
    mention of a type the model file leaves unjudged (``meta.unjudged_types``, with the
    trainer's measured reason) passes whatever it scores."""
    m = model or load_model()
    if not mentions or m.threshold <= 0.0:
        return list(mentions)
    unjudged = m.meta.get("unjudged_types") or {}
    scores = [m.predict(f) for f in mention_features(mentions, article, doc)]
    return [x for x, p in zip(mentions, scores, strict=True)
            if p >= m.threshold or x.sub_event_type in unjudged]
