"""The out-of-fold typing the filter and confidence trainers run their sets with
(bench/typing_folds.py): every labelled article falls in exactly one fold, whose model
was fitted without it; inside :func:`out_of_fold_typing` the pipeline's re-typing of an
article uses its fold's model (team-written sentences), other articles the shipped one;
the fold models survive their cache file."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from sitrep import typing_model
from sitrep.extract import extract_mentions
from sitrep.model import Article, Mention, stable_id
from sitrep.typing_model import TypingModel, load_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import train_typing as tt  # noqa: E402  (bench scripts, not package modules)
import typing_folds  # noqa: E402

BOMBING = ("A suicide bomber blew himself up near a police checkpoint in Kabul on Monday, "
           "killing six people and wounding 12 others, officials said.")
SHELLING = ("Russian forces shelled the outskirts of Kharkiv overnight, killing two civilians, "
            "the regional governor said on Tuesday.")


class _M:  # what fit_folds reads of a mention: its article
    def __init__(self, article_id: str) -> None:
        self.article_id = article_id


def _synthetic() -> list[tt.SetData]:
    """40 articles of two mentions each; 'x' says one type, 'z' the other, with noise."""
    rng = np.random.default_rng(0)
    mentions, feats, labels = [], [], []
    for a in range(40):
        for _ in range(2):
            label = "Armed clash" if rng.random() < 0.5 else "Attack"
            cue = "x" if (label == "Attack") == (rng.random() < 0.85) else "z"
            mentions.append(_M(f"a{a}"))
            feats.append({cue: 1.0, "bias": 1.0})
            labels.append(label)
    return [tt.SetData("toy", mentions, feats, labels)]  # type: ignore[arg-type]


def test_each_article_is_in_one_fold_whose_model_never_saw_it() -> None:
    shipped = replace(load_model(), classes=("Armed clash", "Attack"), meta={"C": 1.0})
    sets = _synthetic()
    folds = typing_folds.fit_folds(sets, shipped)
    assert len(folds.models) == 5
    assert set(folds.fold_of) == {f"toy:a{a}" for a in range(40)}
    # the fold models differ (each fitted without one fifth of the articles) and keep the
    # shipped model's choices
    assert len({m.intercept["Attack"] for m in folds.models}) == 5
    assert all((m.threshold, m.rule_ceiling, m.agree) == (shipped.threshold, shipped.rule_ceiling, shipped.agree)
               for m in folds.models)
    # fold k's model is the fit on every article but fold k's: it never saw them
    from sitrep.linear_model import vectorise

    d = sets[0]
    for k, model in enumerate(folds.models):
        held = {g for g, f in folds.fold_of.items() if f == k}
        idx = [i for i, m in enumerate(d.mentions) if f"toy:{m.article_id}" not in held]
        vocab = tt.vocabulary(sets)
        X = vectorise([d.feats[i] for i in idx], vocab)
        _classes, coef, b = tt.fit(X, np.array([d.labels[i] for i in idx]), 1.0)
        # (two classes: sklearn's one row is the second class's logit against the first)
        assert model.intercept == {"Armed clash": 0.0, "Attack": round(float(b[0]), 5)}
        assert model.coef["Attack"] == {n: round(float(w), 5) for n, w in zip(vocab, coef[0], strict=True)
                                        if abs(w) >= 1e-4}


def test_the_cache_round_trips(tmp_path: Path) -> None:
    shipped = replace(load_model(), classes=("Armed clash", "Attack"), meta={"C": 1.0})
    folds = typing_folds.fit_folds(_synthetic(), shipped)
    path = tmp_path / "typing_model.json"
    path.write_text('{"any": "model file"}', encoding="utf-8")
    with mock.patch.object(typing_folds, "cache_path", lambda d: tmp_path / f"folds-{d}.json"):
        written = typing_folds.write_cache(folds, path)
        assert written == tmp_path / f"folds-{typing_folds.digest(path)}.json"
        back = typing_folds.read_cache(written)
    assert back.fold_of == folds.fold_of
    assert [m.intercept for m in back.models] == [m.intercept for m in folds.models]


def _article(text: str) -> Article:
    return Article(id=stable_id(text), text=text, source="test", published=dt.date(2021, 7, 20),
                   language="en")


def test_the_pipeline_retypes_each_article_with_its_folds_model(nlp: Any) -> None:
    shipped = load_model()
    # two "fold models": the shipped coefficients with one class's intercept moved, so
    # each leaves its own mark on the scores
    fold0 = replace(shipped, intercept={**shipped.intercept, "Suicide bomb": shipped.intercept["Suicide bomb"] + 3})
    fold1 = replace(shipped, intercept={**shipped.intercept, "Suicide bomb": shipped.intercept["Suicide bomb"] - 3})
    bomb, shell = _article(BOMBING), _article(SHELLING)
    folds = typing_folds.FoldTyping((fold0, fold1), {f"toy:{bomb.id}": 0})

    def read(article: Article) -> tuple[list[Mention], Any]:
        doc = nlp(article.text)
        return extract_mentions(article, doc), doc

    (bm, bdoc), (sm, sdoc) = read(bomb), read(shell)
    assert bm and sm
    with mock.patch.object(typing_folds, "fold_typing", lambda: folds), \
            typing_folds.out_of_fold_typing("toy"):
        in_fold = typing_model.retype_mentions(bm, bdoc)
        outside = typing_model.retype_mentions(sm, sdoc)
    assert in_fold == typing_model.retype_mentions(bm, bdoc, fold0)
    assert in_fold != typing_model.retype_mentions(bm, bdoc, fold1)
    assert outside == typing_model.retype_mentions(sm, sdoc, shipped)
    # outside the context the shipped model types every article again
    assert typing_model.retype_mentions(bm, bdoc) == typing_model.retype_mentions(bm, bdoc, shipped)
    # and the trainers' --in-sample-typing runs the shipped model on every article
    with mock.patch.object(typing_folds, "fold_typing", lambda: folds), \
            typing_folds.typing_for("toy", in_sample=True):
        assert typing_model.retype_mentions(bm, bdoc) == typing_model.retype_mentions(bm, bdoc, shipped)


def test_fold_models_are_typing_models() -> None:
    shipped = replace(load_model(), classes=("Armed clash", "Attack"), meta={"C": 1.0})
    folds = typing_folds.fit_folds(_synthetic(), shipped)
    assert all(isinstance(m, TypingModel) and set(m.classes) == {"Armed clash", "Attack"} for m in folds.models)
