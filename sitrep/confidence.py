"""Calibrated event confidence: how often an event scored *p* is a real, correctly placed
and dated occurrence.

The fused event's own score (a noisy-or over its articles of the best mention score,
:mod:`sitrep.event_values`) ranks events but is not a probability: on held-out real
news, events scored 0.7-0.8 were right about 1 time in 5. This module replaces it after
fusion with a logistic regression over features of the event and of the mentions it
rests on (:data:`FEATURES`). The coefficients are a small JSON file,
``sitrep/data/confidence_model.json``, written by ``bench/train_confidence.py`` from the
gold the project has (seeds, demo corpus, real-news train split, and the team's tuning
sets news_extra / ukraine_extra when present: the file's ``meta`` says which); run time
needs no scikit-learn, and the value is a pure function of the event and its own
mentions (so a rerun, an incremental run and the Spark runner give the same number).

    event_features(event, mentions) -> dict[str, float]
    calibrate(events, mentions) -> list[Event]      events with calibrated confidence
    DEFAULT_MIN_CONFIDENCE                          the default display threshold
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

from sitrep.linear_model import LinearModel, load_binary, logit, read_threshold
from sitrep.model import Event, Mention
from sitrep.ontology import TERRITORIAL

__all__ = [
    "FEATURES",
    "ConfidenceModel",
    "DEFAULT_MIN_CONFIDENCE",
    "MODEL_PATH",
    "calibrate",
    "confidence_of",
    "event_features",
    "load_model",
    "noisy_or",
]

MODEL_PATH = Path(__file__).parent / "data" / "confidence_model.json"

#: the feature names, in the order the model file lists its coefficients. Chosen on the
#: training sets by log loss under cross-validation grouped by article and by how well a
#: model fitted on the other sets predicts a held-out set (bench/train_confidence.py):
#: the evidence of the mentions (trigger strength, completeness and modality are in the
#: mention score), independent sources, how precisely the reports date and place it, recap
#: reports, resolved actors and the type family (a prior: some families are harder).
#: Measured and left out (no gain): article count and reporting lag beside the source
#: count, the share of asserted mentions and the status beside the mention score, the
#: share of mentions agreeing on the (sub-)type, list sentences (3+ commas), a speaker
#: attribution, a known death toll, the share of mentions dated by their own expression.
FEATURES: tuple[str, ...] = (
    "noisy_or_logit",  # logit of the noisy-or over articles of the best mention score
    "best_mention",  # the best mention score (trigger strength x completeness x modality)
    "log_sources",  # log(1 + independent outlets)
    "log_mentions",  # log(1 + mentions)
    "date_day",  # the fused date is one day
    "date_month_or_wider",  # month / year precision
    "recap_share",  # share of mentions flagged as recaps (Mention.recap)
    "place_none",  # no place, or a country / region
    "place_province",
    "place_district",
    "territorial",  # a change of territory (overtakes / regains / non-violent transfer)
    "remote_violence",  # Explosions/Remote violence
    "civilians",  # Violence against civilians
    "strategic",  # Strategic developments
    "actor1_resolved",
    "actor2_resolved",
)

_TYPE_FEATURES = {
    "Explosions/Remote violence": "remote_violence",
    "Violence against civilians": "civilians",
    "Strategic developments": "strategic",
}


def noisy_or(mentions: Iterable[Mention]) -> float:
    """1 - prod(1 - best mention score per article), each score capped at 0.95."""
    best: dict[str, float] = {}
    for m in mentions:
        best[m.article_id] = max(best.get(m.article_id, 0.0), min(max(m.confidence, 0.0), 0.95))
    miss = 1.0
    for c in best.values():
        miss *= 1.0 - c
    return min(0.99, 1.0 - miss)


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def event_features(event: Event, mentions: Mapping[str, Mention]) -> dict[str, float]:
    """The model's inputs for one event; ``mentions`` maps ids to (at least) its mentions.
    A pure function of the event and its own mentions (the same value whatever else the
    mapping holds: a rerun, an incremental run and the Spark runner agree)."""
    ms = [mentions[mid] for mid in event.mention_ids if mid in mentions]
    kind = event.place.kind if event.place is not None else "country"
    feats = dict.fromkeys(FEATURES, 0.0)
    feats.update({
        "noisy_or_logit": logit(noisy_or(ms) if ms else event.confidence),
        "best_mention": max((m.confidence for m in ms), default=event.confidence),
        "log_sources": math.log1p(event.n_sources),
        "log_mentions": math.log1p(len(event.mention_ids)),
        "date_day": float(event.date.precision == "day"),
        "date_month_or_wider": float(event.date.precision in ("month", "year")),
        "recap_share": _share([m.recap for m in ms]),
        "place_none": float(kind in ("country", "region")),
        "place_province": float(kind == "province"),
        "place_district": float(kind == "district"),
        "territorial": float(event.sub_event_type in TERRITORIAL),
        "actor1_resolved": float(event.actor1 is not None),
        "actor2_resolved": float(event.actor2 is not None),
    })
    family = _TYPE_FEATURES.get(event.event_type)
    if family is not None:
        feats[family] = 1.0
    return feats


#: the model type (a dense standardised logistic regression over :data:`FEATURES`; its
#: threshold, the file's ``min_confidence``, is the default display threshold)
ConfidenceModel = LinearModel
THRESHOLD_KEY = "min_confidence"


@cache
def load_model(path: Path = MODEL_PATH) -> ConfidenceModel:
    """The shipped model (checked on load: a broken file raises, it is never ignored)."""
    return load_binary(path, "train_confidence.py", threshold_key=THRESHOLD_KEY, known=FEATURES)


def confidence_of(model: ConfidenceModel, feats: Mapping[str, float]) -> float:
    """The calibrated confidence of an event's features (3 decimals, as stored)."""
    return round(model.predict(feats), 3)


def calibrate(events: Iterable[Event], mentions: Mapping[str, Mention],
              model: ConfidenceModel | None = None) -> list[Event]:
    """``events`` with their confidence replaced by the model's probability."""
    m = model or load_model()
    return [replace(e, confidence=confidence_of(m, event_features(e, mentions))) for e in events]


#: the default ``--min-confidence`` of ``sitrep events`` / ``control`` / ``report``, the
#: API and the dashboard (chosen from the calibration by bench/train_confidence.py: the
#: largest 0.05 step keeping >= 90 % of the correct training events, out-of-fold; the
#: precision / recall trade it makes is stored in the model file's ``meta.trade_cv``)
#: (read alone, so the trainer can still import this module after a feature change)
DEFAULT_MIN_CONFIDENCE: float = read_threshold(MODEL_PATH, THRESHOLD_KEY)
