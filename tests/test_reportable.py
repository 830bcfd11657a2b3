"""The learned mention filter (sitrep/reportable.py) and its trainer
(bench/train_reportable.py): on realistic sentences it keeps reports of occurrences and
drops threats, plans and talks; the pipeline applies it; the shipped model file holds only
generic features and is what the trainer fits."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sitrep import reportable
from sitrep.model import Article, stable_id
from sitrep.reportable import MODEL_PATH, ReportableModel, keep_reportable, load_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import train_reportable as tr  # noqa: E402  (a bench script, not a package module)

#: team-written sentences in the style of the wire reports: each a real occurrence
REPORTS = [
    "Taliban fighters attacked a police checkpoint in Ghazni city on Monday, killing four "
    "policemen, the provincial governor said.",
    "A roadside bomb exploded in Lashkar Gah on Sunday, killing two civilians and wounding "
    "five others.",
    "Taliban fighters captured the district centre of Khanabad in Kunduz province on Sunday "
    "after heavy fighting.",
]
#: ... and each only looks like one: a threat, a plan, scheduled talks
LOOKALIKES = [
    "The Taliban warned that they would attack Ghazni city if government forces did not "
    "surrender.",
    "Officials said they planned to launch an operation to retake the district of Dand in "
    "the coming days.",
    "Talks between the Taliban and government negotiators will resume in Doha next week.",
]


def _article(text: str) -> Article:
    return Article(id=stable_id(text), text=text, source="test", published=dt.date(2021, 7, 20),
                   language="en")


def _sentences(mentions: list[Any]) -> set[str]:
    return {m.sentence.text for m in mentions}


def test_the_filter_keeps_reports_and_drops_lookalikes(nlp: Any) -> None:
    from sitrep.extract import extract_mentions

    text = " ".join(s for pair in zip(REPORTS, LOOKALIKES, strict=True) for s in pair)
    article = _article(text)
    doc = nlp(text)
    proposed = extract_mentions(article, doc)
    assert set(LOOKALIKES) <= _sentences(proposed)  # the rules alone take them all
    kept = keep_reportable(proposed, article, doc)
    assert _sentences(kept) == set(REPORTS)
    # an inert model (threshold 0) keeps everything, in order
    inert = ReportableModel(load_model().weights, load_model().intercept, 0.0, {})
    assert keep_reportable(proposed, article, doc, inert) == proposed


def test_an_unjudged_type_passes_whatever_it_scores(nlp: Any) -> None:
    """The shipped file leaves Arrests unjudged, with the trainer's reason; an arrest the
    weights alone would drop ('Taliban arrest 9 IS suspects in Kunduz', a headline) is
    kept, and a model without that key drops it."""
    from sitrep.extract import extract_mentions

    model = load_model()
    assert model.meta["unjudged_types"] == tr.UNJUDGED and "Arrests" in tr.UNJUDGED
    text = "Taliban arrest 9 IS suspects in Kunduz city as threat grows"
    article, doc = _article(text), nlp(text)
    arrests = [m for m in extract_mentions(article, doc) if m.sub_event_type == "Arrests"]
    assert arrests
    scores = [model.predict(f) for f in reportable.mention_features(arrests, article, doc)]
    assert max(scores) < model.threshold  # what the weights say
    assert keep_reportable(arrests, article, doc) == arrests
    judged = ReportableModel(model.weights, model.intercept, model.threshold, {})
    assert keep_reportable(arrests, article, doc, judged) == []


def test_the_pipeline_stores_only_what_the_filter_keeps() -> None:
    from sitrep.pipeline import analyse

    text = " ".join([*REPORTS, *LOOKALIKES])
    [(_article_out, mentions, _claims)] = list(analyse([_article(text)]))
    assert mentions and _sentences(mentions) <= set(REPORTS)


def test_a_broken_model_file_raises(tmp_path: Path) -> None:
    good = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    for broken in ({**good, "threshold": 1.5}, {k: v for k, v in good.items() if k != "coef"},
                   {**good, "coef": [1, 2]}):
        path = tmp_path / "m.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ValueError, match="train_reportable"):
            reportable.load_model.__wrapped__(path)


#: the feature families of sitrep.reportable (anything else in the file is a leak)
_FAMILIES = re.compile(r"^(w=[a-z]+|trigger=[a-z]+|(type|sub)=[A-Za-z/ -]+|modality=[a-z]+"
                       r"|date(_prec|_lag)?=[a-z_]+|place=[a-z_]+|tag=[A-Z$]+|dep=[a-zA-Z]+"
                       r"|aux=[a-z]+|clause=[a-z]+|neg|score|recap|attributed|actor[12]"
                       r"|quantities|killed|shared_sentence|position|lead|places|length"
                       r"|no_final_stop|sentence_quote|trigger_in_quote"
                       r"|verb_tag=[A-Za-z]+|det=(definite|indefinite)|counted"
                       r"|sentence=(first|2-3|4-6|later)|article_mentions|same_type"
                       r"|first_of_type|question|past_year|toll=(none|1-9|10-99|100\+))$")


def test_the_shipped_model_holds_generic_features_only() -> None:
    model = load_model()
    assert model.weights and all(_FAMILIES.match(k) for k in model.weights), \
        [k for k in model.weights if not _FAMILIES.match(k)]
    meta = model.meta
    assert "news_report" not in meta["trained_on"] and "news_ukraine" not in meta["trained_on"]
    # the threshold is the trainer's rule applied to the CV figures it recorded: the least
    # filtering within one paired standard error of the best pooled score (a file fitted
    # before that rule records the per-set mean curve its threshold was chosen on)
    if "threshold_choice" not in meta:
        curve = {float(t): f for t, f in meta["cv_mean_strict_f1"].items()}
        smooth = tr.smoothed(curve)
        best = max(curve, key=lambda t: (smooth[t], -t))
        assert model.threshold == (best if smooth[best] > smooth[0.0] else 0.0)
        return
    choice = meta["threshold_choice"]
    score = {float(t): f for t, f in choice["score"].items()}
    se = {float(t): f for t, f in choice["paired_se"].items()}
    best = max(score, key=lambda t: (score[t], -t))
    assert best == choice["best"]
    assert model.threshold == min(t for t in score if score[best] - score[t] <= se[t])


def test_the_threshold_rule_takes_the_least_filtering_within_one_standard_error() -> None:
    """A threshold no clearly better than a lower one (fold noise) is not taken; a gain
    seen in every fold is, even when the folds differ far more in how hard they are."""
    hard = np.array([0.45, 0.60, 0.75, 0.50, 0.70] * 2)  # each fold's articles (shared)

    def curve(*rows: tuple[float, list[float]]) -> dict[float, np.ndarray]:
        return {t: hard + gain + np.array(noise * 2) for t, (gain, noise) in
                zip((0.0, 0.3, 0.5), rows, strict=True)}

    flat = curve((0.0, [0] * 5), (0.0, [0.01, -0.01, 0.005, -0.004, 0.003]),
                 (0.0, [0.012, -0.006, 0.0, 0.004, -0.002]))
    assert tr.one_se_threshold(flat)[0] == 0.0
    clear = curve((0.0, [0] * 5), (0.03, [0.004, -0.004, 0.002, 0.0, -0.002]),
                  (0.031, [-0.002, 0.003, 0.0, -0.003, 0.002]))
    chosen, rule = tr.one_se_threshold(clear)
    assert (chosen, rule["best"]) == (0.3, 0.5)
    # the unpaired error (the spread of the folds themselves) would keep the filter off
    assert rule["unpaired_choice"] == 0.0


def test_folds_never_split_an_article() -> None:
    rng = np.random.default_rng(0)
    groups = np.array([f"s:a{i // 4}" for i in range(120)])
    y = rng.random(120) < 0.6
    for seed in tr.FOLD_SEEDS:
        split = tr.folds(y, groups, seed)
        assert sorted(np.concatenate([t for _f, t in split])) == list(range(120))
        for fit_idx, test_idx in split:
            assert not set(groups[fit_idx]) & set(groups[test_idx])


def _fitted_sets_present() -> bool:
    """The sets the shipped model was fitted on are all here, each with as many articles
    (a set beside the repository rebuilt since is another set)."""
    meta = load_model().meta
    return tuple(meta.get("trained_on", ())) == tr.TRAIN and all(
        len(tr.SETS[n][0]) == s.get("articles") for n, s in meta.get("sets", {}).items())


@pytest.mark.slow
@pytest.mark.skipif(not _fitted_sets_present(),
                    reason="the shipped model was fitted on sets not all present here")
def test_the_shipped_model_is_what_the_trainer_fits(tmp_path: Path) -> None:
    """Runs every training set afresh (filter off), fits with the recorded C and compares
    with the file (SHARED gold needed): a stale file or a feature change fails here."""
    model = load_model()
    sets = [tr.collect(name, tmp_path) for name in tr.TRAIN]
    assert {n: {"mentions": len(d.mentions), "reportable": int(d.label.sum())}
            for n, d in zip(tr.TRAIN, sets, strict=True)} == \
        {n: {k: s[k] for k in ("mentions", "reportable")} for n, s in model.meta["sets"].items()}
    coef, intercept = tr.final_fit(sets, model.meta["C"])
    assert set(coef) == set(model.weights)
    assert max(abs(coef[k] - model.weights[k]) for k in coef) < 1e-3
    assert abs(intercept - model.intercept) < 1e-3


def test_the_features_read_tense_history_position_and_question(nlp: Any) -> None:
    """The grammar and article-context features on a team-written article: the clause
    verb's tense and aspect, a year before the article's (a recap), the sentence's place in
    the article and its mentions of the same type, a question."""
    from sitrep.extract import extract_mentions

    text = ("Taliban fighters attacked a police checkpoint in Ghazni city on Monday, killing "
            "four policemen, the provincial governor said. "
            "The attack was repelled after two hours of fighting, officials said. "
            "The Taliban have attacked Ghazni city several times since 2018, officials said. "
            "Will the Taliban attack Ghazni city again?")
    article = _article(text)
    doc = nlp(text)
    mentions = extract_mentions(article, doc)
    feats = {(m.sentence.text[:12], m.trigger.text): f for m, f in zip(
        mentions, reportable.mention_features(mentions, article, doc), strict=True)}
    first = feats["Taliban figh", "attacked"]
    assert first["sentence=first"] == first["verb_tag=VBD"] == first["first_of_type"] == 1.0
    assert first["past_year"] == first["question"] == 0.0
    recap = feats["The Taliban ", "attacked"]  # present perfect, "since 2018"
    assert recap["past_year"] == recap["aux=perfect"] == recap["verb_tag=VBN"] == 1.0
    assert recap["sentence=2-3"] == 1.0 and recap["first_of_type"] == 0.0
    assert feats["Will the Tal", "attack"]["question"] == 1.0
    n_battles = sum(m.event_type == "Battles" for m in mentions)
    assert first["same_type"] == min(n_battles - 1, 4) / 4 > 0
    assert all(f["article_mentions"] == len(mentions) / 20 for f in feats.values())


def test_the_toll_band_tells_a_wars_tally_from_one_occurrences_toll(nlp: Any) -> None:
    from sitrep.extract import extract_mentions

    text = ("A roadside bomb exploded in Lashkar Gah on Sunday, killing two civilians. "
            "The offensive has already killed more than 5,100 civilians in Helmand, the UN said.")
    article = _article(text)
    doc = nlp(text)
    mentions = extract_mentions(article, doc)
    bands = {m.sentence.text[:12]: next(k for k in f if k.startswith("toll="))
             for m, f in zip(mentions, reportable.mention_features(mentions, article, doc), strict=True)}
    assert bands.get("A roadside b") == "toll=1-9"
    assert bands.get("The offensiv") == "toll=100+"
