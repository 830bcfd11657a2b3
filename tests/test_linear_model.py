"""The shared linear-model file format and prediction (sitrep/linear_model.py): dense
standardised, sparse and multinomial models round-trip through their file, predict what
the formula says, and a broken file raises naming the problem and the trainer."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sitrep.linear_model import (
    LinearModel,
    SoftmaxModel,
    frequent_features,
    load_binary,
    load_softmax,
    logit,
    read_threshold,
    sigmoid,
    softmax,
    vectorise,
)


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_dense_standardised_model_round_trips_and_predicts(tmp_path: Path) -> None:
    model = LinearModel({"a": 2.0, "b": -1.0}, 0.5, 0.4, {"trained_on": ["seeds"]},
                        ("a", "b"), (1.0, 0.0), (2.0, 1.0), "min_confidence")
    path = _write(tmp_path, model.to_dict())
    assert json.loads(path.read_text())["min_confidence"] == 0.4
    again = load_binary(path, "train_x.py", threshold_key="min_confidence", known={"a", "b"})
    assert again == model
    z = 0.5 + 2.0 * (3.0 - 1.0) / 2.0 - 1.0 * 1.5
    assert again.predict({"a": 3.0, "b": 1.5}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert read_threshold(path, "min_confidence") == 0.4


def test_a_sparse_model_ignores_features_it_has_no_weight_for(tmp_path: Path) -> None:
    model = LinearModel({"w=attack": 1.5, "neg": -2.0}, -0.25, 0.2, {})
    again = load_binary(_write(tmp_path, model.to_dict()), "train_x.py")
    assert again == model
    assert again.score({"w=attack": 1.0, "w=unseen": 1.0}) == pytest.approx(1.25)
    assert again.predict({}) == pytest.approx(sigmoid(-0.25))


def test_a_multinomial_model_gives_class_probabilities(tmp_path: Path) -> None:
    rows = {c: LinearModel(w, b, 0.0, {}) for c, w, b in
            [("Battles", {"trigger=clash": 2.0}, 0.0),
             ("Explosions/Remote violence", {"trigger=bomb": 2.0}, 0.1),
             ("Protests", {}, -1.0)]}
    model = SoftmaxModel(tuple(rows), rows, 0.3, {"label": "event type"})
    again = load_softmax(_write(tmp_path, model.to_dict()), "train_typing.py")
    assert again == model
    probs = again.predict({"trigger=bomb": 1.0})
    assert sum(probs.values()) == pytest.approx(1.0)
    assert again.best({"trigger=bomb": 1.0})[0] == "Explosions/Remote violence"
    z = {"Battles": 0.0, "Explosions/Remote violence": 2.1, "Protests": -1.0}
    total = sum(math.exp(v) for v in z.values())
    assert probs["Protests"] == pytest.approx(math.exp(-1.0) / total)


@pytest.mark.parametrize(("edit", "why"), [
    (lambda d: d.pop("intercept"), "missing key 'intercept'"),
    (lambda d: d.__setitem__("threshold", 1.5), "threshold must lie in"),
    (lambda d: d.__setitem__("coef", [1.0]), "aligned with features"),
    (lambda d: d.__setitem__("coef", {"mystery": 1.0}), "unknown features"),
])
def test_a_broken_sparse_file_raises_naming_the_trainer(tmp_path: Path, edit: Any,
                                                        why: str) -> None:
    data = LinearModel({"a": 1.0}, 0.0, 0.5, {}).to_dict()
    edit(data)
    with pytest.raises(ValueError, match=why) as err:
        load_binary(_write(tmp_path, data), "train_x.py", known={"a"})
    assert "bench/train_x.py" in str(err.value)


def test_a_broken_multinomial_file_raises(tmp_path: Path) -> None:
    rows = {c: LinearModel({}, 0.0, 0.0, {}) for c in ("a", "b")}
    data = SoftmaxModel(("a", "b"), rows, 0.0, {}).to_dict()
    data["intercept"].pop("b")
    with pytest.raises(ValueError, match="every class"):
        load_softmax(_write(tmp_path, data), "train_x.py")


def test_helpers() -> None:
    assert sigmoid(1000.0) == pytest.approx(1.0) and sigmoid(-1000.0) == pytest.approx(0.0)
    assert logit(0.5) == 0.0 and logit(1.0) == pytest.approx(math.log(99))
    assert softmax({}) == {} and softmax({"x": 800.0, "y": 800.0})["x"] == pytest.approx(0.5)
    rows = [{"w=said": 1.0, "w=rare": 1.0}, {"w=said": 1.0}, {"w=said": 1.0, "neg": 1.0}]
    vocab = frequent_features(rows, ["a1", "a2", "a2"], min_groups=2)
    assert vocab == ["w=said"]  # "neg" is in one article only
    X = vectorise(rows, ["neg", "w=said"])
    assert np.array_equal(X, [[0, 1], [0, 1], [1, 1]])
