"""Where a mention is coded when several places are in reach: the learned arbiter over the
rules' pick (sitrep/extract/place_choice.py), and events across the border kept abroad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

from reading import mentions_in, place_of

from sitrep.extract import ExtractContext, location
from sitrep.extract.place_choice import (
    MODEL_PATH,
    Candidate,
    PlaceChooser,
    candidate_features,
    load_chooser,
)
from sitrep.linear_model import LinearModel
from sitrep.model import Place, PlaceRef, Span

KUNDUZ = Place("AF19", "Kunduz", "province", "Afghanistan", "Kunduz", lat=36.7, lon=68.9, admin1_id="AF19")
IMAM_SAHIB = Place("AF1905", "Imam Sahib", "district", "Afghanistan", "Kunduz", "Imam Sahib", 37.18, 68.91,
                   admin1_id="AF19", admin2_id="AF1905")


def _candidate(place: Place, *sources: str, flags: tuple[str, ...] = ()) -> Candidate:
    return Candidate(PlaceRef(Span(0, len(place.name), place.name), place, 0.7), set(sources), set(flags))


def test_an_event_across_the_border_is_not_coded_at_home(nlp: Any, afghanistan: ExtractContext) -> None:
    """'killed in Pakistan's Lower Dir district' happened in Pakistan: not at the story's
    Afghan place (the gazetteer does not know the district: the country is what is known);
    a Pakistani town the gazetteer knows is coded there."""
    text = ("Taliban fighters clashed with government forces in Kunduz province on Sunday. A "
            "Pakistani soldier was killed in Pakistan's Lower Dir district after taking fire from "
            "militants across the border, the army said on Monday.")
    ms = mentions_in(nlp, afghanistan, text)
    assert place_of(ms, "clashed")[0] == "Kunduz"
    killed = next(m for m in ms if m.trigger.text.startswith("killed"))
    assert killed.place is not None and killed.place.place is not None
    assert killed.place.place.country == "Pakistan"
    ms = mentions_in(nlp, afghanistan, "The Taliban captured Kunduz on Sunday. Two Pakistani soldiers "
                                       "were killed in Chaman on Monday when militants fired across the border.")
    assert place_of(ms, "killed") == ("Chaman", "city", "Balochistan")


def test_a_visit_abroad_still_leaves_the_claim_at_home(nlp: Any, afghanistan: ExtractContext) -> None:
    """The place a delegation visits is no place where the trigger's clause happens."""
    ms = mentions_in(nlp, afghanistan, "The Taliban captured Kunduz on Sunday. Taliban fighters also took "
                                       "control of Moscow on Monday.")
    assert all(m.place is None or m.place.place is None or m.place.place.name != "Moscow" for m in ms)


def test_the_arbiter_leaves_a_province_and_its_capital_to_the_rules(nlp: Any, afghanistan: ExtractContext) -> None:
    """Districts of a province fell, not its same-named capital: the arbiter does not turn
    the rules' province into the town (a false capture of the city)."""
    text = ("The Taliban have stepped up attacks in Ghazni in recent weeks. On Sunday the insurgents "
            "captured two more districts of Ghazni after heavy fighting, a lawmaker from the province said.")
    ms = mentions_in(nlp, afghanistan, text)
    assert place_of(ms, "captured")[:2] == ("Ghazni", "province")


def test_without_a_model_the_rules_pick_stands(tmp_path: Path) -> None:
    chooser = load_chooser(tmp_path / "absent.json")
    assert not chooser.active
    rows = [{"src=rule": 1.0}, {"src=narrative": 1.0}]
    assert chooser.choose(rows, 0, Span(0, 1, "x"), []) == 0


def test_the_arbiter_overrules_the_pick_only_beyond_its_margin() -> None:
    pick = _candidate(IMAM_SAHIB, "rule", "sentence", flags=("speaker",))
    story = _candidate(KUNDUZ, "narrative")
    rows = [candidate_features(c, pick, [KUNDUZ, KUNDUZ, IMAM_SAHIB], False) for c in (pick, story)]
    assert rows[1]["alt_when_pick_speaker"] == 1.0 and rows[1]["coarser_than_pick"] == 1.0
    assert rows[0]["speaker"] == 1.0 and "alternative" not in rows[0]
    model = LinearModel({"alt_when_pick_speaker": 2.0}, 0.0, 0.0, {}, threshold_key="margin")
    span = Span(0, 1, "x")
    assert PlaceChooser(model, 0.0).choose(rows, 0, span, [pick, story]) == 1
    assert PlaceChooser(model, 0.45).choose(rows, 0, span, [pick, story]) == 0  # sigmoid(2) - 1/2 = 0.38


def test_the_shipped_arbiter_was_chosen_by_grouped_cross_validation() -> None:
    meta = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["meta"]
    cv = meta["cv_mean_accuracy"]
    assert meta["trainer"] == "bench/train_places.py"
    assert cv["arbiter"] >= cv["rules"]
    assert load_chooser().active


def test_the_trainer_records_what_the_arbiter_is_offered(nlp: Any, afghanistan: ExtractContext) -> None:
    """Every arbitrated trigger offers the rules' pick among its candidates."""
    seen: list[tuple[int, list[Candidate]]] = []

    class Spy(PlaceChooser):
        @property
        def active(self) -> bool:
            return True

        def choose(self, rows: Any, pick: int, sentence: Span, candidates: Any) -> int:
            seen.append((pick, list(candidates)))
            return pick

    text = ("Taliban fighters attacked Imam Sahib district of Kunduz province on Sunday. Kunduz police "
            "spokesman Inamullah said his forces had killed 30 Taliban fighters.")
    with mock.patch.object(location, "load_chooser", lambda: Spy(None, 0.5)):
        mentions_in(nlp, afghanistan, text)
    assert seen
    for pick, candidates in seen:
        assert "rule" in candidates[pick].sources
        assert len({c.ref.place.id for c in candidates if c.ref.place is not None}) == len(candidates)
