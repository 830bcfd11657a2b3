"""Train the calibrated event confidence (sitrep/confidence.py) and report its calibration.

    .venv/bin/python bench/train_confidence.py [--dry-run] [--db-dir DIR] [--json]

One deterministic command (about a minute on two cores): runs the pipeline on every data
set of ``bench/eval_seeds.py`` (each with its conflict profile) into temporary databases,
labels each scored predicted event with whether it matches a gold event (one-to-one,
LENIENT match: the occurrence at its place and day with the type family right — what a
user filtering by confidence needs to trust; the sub-event type is a separate question),
and fits a standardised L2 logistic regression over
:func:`sitrep.confidence.event_features`.

Training sets: seeds + demo corpus + news_train always (they are in the repository or in
``../shared``, so CI can retrain), plus the team-annotated tuning sets ``news_extra``
(``../news_extra``) and ``ukraine_extra`` (``../ukraine_extra``) WHEN PRESENT. The model
file's ``meta.trained_on`` records which sets (and how many events and articles of each)
the shipped model was fitted on, so a retrain without them is visible. news_report and
news_ukraine are never used to fit or choose anything: they are only measured.

Choices, all made on the training sets only:
- the regularisation C (of ``C_GRID``): lowest log loss under 5-fold cross-validation
  GROUPED BY ARTICLE (articles sharing an event form one group: no fold fits on part of
  an article's events and scores the rest), averaged over 5 fixed fold seeds;
- the default ``--min-confidence``: the largest 0.05 step keeping >= 90 % of the correct
  training events (out-of-fold): it hides the events most likely to be wrong while losing
  few right ones. The precision / recall trade at nearby thresholds is printed and stored.

Printed per set: the expected calibration error (ECE, :func:`sitrep.evaluate.events.
calibration`: 10 equal-width bins, sum of bin share x |share correct - mean confidence|)
of the old noisy-or score and of the model — in-sample, grouped-CV (out-of-fold), and
leave-one-set-out (fitted on the other training sets: what a new, unseen set gets) for
the training sets; held-out for the measured sets — and the ECE a PERFECTLY calibrated
model would still show on a set that size (the sampling floor, mean and 95th percentile:
with ~60 events in ten bins the mean is about 0.10-0.13, so one set's ECE near it says
little either way; the pooled out-of-fold ECE over all training events is the steadier
figure).
Writes ``sitrep/data/confidence_model.json`` (``--dry-run``: not).

Retrain after any change to extraction or fusion (the features' distribution moves), and
after retraining the learned mention filter (bench/train_reportable.py): the sets run with
the shipped filter, so the events fitted on are the ones the pipeline keeps.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import linear_training as lt  # noqa: E402  (the trainers' shared fitting and CV)
import typing_folds  # noqa: E402  (the training sets run with out-of-fold typing)
from eval_seeds import MEASURED, SETS, TRAIN, set_store, trainer_parser, write_model  # noqa: E402  (one definition of the sets)

from sitrep import confidence  # noqa: E402
from sitrep.confidence import (  # noqa: E402
    FEATURES,
    MODEL_PATH,
    THRESHOLD_KEY,
    ConfidenceModel,
    confidence_of,
    event_features,
    noisy_or,
)
from sitrep.evaluate.events import calibration  # noqa: E402
from sitrep.model import Event, Mention  # noqa: E402

#: candidate regularisations (sklearn's C: smaller = stronger); the one with the lowest
#: grouped cross-validated log loss on the training sets is used
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
#: the share of correct (train, out-of-fold) events the default threshold keeps
KEEP_CORRECT = 0.90
FOLDS = 5
FOLD_SEEDS = range(5)
#: the thresholds whose precision / recall trade is printed and stored in the model meta
TRADE = (0.3, 0.4, 0.5, 0.6, 0.7)
#: the set the extraction rules are tuned on event by event (common.md: read its errors
#: before and after each change): its labels are in-sample for the extractor, so its
#: precision overstates what unseen text gets. Its events weigh one of TUNED_WEIGHTS in
#: the fit, the one under which the model transfers best to the other, held-out sets.
TUNED = "news_train"
TUNED_WEIGHTS = (1.0, 0.5, 0.25)


@dataclass
class Rows:
    """One data set's scored predicted events: features, labels, old scores, and the
    article group of each event (articles joined by a shared event: one CV group)."""

    name: str
    X: np.ndarray
    lenient: np.ndarray
    strict: np.ndarray
    old: np.ndarray
    groups: np.ndarray
    events: list[Event] = field(default_factory=list, repr=False)
    mentions: dict[str, Mention] = field(default_factory=dict, repr=False)


def article_groups(name: str, events: list[Event]) -> np.ndarray:
    """One group label per event: the connected component of its articles (two articles
    sharing an event are one group), so a cross-validation fold never holds part of an
    article's events while fitting on the rest of them."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in events:
        arts = sorted(e.article_ids) or [e.id]
        for a in arts[1:]:
            parent[find(a)] = find(arts[0])
    return np.array([f"{name}:{find(sorted(e.article_ids)[0] if e.article_ids else e.id)}"
                     for e in events])


def collect(name: str, db_dir: Path, in_sample_typing: bool = False) -> Rows:
    """Run the pipeline on one set (with its conflict profile) and label its scored
    events against the gold; an existing database in ``db_dir`` is reused. A training
    set's articles are typed out-of-fold (bench/typing_folds.py) unless
    ``in_sample_typing``."""
    from sitrep.evaluate.events import match, scored_events
    from sitrep.evaluate.gold import load_gold, map_articles

    gold_path = SETS[name][1]
    db = db_dir / f"{name}.duckdb"
    with typing_folds.typing_for(name, in_sample_typing), set_store(name, db, reuse=db.exists()) as store:
        gold = map_articles(load_gold(gold_path), store.get_articles(), path=str(gold_path))
        mentions = {m.id: m for m in store.get_mentions()}
        events = store.get_events()
    preds = scored_events(gold, events, {m.id: m.article_id for m in mentions.values()})
    golds = [g for g in gold.section("events") if gold.in_store(g)]
    lenient = set(match(golds, preds, lenient=True).values())
    strict = set(match(golds, preds, lenient=False).values())
    X = np.array([[event_features(e, mentions)[f] for f in FEATURES] for e in preds])
    old = np.array([noisy_or(mentions[m] for m in e.mention_ids if m in mentions)
                    for e in preds])
    return Rows(name, X.reshape(len(preds), len(FEATURES)),
                np.array([j in lenient for j in range(len(preds))], dtype=bool),
                np.array([j in strict for j in range(len(preds))], dtype=bool), old,
                article_groups(name, preds), preds, mentions)


def fit(X: np.ndarray, y: np.ndarray, C: float, w: np.ndarray | None = None) -> ConfidenceModel:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    coef, b = lt.fit_logistic((X - mean) / scale, y, C, w)
    return ConfidenceModel(dict(zip(FEATURES, (round(float(x), 6) for x in coef), strict=True)),
                           round(float(b[0]), 6), 0.0, {}, FEATURES,
                           tuple(round(float(x), 6) for x in mean),
                           tuple(round(float(x), 6) for x in scale), THRESHOLD_KEY)


def predict(model: ConfidenceModel, X: np.ndarray) -> np.ndarray:
    return np.array([confidence_of(model, dict(zip(FEATURES, row, strict=True))) for row in X])


def cross_validated(X: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray,
                    C: float, seed: int = 0) -> np.ndarray:
    """Out-of-fold predictions (:func:`folds`)."""
    out = np.zeros(len(y))
    for fit_idx, test_idx in folds(y, groups, seed):
        out[test_idx] = predict(fit(X[fit_idx], y[fit_idx], C, w[fit_idx]), X[test_idx])
    return out


def folds(y: np.ndarray, groups: np.ndarray, seed: int
          ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, test) index pairs of FOLDS folds (:func:`linear_training.folds`)."""
    return lt.folds(y, groups, FOLDS, seed)


def choose_c(X: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray
             ) -> tuple[float, dict[float, float]]:
    """The C of C_GRID with the lowest grouped-CV log loss, averaged over the fold seeds."""
    losses = {c: round(float(np.mean([lt.log_loss(cross_validated(X, y, w, groups, c, s), y)
                                      for s in FOLD_SEEDS])), 4) for c in C_GRID}
    return min(C_GRID, key=lambda c: (losses[c], c)), losses


def threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The largest 0.05-step threshold keeping ≥ KEEP_CORRECT of the correct events."""
    best = 0.0
    for t in np.arange(0.05, 1.0, 0.05):
        if (p[y] >= t).mean() >= KEEP_CORRECT:
            best = round(float(t), 2)
    return best


def precision_at(p: np.ndarray, y: np.ndarray, t: float) -> dict[str, Any]:
    """What hiding the events under ``t`` does: events kept, their precision, and the
    share of the correct events kept (recall relative to showing everything)."""
    kept = p >= t
    return {"threshold": t, "kept": int(kept.sum()), "of": len(p),
            "precision": round(float(y[kept].mean()), 3) if kept.any() else 0.0,
            "correct_kept": round(float((p[y] >= t).mean()), 3) if y.any() else 0.0}


def ece(p: np.ndarray, y: np.ndarray) -> float:
    return float(calibration(list(map(float, p)), list(map(bool, y)))["ece"])


def ece_floor(p: np.ndarray, reps: int = 400, seed: int = 0) -> tuple[float, float]:
    """The mean and the 95th percentile of the ECE a perfectly calibrated model with
    scores ``p`` shows on a set this size (labels drawn as Bernoulli(p)): the sampling
    noise any model's ECE stands on. An ECE under the percentile is consistent with
    perfect calibration."""
    rng = np.random.default_rng(seed)
    values = [ece(p, rng.random(len(p)) < p) for _ in range(reps)]
    return round(float(np.mean(values)), 3), round(float(np.quantile(values, 0.95)), 3)


def table(title: str, p: np.ndarray, y: np.ndarray) -> str:
    cal = calibration(list(map(float, p)), list(map(bool, y)))
    lines = [f"{title}: ECE {cal['ece']:.3f} over {cal['n']} events",
             "  bin       n   mean conf   share correct"]
    lines += [f"  {b['bin']}  {b['n']:3d}   {b['confidence']:.3f}       {b['correct']:.3f}"
              for b in cal["bins"]]
    return "\n".join(lines)


def weights(rows: list[Rows], tuned_weight: float) -> np.ndarray:
    """One training weight per event: 1, or ``tuned_weight`` in the set the rules are
    tuned on event by event (TUNED: its labels are in-sample for the extractor)."""
    return np.concatenate([np.full(len(r.lenient), tuned_weight if r.name == TUNED else 1.0)
                           for r in rows])


def leave_one_set_out(rows: list[Rows], C: float, tuned_weight: float
                      ) -> dict[str, np.ndarray]:
    """Each training set scored by a model fitted on the other training sets."""
    out = {}
    for r in rows:
        rest = [o for o in rows if o.name != r.name]
        model = fit(np.vstack([o.X for o in rest]), np.concatenate([o.lenient for o in rest]),
                    C, weights(rest, tuned_weight))
        out[r.name] = predict(model, r.X)
    return out


def choose_tuned_weight(rows: list[Rows], C: float) -> tuple[float, dict[float, float]]:
    """The weight of TUNED (of TUNED_WEIGHTS) under which a model fitted on the other sets
    best predicts each held-out set other than TUNED (mean log loss): how well it
    transfers to a set whose labels the rules were not tuned on."""
    others = [r.name for r in rows if r.name != TUNED]
    losses = {}
    for tw in TUNED_WEIGHTS:
        loso = leave_one_set_out(rows, C, tw)
        losses[tw] = round(float(np.mean([lt.log_loss(loso[n], data_of(rows, n).lenient)
                                          for n in others])), 4)
    return min(TUNED_WEIGHTS, key=lambda tw: (losses[tw], -tw)), losses


def data_of(rows: list[Rows], name: str) -> Rows:
    return next(r for r in rows if r.name == name)


def train(data: dict[str, Rows]) -> tuple[ConfidenceModel, dict[str, Any]]:
    """Fit on the TRAIN sets of ``data`` (those with scored events); the shipped model
    and every figure."""
    rows = [data[n] for n in TRAIN if len(data[n].lenient)]
    names = [r.name for r in rows]
    X = np.vstack([r.X for r in rows])
    y = np.concatenate([r.lenient for r in rows])
    groups = np.concatenate([r.groups for r in rows])
    C, losses = choose_c(X, y, np.ones(len(y)), groups)
    tw, tw_losses = choose_tuned_weight(rows, C)
    w = weights(rows, tw)
    C, losses = choose_c(X, y, w, groups)
    model = fit(X, y, C, w)
    oof = cross_validated(X, y, w, groups, C)
    bounds = np.cumsum([0] + [len(r.lenient) for r in rows])
    cv = {r.name: oof[bounds[i]:bounds[i + 1]] for i, r in enumerate(rows)}
    loso = leave_one_set_out(rows, C, tw)
    t = threshold(oof, y)
    figures: dict[str, Any] = {
        "label": "lenient one-to-one match", "threshold": t, "C": C,
        "cv_log_loss": losses, "tuned_weight": tw, "tuned_weight_loso_log_loss": tw_losses,
        "train_cv_ece": round(ece(oof, y), 4),
        "trade_cv": [precision_at(oof, y, x) for x in sorted({*TRADE, t})], "sets": {}}
    for name, r in data.items():
        if not len(r.lenient):
            continue
        p = predict(model, r.X)
        entry: dict[str, Any] = {
            "events": len(r.lenient), "correct": int(r.lenient.sum()),
            "articles": len({a for e in r.events for a in e.article_ids}),
            "ece_noisy_or": round(ece(r.old, r.lenient), 4),
            "ece_floor": ece_floor(p), "at_threshold": precision_at(p, r.lenient, t)}
        if name in names:
            entry.update({"ece_in_sample": round(ece(p, r.lenient), 4),
                          "ece_cross_validated": round(ece(cv[name], r.lenient), 4),
                          "ece_leave_set_out": round(ece(loso[name], r.lenient), 4)})
        else:
            entry["ece"] = round(ece(p, r.lenient), 4)
        figures["sets"][name] = entry
    meta = {
        "trained_on": names,
        "sets": {n: {k: figures["sets"][n][k] for k in ("events", "correct", "articles")}
                 for n in names},
        "label": figures["label"], "C": C, "tuned_weight": {TUNED: tw},
        "cv": f"{FOLDS}-fold, stratified, grouped by article, seeds {list(FOLD_SEEDS)}",
        "events": int(len(y)), "correct": int(y.sum()),
        "threshold_rule": f"largest 0.05 step keeping >= {KEEP_CORRECT:.0%} of the correct "
                          "train events (out-of-fold)",
        "trade_cv": figures["trade_cv"],
        "ece": {n: e.get("ece_cross_validated", e.get("ece"))
                for n, e in figures["sets"].items()},
        "command": ".venv/bin/python bench/train_confidence.py",
    }
    return replace(model, threshold=t, meta=meta), figures


def render(model: ConfidenceModel, data: dict[str, Rows], figures: dict[str, Any]) -> str:
    out = [f"label: {figures['label']}; trained on {', '.join(model.meta['trained_on'])} "
           f"({model.meta['events']} events, {model.meta['correct']} correct); "
           f"{', '.join(n for n in MEASURED if n in data)} only measured",
           f"{TUNED} weight {figures['tuned_weight']} (leave-one-set-out log loss of the "
           f"other sets by weight: {figures['tuned_weight_loso_log_loss']})",
           f"C = {figures['C']} (grouped-CV log loss by C: {figures['cv_log_loss']})",
           f"{'set':14} {'events':>6} {'noisy-or':>9} {'in-sample':>10} {'CV':>6} "
           f"{'leave-set-out':>14} {'held-out':>9} {'floor (95%)':>13}   (ECE)"]
    for name, e in figures["sets"].items():
        def cell(key: str, width: int, e: dict[str, Any] = e) -> str:
            return f"{e[key]:{width}.3f}" if key in e else f"{'—':>{width}}"
        out.append(f"{name:14} {e['events']:6d} {e['ece_noisy_or']:9.3f} "
                   f"{cell('ece_in_sample', 10)} {cell('ece_cross_validated', 6)} "
                   f"{cell('ece_leave_set_out', 14)} {cell('ece', 9)} "
                   f"{e['ece_floor'][0]:6.3f} ({e['ece_floor'][1]:.3f})")
    out.append(f"train (all, out-of-fold) ECE {figures['train_cv_ece']:.3f}")
    for name in MEASURED:
        if name in data:
            out.append(table(f"{name} reliability (measured only)",
                             predict(model, data[name].X), data[name].lenient))
    out.append(f"default --min-confidence {model.threshold} "
               f"({model.meta['threshold_rule']}); trade on train, out-of-fold:")
    for a in figures["trade_cv"]:
        out.append(f"  >= {a['threshold']:.2f}: keeps {a['kept']}/{a['of']} events, precision "
                   f"{a['precision']:.3f}, correct events kept {a['correct_kept']:.3f}")
    for name, e in figures["sets"].items():
        a = e["at_threshold"]
        out.append(f"  {name:14} at the default keeps {a['kept']}/{a['of']} events, precision "
                   f"{a['precision']:.3f}, correct events kept {a['correct_kept']:.3f}")
    out += [f"  coef {f:22} {w:+.3f}" for f, w in
            sorted(model.weights.items(), key=lambda x: -abs(x[1]))]
    return "\n".join(out)


def available(names: tuple[str, ...]) -> tuple[str, ...]:
    """The sets whose gold is on this machine (the measured sets need ../shared)."""
    return tuple(n for n in names if SETS[n][1].is_file())


@contextlib.contextmanager
def runnable_model() -> Iterator[None]:
    """The pipeline calibrates the events it stores with the shipped model; after a change
    of FEATURES that file no longer loads, so the sets run with a neutral model of the
    current features instead (the stored confidences are not used here: the features are
    recomputed from the events and their mentions)."""
    try:
        confidence.load_model()
        yield
    except ValueError:
        neutral = ConfidenceModel({}, 0.0, confidence.DEFAULT_MIN_CONFIDENCE, {}, FEATURES,
                                  threshold_key=THRESHOLD_KEY)
        with mock.patch.object(confidence, "load_model", lambda *_a, **_k: neutral):
            yield


def main(argv: list[str] | None = None) -> int:
    ap = trainer_parser(__doc__)
    typing_folds.add_option(ap)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, runnable_model():
        db_dir = args.db_dir or Path(tmp)
        db_dir.mkdir(parents=True, exist_ok=True)
        data = {name: collect(name, db_dir, args.in_sample_typing) for name in TRAIN + available(MEASURED)}
    model, figures = train(data)
    print(json.dumps(figures, indent=1) if args.json else render(model, data, figures))
    if not args.dry_run:
        write_model(MODEL_PATH, model.to_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main())
