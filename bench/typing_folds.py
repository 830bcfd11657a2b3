"""Out-of-fold learned typing for the trainers of the models that come after it.

The shipped typing model (``sitrep/data/typing_model.json``, bench/train_typing.py) is
fitted on the tuning sets' articles. Run on those same articles, it re-types their
mentions and scores their types (``Mention.type_scores``, read by fusion's event-level
typing) IN-SAMPLE: far sharper and more often right than on unseen news. The mention
filter (bench/train_reportable.py) and the event confidence (bench/train_confidence.py)
are fitted on what the pipeline makes of those articles, so with the shipped model they
learn from events typed better than any new article's will be, and over-trust them.

:func:`out_of_fold_typing` runs the pipeline of a training set with, for each article,
the typing model of the article-grouped CV fold that never saw it (the shipped model's
classes, vocabulary, C, override threshold and ``agree``; the folds of
``bench/train_typing.py``'s rows, fold seed 0). Articles the typing was never fitted on
(no gold quote: no labelled mention) and the measured sets get the shipped model, which
is out-of-sample for them already.

The fold models are fitted once per shipped typing model: ``bench/train_typing.py``
writes them beside the model it writes (:func:`cache_path`, keyed by the model file's
digest, in the system's temporary directory); when the cache is missing the first
trainer to need them refits them (a rules-only run of every training set, a few minutes).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from sitrep import typing_model  # noqa: E402
from sitrep.model import Mention  # noqa: E402
from sitrep.typing_model import MODEL_PATH, TypingModel, model_from_dict  # noqa: E402

#: the fold seed of the folds the pipeline runs with (train_typing.FOLD_SEEDS[0])
SEED = 0


@dataclass(frozen=True)
class FoldTyping:
    """The typing models of the CV folds and which fold holds each article
    (``"<set>:<article id>"``, the typing trainer's group)."""

    models: tuple[TypingModel, ...]
    fold_of: dict[str, int]

    def model_for(self, group: str) -> TypingModel | None:
        k = self.fold_of.get(group)
        return None if k is None else self.models[k]

    def to_dict(self, digest: str) -> dict[str, Any]:
        return {"typing_model_digest": digest, "models": [m.to_dict() for m in self.models],
                "fold_of": self.fold_of}


def digest(path: Path = MODEL_PATH) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]


def cache_path(model_digest: str) -> Path:
    return Path(tempfile.gettempdir()) / f"sitrep-typing-folds-{model_digest}.json"


def fit_folds(sets: Sequence[Any], shipped: TypingModel) -> FoldTyping:
    """The fold models of ``sets`` (train_typing's ``SetData``) with the shipped model's
    choices (classes, C, vocabulary rule, threshold, rule ceiling, agree)."""
    import train_typing as tt

    from sitrep.linear_model import vectorise

    vocab = tt.vocabulary(list(sets))
    classes = list(shipped.classes)
    feats = [f for d in sets for f in d.feats]
    labels = np.array([lab for d in sets for lab in d.labels])
    groups = np.array([f"{d.name}:{m.article_id}" for d in sets for m in d.mentions])
    keep = np.isin(labels, classes)
    X, y, g = vectorise(feats, vocab)[keep], labels[keep], groups[keep]
    C = float(shipped.meta.get("C", 0.3))
    models: list[TypingModel] = []
    fold_of: dict[str, int] = {}
    for k, (fit_idx, test_idx) in enumerate(tt.folds(y, g, SEED)):
        fitted, coef, b = tt.fit(X[fit_idx], y[fit_idx], C)
        if len(fitted) == 2:  # (sklearn's binary fit: one row, the second class's logit)
            coef, b = np.vstack([np.zeros_like(coef[0]), coef[0]]), np.array([0.0, b[0]])
        models.append(TypingModel(
            tuple(fitted),
            {c: {n: round(float(w), 5) for n, w in zip(vocab, coef[i], strict=True) if abs(w) >= 1e-4}
             for i, c in enumerate(fitted)},
            {c: round(float(b[i]), 5) for i, c in enumerate(fitted)},
            shipped.threshold, shipped.rule_ceiling, {"fold": k}, shipped.agree))
        fold_of.update(dict.fromkeys((str(x) for x in np.unique(g[test_idx])), k))
    return FoldTyping(tuple(models), fold_of)


def write_cache(folds: FoldTyping, model_path: Path = MODEL_PATH) -> Path:
    d = digest(model_path)
    path = cache_path(d)
    path.write_text(json.dumps(folds.to_dict(d)), encoding="utf-8")
    return path


def read_cache(path: Path) -> FoldTyping:
    data = json.loads(path.read_text(encoding="utf-8"))
    return FoldTyping(tuple(model_from_dict(m, path) for m in data["models"]),
                      {str(k): int(v) for k, v in data["fold_of"].items()})


@cache
def fold_typing() -> FoldTyping:
    """The fold models of the shipped typing model: from the cache, else refitted (and
    cached) from a rules-only run of every training set."""
    path = cache_path(digest())
    if path.exists():
        return read_cache(path)
    import train_typing as tt
    from eval_seeds import TRAIN

    shipped = typing_model.load_model()
    with tempfile.TemporaryDirectory() as tmp:
        sets = [tt.collect(n, Path(tmp)) for n in TRAIN]
    folds = fit_folds(sets, shipped)
    write_cache(folds)
    return folds


def add_option(ap: Any) -> None:
    """The trainers' ``--in-sample-typing`` option."""
    ap.add_argument("--in-sample-typing", action="store_true",
                    help="run the training sets with the shipped typing model on every article "
                         "(in-sample on the articles it was fitted on) instead of out-of-fold")


def typing_for(name: str, in_sample: bool = False) -> contextlib.AbstractContextManager[None]:
    """:func:`out_of_fold_typing` of set ``name``, or nothing with ``in_sample``."""
    return contextlib.nullcontext() if in_sample else out_of_fold_typing(name)


@contextlib.contextmanager
def out_of_fold_typing(name: str) -> Iterator[None]:
    """The pipeline of set ``name`` with each article re-typed and scored by the typing
    model of the fold that never saw it (the shipped model for articles outside every
    fold). ``retype_mentions`` is called once per article (``pipeline.analyse``)."""
    folds = fold_typing()
    shipped = typing_model.retype_mentions

    def retype(mentions: Sequence[Mention], doc: Any, model: TypingModel | None = None) -> list[Mention]:
        own = folds.model_for(f"{name}:{mentions[0].article_id}") if mentions else None
        return shipped(mentions, doc, model or own)

    with mock.patch.object(typing_model, "retype_mentions", retype):
        yield


__all__ = ["FoldTyping", "add_option", "fit_folds", "fold_typing", "out_of_fold_typing", "read_cache", "typing_for", "write_cache"]
