"""Date-aware actor resolution: who "security forces" or "the government" are before and
after the fall of Kabul, named parties owning generic nouns, the resistance (NRF), and the
load-time checks of timelines. Realistic sentences written for the test, plus the gold
quotes of the team-annotated real-news sets when they sit beside the repository."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import ConfigError
from sitrep.resolve.actors import ActorBook, resolve_actor, resolver_on

ROOT = Path(__file__).resolve().parents[2]
NEWS_GOLD = ROOT / ".." / "shared" / "dev" / "news" / "gold.json"
EXTRA_GOLD = ROOT / ".." / "news_extra" / "gold.json"

TALIBAN = "Taliban"
ARMY = "Military Forces of Afghanistan (2014-2021)"
POLICE = "Police Forces of Afghanistan (2014-2021)"
GOV = "Government of Afghanistan (2014-2021)"
MILITIA = "Militia (Pro-Government)"
NRF = "NRF: National Resistance Front"
IS = "Islamic State (Afghanistan)"
US = "Military Forces of the United States (2021-)"
IRAN = "Military Forces of Iran (1989-)"

BEFORE = dt.date(2021, 7, 10)
FALL = dt.date(2021, 8, 15)
AFTER = dt.date(2021, 9, 6)


def _name(text: str, on: dt.date | None) -> str | None:
    actor = resolve_actor(text, on)
    return actor.name if actor else None


@pytest.mark.parametrize(("text", "before", "after"), [
    # the state's generic names change hands with the state
    ("security forces", ARMY, TALIBAN),
    ("the Afghan security forces", ARMY, TALIBAN),
    ("government forces", ARMY, TALIBAN),
    ("Afghan forces", ARMY, TALIBAN),
    ("the Defence Ministry", ARMY, TALIBAN),
    ("the Ministry of National Defense", ARMY, TALIBAN),
    ("the government", GOV, TALIBAN),
    ("Interior Ministry", GOV, TALIBAN),
    ("local officials", GOV, TALIBAN),
    ("Kunduz governor Abdul Sattar Mirzakwal", GOV, TALIBAN),  # the era-aware pattern
    ("Kandahar police", POLICE, TALIBAN),
    # bare soldiers after the fall are as often American ones: nobody, not a wrong actor
    ("troops", ARMY, None), ("the army", ARMY, None),
    # the anti-Taliban local forces: uprising militias, then the resistance
    ("resistance forces", MILITIA, NRF), ("local militia groups", MILITIA, NRF),
    ("anti-Taliban forces", MILITIA, NRF), ("the rebels", TALIBAN, NRF),
    ("militants", TALIBAN, None), ("the interim government", None, TALIBAN),
    # the Republic's institutions keep their name
    ("the ANDSF", ARMY, ARMY), ("Afghan National Army", ARMY, ARMY),
    ("President Ashraf Ghani", GOV, GOV),
    # named parties whatever the date
    ("the Taliban security forces", TALIBAN, TALIBAN), ("Taliban fighters", TALIBAN, TALIBAN),
    ("the Islamic Emirate", TALIBAN, TALIBAN), ("Taliban army", TALIBAN, TALIBAN),
])
def test_generic_names_follow_the_state(text: str, before: str | None, after: str | None) -> None:
    assert _name(text, BEFORE) == before
    assert _name(text, AFTER) == after


def test_the_day_of_the_fall_is_still_the_republic() -> None:
    """Kabul's takeover on 15 August is coded against the Republic's forces (news_extra X052);
    the next day the Taliban are the state."""
    assert _name("government forces", FALL) == ARMY
    assert _name("government forces", FALL + dt.timedelta(days=1)) == TALIBAN


def test_undated_reads_the_first_era() -> None:
    assert _name("security forces", None) == ARMY
    assert _name("the government", None) == GOV


@pytest.mark.parametrize(("text", "name"), [
    ("the former government", GOV), ("former security forces", ARMY),
    ("ousted government", GOV), ("the former Afghan security forces", ARMY),
])
def test_former_looks_one_era_back(text: str, name: str) -> None:
    assert _name(text, AFTER) == name
    assert _name(text, BEFORE) is not None  # before the fall there is no era to look back to


@pytest.mark.parametrize(("text", "name"), [
    ("Taliban official", TALIBAN),  # not the government's "official"
    ("a senior Taliban official", TALIBAN),
    ("top Taliban commander Anas Haqqani", TALIBAN),
    ("Taliban men", TALIBAN), ("at least 12 Talibani terrorists", TALIBAN),
    ("a Taliban vehicle", TALIBAN), ("Taliban positions", TALIBAN),
    ("ISIS-K", IS), ("IS-K", IS), ("Daesh", IS), ("Islamic State Khorasan", IS),
    ("an ISIS-K hideout", IS), ("four ISIS-K members", IS), ("several ISIS operatives", IS),
    ("the Islamic State organization", IS), ("The Islamic State terror group", IS),
    ("NRF", NRF), ("the National Resistance Front of Afghanistan (NRF", NRF),
    ("Massoud's fighters", NRF), ("NRF spokesman Ali Maisam", NRF), ("the NRF's leader", NRF),
    ("US airstrike", US), ("two US airstrikes", US), ("US army airstrikes", US),
    ("American troops", US), ("the U.S. military", US),
    ("Iranian border forces", IRAN), ("the Iranian army", IRAN),
])
def test_named_parties(text: str, name: str) -> None:
    assert _name(text, AFTER) == name
    assert _name(text, BEFORE) == name


@pytest.mark.parametrize("text", ["Taliban flags", "police headquarters", "local sources",
                                  "local fighter Mohammadullah", "Uzbek army", "the resistance"])
def test_still_unknown(text: str) -> None:
    assert resolve_actor(text, AFTER) is None


@pytest.mark.parametrize(("text", "name"), [
    ("Kabul residents", "Civilians (Afghanistan)"),  # "Kabul" is the state only by a dated alias
    ("Taliban women", "Civilians (Afghanistan)"),  # a party's civilians are not its forces
])
def test_a_named_party_owns_forces_not_people(text: str, name: str) -> None:
    assert _name(text, AFTER) == name


def test_resolver_on_is_a_one_argument_resolver() -> None:
    after, before = resolver_on(AFTER), resolver_on(BEFORE)
    assert after("security forces") == resolve_actor("Taliban")
    assert before("security forces") == resolve_actor("Afghan National Army")


def test_find_reads_running_text_on_its_date() -> None:
    text = ("Taliban forces unlawfully killed 13 ethnic Hazaras after former security forces of "
            "the former government surrendered, while the Taliban security forces were deployed "
            "and resistance fighters held Andarab.")
    book = ActorBook.default()
    after = [(text[s:e], a.name) for s, e, a in book.find(text, AFTER)]
    assert after == [("Taliban forces", TALIBAN), ("security forces", ARMY), ("government", GOV),
                     ("Taliban security forces", TALIBAN), ("resistance fighters", NRF)]
    before = [a.name for _, _, a in book.find("Government forces clashed with resistance fighters",
                                               BEFORE)]
    assert before == [ARMY, MILITIA]


@pytest.mark.parametrize(("text", "armed"), [
    ("The Afghan government", ARMY), ("the US government", US), ("Tehran", IRAN),
    ("Taliban", TALIBAN), ("security forces", ARMY), ("civilians", "Civilians (Afghanistan)"),
])
def test_a_government_fights_through_its_military(text: str, armed: str) -> None:
    """"The Afghan government has announced the retaking of Malistan" (news_train AE46): ACLED
    codes the battle to the army; everyone else fights as themselves."""
    book = ActorBook.default()
    actor = book.resolve(text, BEFORE)
    assert actor is not None and book.armed(actor).name == armed


def test_armed_as_must_name_a_known_actor(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("actors:\n  - {id: x, name: X, armed_as: nobody}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="armed_as names actor id 'nobody'"):
        ActorBook.load([path])


# ----------------------------------------------------------------- user timelines

MYANMAR = """
actors:
  - id: mmr-military
    name: Military Forces of Myanmar (2021-)
    inter: 1
    country: Myanmar
    aliases: [Tatmadaw, junta]
    proper: true
  - id: mmr-gov-nld
    name: Government of Myanmar (2016-2021)
    inter: 1
    country: Myanmar
    aliases: [NLD government]
  - id: pdf
    name: PDF - People's Defence Force
    inter: 2
    country: Myanmar
    aliases: [People's Defence Force, PDF]
timelines:
  - id: myanmar
    eras:
      - {id: nld, }
      - {id: junta, from: 2021-02-01}
    aliases:
      - aliases: [Myanmar government, the government of Myanmar]
        actor: {nld: mmr-gov-nld, junta: mmr-military}
      - aliases: [resistance fighters in Sagaing]
        actor: {nld: null, junta: pdf}
"""


def test_another_theatre_defines_its_own_eras(tmp_path: Path) -> None:
    path = tmp_path / "myanmar.yaml"
    path.write_text(MYANMAR, encoding="utf-8")
    book = ActorBook.load([path])
    on_before, on_after = dt.date(2020, 11, 8), dt.date(2021, 3, 27)
    gov_before, gov_after = (book.resolve("the Myanmar government", d) for d in (on_before, on_after))
    assert gov_before is not None and gov_before.id == "mmr-gov-nld"
    assert gov_after is not None and gov_after.id == "mmr-military"
    assert book.resolve("junta soldiers", on_after) == book.get("mmr-military")  # proper + role
    # both theatres coexist: Afghanistan keeps its own switch date
    assert book.era(dt.date(2021, 3, 27), "afghanistan") == "republic"
    assert book.era(dt.date(2021, 3, 27), "myanmar") == "junta"
    sec = book.resolve("security forces", AFTER)
    assert sec is not None and sec.name == TALIBAN


BAD_TIMELINES = [
    ("timelines:\n  - id: t\n    eras: [{id: a}]\n", "two or more eras"),
    ("timelines:\n  - id: t\n    eras: [{id: a, from: 2021-01-01}, {id: b, from: 2021-02-01}]\n",
     "only the first era is open"),
    ("timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 2021-02-01}, {id: c, from: 2021-01-01}]\n",
     "not after the previous era"),
    ("timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 'March 2021'}]\n", "not an ISO date"),
    ("timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 2021-02-01}]\n"
     "    aliases:\n      - {aliases: [the army], actor: {a: taliban}}\n", "every era"),
    ("timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 2021-02-01}]\n"
     "    aliases:\n      - {aliases: [the army], actor: {a: taliban, b: no-such-id}}\n",
     "which no actor file defines"),
    ("timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 2021-02-01}]\n"
     "    aliases:\n      - {aliases: [junta], actor: {a: null, b: taliban}}\n"
     "      - {aliases: [the junta], actor: {a: null, b: null}}\n", "in two groups"),
    ("actors:\n  - {id: x, name: X, aliases: [junta]}\n"
     "timelines:\n  - id: t\n    eras: [{id: a}, {id: b, from: 2021-02-01}]\n"
     "    aliases:\n      - {aliases: [junta], actor: {a: null, b: x}}\n",
     "also an actor's undated aliases"),
    ("past_modifiers: former\n", "must be a list of words"),
    ("actors:\n  - {id: x, name: X, proper: 'yes'}\n", "proper must be true or false"),
]


@pytest.mark.parametrize(("content", "message"), BAD_TIMELINES)
def test_bad_timeline_names_the_file_and_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    text = content if content.startswith("actors:") else "actors: []\n" + content
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        ActorBook.load([path])
    assert str(path) in str(err.value) and message in str(err.value)


# ----------------------------------------------------------------- real news (gold quotes)

def _gold_events(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        pytest.skip(f"{path} is absent (the real-news sets sit beside the repository)")
    events: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["events"]
    return events


def test_after_the_fall_the_quotes_never_name_the_republic_by_a_generic_phrase() -> None:
    """news_extra (a tuning set): in the quotes of events after 15 August 2021, every actor the
    book finds by a generic phrase is the gold's or a bystander, never the Republic's forces
    (only its own institutions, "ANDSF", or its former members — "the remnants of the regular
    Afghan army", "former uprising forces" — and its dead — "Afghan soldiers who died
    fighting the Taliban" — name them), and the resistance is found as NRF."""
    book = ActorBook.default()
    found_nrf = 0
    for ev in _gold_events(EXTRA_GOLD):
        on = dt.date.fromisoformat(ev["event_date"])
        if on <= FALL:
            continue
        for m in ev["mentions"]:
            for s, e, actor in book.find(m["quote"], on):
                surface = m["quote"][s:e]
                if actor.name == ARMY:  # "ANDSF", or "former security forces"
                    # "former security forces", "the remnants of the regular Afghan army"
                    before = m["quote"][max(0, s - 24):s].lower()
                    after = m["quote"][e:e + 24].lower()  # "... who died fighting": its dead
                    assert ("ANDSF" in surface or "national" in surface.lower()
                            or "former" in before[-8:] or "remnants of" in before
                            or after.startswith((" who died", " who were killed", " killed"))), surface
                if actor.name in (POLICE, MILITIA):  # only as "former" members
                    assert "former" in m["quote"][max(0, s - 24):s].lower()[-8:], surface
                found_nrf += actor.name == NRF and NRF in (ev["actor1"], ev["actor2"])
    assert found_nrf >= 10


def test_before_the_fall_the_train_quotes_keep_the_republic() -> None:
    """news_train quotes (windows A and B, all before the fall): an event whose gold names the
    Republic's army has that army found in its quotes on its own date as often as undated."""
    book = ActorBook.default()
    dated = undated = 0
    for ev in _gold_events(NEWS_GOLD):
        if ev["id"][:2] not in ("AE", "BE") or ARMY not in (ev["actor1"], ev["actor2"]):
            continue
        on = dt.date.fromisoformat(ev["event_date"])
        quotes = [m["quote"] for m in ev["mentions"]]
        dated += any(a.name == ARMY for q in quotes for _, _, a in book.find(q, on))
        undated += any(a.name == ARMY for q in quotes for _, _, a in book.find(q))
    assert dated == undated and dated >= 30
