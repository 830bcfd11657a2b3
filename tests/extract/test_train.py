"""``train`` on a slice of the ACLED dev file, pick-up through SITREP_MODEL_DIR, and the
gate on the shipped lexicon's event-type accuracy over a fixed 1,000-note sample."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.extract import model_store
from sitrep.extract.train import read_acled, split, train
from sitrep.extract.trigger_lexicon import event_type_of
from sitrep.extract.typing import classify, classify_many

ROOT = Path(__file__).resolve().parents[2]
DEV_CSV = (ROOT / ".." / "shared" / "dev" / "acled_2020_nonafg.csv").resolve()
FLOOR = Path(__file__).with_name("typing_floor.json")

needs_dev = pytest.mark.skipif(not DEV_CSV.exists(), reason="../shared/dev is absent")


def dev_slice(tmp_path: Path, n: int, step: int = 7) -> Path:
    """Every ``step``-th row of the dev CSV (spread over countries and types), n rows."""
    with DEV_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for i, r in enumerate(reader) if i % step == 0][:n]
        fields = reader.fieldnames or []
    out = tmp_path / "slice.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return out


def fixed_sample() -> tuple[list[str], list[str]]:
    texts, labels, _ = read_acled(DEV_CSV)
    idx = sorted(random.Random(20200509).sample(range(len(texts)), 1000))
    return [texts[i] for i in idx], [labels[i] for i in idx]


@needs_dev
def test_train_saves_a_model_that_classify_picks_up(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = dev_slice(tmp_path, 600)
    model_dir = tmp_path / "models"
    report = train(data, out_dir=model_dir, seed=1)
    assert report.n_rows == 600 and report.n_train + report.n_test == 600
    assert 0.5 <= report.accuracy <= 1.0 and 0.0 < report.macro_f1 <= 1.0
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["n_rows"] == 600 and "Armed clash" in meta["labels"] and meta["sklearn_version"]
    assert meta["held_out"]["accuracy"] == round(report.accuracy, 4)

    monkeypatch.setenv("SITREP_MODEL_DIR", str(model_dir))
    model = model_store.load_default()
    assert model is not None and "Peaceful protest" in model.labels
    text = "On 4 May 2020, around 50 nurses protested outside the hospital demanding protective equipment."
    assert classify(text).label == "Peaceful protest"
    # with the model, a non-event still comes out null: the model alone is not confident
    assert classify("The weather was pleasant and the markets were busy.").label is None


def test_split_is_stratified_and_keeps_singletons_in_training() -> None:
    texts = [f"t{i}" for i in range(41)]
    labels = ["a"] * 20 + ["b"] * 20 + ["c"]
    x_tr, y_tr, x_te, y_te = split(texts, labels, test_size=0.25, seed=0)
    assert "c" in y_tr and "c" not in y_te
    assert y_te.count("a") == y_te.count("b") == 5
    assert sorted(x_tr + x_te) == sorted(texts)


def test_train_rejects_a_file_without_acled_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,Armed clash\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column"):
        train(bad, out_dir=tmp_path / "m")
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("notes,sub_event_type\nclashes,Armed clash\n", encoding="utf-8")
    with pytest.raises(InputError, match="too little"):
        train(tiny, out_dir=tmp_path / "m")


@needs_dev
def test_gate_default_lexicon_event_type_accuracy(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped default (no trained model) must not fall below the pinned floor."""
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path / "no-model"))
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    texts, labels = fixed_sample()
    pred = [c.event_type for c in classify_many(texts)]
    acc = sum(p == event_type_of(g) for p, g in zip(pred, labels, strict=True)) / len(labels)
    assert acc >= floor["event_type_accuracy"], f"event-type accuracy {acc:.4f} below the floor"
