"""Linear models shipped as small JSON files: the one checked loader and the one prediction
of every learned component (the mention filter :mod:`sitrep.reportable`, the event
confidence :mod:`sitrep.confidence`, a learned typing model). Run time needs no
scikit-learn: a model is its coefficients, fitted by a trainer under ``bench/``.

A model reads named features (``dict[str, float]``; a name the input lacks is 0) and is
either binary — p = sigmoid(z) — or multinomial over named classes — p = softmax(z_c) —
with z = intercept + sum_f coef[f] * (x[f] - mean[f]) / scale[f] (mean 0 and scale 1 unless
the file standardises its features).

The file (one JSON object; :func:`load_binary` / :func:`load_softmax` check it and raise a
ValueError naming the problem and the trainer to rerun — a broken file is never ignored):

    "coef"       binary: a list aligned with "features" (dense) or an object
                 feature -> weight (sparse); multinomial: an object class -> either
    "intercept"  binary: a number; multinomial: an object class -> number
    "classes"    multinomial only: the class names, in order
    "features"   the feature names (required with list coefficients)
    "mean", "scale"  optional, lists aligned with "features": standardisation
    <threshold>  a number in [0, 1], under the key the component names
                 ("threshold", "min_confidence")
    "meta"       free-form: what the model was trained on and how

    sigmoid(z), logit(p), softmax(scores)
    LinearModel.predict(features) -> float             binary probability
    SoftmaxModel.predict(features) -> dict[str, float] class probabilities
    load_binary(path, trainer, ...) / load_softmax(path, trainer, ...)
    read_threshold(path, key)                          the threshold alone
    frequent_features(rows, groups, min_groups) / vectorise(rows, vocabulary)
                                                       (training: the vocabulary rule and
                                                       the design matrix)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "LinearModel",
    "SoftmaxModel",
    "frequent_features",
    "load_binary",
    "load_softmax",
    "logit",
    "read_threshold",
    "sigmoid",
    "softmax",
    "vectorise",
]

Fail = Callable[[str], ValueError]


def sigmoid(z: float) -> float:
    """The logistic function (z clipped to [-30, 30]: no overflow)."""
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def logit(p: float, eps: float = 0.01) -> float:
    """The log-odds of ``p`` clipped to [eps, 1 - eps]."""
    p = min(max(p, eps), 1.0 - eps)
    return math.log(p / (1.0 - p))


def softmax(scores: Mapping[str, float]) -> dict[str, float]:
    """Class -> probability of the linear scores (shifted by their maximum: no overflow)."""
    if not scores:
        return {}
    top = max(scores.values())
    exp = {c: math.exp(z - top) for c, z in scores.items()}
    total = sum(exp.values())
    return {c: v / total for c, v in exp.items()}


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A binary logistic regression over named features: p = sigmoid(score(x)).

    ``features`` non-empty: a dense model (the file lists its coefficients in that order,
    optionally standardised by ``mean`` / ``scale``); empty: sparse (``weights`` maps the
    features that have a weight; any other input is ignored)."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    meta: Mapping[str, Any]
    features: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    threshold_key: str = "threshold"
    _dense: tuple[tuple[str, float, float, float], ...] = field(init=False, repr=False,
                                                                compare=False)

    def __post_init__(self) -> None:
        n = len(self.features)
        mean = self.mean or (0.0,) * n
        scale = self.scale or (1.0,) * n
        object.__setattr__(self, "_dense", tuple(
            (f, mu, s, self.weights.get(f, 0.0))
            for f, mu, s in zip(self.features, mean, scale, strict=True)))

    def score(self, feats: Mapping[str, float]) -> float:
        """The linear score z (log-odds)."""
        if self._dense:
            return self.intercept + sum(w * (feats.get(f, 0.0) - mu) / s
                                        for f, mu, s, w in self._dense)
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def predict(self, feats: Mapping[str, float]) -> float:
        """The probability of the positive class."""
        return sigmoid(self.score(feats))

    def to_dict(self) -> dict[str, Any]:
        """The file's content (what :func:`load_binary` reads back)."""
        out: dict[str, Any] = {}
        if self.features:
            out["features"] = list(self.features)
            if self.mean:
                out.update(mean=list(self.mean), scale=list(self.scale))
            out["coef"] = [self.weights.get(f, 0.0) for f in self.features]
        else:
            out["coef"] = dict(sorted(self.weights.items()))
        out.update({"intercept": self.intercept, self.threshold_key: self.threshold,
                    "meta": dict(self.meta)})
        return out


@dataclass(frozen=True, slots=True)
class SoftmaxModel:
    """A multinomial logistic regression: one :class:`LinearModel` score per class
    (their ``threshold`` unused), p = softmax over the classes."""

    classes: tuple[str, ...]
    rows: Mapping[str, LinearModel]
    threshold: float
    meta: Mapping[str, Any]
    threshold_key: str = "threshold"

    def predict(self, feats: Mapping[str, float]) -> dict[str, float]:
        """Class -> probability (in ``classes`` order)."""
        return softmax({c: self.rows[c].score(feats) for c in self.classes})

    def best(self, feats: Mapping[str, float]) -> tuple[str, float]:
        """The most probable class and its probability (ties: the earlier class)."""
        probs = self.predict(feats)
        top = max(self.classes, key=lambda c: probs[c])
        return top, probs[top]

    def to_dict(self) -> dict[str, Any]:
        """The file's content (what :func:`load_softmax` reads back)."""
        first = self.rows[self.classes[0]] if self.classes else None
        out: dict[str, Any] = {"classes": list(self.classes)}
        if first is not None and first.features:
            out["features"] = list(first.features)
            if first.mean:
                out.update(mean=list(first.mean), scale=list(first.scale))
        out["coef"] = {c: self.rows[c].to_dict()["coef"] for c in self.classes}
        out.update({"intercept": {c: self.rows[c].intercept for c in self.classes},
                    self.threshold_key: self.threshold, "meta": dict(self.meta)})
        return out


def _failure(path: Path, trainer: str) -> Fail:
    def fail(why: str) -> ValueError:
        return ValueError(f"{path}: {why} (retrain with bench/{trainer})")
    return fail


def _unit(data: Mapping[str, Any], key: str, fail: Fail) -> float:
    value = float(data[key])
    if not 0.0 <= value <= 1.0:
        raise fail(f"{key} must lie in [0, 1]")
    return value


def _read(path: Path, trainer: str, keys: tuple[str, ...]) -> tuple[dict[str, Any], Fail]:
    fail = _failure(path, trainer)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise fail("the file must hold one JSON object")
    for key in keys:
        if key not in data:
            raise fail(f"missing key {key!r}")
    return data, fail


def _standardisation(data: Mapping[str, Any], known: Collection[str] | None, fail: Fail
                     ) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
    features = tuple(str(f) for f in data.get("features") or ())
    if known is not None:
        unknown = set(features) - set(known)
        if unknown:
            raise fail(f"unknown features {sorted(unknown)}")
    if ("mean" in data) != ("scale" in data):
        raise fail("mean and scale go together")
    if "mean" not in data:
        return features, (), ()
    mean, scale = (tuple(float(x) for x in data[k]) for k in ("mean", "scale"))
    if len(mean) != len(features) or len(scale) != len(features):
        raise fail("mean / scale must have one value per feature")
    if any(s <= 0 for s in scale):
        raise fail("every scale must be positive")
    return features, mean, scale


def _weights(coef: Any, features: tuple[str, ...], known: Collection[str] | None,
             fail: Fail) -> dict[str, float]:
    if isinstance(coef, Mapping):
        weights = {str(k): float(v) for k, v in coef.items()}
        if known is not None and set(weights) - set(known):
            raise fail(f"unknown features {sorted(set(weights) - set(known))}")
        if features and set(weights) - set(features):
            raise fail("coef names features the file does not list")
        return weights
    if not features or not isinstance(coef, list):
        raise fail("coef must map feature names to numbers, or be a list aligned with "
                   "features")
    if len(coef) != len(features):
        raise fail("mean / scale / coef must have one value per feature")
    return {f: float(w) for f, w in zip(features, coef, strict=True)}


def load_binary(path: Path, trainer: str, *, threshold_key: str = "threshold",
                known: Collection[str] | None = None) -> LinearModel:
    """The binary model of ``path``, checked: ``known`` (when given) is every feature name
    the component computes (a file naming another raises); ``trainer`` names the
    ``bench/`` script that rewrites the file (quoted in the error)."""
    data, fail = _read(path, trainer, ("coef", "intercept", threshold_key))
    features, mean, scale = _standardisation(data, known, fail)
    return LinearModel(_weights(data["coef"], features, known, fail), float(data["intercept"]),
                       _unit(data, threshold_key, fail), dict(data.get("meta") or {}),
                       features, mean, scale, threshold_key)


def load_softmax(path: Path, trainer: str, *, threshold_key: str = "threshold",
                 known: Collection[str] | None = None) -> SoftmaxModel:
    """The multinomial model of ``path``, checked as :func:`load_binary` (and every class
    has coefficients and an intercept)."""
    data, fail = _read(path, trainer, ("classes", "coef", "intercept", threshold_key))
    classes = tuple(str(c) for c in data["classes"])
    if len(classes) < 2 or len(set(classes)) != len(classes):
        raise fail("classes must be two or more distinct names")
    coef, intercept = data["coef"], data["intercept"]
    if not isinstance(coef, Mapping) or not isinstance(intercept, Mapping) \
            or set(coef) != set(classes) or set(intercept) != set(classes):
        raise fail("coef and intercept must map every class (and only those)")
    features, mean, scale = _standardisation(data, known, fail)
    rows = {c: LinearModel(_weights(coef[c], features, known, fail), float(intercept[c]),
                           0.0, {}, features, mean, scale) for c in classes}
    return SoftmaxModel(classes, rows, _unit(data, threshold_key, fail),
                        dict(data.get("meta") or {}), threshold_key)


def read_threshold(path: Path, key: str) -> float:
    """The file's threshold alone (checked to lie in [0, 1]): readable whatever its
    coefficients say, so a trainer can import its component after a feature change."""
    return _unit(json.loads(path.read_text(encoding="utf-8")), key,
                 lambda why: ValueError(f"{path}: {why}"))


def frequent_features(rows: Sequence[Mapping[str, float]], groups: Sequence[str],
                      min_groups: int) -> list[str]:
    """The vocabulary rule of the trainers: the feature names present in the rows of at
    least ``min_groups`` different groups (articles), sorted. A feature of one article
    (a name, a phrase) cannot be learned."""
    seen: dict[str, set[str]] = {}
    for row, group in zip(rows, groups, strict=True):
        for k in row:
            seen.setdefault(k, set()).add(group)
    return sorted(k for k, gs in seen.items() if len(gs) >= min_groups)


def vectorise(rows: Sequence[Mapping[str, float]], vocabulary: Sequence[str]) -> np.ndarray:
    """The design matrix: one row per input, one column per vocabulary name (absent = 0;
    names outside the vocabulary are dropped)."""
    col = {k: i for i, k in enumerate(vocabulary)}
    X = np.zeros((len(rows), len(vocabulary)))
    for i, row in enumerate(rows):
        for k, v in row.items():
            j = col.get(k)
            if j is not None:
                X[i, j] = v
    return X
