"""The evaluator: a store built from the gold itself scores 1.0, perturbations cost what
they should, matching is one-to-one, lenient families, range dates and province-level
places follow DESIGN.md "Evaluation"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sitrep.evaluate import evaluate
from sitrep.evaluate.agreement import date_agrees, place_agrees, place_key, types_agree
from sitrep.evaluate.gold import locate, map_articles
from sitrep.evaluate.ledger import claimant_agrees
from sitrep.model import (
    Article,
    Claim,
    ControlState,
    DateInterval,
    DateRef,
    Event,
    Mention,
    Place,
    PlaceRef,
    Span,
    stable_id,
)
from sitrep.store import Store

D = dt.date.fromisoformat
SHARED = (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_gold.json"


def _articles(gold: Mapping[str, Any]) -> dict[str, Article]:
    out = {}
    for g in gold["articles"]:
        text = (SEEDS / g["file"]).read_text(encoding="utf-8")
        out[g["file"]] = Article(id=stable_id(text), text=text, source=str(SEEDS / g["file"]),
                                 published=D(g["published"]),
                                 boilerplate=tuple(g["boilerplate_lines"]))
    return out


def _place(g: Mapping[str, Any]) -> Place:
    kind = "province" if g["geo_precision"] == 3 else "city"
    return Place(id=f"p:{g['location']}", name=g["location"], kind=kind, admin1=g["admin1"],
                 admin2=g["admin2"], geo_precision=g["geo_precision"])


def _interval(g: Mapping[str, Any]) -> DateInterval:
    if g["date_range"]:
        return DateInterval(D(g["date_range"][0]), D(g["date_range"][1]), g["date_precision"])
    return DateInterval(D(g["event_date"]), D(g["event_date"]), "day")


def gold_store(path: Path, gold: Mapping[str, Any], *, events: bool = True,
               edit: Any = None, edit_mentions: Any = None) -> Store:
    """A store holding exactly what the gold says (``edit`` may rewrite the events)."""
    arts = _articles(gold)
    store = Store(path)
    store.add_articles(arts.values())
    mentions, evs, control, claims = [], [], [], []
    for g in gold["events"]:
        mids, aids = [], []
        for q in g["mentions"]:
            a = arts[q["file"]]
            s, e = locate(a.text, q["quote"]) or (0, 0)
            m = Mention(id=stable_id(a.id, s, g["id"]), article_id=a.id,
                        sentence=Span(s, e, a.text[s:e]), trigger=Span(s, e, a.text[s:e]),
                        event_type=g["event_type"], sub_event_type=g["sub_event_type"],
                        place=PlaceRef(Span(s, s, ""), _place(g)),
                        date=DateRef(None, _interval(g)))
            mentions.append(m)
            mids.append(m.id)
            aids.append(a.id)
        evs.append(Event(id=g["id"], date=_interval(g), event_type=g["event_type"],
                         sub_event_type=g["sub_event_type"], place=_place(g),
                         mention_ids=tuple(mids), article_ids=tuple(sorted(set(aids))),
                         confidence=1.0))  # gold: certain, shown at any --min-confidence
        cc = g["control_change"]
        if cc:
            control.append(ControlState(unit_id=f"u:{cc['unit']}", unit_name=cc["unit"],
                                        unit_level=cc["unit_level"], admin1=g["admin1"],
                                        date=D(g["event_date"]),
                                        controller=cc["new_controller"].lower(), confirmed=True))
    for c in gold["claims"]:
        a = arts[c["file"]]
        s, e = locate(a.text, c["quote"]) or (0, 0)
        claims.append(Claim(id=c["id"], article_id=a.id, claimant=c["claimant"],
                            statement=c["statement"], quote=Span(s, e, a.text[s:e]),
                            as_of=D(c["as_of"])))
    if edit is not None:
        evs = edit(evs)
    if edit_mentions is not None:
        mentions = edit_mentions(mentions)
    store.replace_mentions([a.id for a in arts.values()], mentions)
    if events:
        store.upsert_events(evs)
    store.replace_control(control)
    store.replace_claims([a.id for a in arts.values()], claims)
    return store


def _score(tmp_path: Path, gold: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
    with gold_store(tmp_path / "g.duckdb", gold, **kw) as store:
        return evaluate(store, GOLD)


def test_gold_scores_perfect(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    result = _score(tmp_path, seeds_gold)
    m = result["metrics"]
    for key in ("events.strict.f1", "events.lenient.f1", "mentions.geocoding", "mentions.dates",
                "claims.recall", "claims.precision", "claims.claimant", "claims.as_of",
                "boilerplate.precision", "boilerplate.recall", "published"):
        assert m[key] == 1.0, key
    assert result["articles"] == {"gold": 5, "mapped": 5, "unmapped": []}
    assert result["events"]["oversplit"]["gold_events"] == 0
    assert all(v["matched"] and v["duplicates"] == 0
               for v in result["events"]["multi_article"].values())
    assert set(result["events"]["multi_article"]) == {"E01", "E04", "E08", "E12"}
    # the named control changes all score; the unnamed aggregates are set aside
    assert result["control"]["accuracy"] == 1.0
    assert result["control"]["not_scorable"] == 3
    json.dumps(result)  # JSON-safe


def test_duplicate_event_is_oversplit_and_costs_precision(
        tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    def dup(evs: list[Event]) -> list[Event]:
        e08 = next(e for e in evs if e.id == "E08")
        return [*evs, dataclasses.replace(e08, id="E08-copy")]

    result = _score(tmp_path, seeds_gold, edit=dup)
    ev = result["events"]
    assert ev["strict"]["recall"] == 1.0
    assert ev["strict"]["fp"] == 1
    assert ev["oversplit"] == {"gold_events": 1, "extra_events": 1, "ids": {"E08": ["E08-copy"]}}
    assert ev["multi_article"]["E08"]["duplicates"] == 1


def test_merged_same_place_events_lose_one(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    """E12 (July entry) and E21 (August capitulation) fused into one predicted event: one
    to-one matching credits only one of them, and the pair is reported not separate."""
    def merge(evs: list[Event]) -> list[Event]:
        return [e for e in evs if e.id != "E21"]

    ev = _score(tmp_path, seeds_gold, edit=merge)["events"]
    assert ev["lenient"]["fn"] == 1
    pair = next(p for p in ev["same_place_pairs"] if p["gold"] == ["E12", "E21"])
    assert pair["separate"] is False
    assert pair["status"] == "unmatched E21"


def test_one_event_with_mentions_of_two_gold_events_is_merged(
        tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    def merge(evs: list[Event]) -> list[Event]:
        e12 = next(e for e in evs if e.id == "E12")
        e21 = next(e for e in evs if e.id == "E21")
        both = dataclasses.replace(e12, mention_ids=e12.mention_ids + e21.mention_ids,
                                   article_ids=tuple(sorted({*e12.article_ids,
                                                             *e21.article_ids})))
        return [both if e.id == "E12" else e for e in evs if e.id != "E21"]

    ev = _score(tmp_path, seeds_gold, edit=merge)["events"]
    pair = next(p for p in ev["same_place_pairs"] if p["gold"] == ["E12", "E21"])
    assert pair["status"] == "merged"
    (tmp_path / "ok").mkdir()
    perfect = _score(tmp_path / "ok", seeds_gold)["events"]
    assert all(p["status"] == "separate" for p in perfect["same_place_pairs"])


def test_type_family_counts_only_in_lenient(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    def retype(evs: list[Event]) -> list[Event]:
        return [dataclasses.replace(e, event_type="Strategic developments",
                                    sub_event_type="Non-violent transfer of territory")
                if e.id == "E08" else e for e in evs]

    ev = _score(tmp_path, seeds_gold, edit=retype)["events"]
    assert ev["strict"]["tp"] == ev["n_gold"] - 1
    assert ev["lenient"]["tp"] == ev["n_gold"]


def test_wrong_place_and_date_fail_both(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    def perturb(evs: list[Event]) -> list[Event]:
        out = []
        for e in evs:
            if e.id == "E10":  # Kandahar city -> Herat
                e = dataclasses.replace(e, place=Place(id="x", name="Herat", kind="city",
                                                       admin1="Herat", admin2="Herat"))
            if e.id == "E20":  # 12 Aug -> 15 Aug
                e = dataclasses.replace(e, date=DateInterval(D("2021-08-15"), D("2021-08-15")))
            out.append(e)
        return out

    ev = _score(tmp_path, seeds_gold, edit=perturb)["events"]
    assert ev["strict"]["fn"] == 2 and ev["lenient"]["fn"] == 2
    assert ev["matches"]["E10"]["strict"] is None and ev["matches"]["E20"]["strict"] is None


def test_only_events_from_gold_articles_are_scored(
        tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    def outsider(evs: list[Event]) -> list[Event]:
        return [*evs, dataclasses.replace(evs[0], id="elsewhere", mention_ids=(),
                                          article_ids=("not-a-gold-article",))]

    ev = _score(tmp_path, seeds_gold, edit=outsider)["events"]
    assert ev["n_pred"] == ev["n_gold"] and ev["strict"]["precision"] == 1.0


def test_no_events_scores_zero(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    m = _score(tmp_path, seeds_gold, events=False)["metrics"]
    assert m["events.strict.f1"] == 0.0 and m["events.lenient.recall"] == 0.0


def test_mention_accuracy_counts_wrong_places_and_dates(
        tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    herat = Place(id="x", name="Herat", kind="city", admin1="Herat", admin2="Herat")
    july = DateInterval(D("2021-07-01"), D("2021-07-31"), "month")

    def perturb(ms: list[Mention]) -> list[Mention]:
        out = []
        for i, m in enumerate(ms):
            if i == 0:  # E01's first mention: Kunduz -> Herat
                m = dataclasses.replace(m, place=PlaceRef(m.place.span, herat))  # type: ignore[union-attr]
            if i == 1:  # a day-precise gold guessed as a month
                m = dataclasses.replace(m, date=DateRef(None, july))
            out.append(m)
        return out

    result = _score(tmp_path, seeds_gold, edit_mentions=perturb)["mentions"]
    n = result["n"]
    assert result["geocoding"]["correct"] == n - 1
    assert result["dates"]["correct"] == n - 1
    assert len(result["errors"]) == 2


# ------------------------------------------------------------------ the rules themselves

def test_date_rule_day_window_and_range_overlap() -> None:
    day = DateInterval(D("2021-07-04"), D("2021-07-04"), "day")
    assert date_agrees(day, DateInterval(D("2021-07-05"), D("2021-07-05")))
    assert not date_agrees(day, DateInterval(D("2021-07-06"), D("2021-07-06")))
    assert not date_agrees(day, DateInterval(D("2021-07-01"), D("2021-07-31"), "month"))
    june = DateInterval(D("2021-06-01"), D("2021-06-30"), "month")
    assert date_agrees(june, DateInterval(D("2021-06-21"), D("2021-06-21")))
    assert not date_agrees(june, DateInterval(D("2021-07-01"), D("2021-07-02")))


def test_place_rule_admin1_only_at_precision_3() -> None:
    prov = {"admin1": "Badakhshan", "admin2": None, "location": "Badakhshan", "geo_precision": 3}
    fayzabad = Place(id="gn:1", name="Fayzabad", kind="city", admin1="Badakhshan",
                     admin2="Fayzabad")
    assert place_agrees(prov, fayzabad)
    town = {"admin1": "Badghis", "admin2": "Qala-e-Naw", "location": "Qala-e-Naw",
            "geo_precision": 1}
    assert place_agrees(town, Place(id="gn:2", name="Qala-i-Naw", kind="city", admin1="Badghis"))
    assert not place_agrees(town, Place(id="AF29", name="Badghis", kind="province",
                                        admin1="Badghis"))



def test_place_rule_same_gazetteer_entry_under_another_spelling() -> None:
    """'Anaba' (AP's spelling, the gold's) and 'Anawa' (AGCHO's) are two primary names of
    one gazetteer district that the consonant key tells apart: the same place. A GeoNames
    alternate never makes two entries one ('Khanabad' is an alternate of Taloqan)."""
    from sitrep.resolve.places import resolve_place

    anaba = {"admin1": "Panjshir", "admin2": "Unabah", "location": "Anaba", "geo_precision": 2}
    assert place_key("Anaba") != place_key("Anawa")
    assert place_agrees(anaba, resolve_place("Anawa district"))
    assert not place_agrees(anaba, resolve_place("Bazarak"))
    khanabad = {"admin1": "Takhar", "admin2": "Khanabad", "location": "Khanabad", "geo_precision": 1}
    assert not place_agrees(khanabad, resolve_place("Taloqan"))

def test_place_key_transliterations() -> None:
    assert place_key("Qala-i-Naw") == place_key("Qala-e Naw") == place_key("Qala-e-Naw")
    assert place_key("Panjwai") == place_key("Panjwayi")
    assert place_key("Faizabad") == place_key("Fayzabad")
    assert place_key("Mazar-i-Sharif") == place_key("Mazar-e-Sharif")
    assert place_key("Kandahar City") == place_key("Kandahar")
    assert place_key("Herat") != place_key("Helmand")
    # Ukrainian national transliteration doubles the digraph (zhzh) where GeoNames does not
    assert place_key("Zaporizhzhia") == place_key("Zaporizhia") == place_key("Zaporozhye")
    assert place_key("Zaporizhzhia") != place_key("Zhytomyr")


def test_type_rule() -> None:
    assert types_agree("Battles", "Non-state actor overtakes territory", "Strategic developments",
                       "Non-violent transfer of territory", lenient=True)
    assert not types_agree("Battles", "Armed clash", "Battles", "Non-state actor overtakes "
                           "territory", lenient=False)
    assert types_agree("Battles", "Armed clash", "Battles", "Non-state actor overtakes territory",
                       lenient=True)


def test_claimant_rule() -> None:
    assert claimant_agrees("Jan Khakriwal (Kandahar Provincial Council chairman)",
                           "Kandahar Provincial Council Chairman Jan Khakriwal")
    assert claimant_agrees("Mohib-ul Rahman (Badakhshan provincial council member)", "Rahman")
    assert claimant_agrees("AFP (narrative)", "France 24 (narrative)")
    assert not claimant_agrees("Taliban", "Human Rights Watch")
    assert not claimant_agrees("AFP (narrative)", "Taliban")
    # a gold 'Afghan officials' is read on the claim's day, as the extractor reads its speaker
    assert claimant_agrees("Afghan officials", "Taliban", dt.date(2021, 10, 4))
    assert not claimant_agrees("Afghan officials", "Taliban", dt.date(2021, 7, 4))


def test_gold_articles_map_by_url_then_file() -> None:
    """Items of one feed share ``file``; the url tells them apart."""
    a1 = Article(id="1", text="x", source="/data/feed.rss#1", url="https://e.x/a")
    a2 = Article(id="2", text="z", source="/data/feed.rss#2", url="https://e.x/b")
    b = Article(id="3", text="y", source="/data/000_b228aec6dd147c9a.txt")
    raw = {"articles": [{"file": "000_b228aec6dd147c9a.txt"},
                        {"file": "feed.rss", "url": "https://e.x/a"},
                        {"file": "feed.rss", "url": "https://e.x/b"},
                        {"file": "missing.txt"}]}
    gold = map_articles(raw, [a1, a2, b])
    assert gold.article({"file": "000_b228aec6dd147c9a.txt"}) is b
    assert gold.article({"file": "feed.rss", "url": "https://e.x/a"}) is a1
    assert gold.article({"file": "feed.rss", "url": "https://e.x/b"}) is a2
    assert gold.article({"file": "missing.txt"}) is None
    assert gold.mapped_ids == {"1", "2", "3"}


def test_locate_tolerates_line_breaks_and_quote_marks() -> None:
    text = 'He said " \n\nnew commandos arrived\n\n ." Then “More than 90%” left.'
    assert locate(text, "said \" new commandos arrived") is not None
    s, e = locate(text, '"More than 90%"') or (0, 0)
    assert text[s:e] == "“More than 90%”"


# ------------------------------------------------------------------ the command line

def test_cli_eval_json_table_and_bad_gold(tmp_path: Path, seeds_gold: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    db = tmp_path / "g.duckdb"
    gold_store(db, seeds_gold).close()
    runner = CliRunner()
    res = runner.invoke(app, ["eval", str(GOLD), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["metrics"]["events.strict.f1"] == 1.0
    assert data["metrics"]["claims.recall"] == 1.0
    res = runner.invoke(app, ["eval", str(GOLD), "--db", str(db)])
    assert res.exit_code == 0 and "events.lenient.f1" in res.output
    res = runner.invoke(app, ["eval", str(GOLD), "--db", str(db), "--errors"])
    assert res.exit_code == 0 and "errors" in res.output
    missing = tmp_path / "nope.json"
    res = runner.invoke(app, ["eval", str(missing), "--db", str(db)])
    assert res.exit_code == 2
    not_gold = tmp_path / "x.json"
    not_gold.write_text("[1, 2]", encoding="utf-8")
    res = runner.invoke(app, ["eval", str(not_gold), "--db", str(db)])
    assert res.exit_code == 2


# ------------------------------------------------------------------ resolver accuracy rules

def test_place_mention_rule_kind_admin1_and_regions() -> None:
    from sitrep.evaluate.resolution import place_mention_correct

    city = Place(id="gn:1", name="Kandahar", kind="city", admin1="Kandahar")
    prov = Place(id="AF27", name="Kandahar", kind="province", admin1="Kandahar")
    want_city = {"canonical": "Kandahar", "admin1": "Kandahar", "kind": "provincial_capital"}
    want_prov = {"canonical": "Kandahar", "admin1": "Kandahar", "kind": "province"}
    assert place_mention_correct(want_city, city) and not place_mention_correct(want_city, prov)
    assert place_mention_correct(want_prov, prov) and not place_mention_correct(want_prov, city)
    faizabad = {"canonical": "Fayzabad", "admin1": "Badakhshan", "kind": "provincial_capital"}
    assert place_mention_correct(faizabad, Place(id="gn:2", name="Faizabad", kind="city",
                                                 admin1="Badakhshan"))
    assert not place_mention_correct(faizabad, Place(id="gn:3", name="Fayzabad", kind="city",
                                                     admin1="Jowzjan"))
    region = {"canonical": "northern Afghanistan", "admin1": None, "kind": "region"}
    assert place_mention_correct(region, None)
    assert place_mention_correct(region, Place(id="AF", name="Afghanistan", kind="country"))
    assert not place_mention_correct(region, prov)


def test_date_expression_rule_day_and_range_tolerance() -> None:
    from sitrep.evaluate.resolution import date_expression_correct

    day = {"resolved": "2021-07-04"}
    assert date_expression_correct(day, DateInterval(D("2021-07-04"), D("2021-07-04")))
    assert not date_expression_correct(day, DateInterval(D("2021-07-06"), D("2021-07-06")))
    assert not date_expression_correct(day, DateInterval(D("2021-07-01"), D("2021-07-31")))
    june = {"resolved": ["2021-06-01", "2021-06-30"]}
    assert date_expression_correct(june, DateInterval(D("2021-06-01"), D("2021-06-30")))
    assert not date_expression_correct(june, DateInterval(D("2021-06-21"), D("2021-06-21")))
    assert not date_expression_correct(day, None)


def test_repeated_surface_forms_are_assigned_one_to_one() -> None:
    """Two gold readings of 'Kandahar' need two occurrences resolved two ways."""
    from sitrep.evaluate.resolution import _score, place_mention_correct

    text = "Kandahar province is the birthplace of the Taliban. He fled to Kandahar."
    art = Article(id="a", text=text, source="k.txt")
    raw = {"articles": [{"file": "k.txt"}], "place_mentions": [
        {"file": "k.txt", "text": "Kandahar", "canonical": "Kandahar", "admin1": "Kandahar",
         "kind": "provincial_capital"},
        {"file": "k.txt", "text": "Kandahar", "canonical": "Kandahar", "admin1": "Kandahar",
         "kind": "province"}]}
    gold = map_articles(raw, [art])

    def always_city(_t: str, _s: str, _a: Mapping[str, Any]) -> Place:
        return Place(id="gn:1", name="Kandahar", kind="city", admin1="Kandahar")

    def by_context(_t: str, sentence: str, _a: Mapping[str, Any]) -> Place:
        kind = "province" if "province" in sentence else "city"
        return Place(id="x", name="Kandahar", kind=kind, admin1="Kandahar")

    assert _score(gold, "place_mentions", always_city, place_mention_correct, str)["correct"] == 1
    assert _score(gold, "place_mentions", by_context, place_mention_correct, str)["correct"] == 2


def test_public_api_is_pinned() -> None:
    import sitrep.evaluate as ev

    assert sorted(ev.__all__) == ["evaluate", "headline", "render", "render_errors"]
    assert all(callable(getattr(ev, name)) for name in ev.__all__)


def test_control_change_is_not_credited_to_a_homonym_in_another_province() -> None:
    """Two districts called Baharak (Takhar and Badakhshan): a Taliban gain of the
    Badakhshan one does not satisfy the gold change of the Takhar one, whatever the
    gazetteer's bare-name pick; the right province's state does."""
    from sitrep.evaluate.gold import Gold
    from sitrep.evaluate.ledger import score_control

    class StoredGold(Gold):  # every gold event counts as stored
        def in_store(self, entry: Any) -> bool:
            return True

    def state(unit_id: str, admin1: str) -> ControlState:
        return ControlState(unit_id=unit_id, unit_name="Baharak", unit_level="district",
                            admin1=admin1, date=D("2021-06-17"), controller="taliban",
                            confirmed=True, event_ids=("e",))

    gold = StoredGold("", {"events": [{
        "id": "G1", "admin1": "Takhar", "event_date": "2021-06-17", "date_precision": "day",
        "control_change": {"unit": "Baharak district", "unit_level": "district",
                           "new_controller": "Taliban"}}]})
    assert score_control(gold, [state("AF1706", "Badakhshan")])["correct"] == 0
    assert score_control(gold, [state("AF1803", "Takhar")])["correct"] == 1


def test_the_states_of_a_gold_changes_unit_are_either_part_of_a_two_part_unit() -> None:
    """'Spin Boldak district and Wesh-Chaman border crossing': the district's state and
    the crossing's are both the unit's; another district's is not."""
    from sitrep.evaluate.ledger import unit_states

    def state(name: str, level: str, unit_id: str) -> ControlState:
        return ControlState(unit_id=unit_id, unit_name=name, unit_level=level,  # type: ignore[arg-type]
                            admin1="Kandahar", date=D("2021-07-14"), controller="taliban",
                            confirmed=True)

    g = {"id": "G1", "admin1": "Kandahar", "event_date": "2021-07-14",
         "control_change": {"unit": "Spin Boldak district and Wesh-Chaman border crossing",
                            "unit_level": "border_crossing", "new_controller": "Taliban"}}
    states = [state("Spin Boldak", "district", "AF2711"), state("Wesh-Chaman", "border_crossing", "x1"),
              state("Arghistan", "district", "AF2712")]
    assert [s.unit_name for s in unit_states(g, states)] == ["Spin Boldak", "Wesh-Chaman"]
    assert unit_states({"id": "G2"}, states) == []


def test_a_gold_site_unit_written_with_its_other_name_or_site_word_is_the_sites_state(
        ukraine: None) -> None:
    """'Zmiinyi (Snake) Island' (level 'island') and 'Zaporizhzhia nuclear power plant site
    (Enerhodar)' are the gazetteer's Snake Island and power plant sites (stored as bases):
    their states are the unit's; the town's is not the island's."""
    from sitrep.evaluate.ledger import unit_states

    def state(name: str, level: str, unit_id: str, admin1: str) -> ControlState:
        return ControlState(unit_id=unit_id, unit_name=name, unit_level=level,  # type: ignore[arg-type]
                            admin1=admin1, date=D("2022-06-30"), controller="ukraine",
                            confirmed=True)

    island = state("Snake Island", "base", "site:snake-island", "Odesa")
    plant = state("Zaporizhzhia Nuclear Power Plant", "base", "site:zaporizhzhia-npp", "Zaporizhia")
    town = state("Izmail", "city", "gn:707688", "Odesa")
    g = {"id": "G1", "admin1": "Odesa", "event_date": "2022-06-30",
         "control_change": {"unit": "Zmiinyi (Snake) Island", "unit_level": "island",
                            "new_controller": "Ukraine"}}
    assert unit_states(g, [island, plant, town]) == [island]
    g = {"id": "G2", "admin1": "Zaporizhzhia", "event_date": "2022-03-04",
         "control_change": {"unit": "Zaporizhzhia nuclear power plant site (Enerhodar)",
                            "unit_level": "site", "new_controller": "Russia"}}
    assert unit_states(g, [island, plant, town]) == [plant]


def test_a_gold_unit_written_as_most_of_a_town_is_the_towns_state() -> None:
    """'most of Rubizhne city' changed hands: the town's state is the unit's; 'the eastern
    part of' a town is a share that does not hand the town over."""
    from sitrep.evaluate.ledger import unit_states

    town = ControlState(unit_id="x1", unit_name="Rubizhne", unit_level="city", admin1="Luhansk",
                        date=D("2022-05-13"), controller="russia", confirmed=True)

    def gold(unit: str) -> dict[str, Any]:
        return {"id": "G1", "admin1": "Luhansk", "event_date": "2022-05-13",
                "control_change": {"unit": unit, "unit_level": "city", "new_controller": "Russia"}}

    assert unit_states(gold("most of Rubizhne city"), [town]) == [town]
    assert unit_states(gold("nearly all of Rubizhne"), [town]) == [town]
    assert unit_states(gold("eastern part of Rubizhne city"), [town]) == []
