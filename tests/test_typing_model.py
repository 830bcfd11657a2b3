"""The learned sub-event typing (sitrep/typing_model.py) and its trainer
(bench/train_typing.py): on realistic sentences an active model re-types the weak
secondary reading of a bombing's casualties to the bombing and leaves strong, territorial
and unknown-type readings alone; the event type follows the ontology; the shipped model
file holds only generic features; the trainer labels a real train-split article's
mentions with its gold types."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sitrep.extract import extract_mentions
from sitrep.model import Article, Mention, stable_id
from sitrep.ontology import TERRITORIAL, event_type_of, sub_event_types
from sitrep.typing_model import MODEL_PATH, TypingModel, load_model, override, retype_mentions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import train_typing as tt  # noqa: E402  (a bench script, not a package module)

NEWS = ROOT / ".." / "shared" / "dev" / "news"

#: team-written sentences in the style of the wire reports
BOMBING = ("A suicide bomber blew himself up near a police checkpoint in Kabul on Monday, "
           "killing six people and wounding 12 others, officials said.")
CAPTURE = ("Taliban fighters captured the district centre of Khanabad in Kunduz province on "
           "Sunday after heavy fighting.")
TALKS = ("Delegations of the government and the Taliban met in Doha on Monday to resume "
         "talks on a ceasefire.")


def _read(nlp: Any, text: str) -> tuple[list[Mention], Any]:
    article = Article(id=stable_id(text), text=text, source="test",
                      published=dt.date(2021, 7, 20), language="en")
    doc = nlp(text)
    return extract_mentions(article, doc), doc


def _active() -> TypingModel:
    """The shipped coefficients with the override on (whatever threshold is shipped)."""
    return replace(load_model(), threshold=0.4, rule_ceiling=0.8)


def test_a_bombings_casualties_take_the_bombings_type(nlp: Any) -> None:
    mentions, doc = _read(nlp, BOMBING)
    rules = {m.trigger.text: m.sub_event_type for m in mentions}
    assert rules.get("blew himself up") == "Suicide bomb"
    assert "Suicide bomb" not in {t for w, t in rules.items() if w != "blew himself up"}
    out = retype_mentions(mentions, doc, _active())
    assert {m.sub_event_type for m in out} == {"Suicide bomb"}
    assert all(m.event_type == event_type_of(m.sub_event_type) for m in out)
    # an inert model changes no type; every mention keeps the model's scores for fusion's
    # event-level typing (the bombing's type likely for the casualty sentence too)
    inert = retype_mentions(mentions, doc, replace(_active(), threshold=2.0))
    assert [replace(m, type_scores=()) for m in inert] == mentions
    assert all(dict(m.type_scores).get(m.sub_event_type) is not None for m in inert)


def test_territory_and_types_it_never_learned_stay_the_rules(nlp: Any) -> None:
    for text in (CAPTURE, TALKS):
        mentions, doc = _read(nlp, text)
        assert mentions
        kept = [m for m in mentions if m.sub_event_type in TERRITORIAL
                or m.sub_event_type not in _active().classes]
        assert kept
        out = retype_mentions(mentions, doc, replace(_active(), threshold=0.0, rule_ceiling=2.0))
        assert [replace(m, type_scores=()) for m in out if m.id in {k.id for k in kept}] == kept
        # a type it never learned gets no scores: fusion never re-types it either
        assert all(not m.type_scores for m in out if m.sub_event_type not in _active().classes)
    # and the combination never hands out a territorial type
    weak = {"rule_score": 0.4, "cand=Armed clash": 0.5, "cand=Non-state actor overtakes territory": 0.5}
    taken = {"Attack": 0.1, "Non-state actor overtakes territory": 0.9}
    assert override("Attack", weak, taken, 0.0, 2.0) == "Attack"
    assert override("Attack", weak, {"Attack": 0.1, "Armed clash": 0.9}, 0.5, 2.0) == "Armed clash"
    # not when the rule reading is strong, nor into a type the rules did not read there
    assert override("Attack", {**weak, "rule_score": 0.9}, {"Attack": 0.1, "Armed clash": 0.9},
                    0.5, 0.8) == "Attack"
    assert override("Attack", weak, {"Attack": 0.1, "Suicide bomb": 0.9}, 0.5, 2.0) == "Attack"


def test_an_unjudged_rule_type_is_never_retyped(nlp: Any) -> None:
    """The shipped file leaves Arrests to the rules (the trainer's UNJUDGED, with its
    reason): an arrest whose sentence also tells attacks stays an arrest; without the key
    the same model may re-type it."""
    model = load_model()
    assert model.meta["unjudged_types"] == tt.UNJUDGED and "Arrests" in tt.UNJUDGED
    weak = {"rule_score": 0.4, "cand=Arrests": 0.7, "cand=Attack": 0.5}
    assert override("Arrests", weak, {"Arrests": 0.1, "Attack": 0.9}, 0.2, 2.0, ("Arrests",)) == "Arrests"
    assert override("Arrests", weak, {"Arrests": 0.1, "Attack": 0.9}, 0.2, 2.0) == "Attack"
    text = ("The Taliban's officials in Kunduz province said that they arrested 9 people who are "
            "suspected to be members of the group which recently stepped up its attacks in the country.")
    article = Article(id=stable_id(text), text=text, source="test", published=dt.date(2021, 11, 8),
                      language="en")
    doc = nlp(text)
    arrests = [m for m in extract_mentions(article, doc) if m.sub_event_type == "Arrests"]
    assert arrests
    assert all(m.sub_event_type == "Arrests" for m in retype_mentions(arrests, doc, model))
    judged = replace(model, meta={})
    assert any(m.sub_event_type != "Arrests" for m in retype_mentions(arrests, doc, judged))


def test_the_shipped_model_file_holds_generic_features_only() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = load_model()
    assert set(model.classes) <= sub_event_types() and len(model.classes) >= 5
    assert set(data["coef"]) == set(data["intercept"]) == set(model.classes)
    names = {n for k in model.classes for n in model.coef[k]}
    assert names and all(len(n) <= 60 for n in names)
    words = [n.split("=", 1)[1] for n in names if n.startswith(("w=", "s="))]
    assert words and all(re.fullmatch(r"[a-z][a-z'-]*", w) for w in words)
    assert {"vocabulary_rule", "label", "heldout_typing_accuracy", "trained_on"} <= set(data["meta"])
    assert not {"news_report", "news_ukraine"} & set(data["meta"]["trained_on"])

def test_a_broken_model_file_raises(tmp_path: Path) -> None:
    good = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    for i, (broken, why) in enumerate([({**good, "intercept": {}}, "one entry per class"),
                                       ({**good, "classes": ["Bombing"]}, "unknown sub-event"),
                                       ({k: v for k, v in good.items() if k != "coef"}, "missing")]):
        path = tmp_path / f"m{i}.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ValueError, match=why):
            load_model(path)


def test_the_trainer_labels_a_train_article_with_its_gold_types(nlp: Any) -> None:
    """B05 (train split) reports a suicide bombing: every mention of the bombing's
    sentences is labelled with the gold type, whatever the rules typed it."""
    from sitrep.evaluate.gold import locate

    name = "B05.txt"
    text = (NEWS / "articles" / name).read_text(encoding="utf-8")
    gold = json.loads((NEWS / "gold.json").read_text(encoding="utf-8"))
    quotes = [(*span, g) for g in gold["events"] for m in g["mentions"]
              if m["file"] == name and (span := locate(text, m["quote"])) is not None]
    assert quotes
    article = Article(id=name, text=text, source="test", published=dt.date(2021, 7, 20),
                      language="en")
    mentions = extract_mentions(article, nlp(text))
    labels = [tt.label_of(m, quotes) for m in mentions]
    assert "Suicide bomb" in labels
    assert any(m.sub_event_type != "Suicide bomb" and lab == "Suicide bomb"
               for m, lab in zip(mentions, labels, strict=True))
    for m, lab in zip(mentions, labels, strict=True):
        inside = any(s < m.sentence.end and m.sentence.start < e for s, e, _g in quotes)
        assert (lab is not None) == inside
