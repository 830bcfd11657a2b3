"""A learned second opinion on a mention's ACLED sub-event type.

The rule typer (:mod:`sitrep.extract.typing` over ``sitrep/data/triggers.yaml``) picks
a sub-event type per trigger from hand-written patterns and cue words; on unseen real
news its choice is the largest gap between lenient and strict event matching. This
module scores each extracted mention with a small multinomial logistic regression over
GENERIC features (:func:`typing_features`) and re-types the mention
(:func:`retype_mentions`) when the model is confident of another type and the rule's
reading is weak, under the rules of :meth:`TypingModel.choose`:

- territorial types are left to the rules: a mention typed as a territorial change is
  never re-typed and no mention is re-typed into one (the control timeline and the
  actor defaults of a change follow the rules' own reading of who gained);
- ACLED's event type always follows the sub-type (:func:`sitrep.ontology.event_type_of`);
- an actor the extractor only implied for the old type (its evidence is the trigger
  itself: the civilians of an 'Attack', the unidentified bomber of a blast) is dropped
  when the new type does not imply it;
- two readings of one trigger that end up of one type at one place are one mention.

What it learns from: ``bench/train_typing.py`` runs the pipeline on the project's tuning
sets (seeds, demo corpus, the real-news train split, news_extra / ukraine_extra when
present; never news_report or news_ukraine, which are only measured) and labels each
extracted mention whose sentence overlaps a gold event quote of its article with that
gold event's sub-event type. The features are the rule typer's choice, score and
candidate readings, the trigger's lemma, tag and dependency, the common lower-case
lemmas of the sentence and of the trigger's subtree (only words seen in many different
training articles, ``meta.vocabulary_rule``: no name, place or phrase of one article is
learned), entity labels, the resolved actors' ACLED inter codes, the casualty kinds,
the modality and the place level.

Data and licence: ``sitrep/data/typing_model.json`` holds class names, feature names and
coefficients only — no sentence, quote, article or gold text; the gold and the article
texts stay outside the repository and are read at training time only. The coefficients
are derived from the project's own annotations and ship under the project's licence.
Run time needs no scikit-learn and never trains or downloads anything.

    typing_features(mentions, doc) -> list[dict[str, float]]
    TypingModel.proba(features) -> dict[str, float]     P(sub-event type | mention)
    retype_mentions(mentions, doc) -> list[Mention]     (with Mention.type_scores)

Event-level typing: each mention keeps the model's log-probabilities
(``Mention.type_scores``); fusion lets two reports of one place and day join when one's
type is likely for the other, and types the event from the sum over all its reports
(:func:`sitrep.event_values.agreed_types`), so a recap or a detail sentence the model
reads differently from the main report no longer makes an event of its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.arguments import trigger_token
from sitrep.extract.typing import TriggerMatch, match_triggers
from sitrep.linear_model import softmax
from sitrep.model import ActorRef, Mention
from sitrep.nlp import ents_in
from sitrep.ontology import TERRITORIAL, event_type_of, sub_event_types
from sitrep.reportable import mention_sentence, sentence_words

__all__ = ["INERT", "MODEL_PATH", "SCORE_FLOOR", "TypingModel", "override", "load_model", "model_from_dict", "retype_mentions",
           "type_scores", "typing_features"]

MODEL_PATH = Path(__file__).parent / "data" / "typing_model.json"
#: the smallest probability a type keeps in ``Mention.type_scores`` (the floor fusion
#: reads a missing type as)
SCORE_FLOOR = 0.01

#: feature-name prefixes of the words: the trainer keeps only words of its vocabulary
#: rule, the model only has coefficients for those
SENTENCE_WORD, SUBTREE_WORD = "w=", "s="
#: the prefix of a rule reading's feature (``cand=Suicide bomb``: its score)
CANDIDATE = "cand="
#: implied actors: the type whose default they are (see ``_default_actors`` in
#: :mod:`sitrep.extract.mentions`): an 'Attack' is on civilians, a blast or an attack
#: nobody claims is by an unidentified group
_IMPLIED_ACTOR2 = ("Attack",)
_IMPLIED_ACTOR1 = ("Attack", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                   "Remote explosive/landmine/IED", "Grenade", "Chemical weapon")


def _candidates(readings: list[TriggerMatch]) -> dict[str, float]:
    """The rule typer's candidate types for a sentence (best score of each)."""
    out: dict[str, float] = {}
    for r in readings:
        out[r.sub_event_type] = max(out.get(r.sub_event_type, 0.0), r.score)
    return out


def _subtree_words(tok: Token) -> set[str]:
    head = tok if tok.pos_ in ("VERB", "AUX", "NOUN") else tok.head
    return sentence_words(head.subtree)


def _actor(prefix: str, ref: ActorRef | None, m: Mention) -> dict[str, float]:
    if ref is None or ref.actor is None:
        return {f"{prefix}=none": 1.0}
    implied = ref.span.start == m.trigger.start and ref.span.end == m.trigger.end
    return {f"{prefix}_inter={ref.actor.inter}": 1.0, f"{prefix}_implied": float(implied)}


def _one(m: Mention, doc: Doc, readings_of: dict[tuple[int, int], list[TriggerMatch]]
         ) -> dict[str, float]:
    f: dict[str, float] = {f"rule={m.sub_event_type}": 1.0, f"modality={m.modality}": 1.0,
                           "recap": float(m.recap)}
    place = m.place.place if m.place is not None else None
    f[f"place={place.kind if place is not None else 'none'}"] = 1.0
    f.update(_actor("a1", m.actor1, m))
    f.update(_actor("a2", m.actor2, m))
    f.update({f"q={q.role}": 1.0 for q in m.numbers})  # who was counted how: 'killed', ...
    sent = mention_sentence(doc, m)
    if sent is None:
        return f
    # the lexicon's readings of the sentence, matched once for all its mentions
    key = (sent.start, sent.end)
    if key not in readings_of:
        readings_of[key] = match_triggers(sent)
    all_readings = readings_of[key]
    readings = _candidates(all_readings)
    # the reading the mention was made from (same trigger characters)
    own = next((r for r in all_readings if r.start_char == m.trigger.start
                and r.end_char == m.trigger.end), None)
    rule_score = own.score if own is not None else readings.get(m.sub_event_type, 0.0)
    f["rule_score"] = rule_score
    others = [s for t, s in readings.items() if t != m.sub_event_type]
    f["rule_margin"] = max(-1.0, min(1.0, rule_score - max(others, default=0.0)))
    f.update({CANDIDATE + t: max(s, 1e-3) for t, s in readings.items()})
    if own is not None:
        f[f"pattern_type={own.pattern.split(':')[0]}"] = 1.0
    f.update({f"ent={e.label_}": 1.0 for e in ents_in(sent)})
    f.update({SENTENCE_WORD + w: 1.0 for w in sentence_words(sent)})
    tok = trigger_token(sent, m.trigger.start, m.trigger.end)
    f.update({f"trigger={tok.lemma_.lower()}": 1.0, f"tag={tok.tag_}": 1.0, f"dep={tok.dep_}": 1.0})
    f.update({SUBTREE_WORD + w: 1.0 for w in _subtree_words(tok)})
    return f


def typing_features(mentions: Sequence[Mention], doc: Doc) -> list[dict[str, float]]:
    """The model's inputs for each of an article's mentions (sparse: a missing name is 0).
    A pure function of the mention and its article's parse."""
    readings_of: dict[tuple[int, int], list[TriggerMatch]] = {}
    return [_one(m, doc, readings_of) for m in mentions]


@dataclass(frozen=True, slots=True)
class TypingModel:
    """A multinomial logistic regression over sparse features,
    P(k) = softmax_k(b_k + sum coef[k][f] * x[f]), and the rule of when it overrides the
    rule typer: its best type has ``P >= threshold`` and the rule reading's score is
    under ``rule_ceiling`` (threshold > 1 makes the model inert)."""

    classes: tuple[str, ...]
    coef: Mapping[str, Mapping[str, float]]  # class -> feature -> weight
    intercept: Mapping[str, float]
    threshold: float
    rule_ceiling: float
    meta: Mapping[str, Any]
    #: event-level typing: the probability from which a report may be one of a type it
    #: was not given (``sitrep.event_values.could_be``; above 1: never)
    agree: float = 2.0
    #: feature -> its (class, weight) pairs: a mention's scores add only the weights its
    #: features have, each feature read once for all classes (in the features' order, as
    #: the sum over every feature per class did: the same floats)
    by_feature: Mapping[str, tuple[tuple[str, float], ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[str, float]]] = {}
        for k in self.classes:
            for n, w in self.coef.get(k, {}).items():
                index.setdefault(n, []).append((k, w))
        object.__setattr__(self, "by_feature", {n: tuple(kw) for n, kw in index.items()})

    def proba(self, feats: Mapping[str, float]) -> dict[str, float]:
        """Class -> probability (the shared softmax of :mod:`sitrep.linear_model`)."""
        sums: dict[str, float] = dict.fromkeys(self.classes, 0)
        index = self.by_feature
        for n, v in feats.items():
            for k, w in index.get(n, ()):
                sums[k] += w * v
        return softmax({k: self.intercept.get(k, 0.0) + sums[k] for k in self.classes})

    def choose(self, rule_type: str, feats: Mapping[str, float],
               proba: Mapping[str, float] | None = None) -> str:
        """The sub-event type the mention gets: the rule's unless the model overrides it
        (``proba``: the model's :meth:`proba` of ``feats`` when already known)."""
        if not self.classes or self.threshold > 1.0 or rule_type in TERRITORIAL:
            return rule_type
        return override(rule_type, feats, self.proba(feats) if proba is None else proba,
                        self.threshold, self.rule_ceiling, self.meta.get("unjudged_types") or ())

    def to_dict(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "threshold": self.threshold,
                "rule_ceiling": self.rule_ceiling, "agree": self.agree, "intercept": dict(self.intercept),
                "coef": {k: dict(sorted(self.coef[k].items())) for k in self.classes},
                "meta": dict(self.meta)}


def override(rule_type: str, feats: Mapping[str, float], proba: Mapping[str, float],
             threshold: float, rule_ceiling: float, unjudged: Collection[str] = ()) -> str:
    """The combination rule: the model's best type replaces the rule's when the model is
    confident (``P >= threshold``), the rule reading is not (score under ``rule_ceiling``)
    and the rule typer read that type in the sentence too (``cand=`` feature: the model
    chooses between the lexicon's readings, it never invents one). Territorial types are
    the rules' alone, both ways, and so are the types the model has no class for and those
    the model file leaves unjudged (``meta.unjudged_types``, with the trainer's reason)."""
    if rule_type in TERRITORIAL or rule_type not in proba or rule_type in unjudged \
            or feats.get("rule_score", 0.0) >= rule_ceiling:
        return rule_type  # (a type the model never learned is not its to judge)
    best = max(proba, key=lambda k: proba[k])
    if best in TERRITORIAL or proba[best] < threshold or not feats.get(CANDIDATE + best):
        return rule_type
    return best


#: a model that never overrides (what the trainer runs the pipeline with)
INERT = TypingModel((), {}, {}, 2.0, 0.0, {})


def model_from_dict(data: Mapping[str, Any], path: Path) -> TypingModel:
    """A model from its JSON form (``TypingModel.to_dict``), checked: a broken one raises
    (``path``: where it was read, for the message)."""
    def fail(why: str) -> ValueError:
        return ValueError(f"{path}: {why} (retrain with bench/train_typing.py)")

    for key in ("classes", "coef", "intercept", "threshold", "rule_ceiling"):
        if key not in data:
            raise fail(f"missing key {key!r}")
    classes = tuple(str(c) for c in data["classes"])
    unknown = set(classes) - sub_event_types()
    if unknown:
        raise fail(f"unknown sub-event types {sorted(unknown)}")
    if not isinstance(data["coef"], Mapping) or set(data["coef"]) != set(classes) \
            or set(data["intercept"]) != set(classes):
        raise fail("coef and intercept must have one entry per class")
    coef = {k: {str(n): float(w) for n, w in data["coef"][k].items()} for k in classes}
    return TypingModel(classes, coef, {k: float(v) for k, v in data["intercept"].items()},
                       float(data["threshold"]), float(data["rule_ceiling"]),
                       dict(data.get("meta") or {}), float(data.get("agree", 2.0)))


@cache
def load_model(path: Path = MODEL_PATH) -> TypingModel:
    """The shipped model (checked on load: a broken file raises, it is never ignored)."""
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")), path)


def _retyped(m: Mention, sub_type: str) -> Mention:
    """``m`` as a ``sub_type`` mention: event type from the ontology, actors the extractor
    only implied for the old type dropped."""
    actor1, actor2 = m.actor1, m.actor2

    def implied(ref: ActorRef | None) -> bool:
        return ref is not None and ref.span.start == m.trigger.start and ref.span.end == m.trigger.end

    if implied(actor2) and m.sub_event_type in _IMPLIED_ACTOR2 and sub_type not in _IMPLIED_ACTOR2:
        actor2 = None
    if implied(actor1) and m.sub_event_type in _IMPLIED_ACTOR1 and sub_type not in _IMPLIED_ACTOR1:
        actor1 = None
    return replace(m, sub_event_type=sub_type, event_type=event_type_of(sub_type),
                   actor1=actor1, actor2=actor2)


def type_scores(proba: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """``Mention.type_scores``: the log-probabilities of the types with a fair chance
    (``P >= SCORE_FLOOR``), best first; fusion reads a missing type as the floor."""
    kept = sorted(((k, p) for k, p in proba.items() if p >= SCORE_FLOOR), key=lambda kp: -kp[1])
    return tuple((k, round(math.log(p), 3)) for k, p in kept)


def retype_mentions(mentions: Sequence[Mention], doc: Doc,
                    model: TypingModel | None = None) -> list[Mention]:
    """``mentions`` with the model's type where it overrides the rules (in order), each
    of a type the model has a class for with its :func:`type_scores` (fusion types an
    event from all its reports);
    a re-typed mention that repeats another reading of its trigger (type and place) goes."""
    md = model or load_model()
    if not mentions or not md.classes:
        return list(mentions)
    out: list[Mention] = []
    seen = {(m.trigger.start, m.sub_event_type, _place_key(m)) for m in mentions}
    for m, feats in zip(mentions, typing_features(mentions, doc), strict=True):
        proba = md.proba(feats)
        sub_type = md.choose(m.sub_event_type, feats, proba)
        # (a type the model never learned is not its to judge, here as in override())
        scored = replace(m, type_scores=type_scores(proba)) if sub_type in proba else m
        if sub_type == m.sub_event_type:
            out.append(scored)
        elif (m.trigger.start, sub_type, _place_key(m)) not in seen:
            seen.add((m.trigger.start, sub_type, _place_key(m)))
            out.append(_retyped(scored, sub_type))
    return out


def _place_key(m: Mention) -> str | None:
    return m.place.place.id if m.place is not None and m.place.place is not None else None
