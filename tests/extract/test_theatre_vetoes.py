"""Theatre vocabulary of Ukraine 2022 news in the trigger lexicon's vetoes (the marked
wt-ukr block of sitrep/data/triggers.yaml): words that look like a trigger and are not
one. Sentences written for the test in the wording of the war's news."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.extract.typing import match_triggers


@pytest.fixture(autouse=True)
def _no_user_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path / "no-model"))


def _types(nlp, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.sub_event_type for s in nlp(text).sents for m in match_triggers(s)}


@pytest.mark.parametrize(("text", "not_type"), [
    # a mine that is dug, not laid
    ("Wagner fighters took over the town's salt mines after days of fighting.",
     "Remote explosive/landmine/IED"),
    ("Workers were trapped in the salt mine after power was cut.",
     "Remote explosive/landmine/IED"),
    # rescuers pulling people out of the rubble are no withdrawal
    ('"During the rescue operation, five people were pulled out of the rubble," the '
     "emergency service said.", "Non-violent transfer of territory"),
    ("Seven residents were pulled from the rubble of the apartment block.",
     "Non-violent transfer of territory"),
    # a blast leaving debris is no one leaving a place ('mountain' is a place word)
    ("One side of the building was ripped apart, leaving a mountain of rubble.",
     "Non-violent transfer of territory"),
])
def test_debris_and_industry_words_are_no_trigger(nlp, text: str, not_type: str) -> None:  # type: ignore[no-untyped-def]
    assert not_type not in _types(nlp, text)


@pytest.mark.parametrize(("text", "label"), [
    ("Two soldiers were killed when their vehicle hit a mine near the village.",
     "Remote explosive/landmine/IED"),
    ("Russian troops pulled out of the town overnight.", "Non-violent transfer of territory"),
    ("Ukrainian forces left the village of Pisky after months of fighting.",
     "Non-violent transfer of territory"),
])
def test_real_mines_and_withdrawals_stay(nlp, text: str, label: str) -> None:  # type: ignore[no-untyped-def]
    assert label in _types(nlp, text)
