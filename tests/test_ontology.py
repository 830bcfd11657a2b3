"""The ACLED concept sets are defined once (ontology.csv + occurrence.yaml) and shared."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import sitrep.control
import sitrep.evaluate.agreement
import sitrep.event_values
import sitrep.fuse
from sitrep.errors import ConfigError
from sitrep.ontology import (
    CATCH_ALL,
    CLASH,
    TERRITORIAL,
    TERRITORIAL_ORDER,
    load_occurrence,
    parse_occurrence,
    sub_event_types,
)

DATA = Path(sitrep.fuse.__file__).parent / "data" / "occurrence.yaml"


def raw() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def test_the_territorial_set_is_one_object_in_every_module() -> None:
    assert {"Non-state actor overtakes territory", "Government regains territory",
                           "Non-violent transfer of territory"} == TERRITORIAL
    assert TERRITORIAL_ORDER[0] == "Non-state actor overtakes territory"
    for module in (sitrep.fuse, sitrep.control, sitrep.evaluate.agreement):
        assert module.TERRITORIAL is TERRITORIAL, module.__name__
    assert sitrep.event_values.TERRITORIAL_FAMILY is TERRITORIAL_ORDER
    assert sitrep.fuse.CLASH == sitrep.control.CLASH == CLASH == "Armed clash"
    assert sitrep.fuse.CATCH_ALL is CATCH_ALL
    assert TERRITORIAL | {CLASH} | CATCH_ALL <= sub_event_types()
    assert len(sub_event_types()) == 25


def test_precedence_and_scopes_read_as_acled_codes_them() -> None:
    occ = load_occurrence()
    assert occ.rank("Non-state actor overtakes territory") < occ.rank(CLASH) \
        < occ.rank("Attack") < occ.rank("Change to group/activity")
    assert occ.rank("Suicide bomb") < occ.rank(CLASH)
    assert occ.scope("Non-state actor overtakes territory", CLASH) == "any"
    assert occ.scope("Shelling/artillery/missile attack", "Air/drone strike") == "sentence"
    assert occ.scope("Remote explosive/landmine/IED", CLASH) == "article"
    assert occ.scope("Attack", CLASH) == "sentence"
    assert occ.scope("Non-state actor overtakes territory", "Government regains territory") is None
    assert occ.scope(CLASH, "Air/drone strike") is None
    assert occ.scope("Other", "Non-state actor overtakes territory") is None  # own events
    assert occ.scope("Arrests", "Non-state actor overtakes territory") is None


@pytest.mark.parametrize("edit", [
    lambda d: d["groups"].__setitem__("clash", ["Armed clashes"]),  # not an ACLED type
    lambda d: d["precedence"].pop(),  # a type left out of the precedence
    lambda d: d["same_occurrence"]["any"].append(["@nope", "Attack"]),  # unknown group
    lambda d: d["same_occurrence"]["any"].append(["Attack"]),  # not a pair
    lambda d: d["groups"].pop("territorial"),
    lambda d: d["same_occurrence"].__setitem__("everywhere", []),  # unknown scope
])
def test_a_malformed_occurrence_file_fails_on_load(edit: Any) -> None:
    data = copy.deepcopy(raw())
    parse_occurrence(copy.deepcopy(data))  # the shipped file is valid
    edit(data)
    with pytest.raises(ConfigError):
        parse_occurrence(data)


def test_wording_cues_are_data_and_match_at_word_starts() -> None:
    occ = load_occurrence()
    partial = occ.cue("partial_capture")
    assert partial.search("seized the Police Station") and partial.search("entered the city")
    assert not partial.search("captured the district")
    assert occ.cue("no_fight").search("the city was handed over without a shot")
    assert occ.cue("facility").search("seized the jail") and not occ.cue("facility").search(
        "the imprisoned governor")
    with pytest.raises(ConfigError):
        occ.cue("no_such_list")
    data = copy.deepcopy(raw())
    data["cues"]["facility"] = ["Jail"]  # lists are lower-case
    with pytest.raises(ConfigError):
        parse_occurrence(data)


def test_fighters_arrested_in_a_raid_are_its_outcome(tmp_path: Path) -> None:
    """'raided a hideout, killing and arresting several militants': one Armed clash, the
    arrests folded into it (a sentence-scope pair), not a second event."""
    from sitrep.pipeline import run
    from sitrep.store import Store

    article = tmp_path / "raid.txt"
    article.write_text(
        "URL: https://example.org/raid\nDate: 2021-10-02\nOutlet: Example\n\n"
        "Taliban fighters raided a hideout of the Islamic State group in Charikar on Friday, "
        "killing and arresting several militants, a Taliban spokesman said.\n\n"
        "The spokesman gave no figures, and the claim could not be independently verified "
        "by reporters in the provincial capital.\n", encoding="utf-8")
    with Store(tmp_path / "raid.duckdb") as store:
        run([str(article)], store)
        types = [e.sub_event_type for e in store.get_events()]
    assert types == [CLASH]
    assert load_occurrence().scope("Arrests", CLASH) == "sentence"
