"""The changes of hands one fused event tells (sitrep.control._changes_of), read off
realistic sentences: a change fusion joined to the fighting before it, and a capture and
its recapture fused into one event, each change on its own reports' day."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sitrep.control import derive_control
from sitrep.extract import ExtractContext
from sitrep.model import DateInterval, Event, Mention
from tests.extract.reading import mentions_in


def _read(nlp: Any, ctx: ExtractContext, texts: list[tuple[str, dt.date]]) -> list[Mention]:
    return [m for text, day in texts for m in mentions_in(nlp, ctx, text, day)]


def _fused(mentions: list[Mention], sub_event_type: str) -> Event:
    """One event resting on all ``mentions`` (what fusion makes of them when it joins them),
    at the place of the first one that has a place, typed ``sub_event_type``."""
    place = next(m.place.place for m in mentions if m.place is not None and m.place.place)
    days = [m.date.interval for m in mentions if m.date is not None]
    first = min(days, key=lambda d: d.start)
    return Event(id="fused", date=DateInterval(first.start, max(d.end for d in days), "range"),
                 event_type="Battles", sub_event_type=sub_event_type, place=place,
                 mention_ids=tuple(m.id for m in mentions))


def _rows(events: list[Event], mentions: list[Mention], unit: str) -> list[tuple[str, str]]:
    rows = derive_control(events, {m.id: m for m in mentions})
    return [(r.date.isoformat(), r.controller) for r in rows if r.unit_name == unit]


def test_a_liberation_fused_into_the_fighting_before_it_hands_the_town_over(
        nlp: Any, ukraine: ExtractContext) -> None:
    ms = _read(nlp, ukraine, [
        ("Heavy fighting raged in Hostomel on Thursday, officials said.", dt.date(2022, 4, 1)),
        ("Hostomel was liberated from the invaders, the deputy defence minister said on "
         "Saturday.", dt.date(2022, 4, 2))])
    assert any(m.sub_event_type == "Government regains territory" for m in ms)
    rows = _rows([_fused(ms, "Armed clash")], ms, "Hostomel")
    assert rows and rows[-1] == ("2022-04-02", "ukraine")


def test_a_capture_only_hoped_for_inside_the_fighting_changes_nothing(
        nlp: Any, afghanistan: ExtractContext) -> None:
    ms = _read(nlp, afghanistan, [
        ("Government forces clashed with the Taliban on the outskirts of Herat city on "
         "Sunday.", dt.date(2021, 8, 1)),
        ("\u201cThere is no way we will let the Taliban take the city,\u201d a militia commander "
         "in Herat said on Monday.", dt.date(2021, 8, 2))])
    rows = _rows([_fused(ms, "Armed clash")], ms, "Herat")
    assert "taliban" not in {c for _d, c in rows}


def _deh_salah_rows(nlp: Any, ctx: ExtractContext, texts: list[tuple[str, dt.date]]) -> list[tuple[str, str]]:
    """The timeline rows of Deh Salah when all the texts' reports of it are fused into one
    event (each text tells one change of the district)."""
    ms = _read(nlp, ctx, texts)
    own = [m for m in ms if m.place is not None and m.place.place is not None
           and m.place.place.name == "Deh Salah"]
    assert len(own) == len(texts)
    return _rows([_fused(own, "Non-state actor overtakes territory")], own, "Deh Salah")


def test_a_capture_and_its_recapture_fused_into_one_event_flip_the_district_back(
        nlp: Any, afghanistan: ExtractContext) -> None:
    rows = _deh_salah_rows(nlp, afghanistan, [
        ("Local militia groups took control of Deh Salah district in Baghlan province on "
         "Friday.", dt.date(2021, 8, 21)),
        ("The Taliban regained control of Deh Salah district in Baghlan province on Sunday, "
         "a spokesman said.", dt.date(2021, 8, 23))])
    assert rows == [("2021-08-20", "nrf"), ("2021-08-22", "taliban")]


def test_an_entry_the_typing_reads_as_fighting_casts_no_vote_on_the_change_beside_it(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """Fusion joined the insurgents' entry into the town, the fighting and the government's
    recapture: the change read out of the clash rests on the recapture alone (the entry,
    which the learned typing reads as fighting, does not hand the town to the enterers)."""
    ms = _read(nlp, afghanistan, [
        ("Taliban fighters entered Qala-i-Naw, the capital of Badghis province, on Wednesday.",
         dt.date(2021, 7, 8)),
        ("Taliban insurgents entered Qala-i-Naw from three directions on Wednesday, a "
         "provincial council member said.", dt.date(2021, 7, 8)),
        ("Afghan government forces regained control of Qala-i-Naw on Thursday, the defence "
         "ministry said.", dt.date(2021, 7, 9))])
    ms = [replace(m, type_scores=(("Armed clash", -0.2),)) if "entered" in m.trigger.text else m
          for m in ms]
    assert sum("entered" in m.trigger.text for m in ms) == 2
    rows = _rows([_fused(ms, "Armed clash")], ms, "Qala-e-Naw")
    assert rows and rows[-1] == ("2021-07-08", "government")


def test_a_side_that_takes_a_district_back_after_losing_it_is_a_change_of_its_own(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """Fusion joined the Taliban's first taking of a district, the militia's seizure of it and
    the Taliban's retaking: the two Taliban reports are two turns (taken, lost, retaken), not
    one change dated by the first of them, which would leave the district with the militia."""
    rows = _deh_salah_rows(nlp, afghanistan, [
        ("The Taliban took control of Deh Salah district in Baghlan province on Monday, "
         "officials said.", dt.date(2021, 8, 17)),
        ("Local militia groups took control of Deh Salah district in Baghlan province on "
         "Friday.", dt.date(2021, 8, 21)),
        ("The Taliban regained control of Deh Salah district in Baghlan province on Monday, "
         "a spokesman said.", dt.date(2021, 8, 24))])
    assert rows == [("2021-08-16", "taliban"), ("2021-08-20", "nrf"), ("2021-08-23", "taliban")]
