"""bench/train_confidence.py, the trainer of the calibrated event confidence: its
cross-validation never splits an article's events, it is deterministic, it records the
sets it was fitted on, skips an empty one, and still runs after a feature change. On
synthetic rows (the real run needs every data set and a minute; the lead reruns it)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from sitrep import confidence
from sitrep.confidence import FEATURES, load_model
from sitrep.model import DateInterval, Event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import train_confidence as tc  # noqa: E402  (a bench script, not a package module)

DAY = DateInterval(dt.date(2021, 7, 1), dt.date(2021, 7, 1))


def _event(eid: str, *articles: str) -> Event:
    return Event(eid, DAY, "Battles", "Armed clash", article_ids=articles)


def test_articles_sharing_an_event_are_one_cv_group() -> None:
    events = [_event("e1", "a1"), _event("e2", "a2", "a1"), _event("e3", "a3"),
              _event("e4", "a2"), _event("e5", "a4", "a5"), _event("e6", "a5")]
    g = tc.article_groups("corpus", events)
    assert g[0] == g[1] == g[3] and g[4] == g[5]
    assert len({g[0], g[2], g[4]}) == 3
    assert all(x.startswith("corpus:") for x in g)  # two sets never share a group


def _rows(name: str, n: int, seed: int) -> tc.Rows:
    """Synthetic scored events: the label follows the best mention score."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, len(FEATURES)))
    best = FEATURES.index("best_mention")
    y = rng.random(n) < 0.15 + 0.8 * X[:, best]
    events = [_event(f"{name}{i}", f"{name}-a{i // 3}") for i in range(n)]
    return tc.Rows(name, X, y, y.copy(), X[:, best], tc.article_groups(name, events), events)


def test_folds_keep_every_article_group_on_one_side() -> None:
    r = _rows("corpus", 90, 1)
    for seed in tc.FOLD_SEEDS:
        split = tc.folds(r.lenient, r.groups, seed)
        assert len(split) == tc.FOLDS
        tested = np.concatenate([test for _fit, test in split])
        assert sorted(tested) == list(range(90))  # every event scored exactly once
        for fit_idx, test_idx in split:
            assert not set(r.groups[fit_idx]) & set(r.groups[test_idx])
    assert [t.tolist() for _f, t in tc.folds(r.lenient, r.groups, 0)] == \
        [t.tolist() for _f, t in tc.folds(r.lenient, r.groups, 0)]


def test_training_is_deterministic_and_records_its_sets(tmp_path: Path) -> None:
    data = {"seeds": _rows("seeds", 40, 2), "corpus": _rows("corpus", 60, 3),
            "news_train": _rows("news_train", 60, 4),
            "news_extra": _rows("news_extra", 0, 5),  # present but nothing scored yet
            "news_report": _rows("news_report", 45, 6)}
    names = ("seeds", "corpus", "news_train", "news_extra")
    with mock.patch.multiple(tc, TRAIN=names, C_GRID=(0.03, 0.3), FOLD_SEEDS=range(2)):
        model, figures = tc.train(data)
        again, _ = tc.train(data)
    assert model.to_dict() == again.to_dict()
    meta = model.meta
    assert meta["trained_on"] == ["seeds", "corpus", "news_train"]  # the empty set skipped
    assert meta["sets"]["corpus"] == {"events": 60, "correct": int(data["corpus"].lenient.sum()),
                                      "articles": 20}
    assert meta["C"] in (0.03, 0.3) and meta["tuned_weight"]["news_train"] in tc.TUNED_WEIGHTS
    assert meta["events"] == 160
    assert "ece" in figures["sets"]["news_report"]  # measured, not fitted on
    assert "ece_leave_set_out" in figures["sets"]["corpus"]
    assert model.weights["best_mention"] > 0.5  # it learnt the signal
    assert 0.0 < model.threshold < 1.0
    assert model.threshold in [t["threshold"] for t in meta["trade_cv"]]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    assert load_model.__wrapped__(path) == model  # the file it writes loads, checked


def test_sets_still_run_after_a_feature_change() -> None:
    """The shipped file no longer matching FEATURES must not stop the retraining."""
    broken = mock.patch.object(confidence, "load_model", side_effect=ValueError("features"))
    with broken, tc.runnable_model():
        neutral = confidence.load_model()
        assert neutral.features == FEATURES and not any(neutral.weights.values())
        assert neutral.predict(dict.fromkeys(FEATURES, 1.0)) == 0.5


def test_ece_floor_is_the_noise_of_a_calibrated_model() -> None:
    """A perfectly calibrated model on 60 events still shows an ECE near 0.1; on
    6,000 it is near 0."""
    p = np.linspace(0.3, 0.95, 60)
    mean, high = tc.ece_floor(p)
    assert 0.06 < mean < high < 0.25
    assert tc.ece_floor(np.repeat(p, 100), reps=20)[1] < 0.03


@pytest.mark.parametrize("t", [0.45, 0.5])
def test_precision_at_a_threshold(t: float) -> None:
    p = np.array([0.2, 0.4, 0.5, 0.6, 0.9])
    y = np.array([False, True, False, True, True])
    got = tc.precision_at(p, y, t)
    assert got == {"threshold": t, "kept": 3, "of": 5, "precision": round(2 / 3, 3),
                   "correct_kept": round(2 / 3, 3)}
