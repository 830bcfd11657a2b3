"""Theatre vocabulary of Ukraine 2022 news (the marked wt-ukr entries of
sitrep/data/triggers.yaml and extract_words.yaml): words that look like a trigger and are
not one, Ukraine's units in a tally, its regions in a summary. Sentences written for the
test in the wording of the war's news."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.extract.arguments import counted_units, nationwide, trigger_token
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
    ("Russian troops used cluster bombs on residential districts of Kharkiv.",
     "Remote explosive/landmine/IED"),
    # a blast leaving debris is no one leaving a place ('mountain' is a place word)
    ("One side of the building was ripped apart, leaving a mountain of rubble.",
     "Non-violent transfer of territory"),
    # what is left of a town is its remainder, not a side leaving it
    ("What was left of the town was then occupied by Russian forces.",
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
    # cluster munitions are fired, not planted
    ("Russian troops used cluster bombs on residential districts of Kharkiv.",
     "Shelling/artillery/missile attack"),
])
def test_real_mines_and_withdrawals_stay(nlp, text: str, label: str) -> None:  # type: ignore[no-untyped-def]
    assert label in _types(nlp, text)


def _trigger(nlp, text: str):  # type: ignore[no-untyped-def]
    sent = next(iter(nlp(text).sents))
    best = max(match_triggers(sent), key=lambda m: m.score)
    return trigger_token(sent, best.start_char, best.end_char)


@pytest.mark.parametrize("text", [
    "Zelensky said that dozens of settlements had been liberated in the east during the past week.",
    "Ukrainian forces have retaken more than 20 settlements in the south since Monday.",
])
def test_a_tally_of_settlements_counts_units(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert counted_units(_trigger(nlp, text))


def test_fighting_across_the_donbas_is_a_summary(nlp) -> None:  # type: ignore[no-untyped-def]
    assert nationwide(_trigger(nlp, "Heavy fighting raged across the Donbas on Monday."))
    assert not nationwide(_trigger(nlp, "Heavy fighting raged in Bakhmut on Monday."))


def test_strikes_an_air_force_flies_are_air_strikes(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Thirty Taliban fighters were killed in strikes conducted by the Afghan Air Force in "
            "Jawzjan province, the ministry said.")
    assert "Air/drone strike" in _types(nlp, text)
    assert "Air/drone strike" not in _types(nlp, "Staff of the air force academy went on strike over pay.")


def test_infrastructure_hit_from_afar_is_a_strike(nlp) -> None:  # type: ignore[no-untyped-def]
    """'Russian troops once again hit energy infrastructure in Kyiv and Dnipro', 'power
    stations were hit': strikes on the grid; prices or storms hitting it are none."""
    shelling = "Shelling/artillery/missile attack"
    assert shelling in _types(nlp, "On Tuesday morning Russian troops once again hit energy infrastructure "
                                   "objects in Kyiv and Dnipro.")
    assert shelling in _types(nlp, "Officials said power stations were hit in the regions of Odesa and Lutsk.")
    assert shelling not in _types(nlp, "Rising energy prices hit households across the country.")
    assert shelling not in _types(nlp, "The storm hit power lines in the city.")


def test_the_speakers_own_forces_gain_for_the_speakers_side(nlp, ukraine) -> None:  # type: ignore[no-untyped-def]
    """'Russia's defence minister said his forces had captured Lysychansk': his forces are
    Russia's, a capture; 'Ukraine's General Staff said its forces had recaptured Balakliia'
    stays a recapture (a bare 'forces' would be the state's)."""
    assert _types(nlp, "Russia's defence minister Sergei Shoigu said his forces had captured Lysychansk.") \
        == {"Non-state actor overtakes territory"}
    assert "Government regains territory" in _types(
        nlp, "Ukraine's General Staff said its forces had recaptured Balakliia.")
    # the Chechen leader speaks for Russia's Chechen units
    assert _types(nlp, "Chechen leader Ramzan Kadyrov says that his forces also captured the town "
                       "of Zolote.") == {"Non-state actor overtakes territory"}
    # a speaker the actor book knows as the state's: his forces are the state's
    assert _types(nlp, "Ukrainian President Volodymyr Zelensky said his forces had captured the "
                       "village of Hrakove.") == {"Government regains territory"}


def test_a_participle_describing_a_region_is_no_capture(nlp, ukraine) -> None:  # type: ignore[no-untyped-def]
    """'shelled Russian positions in the occupied and illegally seized southern Kherson
    region': the region's state, no capture of it that day (the parser makes 'seized' a
    verb conjoined to 'the occupied')."""
    from sitrep.extract.arguments import event_token

    doc = nlp("Ukrainian forces shelled Russian positions in the occupied and illegally seized "
              "southern Kherson region on Friday.")
    assert event_token(next(t for t in doc if t.text == "seized")) is None
    doc = nlp("Russian troops seized the southern Kherson region on Friday.")
    assert event_token(next(t for t in doc if t.text == "seized")) is not None


def test_a_think_tank_is_no_tank(ukraine: None) -> None:  # type: ignore[no-untyped-def]
    """'the US think tank', 'a fuel tank': a weapon noun its modifier makes another thing is
    no shelling; a tank that fires still is."""
    import datetime as dt

    from sitrep.extract import ExtractContext, extract_mentions
    from sitrep.model import Article, stable_id
    from sitrep.nlp import get_nlp

    def types(text: str) -> set[str]:
        article = Article(id=stable_id(text), text=text, source="test", published=dt.date(2022, 9, 12),
                          language="en")
        return {m.sub_event_type for m in extract_mentions(article, get_nlp()(text), ExtractContext.default())}

    assert types("The US think tank cited Russian sources in its daily update on Bakhmut.") == set()
    assert types("A fuel tank exploded at a petrol station in Kharkiv on Monday.") \
        .isdisjoint({"Shelling/artillery/missile attack"})
    assert "Shelling/artillery/missile attack" in types("A Russian tank shelled the village of Hrakove on Monday.")


def test_an_air_assault_corps_is_no_air_strike(nlp) -> None:  # type: ignore[no-untyped-def]
    """'Air Assault Forces' name a corps entering a town; an assault from the air is a strike."""
    assert "Air/drone strike" not in _types(nlp, "Ukrainian Air Assault Forces are entering Lyman, Donetsk region.")
    assert "Air/drone strike" in _types(nlp, "A helicopter assault hit Russian positions near Lyman on Friday.")
    assert "Air/drone strike" in _types(
        nlp, "Russian helicopters carried out an air assault on the positions of the 95th Air Assault Brigade.")
