"""The control timeline read off realistic sentences, end to end (extraction, fusion, the
per-unit state machine): who a report hands a unit to, and which reports change no unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sitrep.extract import ExtractContext
from sitrep.model import ControlState
from tests.extract.reading import timeline_of


def _rows(rows: list[ControlState], unit: str) -> list[tuple[str, str]]:
    return [(r.date.isoformat(), r.controller) for r in rows if r.unit_name == unit]


def test_a_district_taken_for_a_few_hours_and_taken_back_is_left_with_the_government(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """Two reports of one day: the capture 'for a few hours' and the retaking. The
    retaking presupposes the loss, so it is the state the unit is left in."""
    day = dt.date(2021, 7, 31)
    rows = timeline_of(nlp, afghanistan, [
        ("The Taliban took control of the Guzara district of Herat province for a few hours "
         "on Friday afternoon.", day),
        ("The Interior Ministry said security forces launched operations on Friday during which "
         "the attacks were pushed back and the district of Guzara was taken back from the "
         "Taliban.", day)])
    guzara = _rows(rows, "Guzara")
    assert guzara and guzara[-1] == ("2021-07-30", "government")


def test_a_capture_with_no_captor_hands_the_unit_to_the_other_side_of_the_one_it_was_taken_from(
        nlp: Any, afghanistan: ExtractContext) -> None:
    rows = timeline_of(nlp, afghanistan, [
        ("Officials said the Qaisar district of Faryab province was taken back from the "
         "Taliban on Friday after days of heavy fighting.", dt.date(2021, 7, 24))])
    assert _rows(rows, "Qaysar") == [("2021-07-23", "government")]


def test_unnamed_ground_or_a_plant_near_a_town_is_no_change_of_the_town(
        nlp: Any, ukraine: ExtractContext) -> None:
    rows = timeline_of(nlp, ukraine, [
        ("Russian forces captured territory along a frontline river near Sievierodonetsk on "
         "Monday, the governor said.", dt.date(2022, 6, 21)),
        ("Russian troops gained control of the nuclear power plant near Enerhodar on Friday.",
         dt.date(2022, 3, 5))])
    assert not _rows(rows, "Sievierodonetsk") and not _rows(rows, "Enerhodar")


def test_a_share_of_a_town_in_per_cent_puts_it_in_dispute(nlp: Any, ukraine: ExtractContext) -> None:
    rows = timeline_of(nlp, ukraine, [
        ("Russian forces have taken control of 60 per cent of the town of Rubizhne in the "
         "Luhansk region, Governor Serhiy Gaidai said on Wednesday.", dt.date(2022, 4, 6))])
    assert [c for _d, c in _rows(rows, "Rubizhne")] == ["contested"]


def test_a_count_of_villages_in_a_region_is_no_change_of_the_region(
        nlp: Any, ukraine: ExtractContext) -> None:
    rows = timeline_of(nlp, ukraine, [
        ("Zelensky said eight more villages were liberated in the Kherson region on Tuesday.",
         dt.date(2022, 10, 5))])
    assert not [r for r in rows if r.unit_level == "province"]


def test_militias_taking_districts_after_the_fall_of_kabul_take_them_for_the_resistance(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """A pro-government militia fights for the government while there is one; after the
    fall of Kabul it holds ground for the resistance, never for the Taliban."""
    before = timeline_of(nlp, afghanistan, [
        ("Pro-government militias captured the Deh Salah district of Baghlan province on "
         "Friday, officials said.", dt.date(2021, 7, 24))])
    assert _rows(before, "Deh Salah") == [("2021-07-23", "government")]
    after = timeline_of(nlp, afghanistan, [
        ("The Deh Salah district of Baghlan province was taken by local militia groups on "
         "Friday, officials said.", dt.date(2021, 8, 21))])
    assert _rows(after, "Deh Salah") == [("2021-08-20", "nrf")]


def test_a_foreign_force_leaving_after_the_fall_leaves_the_place_to_the_new_state(
        nlp: Any, afghanistan: ExtractContext) -> None:
    before = timeline_of(nlp, afghanistan, [
        ("All American and NATO troops have left Bagram Airfield, US officials said on Friday.",
         dt.date(2021, 7, 2))])
    assert [c for _d, c in _rows(before, "Bagram Airfield")] == ["government"]
    after = timeline_of(nlp, afghanistan, [
        ("The last American troops left Kabul airport on Monday night, ending twenty years "
         "of war.", dt.date(2021, 8, 31))])
    assert [c for _d, c in _rows(after, "Hamid Karzai International Airport")] == ["taliban"]


def test_the_taliban_leaving_a_district_after_the_fall_leave_it_to_the_resistance(
        nlp: Any, afghanistan: ExtractContext) -> None:
    rows = timeline_of(nlp, afghanistan, [
        ("Taliban fighters withdrew from the Khenj district of Panjshir province on Friday "
         "after heavy fighting, local sources said.", dt.date(2021, 9, 4))])
    assert [c for _d, c in _rows(rows, "Khenj")] == ["nrf"]


def test_a_place_after_from_is_no_side_the_unit_was_taken_from(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """'50 km from Kabul' names where the district lies, not whom it was taken from (the
    capital read as an actor is the state of its day)."""
    rows = timeline_of(nlp, afghanistan, [
        ("The Jalrez district was captured on Friday, 50 km from Kabul, officials said.",
         dt.date(2021, 9, 4))])
    assert "nrf" not in [c for _d, c in _rows(rows, "Jalrez")]


def test_a_capture_told_by_a_speaker_about_its_own_forces_goes_to_the_speakers_side(
        nlp: Any, ukraine: ExtractContext) -> None:
    """'its forces' / 'it' before the trigger point back to the speaker the report quotes:
    Russia's claim is no Ukrainian recapture, Ukraine's is no Russian capture, whatever
    type or actor the sentence's other words suggest ('the Russian war of aggression')."""
    rows = timeline_of(nlp, ukraine, [
        ("Russia said on Tuesday that its forces had taken control of Blahodatne, a village "
         "just north of Bakhmut in eastern Ukraine.", dt.date(2023, 1, 17)),
        ("More than six months after the start of the Russian war of aggression, Ukraine says "
         "it has recaptured the strategically important city of Kupyansk in the Kharkiv region.",
         dt.date(2022, 9, 10))])
    assert [c for _d, c in _rows(rows, "Blahodatne")] == ["russia"]
    assert [c for _d, c in _rows(rows, "Kupiansk")] == ["ukraine"]


UKRAINE_EXTRA = Path(__file__).resolve().parents[2] / ".." / "ukraine_extra" / "articles"


def _real_sentence(name: str, words: str) -> str:
    """The line of a tuning-set page (``../ukraine_extra``) that holds ``words`` (skipped
    when the set is not beside the repository)."""
    page = UKRAINE_EXTRA / name
    if not page.exists():
        pytest.skip("ukraine_extra is not beside the repository")
    return next(line for line in page.read_text(encoding="utf-8").splitlines() if words in line)


def test_the_insurgent_side_written_as_the_agent_of_a_gain_takes_the_place(
        nlp: Any, ukraine: ExtractContext) -> None:
    """'have gained control' read as a regaining with the LPR/DPR forces as its agent (a
    real TASS sentence): the side written before the trigger gains, not the state a
    regaining defaults to."""
    text = _real_sentence("U118.txt", "have gained control")
    rows = timeline_of(nlp, ukraine, [(text, dt.date(2022, 7, 26))])
    assert [c for _d, c in _rows(rows, "Novoluhanske")] == ["russia"]


def test_a_prison_taken_at_a_base_is_the_base_changing_hands(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """A prison is a base on the map: taking it is no share of the base (a building in a
    town would be)."""
    rows = timeline_of(nlp, afghanistan, [
        ("Taliban seize Bagram military prison 25 km north of Kabul and free the inmates, "
         "officials said on Sunday.", dt.date(2021, 8, 15))])
    assert [c for _d, c in _rows(rows, "Bagram Airfield")] == ["taliban"]


def test_a_change_told_as_imminent_changes_no_unit(nlp: Any, afghanistan: ExtractContext) -> None:
    """'on the verge of capturing', 'on the brink of falling', 'closer to taking': the town
    has not fallen yet (a provincial capital shown taken days before its fall); the fall
    reported later is the change."""
    rows = timeline_of(nlp, afghanistan, [
        ("The Taliban are on the verge of capturing Lashkar Gah, a provincial council member "
         "said on Tuesday.", dt.date(2021, 8, 10)),
        ("Herat is on the brink of falling to the Taliban, officials said.", dt.date(2021, 8, 10)),
        ("The Taliban moved closer to taking Kandahar on Monday.", dt.date(2021, 8, 10)),
        ("The Taliban captured Herat on Thursday, officials said.", dt.date(2021, 8, 13))])
    assert not _rows(rows, "Lashkar Gah") and not _rows(rows, "Kandahar")
    assert _rows(rows, "Herat") == [("2021-08-12", "taliban")]


def test_the_seats_of_listed_provinces_are_their_capitals(nlp: Any, afghanistan: ExtractContext) -> None:
    """'the centres of Kunar and Paktia provinces' / 'the capitals of ...': the provincial
    capitals fell, not the provinces (the province word after the names is the seat's); a
    district centre's list stays the districts."""
    day = dt.date(2021, 8, 16)
    rows = timeline_of(nlp, afghanistan, [
        ("The Taliban captured the centres of Kunar and Paktia provinces on Saturday, "
         "officials said.", day),
        ("The capitals of Logar and Paktika provinces fell to the Taliban on Sunday.", day),
        ("The Taliban captured the district centres of Imam Sahib and Khan Abad on Saturday.", day)])
    towns = {(r.unit_name, r.unit_level, r.controller) for r in rows}
    assert {("Asadabad", "provincial_capital", "taliban"), ("Gardez", "provincial_capital", "taliban"),
            ("Pul-e Alam", "provincial_capital", "taliban"),
            ("Imam Sahib", "district", "taliban")} <= towns
    assert not {r.unit_name for r in rows} & {"Kunar", "Paktia", "Logar", "Paktika"}


def test_a_later_member_of_a_named_list_is_its_own_change(nlp: Any, ukraine: ExtractContext) -> None:
    """'the villages of A, B and C were taken': C is a member of the list 'the villages of'
    opens, not another settlement than the one named (which 'the village of Mayorsk was
    liberated' read at Bakhmut is)."""
    rows = timeline_of(nlp, ukraine, [
        ("The villages of Olhynka, Velykyi Anadol and Zelenyi Hai were also taken under "
         "control on Friday.", dt.date(2022, 3, 11))])
    assert _rows(rows, "Zelenyi Hai") == [("2022-03-11", "russia")]
    assert _rows(rows, "Olhynka") == [("2022-03-11", "russia")]


def test_a_speaker_giving_a_place_up_loses_it(ukraine: ExtractContext) -> None:
    """'Ukraine said it had lost Sievierodonetsk' (a report the extractor may type as a
    capture): the pronoun points back to the speaker, who gave the place up."""
    from sitrep.control import derive_control
    from sitrep.model import DateInterval, Event, Mention, PlaceRef, Span
    from sitrep.ontology import OVERTAKES
    from sitrep.resolve.gazetteer import Gazetteer

    text = "Ukraine said on Friday that it had lost Sievierodonetsk."
    place = next(e.place for e in Gazetteer.default().lookup("sievierodonetsk")[0])
    at, name = text.index("lost"), text.index("Sievierodonetsk")
    day = DateInterval(dt.date(2022, 6, 24), dt.date(2022, 6, 24), "day")
    m = Mention(id="m", article_id="a", sentence=Span(0, len(text), text),
                trigger=Span(at, at + 4, "lost"), event_type="Battles", sub_event_type=OVERTAKES,
                place=PlaceRef(Span(name, name + 15, "Sievierodonetsk"), place, 0.9),
                attribution="Ukraine")
    e = Event(id="e", date=day, event_type="Battles", sub_event_type=OVERTAKES, place=place,
              mention_ids=("m",))
    assert [r.controller for r in derive_control([e], {"m": m})] == ["russia"]


def test_a_house_taken_over_is_no_change_of_the_city(nlp: Any, afghanistan: ExtractContext) -> None:
    """A passive trigger whose subject is a house ('his house had been taken over by the
    Taliban') read at the city: the house changed hands, not the city (shown taken weeks
    before it fell)."""
    rows = timeline_of(nlp, afghanistan, [
        ("A shopkeeper in Kandahar said his house had been taken over by the Taliban after he "
         "fled last month.", dt.date(2021, 7, 26)),
        ("The Taliban captured Kandahar on Friday, officials said.", dt.date(2021, 8, 14))])
    assert _rows(rows, "Kandahar") == [("2021-08-13", "taliban")]


def test_a_share_straddling_the_trigger_puts_the_town_in_dispute(
        nlp: Any, ukraine: ExtractContext) -> None:
    """'capture areas | of Sievierodonetsk': the share straddles the trigger's end; the town
    is contested, not taken."""
    rows = timeline_of(nlp, ukraine, [
        ("Russian forces continued to capture areas of Sievierodonetsk on Monday but have not "
         "encircled the city, analysts said.", dt.date(2022, 5, 31))])
    assert "russia" not in [c for _d, c in _rows(rows, "Sievierodonetsk")]


def test_a_station_taken_in_a_town_is_no_fall_of_the_town(nlp: Any, afghanistan: ExtractContext) -> None:
    """'occupied a television station' in Lashkar Gah: a building, the town is not taken."""
    rows = timeline_of(nlp, afghanistan, [
        ("Taliban fighters occupied a television station in Lashkar Gah on Tuesday, a "
         "provincial council member said.", dt.date(2021, 8, 4))])
    assert "taliban" not in [c for _d, c in _rows(rows, "Lashkar Gah")]
