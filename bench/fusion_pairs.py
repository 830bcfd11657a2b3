"""Fusion's pair decisions against gold pairs: would a learned pair model beat the rules?

For every tuning set, the mentions the pipeline stored that align with exactly one gold
event (their sentence overlaps one gold quote) are paired when fusion could weigh them
(same block — country + admin1 —, dates at most two days apart). A pair is positive when
both mentions report the same gold event. The rules' decision is whether fusion put the
two in one event; a logistic model over pair features (date gap, place relation, type
agreement and the learned typing's probabilities, actor overlap, same article or
sentence, recap flags, sentence similarity, shared toll, the article telling
the later report as another occurrence) is scored out of fold with
grouped CV: a group is a set's calendar week of the pair's earlier date, so all reports
of one occurrence (and every article about it) are held out together.

    cd bench && ../.venv/bin/python fusion_pairs.py [--db SET=FILE ...]

Without ``--db`` each set is run into a temporary database first. Prints pair precision /
recall / F1 of the rules and of the out-of-fold model per set and overall.

``--train`` fits the linker's learned same-occurrence model instead
(``sitrep/data/link_model.json``, read by :mod:`sitrep.fuse`): every tuning set's
mentions are fused with the shipped model, recording each decision of the linker (a
report beside a candidate event that passed the gates, ``fuse(trace=...)``); a decision
is labelled when the report's sentence is quoted for exactly one gold event and the
candidate's reports are too: positive when that gold event is the one most of the
candidate's reports are quoted for. A logistic regression over the link features is
scored out of fold (article-grouped: a group is the report's article) and then fitted on
every row. ``--half 0|1`` keeps only the first / second half (by article id) of the
news_extra and ukraine_extra articles' decisions: fit on one half, check on the other
(the leave-articles-out figure). The rows depend on the shipped model's own decisions
(which candidates exist), so a retrain is measured with ``eval_seeds.py`` after it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from eval_seeds import SETS, set_store, write_model
from linear_training import fit_logistic, folds, sigmoid

TUNING = ("seeds", "corpus", "news_train", "news_extra", "ukraine_extra")
#: the sets ``--half`` splits by article (the leave-articles-out check)
HALVED = ("news_extra", "ukraine_extra")
MAX_GAP = 2


def _features(a: Any, b: Any) -> dict[str, float]:
    from rapidfuzz import fuzz

    from sitrep.clusters import days_between, place_relation, span_days, told_apart
    from sitrep.ontology import TERRITORIAL, load_occurrence

    scope = load_occurrence().scope(a.sub_event_type, b.sub_event_type)
    gap = days_between(a.date, b.date)
    rel = place_relation(a.place, b.place) if a.place and b.place else None
    p_ab = [p for p in (a.prob(b.sub_event_type), b.prob(a.sub_event_type)) if p is not None]
    acts_a = {x.id for x in (a.actor1, a.actor2) if x is not None}
    acts_b = {x.id for x in (b.actor1, b.actor2) if x is not None}
    same_sentence = any((x.article_id, x.start) == (y.article_id, y.start)
                        for x in a.evidence for y in b.evidence)
    toll = (a.killed is not None and b.killed is not None and a.killed[0] is not None
            and a.killed[0] == b.killed[0] and a.killed[0] >= 2)
    return {
        "gap0": float(gap == 0), "gap1": float(gap == 1), "gap2": float(gap >= 2),
        "both_day": float(span_days(a.date) == 1 and span_days(b.date) == 1),
        "both_explicit": float(a.explicit_date and b.explicit_date),
        "place_none": float(rel is None), "place_rel": rel or 0.0,
        "same_type": float(a.sub_event_type == b.sub_event_type),
        "scope_any": float(scope == "any"), "scope_article": float(scope == "article"),
        "scope_sentence": float(scope == "sentence"),
        "p_other_type": max(p_ab) if p_ab else 0.0,
        "territorial": float(a.sub_event_type in TERRITORIAL or b.sub_event_type in TERRITORIAL),
        "actor1_same": float(a.actor1 is not None and b.actor1 is not None
                             and a.actor1.id == b.actor1.id),
        "actors_overlap": float(bool(acts_a & acts_b)),
        "actors_disagree": float(bool(acts_a and acts_b and not acts_a & acts_b)),
        "same_article": float(bool(set(a.article_ids) & set(b.article_ids))),
        "same_sentence": float(same_sentence),
        "recap": float(a.recap or b.recap),
        "text": fuzz.token_set_ratio(a.sentence, b.sentence) / 100.0,
        "same_toll": float(toll),
        "told_apart": float(told_apart(a, b)),
    }


def set_pairs(name: str, db: Path, reuse: bool) -> list[tuple[dict[str, float], int, int, str]]:
    """(features, gold label, rules' decision, group) for the set's candidate pairs."""
    from sitrep.clusters import days_between
    from sitrep.evaluate.events import gold_quote_spans
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.event_values import mention_observation
    from sitrep.fuse import block_key, fuse

    with set_store(name, db, reuse) as store:
        mentions = store.get_mentions()
        articles = {a.id: a for a in store.get_articles()}
        events = fuse(mentions, articles).events  # the worktree's rules, full fusion
        gold = map_articles(load_gold(SETS[name][1]), store.get_articles(),
                            path=str(SETS[name][1]))
        spans = gold_quote_spans(gold)
    event_of = {m: e.id for e in events for m in e.mention_ids}
    gold_of = quoted_for(mentions, spans)
    rows = []
    obs: list[tuple[Any, str, str | None]] = []
    for m in mentions:
        o = mention_observation(m, articles)
        if m.id not in gold_of or o is None or o.date is None:
            continue
        obs.append((o, gold_of[m.id], block_key(m)))
    obs.sort(key=lambda x: x[0].date.start)
    for i, (a, ga, ka) in enumerate(obs):
        for b, gb, kb in obs[i + 1:]:
            if (b.date.start - a.date.end).days > MAX_GAP:
                break
            same_article = bool(set(a.article_ids) & set(b.article_ids))
            if ka != kb and not (same_article and (ka is None or kb is None)):
                continue
            if days_between(a.date, b.date) > MAX_GAP:
                continue
            fused = int(event_of.get(a.mention_ids[0]) is not None
                        and event_of.get(a.mention_ids[0]) == event_of.get(b.mention_ids[0]))
            week = a.date.start.isocalendar()
            rows.append((_features(a, b), int(ga == gb), fused, f"{name}:{week[0]}-{week[1]}"))
    return rows


def quoted_for(mentions: Sequence[Any], spans: Sequence[tuple[str, int, int, Any]]
               ) -> dict[str, str]:
    """Mention id -> the gold event its sentence is quoted for, for the mentions whose
    sentence overlaps the quotes of exactly one gold event."""
    by_article: dict[str, list[tuple[int, int, str]]] = {}
    for aid, start, end, g in spans:
        by_article.setdefault(aid, []).append((start, end, str(g.get("id"))))
    out: dict[str, str] = {}
    for m in mentions:
        golds = {gid for s, e, gid in by_article.get(m.article_id, [])
                 if s < m.sentence.end and m.sentence.start < e}
        if len(golds) == 1:
            out[m.id] = golds.pop()
    return out


def link_rows(name: str, db: Path, reuse: bool, half: int | None = None
              ) -> list[tuple[dict[str, float], int, str]]:
    """(features, label, group) of the linker's labelled decisions on one set; with
    ``half``, news_extra and ukraine_extra keep only the decisions of that half of their
    articles (sorted by id)."""
    from collections import Counter

    from sitrep.evaluate.events import gold_quote_spans
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.fuse import LinkDecision, fuse

    with set_store(name, db, reuse) as store:
        mentions = store.get_mentions()
        articles = {a.id: a for a in store.get_articles()}
        gold = map_articles(load_gold(SETS[name][1]), store.get_articles(),
                            path=str(SETS[name][1]))
        spans = gold_quote_spans(gold)
        trace: list[LinkDecision] = []
        fuse(mentions, articles, trace=trace)
    gold_of = quoted_for(mentions, spans)
    article_of = {m.id: m.article_id for m in mentions}
    ordered = sorted(articles)
    kept = set(ordered) if half is None or name not in HALVED \
        else set(ordered[:len(ordered) // 2] if half == 0 else ordered[len(ordered) // 2:])
    rows = []
    for mine, theirs, feats in trace:
        truth = next((gold_of[m] for m in mine if m in gold_of), None)
        votes = Counter(gold_of[m] for m in theirs if m in gold_of)
        article = next((article_of[m] for m in mine if m in article_of), "")
        if truth is None or not votes or article not in kept:
            continue
        rows.append((feats, int(votes.most_common(1)[0][0] == truth), f"{name}:{article}"))
    return rows


def train(rows: Sequence[tuple[dict[str, float], int, str]], C: float, threshold: float,
          dry_run: bool, half: int | None) -> None:
    """Out-of-fold figures of the link model, then the model fitted on every row."""
    from linear_training import out_of_fold
    from sklearn.metrics import roc_auc_score

    from sitrep.fuse import LINK_FEATURES, LINK_MODEL_PATH
    from sitrep.linear_model import LinearModel, load_binary

    names = list(LINK_FEATURES)
    X = np.array([[r[0][k] for k in names] for r in rows])
    y = np.array([r[1] for r in rows])
    groups = np.array([r[2] for r in rows])
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    oof = out_of_fold(Z, y, groups, C)
    print(f"decisions {len(y)}, same occurrence {int(y.sum())}; out-of-fold AUC "
          f"{roc_auc_score(y, oof):.3f} (article-grouped, 5 folds)")
    shipped = load_binary(LINK_MODEL_PATH, "fusion_pairs.py --train", known=LINK_FEATURES)
    now = np.array([shipped.predict(r[0]) for r in rows])
    keep = now >= shipped.threshold
    print(f"  the shipped model: AUC {roc_auc_score(y, now):.3f}, at its threshold "
          f"{shipped.threshold}: links kept {int(y[keep].sum())}/{int(y.sum())} right, "
          f"{int((1 - y[keep]).sum())}/{int((1 - y).sum())} wrong")
    for th in (0.3, 0.4, 0.5, 0.6, 0.7):
        keep = oof >= th
        print(f"  threshold {th}: links kept {int(y[keep].sum())}/{int(y.sum())} right, "
              f"{int((1 - y[keep]).sum())}/{int((1 - y).sum())} wrong")
    coef, b = fit_logistic(Z, y, C)
    print("coefficients (standardised):", ", ".join(
        f"{k} {c:+.2f}" for k, c in sorted(zip(names, coef, strict=True), key=lambda kc: -abs(kc[1]))))
    model = LinearModel(dict(zip(names, map(float, coef), strict=True)), float(b[0]), threshold,
                        {"trainer": "bench/fusion_pairs.py --train", "C": C, "rows": len(y),
                         "positive": int(y.sum()), "sets": list(TUNING), "half": half,
                         "oof_auc": round(float(roc_auc_score(y, oof)), 4)},
                        tuple(names), tuple(map(float, mu)), tuple(map(float, sd)))
    if not dry_run:
        write_model(LINK_MODEL_PATH, model.to_dict())


def prf(pred: Sequence[int], y: Sequence[int]) -> tuple[float, float, float]:
    tp = sum(1 for p, t in zip(pred, y, strict=True) if p and t)
    p = tp / max(1, sum(pred))
    r = tp / max(1, sum(y))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", default=[], help="SET=FILE: score this database")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--train", action="store_true",
                    help="fit the linker's model (sitrep/data/link_model.json)")
    ap.add_argument("--threshold", type=float, default=0.5, help="--train: link threshold")
    ap.add_argument("--half", type=int, choices=(0, 1),
                    help="--train: only this half of the news_extra / ukraine_extra articles")
    ap.add_argument("--dry-run", action="store_true", help="--train: do not write the model")
    args = ap.parse_args(argv)
    given: Mapping[str, str] = dict(x.split("=", 1) for x in args.db)
    if args.train:
        link: list[tuple[dict[str, float], int, str]] = []
        with tempfile.TemporaryDirectory() as tmp:
            for name in TUNING:
                db = Path(given[name]) if name in given else Path(tmp) / f"{name}.duckdb"
                link += link_rows(name, db, name in given, args.half)
        train(link, args.C, args.threshold, args.dry_run, args.half)
        return 0
    rows: list[tuple[dict[str, float], int, int, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in TUNING:
            db = Path(given[name]) if name in given else Path(tmp) / f"{name}.duckdb"
            rows += set_pairs(name, db, reuse=name in given)
    names = sorted(rows[0][0])
    X = np.array([[r[0][k] for k in names] for r in rows])
    y = np.array([r[1] for r in rows])
    rules = np.array([r[2] for r in rows])
    groups = np.array([r[3] for r in rows])
    oof = np.zeros(len(y))
    for fit, test in folds(y, groups, 5):
        mu, sd = X[fit].mean(0), X[fit].std(0) + 1e-9
        coef, icpt = fit_logistic((X[fit] - mu) / sd, y[fit], args.C)
        oof[test] = sigmoid((X[test] - mu) / sd @ coef + icpt[0])
    model = (oof >= 0.5).astype(int)
    print(f"pairs {len(y)} positive {int(y.sum())}  (grouped CV by set-week, 5 folds)")
    print("| set | pairs | positive | rules P / R / F1 | model P / R / F1 |")
    print("|---|---|---|---|---|")
    for name in (*TUNING, "all"):
        idx = np.array([name == "all" or g.startswith(name + ":") for g in groups])
        if not idx.any():
            continue
        rp, rr, rf = prf(rules[idx].tolist(), y[idx].tolist())
        mp, mr, mf = prf(model[idx].tolist(), y[idx].tolist())
        print(f"| {name} | {int(idx.sum())} | {int(y[idx].sum())} | {rp:.3f} / {rr:.3f} / {rf:.3f}"
              f" | {mp:.3f} / {mr:.3f} / {mf:.3f} |")
    mu, sd = X.mean(0), X.std(0) + 1e-9
    coef, _ = fit_logistic((X - mu) / sd, y, args.C)
    print("coefficients (standardised, all rows):",
          ", ".join(f"{k} {c:+.2f}" for k, c in sorted(zip(names, coef, strict=True),
                                                          key=lambda kc: -abs(kc[1]))))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
