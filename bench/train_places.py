"""Train the learned place arbiter (sitrep/extract/place_choice.py) and measure what it does.

    .venv/bin/python bench/train_places.py [--dry-run] [--db-dir DIR] [--json]
                                           [--hold-out REGEX]

Runs the pipeline on every training set of ``bench/eval_seeds.py`` (each with its conflict
profile) with a recording arbiter: for every trigger whose place the rules chose (no list
of places), it keeps the candidates of :func:`sitrep.extract.location.place_choices`,
their features and the rules' pick. A trigger whose sentence overlaps a gold event quote
of its article is a training case; each candidate is labelled right when it agrees with
one of those gold events under the evaluation's place rule (what the mention-geocoding
figure counts). An L2 logistic regression (scikit-learn, training time only) scores
every candidate (is it right?). At run time the best-scored candidate
replaces the rules' pick when sigmoid(z_best - z_pick) exceeds 1/2 by the margin.

Choices, on the training sets only, by 5-fold cross-validation GROUPED BY ARTICLE (fixed
seeds): the features kept (seen in at least ``MIN_ARTICLES`` articles), C (of
``C_GRID``) and the margin (of ``MARGINS``): the pair with the highest out-of-fold
geocoding accuracy averaged over the training sets (each set a different kind of text),
mean of 3 fold seeds; margin 0.5 (never overrule) when nothing beats the rules.
``--hold-out`` keeps the articles whose file name matches out of the fit and the choice
and reports the rules and the arbiter on them (the transfer check). news_report and
news_ukraine are never used.
Writes ``sitrep/data/place_model.json`` (``--dry-run``: not).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import linear_training as lt  # noqa: E402  (the trainers' shared fitting and CV)
from eval_seeds import SETS, TRAIN, set_store, trainer_parser, write_model  # noqa: E402

from sitrep.extract import location  # noqa: E402
from sitrep.extract.place_choice import MODEL_PATH, Candidate, PlaceChooser  # noqa: E402
from sitrep.linear_model import LinearModel, frequent_features, vectorise  # noqa: E402
from sitrep.model import Place, Span  # noqa: E402

C_GRID = (0.1, 0.3, 1.0, 3.0)
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5)
MIN_ARTICLES = 5
SEEDS = (0, 1, 2)


@dataclass
class Case:
    """One trigger's candidates: features, labels, the rules' pick, its article."""

    set_name: str
    article: str
    rows: list[dict[str, float]]
    right: list[bool]
    pick: int
    held: bool


class Recorder(PlaceChooser):
    """An arbiter that keeps the rules' pick and records every choice it is offered."""

    def __init__(self) -> None:
        super().__init__(None, 1.0)
        self.seen: list[tuple[Span, list[Place], list[dict[str, float]], int]] = []

    @property
    def active(self) -> bool:
        return True

    def choose(self, rows: Any, pick: int, sentence: Span, candidates: Any) -> int:
        places = [c.ref.place for c in candidates if isinstance(c, Candidate) and c.ref.place is not None]
        self.seen.append((sentence, places, list(rows), pick))
        return pick


def collect(name: str, db_dir: Path, hold: re.Pattern[str] | None) -> list[Case]:
    """Run a set with the recording arbiter and label its candidates against the gold."""
    from sitrep.evaluate.agreement import place_agrees
    from sitrep.evaluate.events import gold_quote_spans
    from sitrep.evaluate.gold import load_gold, map_articles

    recorder = Recorder()
    with mock.patch.object(location, "load_chooser", lambda: recorder), \
            set_store(name, db_dir / f"{name}.duckdb") as store:
        articles = store.get_articles()
        gold = map_articles(load_gold(SETS[name][1]), articles, path=str(SETS[name][1]))
    quotes: dict[str, list[tuple[int, int, Any]]] = {}
    for aid, s, e, g in gold_quote_spans(gold):
        quotes.setdefault(aid, []).append((s, e, g))
    cases = []
    for sentence, places, rows, pick in recorder.seen:
        owner = next((a for a in articles if a.text[sentence.start : sentence.end] == sentence.text
                      and a.id in quotes), None)
        if owner is None:
            continue
        aligned = [g for s, e, g in quotes[owner.id] if s < sentence.end and sentence.start < e]
        if not aligned:
            continue
        right = [any(place_agrees(g, p) for g in aligned) for p in places]
        held = bool(hold and hold.search(Path(owner.source).name))
        cases.append(Case(name, owner.id, rows, right, pick, held))
    return cases


def accuracy(cases: list[Case], scores: list[np.ndarray] | None, margin: float) -> float:
    """Share of cases whose chosen candidate is right (``scores`` None: the rules' pick),
    with the run-time rule of :class:`PlaceChooser`."""
    if not cases:
        return 0.0
    ok = 0
    for k, c in enumerate(cases):
        chosen = c.pick
        if scores is not None:
            z = scores[k]
            best = int(np.argmax(z))
            chosen = best if 1 / (1 + np.exp(-(z[best] - z[c.pick]))) - 0.5 > margin else c.pick
        ok += c.right[chosen]
    return ok / len(cases)


def fit(cases: list[Case], vocab: list[str], C: float) -> np.ndarray:
    """Coefficients of P(candidate right) over every candidate of the cases (the intercept
    cancels in the run-time comparison of a candidate with the pick)."""
    X = vectorise([r for c in cases for r in c.rows], vocab)
    y = np.array([r for c in cases for r in c.right], dtype=int)
    if len(set(y)) < 2:
        return np.zeros(len(vocab))
    coef, _b = lt.fit_logistic(X, y, C)
    return coef


def out_of_fold(cases: list[Case], vocab: list[str], C: float, seed: int) -> list[np.ndarray]:
    """Each case's candidate scores from a model fitted on other articles."""
    y = np.array([c.right[c.pick] for c in cases], dtype=int)
    groups = np.array([c.article for c in cases])
    out: list[np.ndarray] = [np.zeros(len(c.rows)) for c in cases]
    for fit_idx, test_idx in lt.folds(y, groups, seed=seed):
        coef = fit([cases[i] for i in fit_idx], vocab, C)
        for i in test_idx:
            out[i] = vectorise(cases[i].rows, vocab) @ coef
    return out


def by_set_mean(cases: list[Case], scores: list[np.ndarray] | None, margin: float) -> float:
    names = sorted({c.set_name for c in cases})
    return float(np.mean([accuracy([c for c in cases if c.set_name == s],
                                   None if scores is None else [sc for sc, c in zip(scores, cases, strict=True)
                                                                if c.set_name == s], margin)
                          for s in names]))


def train(cases: list[Case]) -> tuple[dict[str, Any], dict[str, Any]]:
    vocab = frequent_features([r for c in cases for r in c.rows],
                              [c.article for c in cases for _ in c.rows], MIN_ARTICLES)
    base = by_set_mean(cases, None, 1.0)
    grid: dict[tuple[float, float], float] = {}
    oof_by_c: dict[float, list[list[np.ndarray]]] = {}
    for C in C_GRID:
        oofs = oof_by_c[C] = [out_of_fold(cases, vocab, C, s) for s in SEEDS]
        for m in MARGINS:
            grid[(C, m)] = float(np.mean([by_set_mean(cases, o, m) for o in oofs]))
    (C, margin), best = max(grid.items(), key=lambda kv: (round(kv[1], 4), kv[0][1], -kv[0][0]))
    if best <= base:
        margin = 0.5  # never overrule the rules
    coef = fit(cases, vocab, C)
    model = LinearModel({f: round(float(w), 6) for f, w in zip(vocab, coef, strict=True) if w != 0.0},
                        0.0, margin, {}, threshold_key="margin")
    oof = oof_by_c[C][0]
    figures = {
        "cases": len(cases), "features": len(vocab), "C": C, "margin": margin,
        "cv_mean_accuracy": {"rules": round(base, 4), "arbiter": round(best, 4)},
        "grid": {f"C={k[0]} margin={k[1]}": round(v, 4) for k, v in grid.items()},
        "per_set_oof": {s: {"rules": round(accuracy([c for c in cases if c.set_name == s], None, 1.0), 4),
                            "arbiter": round(accuracy([c for c in cases if c.set_name == s],
                                                      [o for o, c in zip(oof, cases, strict=True)
                                                       if c.set_name == s], margin), 4),
                            "n": sum(c.set_name == s for c in cases)}
                        for s in sorted({c.set_name for c in cases})},
    }
    return {**model.to_dict(), "meta": {"trainer": "bench/train_places.py", **figures}}, figures


def main(argv: list[str] | None = None) -> int:
    ap = trainer_parser(__doc__)
    ap.add_argument("--hold-out", help="regex of article sources kept out of the fit and reported apart")
    args = ap.parse_args(argv)
    hold = re.compile(args.hold_out) if args.hold_out else None
    db_dir = args.db_dir or Path(tempfile.mkdtemp(prefix="train_places_"))
    db_dir.mkdir(parents=True, exist_ok=True)
    cases = [c for name in TRAIN for c in collect(name, db_dir, hold)]
    (db_dir / "cases.json").write_text(json.dumps([c.__dict__ for c in cases]), encoding="utf-8")
    fit = [c for c in cases if not c.held]
    model, figures = train(fit)
    held = [c for c in cases if c.held]
    if held:
        loaded = LinearModel(model["coef"], model["intercept"], model["margin"], {}, threshold_key="margin")
        scores = [np.array([loaded.score(r) for r in c.rows]) for c in held]
        figures["held_out"] = {"n": len(held), "rules": round(accuracy(held, None, 1.0), 4),
                               "arbiter": round(accuracy(held, scores, model["margin"]), 4)}
    print(json.dumps(figures, indent=1) if args.json else figures)
    if not args.dry_run:
        write_model(MODEL_PATH, model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
