"""``sitrep train``: fit a typing model on the user's own ACLED export.

The project ships no trained model (typing defaults to the hand-written lexicon); a
user with an ACLED licence can fit one on their export's ``notes`` (text) and
``sub_event_type`` (label) columns. The model is TF-IDF word 1-2-grams + character
3-5-grams into a multinomial logistic regression, whose probabilities are combined with
the lexicon at classification time (:mod:`sitrep.extract.typing`).

Held-out accuracy / macro-F1 come from a stratified split of the file (classes with a
single row stay in training); the saved model is then refitted on every row.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from sitrep.errors import InputError, MalformedInput
from sitrep.extract import model_store
from sitrep.extract.trigger_lexicon import event_type_of, load_ontology

__all__ = ["TrainReport", "fit", "read_acled", "split", "train"]

TEXT_COLUMN, LABEL_COLUMN = "notes", "sub_event_type"


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What ``train`` did: sizes, held-out scores and where the model went."""

    n_rows: int
    n_skipped: int
    n_train: int
    n_test: int
    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    event_type_accuracy: float
    model_dir: str


def read_acled(path: Path) -> tuple[list[str], list[str], int]:
    """(texts, sub-event labels, rows skipped) from an ACLED CSV export."""
    known = load_ontology()
    texts: list[str] = []
    labels: list[str] = []
    skipped = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {TEXT_COLUMN, LABEL_COLUMN} - set(reader.fieldnames or [])
            if missing:
                raise MalformedInput(str(path), f"not an ACLED export: no column(s) {sorted(missing)}")
            for row in reader:
                text = (row.get(TEXT_COLUMN) or "").strip()
                label = (row.get(LABEL_COLUMN) or "").strip()
                if not text or label not in known:
                    skipped += 1
                    continue
                texts.append(text)
                labels.append(label)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise MalformedInput(str(path), f"not a UTF-8 CSV file ({exc})") from exc
    return texts, labels, skipped


def split(texts: Sequence[str], labels: Sequence[str], test_size: float = 0.2,
          seed: int = 0) -> tuple[list[str], list[str], list[str], list[str]]:
    """Stratified train/test split; classes with one row go to training only."""
    counts = Counter(labels)
    rare = [i for i, lab in enumerate(labels) if counts[lab] < 2]
    common = [i for i, lab in enumerate(labels) if counts[lab] >= 2]
    n_classes = len({labels[i] for i in common})
    # a stratified test set needs at least one row per class
    n_test = max(math.ceil(test_size * len(common)), n_classes)
    if n_test > len(common) - n_classes:
        raise ValueError(f"{len(common)} rows are too few for a stratified split of {n_classes} classes")
    tr, te = train_test_split(common, test_size=n_test, random_state=seed,
                              stratify=[labels[i] for i in common])
    tr = sorted(tr + rare)
    return ([texts[i] for i in tr], [labels[i] for i in tr],
            [texts[i] for i in te], [labels[i] for i in te])


def fit(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """Fit the TF-IDF (word + char n-grams) + logistic-regression pipeline."""
    features = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                 strip_accents="unicode", lowercase=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                                 sublinear_tf=True, max_features=200_000)),
    ])
    clf = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
    pipe = Pipeline([("features", features), ("clf", clf)])
    pipe.fit(list(texts), list(labels))
    return pipe


def train(csv_path: Path, out_dir: Path | None = None, test_size: float = 0.2,
          seed: int = 0) -> TrainReport:
    """Evaluate on a held-out split, refit on all rows, save to ``out_dir`` (or the default)."""
    texts, labels, skipped = read_acled(csv_path)
    if len(set(labels)) < 2 or len(texts) < 20:
        raise InputError(str(csv_path), f"too little to train on: {len(texts)} usable rows, "
                                        f"{len(set(labels))} sub-event types (need 20 rows, 2 types)")
    try:
        x_tr, y_tr, x_te, y_te = split(texts, labels, test_size=test_size, seed=seed)
    except ValueError as exc:
        raise InputError(str(csv_path), f"too little to train on: {exc}") from exc
    held_out = fit(x_tr, y_tr)
    pred = list(held_out.predict(x_te))
    acc = float(accuracy_score(y_te, pred))
    macro = float(f1_score(y_te, pred, average="macro", labels=sorted(set(y_te)), zero_division=0))
    ev_acc = float(sum(event_type_of(p) == event_type_of(g) for p, g in zip(pred, y_te, strict=True))
                   / max(1, len(y_te)))
    final = fit(texts, labels)
    target = out_dir or model_store.default_dir()
    meta = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": str(csv_path),
        "n_rows": len(texts),
        "n_skipped": skipped,
        "labels": sorted(set(labels)),
        "sklearn_version": sklearn.__version__,
        "python": sys.version.split()[0],
        "held_out": {"n_train": len(x_tr), "n_test": len(x_te), "accuracy": round(acc, 4),
                     "macro_f1": round(macro, 4), "event_type_accuracy": round(ev_acc, 4),
                     "seed": seed, "test_size": test_size},
    }
    model_store.save(model_store.TypingModel(final, meta), target)
    return TrainReport(len(texts), skipped, len(x_tr), len(x_te), tuple(sorted(set(labels))),
                       acc, macro, ev_acc, str(target))
