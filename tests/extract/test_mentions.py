"""Mention extraction on real seed sentences, bad input, and the seeds measurement (floors)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
import standins  # tests/extract/standins.py (hand-built resolvers)

from sitrep.extract import ExtractContext, explain_mentions, extract_mentions
from sitrep.extract.arguments import counted_units, harm_caused_by_event
from sitrep.model import Article, Mention, stable_id

ROOT = Path(__file__).resolve().parents[2]
TERRITORIAL = {"Non-state actor overtakes territory", "Non-violent transfer of territory"}


def _article(text: str, published: dt.date | None = dt.date(2021, 7, 4), language: str | None = "en",
             title: str | None = None) -> Article:
    return Article(id=stable_id(text), text=text, source="test", published=published,
                   language=language, title=title)


def _run(nlp: Any, text: str, ctx: ExtractContext | None = None, **kw: Any) -> list[Mention]:
    article = _article(text, **kw)
    return extract_mentions(article, nlp(text), ctx)


@pytest.fixture(scope="module")
def real() -> ExtractContext:
    return ExtractContext.default()


# ---------------------------------------------------------------- real seed sentences

def test_panjwai_capture(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban continue to regain ground in Afghanistan.\n\n"
            "They seized, Sunday, July 4, the key district of Panjwai, in the south of the country, "
            "after night fighting.")
    (m,) = _run(nlp, text, real)
    assert m.sub_event_type == "Non-state actor overtakes territory"
    assert m.trigger.text.startswith("seized")
    assert m.actor1 is not None and m.actor1.actor is not None and m.actor1.actor.name == "Taliban"
    assert m.actor2 is not None and m.actor2.actor is not None  # the default loser: Afghan forces
    assert m.actor2.actor.inter == 1
    assert m.place is not None and m.place.place is not None and m.place.place.name == "Panjwayi"
    assert m.date is not None and m.date.interval.start == dt.date(2021, 7, 4)
    assert m.date.interval.precision == "day" and not m.date.basis.startswith("inherited")
    assert m.modality == "asserted"


def test_offsets_are_article_offsets(nlp: Any, real: ExtractContext) -> None:
    text = Path(standins.SEEDS / "000_b228aec6dd147c9a.txt").read_text(encoding="utf-8")
    mentions = _run(nlp, text, real)
    assert mentions
    for m in mentions:
        assert text[m.sentence.start : m.sentence.end] == m.sentence.text
        assert text[m.trigger.start : m.trigger.end] == m.trigger.text
        assert m.sentence.start <= m.trigger.start < m.trigger.end <= m.sentence.end
        assert m.id == stable_id(m.article_id, m.trigger.start, m.sub_event_type)


def test_kandahar_jail_claimed_with_prisoners(nlp: Any, real: ExtractContext) -> None:
    text = ("And in Kandahar, the Taliban claimed Wednesday they had seized the jail and released "
            "\u201chundreds of prisoners.\u201d")
    mentions = _run(nlp, text, real, published=dt.date(2021, 8, 13))
    seized = [m for m in mentions if m.sub_event_type in TERRITORIAL]
    assert seized and seized[0].modality == "claimed"
    m = seized[0]
    assert m.place is not None and m.place.place is not None and m.place.place.name == "Kandahar"
    assert m.date is not None and m.date.interval.start == dt.date(2021, 8, 11)
    assert [(q.role, q.value, q.low, q.high) for q in m.numbers] == [("prisoners_freed", 100, 100, 999)]


def test_clash_has_both_actors(nlp: Any, real: ExtractContext) -> None:
    text = ("Panjwai District Governor Hasti Mohammad said Afghan and Taliban forces clashed overnight, "
            "leading to the withdrawal of government forces from the area.")
    mentions = _run(nlp, text, real)
    assert mentions
    m = mentions[0]
    assert m.attribution == "Panjwai District Governor Hasti Mohammad"
    assert m.place is not None and m.place.place is not None and m.place.place.name == "Panjwayi"


def test_month_old_but_specific_attack_is_kept(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban had already briefly attempted in June to attack Kunduz, capital of the "
            "province of the same name in the north of the country.")
    (m,) = _run(nlp, text, real, published=dt.date(2021, 7, 8))
    assert m.place is not None and m.place.place is not None and m.place.place.name == "Kunduz"
    assert m.date is not None and m.date.interval.start == dt.date(2021, 6, 1)
    assert m.date.interval.precision in ("month", "range")


@pytest.mark.parametrize(
    "text",
    [
        "Kandahar is the birthplace of the Taliban movement, which seized power in Afghanistan in 1996.",
        "Over the years, Taliban and Afghan forces have regularly clashed in and around Panjwai.",
        "It is the home province of former President Burhanuddin Rabbani, who was killed by a suicide "
        "bomber in 2011.",
        "Fighting has raged in recent weeks in several Afghan provinces.",
        "Since mid-April, the Taliban have made progress across the country.",
        "In just one week, took control of 12 of the 34 provincial capitals Afghan.",
        "The fighting has caused significant displacement of people.",
        "Fighting has raged in recent weeks in several Afghan provinces and the Taliban claim to "
        "control around 100 of the country's nearly 400 districts.",
        "Panjwai was for a long time a Taliban center and the scene for years of major fighting "
        "between rebels and NATO troops.",
        "Hundreds of families fled to Herat during the fighting, according to local aid workers.",
    ],
)
def test_background_sentences_produce_no_event(nlp: Any, real: ExtractContext, text: str) -> None:
    mentions = _run(nlp, text, real, published=dt.date(2021, 7, 8))
    assert [m for m in mentions if m.modality in ("asserted", "claimed")] == []


def test_explain_names_the_background_reason(nlp: Any, real: ExtractContext) -> None:
    text = ("It is the home province of former President Burhanuddin Rabbani, who was killed by a "
            "suicide bomber in 2011.")
    article = _article(text)
    reasons = [d.reason for d in explain_mentions(article, nlp(text), real)]
    assert reasons and all("historical" in r for r in reasons)


def test_inherited_date_and_pronoun_actor(nlp: Any, real: ExtractContext) -> None:
    text = ("This Thursday morning, July 8, fighting opposed the Taliban to the Afghan army in the city "
            "of Qala-i-Naw.\n\nAfghan forces launched a counteroffensive to retake the city.")
    mentions = _run(nlp, text, real, published=dt.date(2021, 7, 8))
    last = mentions[-1]
    assert last.date is not None and last.date.basis.startswith("inherited")
    assert last.place is not None and last.place.place is not None
    assert last.place.place.name == "Qala-e-Naw"  # carried from the previous sentence


# ---------------------------------------------------------------- stand-in resolvers

def test_unknown_place_keeps_raw_span(nlp: Any) -> None:
    text = "The Taliban seized Zorbazabad district on Sunday."
    mentions = _run(nlp, text, standins.context())
    assert mentions
    m = mentions[0]
    assert m.place is not None and m.place.place is None and "Zorbazabad" in m.place.span.text


def test_no_places_no_dates_no_published(nlp: Any) -> None:
    text = "The insurgents seized the checkpoint after a long battle."
    mentions = _run(nlp, text, standins.context(), published=None)
    assert mentions
    assert all(m.date is None and (m.place is None or m.place.place is None) for m in mentions)


# ---------------------------------------------------------------- bad input

def test_empty_text(nlp: Any, real: ExtractContext) -> None:
    assert _run(nlp, "", real) == []
    assert _run(nlp, "   \n\n  ", real) == []


def test_non_english_text(nlp: Any, real: ExtractContext) -> None:
    text = "Les talibans ont pris le contrôle du district de Panjwai dimanche 4 juillet."
    assert _run(nlp, text, real, language="fr") == []
    # undetected language: no crash, and nothing invented
    for m in _run(nlp, text, real, language=None):
        assert text[m.trigger.start : m.trigger.end] == m.trigger.text


def test_five_thousand_character_sentence(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban seized the district of Panjwai, " * 120).rstrip(", ") + "."
    assert len(text) > 5000
    mentions = _run(nlp, text, real)
    for m in mentions:
        assert len(m.sentence.text) <= 5000 and text[m.sentence.start : m.sentence.end] == m.sentence.text


def test_unknown_place_real_resolver(nlp: Any, real: ExtractContext) -> None:
    text = "The Taliban seized Zorbazabad district on Sunday."
    for m in _run(nlp, text, real):
        if m.place is not None and m.place.span.text.startswith("Zorbazabad"):
            assert m.place.place is None  # no coordinates, no geo_precision invented


# ---------------------------------------------------------------- measurement (integration)

def test_seeds_measurement_floors(tmp_path: Path) -> None:
    """The bench on the seeds. Floors are the measured values at commit time (the 0.90 recall
    target is not reached: the remaining misses are trigger-lexicon gaps, listed by the bench)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import mentions_eval

    res = mentions_eval.evaluate(standins.GOLD, standins.SEEDS)
    # measured at commit: recall 0.836, events 0.917, spurious (event-bearing) 2.0/article,
    # place admin1 0.823 / location 0.810, date 0.975, actor1 0.689 -- floors leave a margin
    # for changes in the lexicon and resolvers this stage calls
    assert res["recall_quotes"] >= 0.80
    assert res["event_recall"] >= 0.90
    assert res["spurious_event_bearing_per_article"] <= 3.0
    assert res["place_admin1_accuracy"] >= 0.75
    assert res["place_location_accuracy"] >= 0.70
    assert res["date_accuracy"] >= 0.90
    assert res["actor1_accuracy"] >= 0.60


def test_clash_between_coordinated_forces(nlp: Any, real: ExtractContext) -> None:
    text = "Panjwai District Governor Hasti Mohammad said Afghan and Taliban forces clashed overnight."
    (m,) = _run(nlp, text, real)
    names = {m.actor1.actor.name if m.actor1 and m.actor1.actor else None,
             m.actor2.actor.name if m.actor2 and m.actor2.actor else None}
    assert "Taliban" in names and "Military Forces of Afghanistan (2014-2021)" in names


def test_coordinated_places_are_separate_mentions(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban took control on Tuesday of two more provincial capitals, Farah in the west "
            "and Pul-e-Khumri in the north.")
    mentions = [m for m in _run(nlp, text, real, published=dt.date(2021, 8, 10))
                if m.sub_event_type in TERRITORIAL]
    places = {m.place.place.name for m in mentions if m.place and m.place.place}
    assert len(places) == 2 and "Farah" in places
    assert len({m.id for m in mentions}) == len(mentions)  # distinct ids


def test_unclaimed_bombing_is_by_unidentified_group(nlp: Any, real: ExtractContext) -> None:
    text = ("On Sunday afternoon, the secretary to the governor of Kandahar was killed by the explosion "
            "of a bomb placed on his car in front of the governorate, the Interior Ministry said.")
    mentions = _run(nlp, text, real)
    assert mentions
    for m in mentions:
        assert m.actor1 is None or m.actor1.actor is None or m.actor1.actor.name != "Taliban"
    assert any(m.attribution == "the Interior Ministry" for m in mentions)


def test_public_api() -> None:
    import sitrep.extract as extract

    assert sorted(extract.__all__) == ["ExtractContext", "TriggerDecision", "explain_mentions",
                                       "extract_mentions"]
    for name in extract.__all__:
        assert getattr(extract, name) is not None


def _name(ref: Any) -> str | None:
    return ref.actor.name if ref is not None and ref.actor is not None else None


def test_state_regain_is_from_the_rebels_before_the_fall(nlp: Any, real: ExtractContext) -> None:
    text = "Afghan security forces retook the Kaldar district of Balkh province on Monday."
    regains = [m for m in _run(nlp, text, real, published=dt.date(2021, 6, 29))
               if m.sub_event_type == "Government regains territory"]
    assert regains and _name(regains[0].actor2) == "Taliban"
    assert _name(regains[0].actor1) == "Military Forces of Afghanistan (2014-2021)"


def test_state_regain_after_the_fall_names_no_default_side(nlp: Any, real: ExtractContext) -> None:
    text = "Security forces retook the Kaldar district of Balkh province on Monday."
    for m in _run(nlp, text, real, published=dt.date(2021, 9, 7)):
        if m.sub_event_type == "Government regains territory":
            assert _name(m.actor2) != _name(m.actor1)
            assert _name(m.actor2) != "Taliban"


def test_country_modified_strike_is_that_countrys_force(nlp: Any, real: ExtractContext) -> None:
    text = "A US airstrike killed ten Taliban fighters in Kandahar province on Thursday."
    strikes = [m for m in _run(nlp, text, real, published=dt.date(2021, 7, 23))
               if m.sub_event_type == "Air/drone strike"]
    assert strikes and _name(strikes[0].actor1) == "Military Forces of the United States (2021-)"
    assert strikes[0].actor1 is not None and strikes[0].actor1.span.text == "US airstrike"


def test_district_lists_across_provinces_are_one_place_each(nlp: Any, real: ExtractContext) -> None:
    text = ("Security forces retook Jaghori and Qarabagh districts in Ghazni and Khakrez district "
            "in Kandahar on Monday.")
    mentions = [m for m in _run(nlp, text, real, published=dt.date(2021, 7, 20))
                if m.sub_event_type == "Government regains territory"]
    got = {(m.place.place.name, m.place.place.admin1) for m in mentions if m.place and m.place.place}
    assert sorted(admin1 for _, admin1 in got) == ["Ghazni", "Ghazni", "Kandahar"]
    assert ("Khakrez", "Kandahar") in got
    assert len({m.id for m in mentions}) == len(mentions)


def test_possessive_province_list_keeps_its_members_there(nlp: Any, real: ExtractContext) -> None:
    text = ("The Taliban captured Parwan's Shinwari and Koh-e Safi districts, and Arghandab district "
            "in Zabul on Sunday.")
    mentions = [m for m in _run(nlp, text, real, published=dt.date(2021, 7, 20))
                if m.sub_event_type == "Non-state actor overtakes territory"]
    got = {(m.place.place.name, m.place.place.admin1) for m in mentions if m.place and m.place.place}
    assert ("Arghandab", "Zabul") in got and ("Shinwari", "Parwan") in got


@pytest.mark.parametrize("text", [
    "One civilian was killed and 12 were wounded in fighting in Herat city over the past 24 hours.",
    "At least 33 people were killed and 73 injured in explosions that occurred Friday in a mosque.",
    "Three people were killed when three blasts struck the city of Jalalabad on Saturday.",
])
def test_coordinated_casualties_share_their_cause(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    """The cause hangs from the second harm verb; the first one's casualties are its too."""
    doc = nlp(text)
    assert harm_caused_by_event(next(t for t in doc if t.text == "killed"))



def test_a_counted_subject_is_a_tally(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Since May 1, at least 10 districts have fallen to the Taliban.")
    assert counted_units(next(t for t in doc if t.text == "fallen"))


def test_a_unit_named_only_by_its_rank_is_counted_not_placed(nlp: Any, real: ExtractContext) -> None:
    """'ten days after the insurgents took their first provincial capital': a unit named by
    its rank has no place of its own, so the Kabul of the main clause is no capture ten
    days before its fall; a rank beside the unit's name still places it."""
    text = ("Taliban fighters entered Kabul on Sunday and the president left the country, "
            "barely ten days after the insurgents took their first provincial capital.")
    doc = nlp(text)
    assert counted_units(next(t for t in doc if t.text == "took"))
    early = [m for m in _run(nlp, text, real, published=dt.date(2021, 8, 15))
             if m.sub_event_type in TERRITORIAL and m.date is not None
             and m.date.interval.start < dt.date(2021, 8, 14)]
    assert early == []
    named = nlp("The Taliban took Kunduz, their first provincial capital, on Sunday.")
    assert not counted_units(next(t for t in named if t.text == "took"))


def test_people_evacuated_from_a_city_hand_over_no_place(nlp: Any, real: ExtractContext) -> None:
    """Evacuating people moves people, not control ('people have been evacuated from
    Kabul'); a garrison evacuating a district still hands it over."""
    people = _run(nlp, "More than 100,000 people have been evacuated from Kabul since the "
                  "airlift began.", real, published=dt.date(2021, 8, 27))
    assert not [m for m in people if m.sub_event_type == "Non-violent transfer of territory"]
    staff = _run(nlp, "Western troops are being deployed to help evacuate remaining diplomatic staff "
                 "in Kabul, officials said on Thursday.", real, published=dt.date(2021, 8, 13))
    assert not [m for m in staff if m.sub_event_type == "Non-violent transfer of territory"]
    troops = _run(nlp, "Government troops evacuated the district centre of Shahrak in Ghor "
                  "province on Monday.", real, published=dt.date(2021, 6, 8))
    assert [m for m in troops if m.sub_event_type in TERRITORIAL]


def test_a_since_phrase_opens_a_window(nlp: Any, real: ExtractContext) -> None:
    """'Since the beginning of the withdrawal on May 1' dates a window up to the report,
    not May 1 itself."""
    text = ("Since the beginning of the official withdrawal of foreign troops on May 1, the "
            "Taliban have captured Shahrak district in Ghor province.")
    mentions = _run(nlp, text, real, published=dt.date(2021, 6, 8))
    dated = [m.date.interval for m in mentions if m.date is not None and m.date.span is not None]
    assert dated and all(d.start == dt.date(2021, 5, 1) and d.end == dt.date(2021, 6, 8)
                         for d in dated)


def test_a_named_town_surrendered_is_a_transfer_without_a_fight(nlp: Any, afghanistan: ExtractContext) -> None:
    """'surrendered Kunduz to the Taliban': a named town given up, not an Agreement (the
    lexicon's unit nouns do not name it)."""
    text = "Tribal elders surrendered Faizabad to the Taliban on Sunday after talks."
    found = [(m.sub_event_type, m.place.place.name if m.place and m.place.place else None,
              m.actor1.actor.name if m.actor1 and m.actor1.actor else None)
             for m in extract_mentions(_article(text, dt.date(2021, 8, 16)), nlp(text), afghanistan)]
    assert ("Non-violent transfer of territory", "Fayzabad", "Taliban") in found
    assert not any(t == "Agreement" for t, _, _ in found)


def test_gunned_down_is_a_killing(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "A former district governor was gunned down by Taliban fighters in Kunduz city on Monday."
    types = {m.sub_event_type for m in extract_mentions(_article(text, dt.date(2021, 9, 7)), nlp(text),
                                                        afghanistan)}
    assert types & {"Attack", "Armed clash"}


def test_a_device_used_to_strike_is_no_habit(nlp: Any, afghanistan: ExtractContext) -> None:
    """'used to' is a habit ('fighters used to attack the post'), not the passive 'a bomb was
    used to strike a vehicle', which tells one blast."""
    blast = "Officials said a roadside bomb was used to strike a Taliban vehicle in Kunduz city on Tuesday."
    assert any(m.sub_event_type == "Remote explosive/landmine/IED" for m in extract_mentions(
        _article(blast, dt.date(2021, 10, 6)), nlp(blast), afghanistan))
    habit = "Insurgents used to attack the checkpoint in Kunduz city."
    assert not extract_mentions(_article(habit, dt.date(2021, 10, 6)), nlp(habit), afghanistan)


def test_a_fall_with_no_fighting_is_a_transfer_told(nlp: Any, afghanistan: ExtractContext) -> None:
    """'with no fighting' / 'with no resistance' is what the transfer pattern reports, not a
    fight denied: the mention is asserted, so fusion can type the fall non-violent."""
    for text in ("Sheberghan fell to the Taliban with no fighting on Friday, residents said.",
                 "The Taliban entered Sheberghan on Friday with no resistance from the garrison."):
        found = [(m.sub_event_type, m.modality) for m in extract_mentions(
            _article(text, dt.date(2021, 8, 7)), nlp(text), afghanistan)]
        assert ("Non-violent transfer of territory", "asserted") in found, found
