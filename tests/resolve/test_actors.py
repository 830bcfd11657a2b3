"""Actor strings -> canonical ACLED actors; user files; interaction codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.resolve import actors as actors_mod
from sitrep.resolve.actors import ActorBook, interaction_code, normalise_actor_text, resolve_actor

TALIBAN = "Taliban"
ARMY = "Military Forces of Afghanistan (2014-2021)"
POLICE = "Police Forces of Afghanistan (2014-2021)"
NDS = "Military Forces of Afghanistan (2014-2021) National Directorate of Security"
GOV = "Government of Afghanistan (2014-2021)"
US = "Military Forces of the United States (2021-)"
NATO = "NATO: North Atlantic Treaty Organization"
MILITIA = "Militia (Pro-Government)"
IS = "Islamic State (Afghanistan)"
CIV = "Civilians (Afghanistan)"
UAG = "Unidentified Armed Group (Afghanistan)"
TJK = "Military Forces of Tajikistan"

ALIASES = [
    # phrases as they occur in the seeds and the demo corpus
    ("the Taliban", TALIBAN, 2), ("Taliban fighters", TALIBAN, 2), ("the insurgents", TALIBAN, 2),
    ("rebels", TALIBAN, 2), ("the mujahideen", TALIBAN, 2), ("the Islamic Emirate", TALIBAN, 2),
    ("the armed group", TALIBAN, 2), ("Taliban's", TALIBAN, 2),
    ("Taliban spokesman Zabihullah Mujahid", TALIBAN, 2),
    ("the Afghan army", ARMY, 1), ("ANA", ARMY, 1), ("new commandos", ARMY, 1),
    ("Afghan forces", ARMY, 1), ("government forces", ARMY, 1), ("ANDSF", ARMY, 1),
    ("More than 300 Afghan soldiers", ARMY, 1), ("demoralized Afghan troops", ARMY, 1),
    ("Afghan soldiers, police and intelligence services", ARMY, 1),
    ("security forces", ARMY, 1),
    ("police", POLICE, 1), ("the ANP", POLICE, 1), ("Kandahar police", POLICE, 1),
    ("the National Directorate of Security", NDS, 1), ("NDS", NDS, 1),
    ("the government of Kabul", GOV, 1), ("Kabul", GOV, 1), ("the Interior Ministry", GOV, 1),
    ("Badghis Governor Hessamuddin Shams", GOV, 1), ("local officials", GOV, 1),
    ("US and NATO forces", US, 8), ("American and NATO troops", US, 8), ("the Pentagon", US, 8),
    ("NATO troops", NATO, 8), ("foreign forces", NATO, 8),
    ("pro-government militias", MILITIA, 3), ("the militias of Ismail Khan", MILITIA, 3),
    ("Ismail Khan's militia", MILITIA, 3), ("volunteer militias", MILITIA, 3),
    ("ISKP", IS, 2), ("IS-K", IS, 2), ("Daesh", IS, 2), ("the Islamic State group", IS, 2),
    ("civilians", CIV, 7), ("residents", CIV, 7), ("dozens of families", CIV, 7),
    ("villagers", CIV, 7), ("journalists", CIV, 7), ("a resident", CIV, 7),
    ("gunmen", UAG, 3), ("unknown attackers", UAG, 3),
    ("Tajikistan's State Committee for National Security", TJK, 8), ("Tajik border guards", TJK, 8),
    ("the Iranian army", "Military Forces of Iran (1989-)", 8),
]


@pytest.mark.parametrize(("text", "name", "inter"), ALIASES)
def test_aliases_resolve_to_acled_actors(text: str, name: str, inter: int) -> None:
    actor = resolve_actor(text)
    assert actor is not None, text
    assert (actor.name, actor.inter) == (name, inter)


@pytest.mark.parametrize("text", ["the weather", "", "the group", "Uzbek army",
                                  "hundreds of prisoners", "Kunduz", "said", "police headquarters",
                                  "the governor's office", "Taliban flags", "government building"])
def test_unknown_text_is_none(text: str) -> None:
    assert resolve_actor(text) is None


def test_public_api() -> None:
    assert sorted(actors_mod.__all__) == [
        "ActorBook", "interaction_code", "normalise_actor_text", "resolve_actor", "resolver_on"]


def test_normalisation() -> None:
    assert normalise_actor_text("The Afghan army's") == "afghan army"
    assert normalise_actor_text("“Dozens of families”") == "family"
    assert normalise_actor_text("the insurgents'") == "insurgent"


def test_organisations_are_claimants_not_event_actors() -> None:
    book = ActorBook.default()
    for text in ("Human Rights Watch", "the UN", "UNAMA"):
        actor = book.resolve(text)
        assert actor is not None and actor.inter is None
        assert book.kind(actor.id) == "organisation"
    taliban = book.resolve("Taliban")
    assert taliban is not None and book.kind(taliban.id) == "actor"


def test_shipped_file_is_consistent() -> None:
    """Every alias names one actor only, ids and ACLED names are unique, inter codes valid."""
    import yaml

    data = yaml.safe_load(actors_mod.DEFAULT_PATH.read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    ids, names = set(), set()
    for rec in data["actors"]:
        assert rec["id"] not in ids and rec["name"] not in names
        ids.add(rec["id"])
        names.add(rec["name"])
        assert rec.get("inter") in (None, 1, 2, 3, 4, 5, 6, 7, 8)
        assert (rec.get("inter") is None) == (rec.get("kind") == "organisation")
        for alias in [*rec.get("aliases", []), rec["name"]]:
            key = normalise_actor_text(str(alias))
            assert owner.setdefault(key, rec["id"]) == rec["id"], (alias, owner[key])
    for timeline in data["timelines"]:  # a dated alias is defined once, in one group
        for group in timeline["aliases"]:
            assert set(group["actor"].values()) <= ids | {None}
            for alias in group["aliases"]:
                key = normalise_actor_text(str(alias))
                assert owner.setdefault(key, timeline["id"]) == timeline["id"], (alias, owner[key])


def test_get_and_by_name() -> None:
    book = ActorBook.default()
    assert book.get("taliban") == book.by_name("taliban")
    assert book.by_name(NDS) is not None and book.by_name(NDS).inter == 1  # type: ignore[union-attr]
    assert book.get("no-such-actor") is None


def test_every_gold_actor_name_is_in_the_book(seeds_gold) -> None:  # type: ignore[no-untyped-def]
    book = ActorBook.default()
    names = {e[k] for e in seeds_gold["events"] for k in ("actor1", "actor2") if e.get(k)}
    assert names and all(book.by_name(n) is not None for n in names)


def test_find_scans_running_text() -> None:
    text = ("Hundreds of Afghan soldiers, police and intelligence services surrendered to the "
            "Taliban, and villagers fled.")
    found = [(text[s:e], a.id) for s, e, a in ActorBook.default().find(text)]
    assert found == [("Afghan soldiers", "afg-military"), ("police", "afg-police"),
                     ("intelligence services", "afg-nds"), ("Taliban", "taliban"),
                     ("villagers", "afg-civilians")]


def test_find_lets_a_bare_first_conjunct_borrow_the_head() -> None:
    book = ActorBook.default()
    text = "the departure of American and NATO troops, as Taliban and Afghan forces clashed"
    found = [(text[s:e], a.id) for s, e, a in book.find(text)]
    assert found == [("American and NATO troops", "us-military"), ("Taliban", "taliban"),
                     ("Afghan forces", "afg-military")]


USER_YAML = """
foreign_modifiers: [afghan]
actors:
  - id: yem-military
    name: Military Forces of Yemen (2016-)
    inter: 1
    country: Yemen
    aliases: [Yemeni army, government troops, army]
  - id: houthis
    name: Houthi Movement
    inter: 2
    country: Yemen
    aliases: [Houthis, Ansar Allah, Houthi rebels]
  - id: taliban
    name: Taliban
    inter: 2
    country: Afghanistan
    aliases: [Taliban, students of Islam]
"""


def test_user_file_extends_the_default_book(tmp_path: Path) -> None:
    path = tmp_path / "yemen.yaml"
    path.write_text(USER_YAML, encoding="utf-8")
    book = ActorBook.load([path])
    houthis = book.resolve("the Houthi rebels")
    assert houthis is not None and (houthis.name, houthis.inter) == ("Houthi Movement", 2)
    army = book.resolve("the army")  # the later file's alias wins
    assert army is not None and army.id == "yem-military"
    assert book.resolve("students of Islam") == book.get("taliban")  # same id: replaced
    assert book.resolve("insurgents") is None  # the replaced entry's old aliases are gone
    assert book.resolve("civilians") is not None  # the rest of the default is kept


def test_env_var_names_extra_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "yemen.yaml"
    path.write_text(USER_YAML, encoding="utf-8")
    monkeypatch.setenv(actors_mod.ENV_VAR, str(path))
    houthis = resolve_actor("Ansar Allah")
    assert houthis is not None and houthis.country == "Yemen"
    monkeypatch.delenv(actors_mod.ENV_VAR)
    assert resolve_actor("Ansar Allah") is None


@pytest.mark.parametrize(("content", "message"), [
    ("actors: {}", "top-level 'actors:' list"),
    ("actors:\n  - name: X\n", "missing id"),
    ("actors:\n  - id: x\n    name: X\n    inter: 9\n", "inter must be an ACLED code"),
    ("actors: [", "not valid YAML"),
])
def test_bad_user_file_names_the_file_and_problem(tmp_path: Path, content: str,
                                                   message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        ActorBook.load([path])
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(("inter1", "inter2", "code"), [
    (2, 1, 12), (1, 2, 12), (1, 3, 13), (7, 2, 27), (6, None, 60), (None, 7, 70),
    (None, None, 0), (1, 1, 11), (8, 1, 18)])
def test_interaction_code(inter1: int | None, inter2: int | None, code: int) -> None:
    assert interaction_code(inter1, inter2) == code


def test_a_foreign_government_is_not_the_afghan_one() -> None:
    from sitrep.resolve.actors import resolve_actor

    for text in ("British government", "the British government", "Pakistani government"):
        assert resolve_actor(text) is None, text
    us = resolve_actor("US government")
    assert us is not None and "United States" in us.name
    gov = resolve_actor("Afghan government")
    assert gov is not None and gov.name == "Government of Afghanistan (2014-2021)"
