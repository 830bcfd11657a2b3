"""The training side of :mod:`sitrep.linear_model`, shared by the model trainers
(bench/train_reportable.py, bench/train_confidence.py, a typing trainer): scikit-learn at
training time only; the fitted coefficients go into a ``LinearModel`` / ``SoftmaxModel``.

    folds(y, groups, n_folds, seed)      article-grouped, label-stratified CV splits
    fit_logistic(X, y, C, weight)        L2 logistic regression: (coef, intercept)
    out_of_fold(X, y, groups, C, ...)    every row scored by a model not fitted on its group
    log_loss(p, y)                       mean binary log loss (p clipped to [0.001, 0.999])
"""

from __future__ import annotations

import numpy as np


def folds(y: np.ndarray, groups: np.ndarray, n_folds: int = 5, seed: int = 0
          ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, test) index pairs, stratified by label and grouped (an article's rows are
    all on one side), shuffled with a fixed seed: deterministic."""
    from sklearn.model_selection import StratifiedGroupKFold

    split = StratifiedGroupKFold(n_folds, shuffle=True, random_state=seed)
    return list(split.split(np.zeros((len(y), 1)), y, groups))


def fit_logistic(X: np.ndarray, y: np.ndarray, C: float, weight: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """An L2 logistic regression (``C``: sklearn's inverse strength): binary ``y`` gives a
    coefficient vector and a 1-element intercept; class labels give one row and one
    intercept per class of ``np.unique(y)`` (multinomial)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit(X, y, sample_weight=weight)
    if len(lr.classes_) == 2:
        return lr.coef_[0], lr.intercept_
    return lr.coef_, lr.intercept_


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def out_of_fold(X: np.ndarray, y: np.ndarray, groups: np.ndarray, C: float,
                n_folds: int = 5, seed: int = 0, weight: np.ndarray | None = None
                ) -> np.ndarray:
    """Binary: each row's probability from the model fitted on the other folds."""
    out = np.zeros(len(y))
    for fit_idx, test_idx in folds(y, groups, n_folds, seed):
        coef, b = fit_logistic(X[fit_idx], y[fit_idx], C,
                               None if weight is None else weight[fit_idx])
        out[test_idx] = sigmoid(X[test_idx] @ coef + b[0])
    return out


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, 1e-3, 1 - 1e-3)
    return float(-np.mean(np.where(y, np.log(q), np.log(1 - q))))
