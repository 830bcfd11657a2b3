"""Territorial events in extraction (issues 9 and 11): bare and relative 'fell', ordinal
tallies, passive takes, withdrawals (verb and noun) and who they
hand a place to, a recapture that recaps the earlier fall in an 'after' clause, two changes
of hands in one sentence, and a dated 'since' recap.
Realistic sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitrep.extract import ExtractContext
from sitrep.extract.temporal import UNDATED_FLAG
from sitrep.model import Mention
from sitrep.ontology import OVERTAKES, REGAINS, TRANSFER
from tests.extract.reading import mentions_in

MONDAY = dt.date(2021, 8, 9)
FRIDAY = dt.date(2021, 8, 6)




def _of(mentions: list[Mention], sub_type: str) -> list[Mention]:
    return [m for m in mentions if m.sub_event_type == sub_type]


def _place(m: Mention) -> str | None:
    return m.place.place.name if m.place is not None and m.place.place is not None else None


def _actor(ref: Any) -> str | None:
    return ref.actor.name if ref is not None and ref.actor is not None else None


# ---------------------------------------------------------------- 'fell' without 'to'


def test_a_place_which_fell_on_a_day_is_a_dated_recap(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "Zaranj, which fell on Friday, was calm on Monday as shops reopened."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)
    assert [_place(m) for m in found] == ["Zaranj"]
    m = found[0]
    assert m.recap and m.date is not None and m.date.interval.start == FRIDAY


def test_the_sixth_capital_to_fall_is_a_tally_of_the_days_fall(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "Aybak on Monday became the sixth provincial capital to fall in four days."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)
    assert [_place(m) for m in found] == ["Aybak"]
    # a running tally (recap), dated by the day the sentence gives, not by the four-day window
    assert found[0].recap and found[0].date is not None and found[0].date.interval.start == MONDAY
    undated = _of(mentions_in(nlp, afghanistan, "Aybak is the sixth provincial capital to fall.", MONDAY),
                  OVERTAKES)
    assert undated and undated[0].date is not None and UNDATED_FLAG in undated[0].date.flags


def test_two_falls_in_one_sentence_stay_two_mentions(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "The Taliban captured Sheberghan on Saturday, a day after Zaranj, which fell on Friday."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)
    by_place = {_place(m): m for m in found}
    assert set(by_place) == {"Sheberghan", "Zaranj"}
    assert by_place["Zaranj"].recap and not by_place["Sheberghan"].recap
    assert by_place["Zaranj"].date is not None and by_place["Zaranj"].date.interval.start == FRIDAY


def test_a_fallen_headquarters_is_the_taking_of_its_district(nlp: Any, afghanistan: ExtractContext) -> None:
    # the police in the subject name who lost it, not who took it; 'large numbers' in the next
    # clause is no death toll that 'fell'
    text = ("A Taliban spokesman said the police headquarters and the district centre of Rukhah had "
            "fallen and the resistance had suffered large numbers of casualties.")
    found = mentions_in(nlp, afghanistan, text, MONDAY)
    assert [(m.sub_event_type, _place(m)) for m in found] == [(OVERTAKES, "Rukha")]


# ---------------------------------------------------------------- other ways to say 'taken'


def test_were_taken_by_names_the_gainer(nlp: Any, afghanistan: ExtractContext) -> None:
    # the small parser mangles the last name of the list: the passive 'were taken by' is the trigger
    text = ("The districts of Deh Saleh and Pul e-Hesar in Baghlan province were taken by the "
            "Taliban on Sunday.")
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)
    assert found and all(_actor(m.actor1) == "Taliban" for m in found)
    # 'Deh Saleh' is no spelling of the district, but its centre town's: the district it is
    assert {"Deh Salah", "Pul-e-Hisar"} <= {_place(m) for m in found}


def test_a_raid_on_a_hideout_takes_no_town(nlp: Any, afghanistan: ExtractContext) -> None:
    text = "On Tuesday the Taliban stormed a suspected hideout of Islamic State militants in Jalalabad."
    assert not _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)


# ---------------------------------------------------------------- withdrawals


def test_state_forces_withdrawing_hand_each_district_to_the_rebels(
        nlp: Any, afghanistan: ExtractContext) -> None:
    text = "Government forces withdrew from Chal, Baharak and Ishkamish districts on Sunday."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), TRANSFER)
    assert {_place(m) for m in found} == {"Chal", "Baharak", "Ishkamish"}
    for m in found:
        assert _actor(m.actor1) == "Taliban"
        assert _actor(m.actor2) == "Military Forces of Afghanistan (2014-2021)"


def test_the_withdrawal_noun_names_the_side_that_left(nlp: Any, afghanistan: ExtractContext) -> None:
    """The rebels leaving hand the district back to the state: the state regains it."""
    text = "The Taliban's withdrawal from Imam Sahib district on Sunday was confirmed by officials."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), REGAINS)
    assert [_place(m) for m in found] == ["Imam Sahib"]
    assert _actor(found[0].actor2) == "Taliban"
    assert _actor(found[0].actor1) == "Military Forces of Afghanistan (2014-2021)"


@pytest.mark.parametrize(("which", "left", "gainer", "sub_type"), [
    ("latter", "Military Forces of Afghanistan (2014-2021)", "Taliban", TRANSFER),
    ("former", "Taliban", "Military Forces of Afghanistan (2014-2021)", REGAINS),
])
def test_the_latter_and_the_former_of_two_sides_left(
        nlp: Any, afghanistan: ExtractContext, which: str, left: str, gainer: str,
        sub_type: str) -> None:
    """'Taliban and Afghan forces clashed ..., before the latter left the area': the
    latter is the Afghan forces (an adjective entity read with its noun), the former the
    Taliban; whoever left hands the district to the other."""
    text = (f"Taliban and Afghan forces clashed overnight in Panjwai district, before the {which} "
            "left the area.")
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), sub_type)
    assert [_place(m) for m in found] == ["Panjwayi"]
    assert (_actor(found[0].actor2), _actor(found[0].actor1)) == (left, gainer)


def test_troops_forced_to_evacuate_are_the_side_that_left(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The Taliban had cut the supply routes to Doab, forcing the government forces to "
            "evacuate the district.")
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), TRANSFER)
    assert found and _actor(found[0].actor2) == "Military Forces of Afghanistan (2014-2021)"
    assert _actor(found[0].actor1) == "Taliban"


def test_an_invader_withdrawing_hands_the_town_back_to_the_state(nlp: Any, ukraine: ExtractContext) -> None:
    text = "Russian forces have withdrawn from the town of Lyman, the defence ministry said on Saturday."
    found = _of(mentions_in(nlp, ukraine, text, dt.date(2022, 10, 2)), REGAINS)
    assert found and _actor(found[0].actor2) == "Military Forces of Russia (2000-)"
    assert _actor(found[0].actor1) == "Military Forces of Ukraine (2019-)"


# ---------------------------------------------------------------- recapture with its earlier fall


def test_a_fall_told_in_an_after_clause_is_earlier_than_the_recapture(
        nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Government forces have reclaimed Sheikh Ali district of Parwan province after it "
            "briefly fell to the Taliban, the defence ministry said on Saturday.")
    mentions = mentions_in(nlp, afghanistan, text, dt.date(2021, 7, 18))
    regain, fall = _of(mentions, REGAINS), _of(mentions, OVERTAKES)
    assert regain and fall
    assert _actor(fall[0].actor1) == "Taliban" and fall[0].recap
    # the ministry's day bounds the fall, it does not date it
    assert fall[0].date is not None and UNDATED_FLAG in fall[0].date.flags
    assert regain[0].date is not None and UNDATED_FLAG not in regain[0].date.flags


def test_a_since_clause_with_its_own_day_is_a_dated_recapture(nlp: Any, ukraine: ExtractContext) -> None:
    text = ("Reporters became the first television crew to enter Izium since the Ukrainians "
            "retook it on Saturday.")
    found = _of(mentions_in(nlp, ukraine, text, dt.date(2022, 9, 13)), REGAINS)
    assert found and found[0].date is not None
    assert found[0].date.interval.start == dt.date(2022, 9, 10)


def test_a_state_held_since_a_day_is_a_change_on_that_day(ukraine: ExtractContext) -> None:
    """'had been occupied since April 2': the occupation began on April 2, the capture's day,
    not a span to the liberation (the profile's pipeline knows Izium)."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    story = ("Ukrainian forces pressed east on Saturday. Izium had been occupied since April 2, and "
             "was liberated by the Armed Forces of Ukraine on September 10.")
    found = mentions_in(nlp, ukraine, story, dt.date(2022, 9, 12))
    taken = [m for m in found if "occupied" in m.trigger.text]
    assert taken and taken[0].date is not None
    assert (taken[0].date.interval.start, taken[0].date.interval.end) == (dt.date(2022, 4, 2),) * 2
    assert taken[0].date.interval.precision == "day"


def test_captures_within_a_since_window_keep_the_window(nlp: Any, afghanistan: ExtractContext) -> None:
    """'have captured ... since Friday' tells events inside the window, not a state begun then."""
    text = "Since Friday the Taliban have captured Zaranj, Sheberghan and Kunduz."
    found = _of(mentions_in(nlp, afghanistan, text, MONDAY), OVERTAKES)
    assert found and all(m.date is not None and m.date.interval.start == FRIDAY
                         and m.date.interval.end > FRIDAY for m in found)


def test_a_share_of_a_named_town_taken_is_a_capture_of_it(ukraine: ExtractContext) -> None:
    """'captured nearly the entirety of Rubizhne about a week ago': a capture of Rubizhne in
    that week; 'took part in the talks' is no share taken."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    text = "The Russian invaders captured nearly the entirety of Rubizhne about a week ago."
    found = _of(mentions_in(nlp, ukraine, text, dt.date(2022, 5, 19)), OVERTAKES)
    assert [_place(m) for m in found] == ["Rubizhne"]
    assert found[0].date is not None and found[0].date.interval.start == dt.date(2022, 5, 9)
    text = "Officials from Kharkiv took part in the talks in Istanbul on Tuesday."
    assert not _of(mentions_in(nlp, ukraine, text, dt.date(2022, 3, 30)), OVERTAKES)


# ---------------------------------------------------------------- what is not a change of hands


def test_a_withdrawal_from_a_capital_abroad_hands_over_no_place(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Fighting raged in Kunduz on Wednesday. Meanwhile, the withdrawal of troops from "
            "Washington continues despite the insurgents' advance.")
    assert not _of(mentions_in(nlp, afghanistan, text, dt.date(2021, 7, 8)), TRANSFER)


def test_a_trigger_inside_a_since_clause_stays_background(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("Violence has surged across the country since the pullout began on May 1, with "
            "government forces and the Taliban fighting in several provinces.")
    assert not mentions_in(nlp, afghanistan, text, dt.date(2021, 5, 9))


def test_a_witness_town_across_the_border_is_not_the_town(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The Taliban said on Wednesday they had captured the town of Spin Boldak.\n\n"
            "\"The government forces have gone,\" a trader in Chaman told reporters by phone.\n\n"
            "The interior ministry denied that the town had fallen.")
    denied = [m for m in mentions_in(nlp, afghanistan, text, dt.date(2021, 7, 14))
              if m.sentence.text.startswith("The interior")]
    assert denied and all(_place(m) == "Spin Boldak" for m in denied)


# ---------------------------------------------------------------- lists and deals


def test_a_second_object_hung_on_the_verb_is_a_coordinated_place(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("The Taliban captured Kandahar, Afghanistan's second-largest city, and Lashkar Gah, the "
            "capital of Helmand, on Friday, leaving the government in control of only a handful of cities.")
    found = _of(mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 13)), OVERTAKES)
    assert {_place(m) for m in found} == {"Kandahar", "Lashkar Gah"}


def test_a_handover_settled_by_a_deal_is_reported_as_the_deal(nlp: Any, afghanistan: ExtractContext) -> None:
    text = ("In Lashkar Gah, a security official said the army and the provincial governor had agreed "
            "a ceasefire with the insurgents and would be evacuated from the city.")
    mentions = mentions_in(nlp, afghanistan, text, dt.date(2021, 8, 13))
    handover = _of(mentions, TRANSFER)
    assert handover and handover[0].modality == "asserted" and _place(handover[0]) == "Lashkar Gah"
    assert not _of(mentions, "Agreement")
    passage = '"The Taliban have agreed to let them leave," he said.'
    assert not _of(mentions_in(nlp, afghanistan, passage, dt.date(2021, 8, 13)), "Agreement")


def test_two_abductions_of_one_sentence_on_two_days_are_two(ukraine: ExtractContext) -> None:
    """'the mayor of Melitopol was abducted on Friday while the mayor of Dniprorudne was
    snatched yesterday': two occurrences, each on its own day at its own town; two words of
    one day ('seized and took control of the town on Friday') stay one."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    text = ("Ivan Fedorov, the mayor of Melitopol, was abducted on Friday while Yevhen Matveyev, "
            "the mayor of Dniprorudne, was snatched yesterday.")
    found = _of(mentions_in(nlp, ukraine, text, dt.date(2022, 3, 14)), "Abduction/forced disappearance")
    days = sorted((m.date.interval.start, _place(m)) for m in found if m.date is not None)
    assert days == [(dt.date(2022, 3, 11), "Melitopol"), (dt.date(2022, 3, 13), "Dniprorudne")]


@pytest.mark.parametrize(("text", "place"), [
    ("Ukrainian troops have de-occupied Balakliia, the governor said on Saturday.", "Balakliia"),
    ("The de-occupation of Kupiansk was completed on Saturday, the military said.", "Kupiansk"),
    ("Ukrainian forces freed the town of Balakliia on Saturday.", "Balakliia"),
    ("Vysokopillia returned to Ukrainian control on Sunday.", "Vysokopillia"),
    ("The city of Izium is back under Ukrainian control, officials said on Saturday.", "Izium"),
    ("Kyiv said its forces had pushed Russian troops out of Lyman on Saturday.", "Lyman"),
    ("Russian troops fled Izium on Saturday, leaving behind ammunition and equipment.", "Izium"),
])
def test_the_ways_news_tells_a_recapture(ukraine: ExtractContext, text: str, place: str) -> None:
    """Recaptures in the war's wording: de-occupied, freed, returned to / back under the
    state's control, pushed the invaders out, the invaders fled. People fleeing a city and
    hostages freed hand no place over; 'came under Russian control' is a takeover."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    found = mentions_in(nlp, ukraine, text, dt.date(2022, 9, 12))
    assert [_place(m) for m in _of(found, REGAINS)] == [place]


def test_people_fleeing_and_hostages_freed_hand_no_place_over(ukraine: ExtractContext) -> None:
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    for text in ("Thousands of residents fled Kharkiv on Saturday.",
                 "Police freed two hostages in Kharkiv on Saturday."):
        found = mentions_in(nlp, ukraine, text, dt.date(2022, 9, 12))
        assert not [m for m in found if m.sub_event_type in (OVERTAKES, REGAINS, TRANSFER)], text
    taken = mentions_in(nlp, ukraine, "Kherson came under Russian control on March 2.",
                        dt.date(2022, 3, 5))
    assert [_place(m) for m in _of(taken, OVERTAKES)] == ["Kherson"]


def test_a_passive_liberation_is_the_one_side_its_sentence_names(ukraine: ExtractContext) -> None:
    """'as a result of successful offensive actions of the Russian troops, the village of
    Mayorsk was completely liberated' (Moscow's wording): Russia took it; with Ukraine's
    officials the only side named it is a recapture; a sentence naming both sides says
    nothing of who liberated it."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    day = dt.date(2022, 11, 13)
    russian = ("As a result of successful offensive actions of the Russian troops, the village of "
               "Mayorsk was completely liberated, the ministry said.")
    assert [_place(m) for m in _of(mentions_in(nlp, ukraine, russian, day), OVERTAKES)] == ["Maiorsk"]
    ukrainian = "The village of Mayorsk was liberated on Saturday, Ukrainian officials said."
    assert [_place(m) for m in _of(mentions_in(nlp, ukraine, ukrainian, day), REGAINS)] == ["Maiorsk"]
    both = ("Russian troops shelled the area on Saturday and the village of Mayorsk was liberated, "
            "Ukrainian officials said.")
    found = [m for m in mentions_in(nlp, ukraine, both, day) if m.sub_event_type in (OVERTAKES, REGAINS)]
    assert all(m.actor1 is None or m.actor1.span.text not in ("Russian troops",) for m in found)


def test_a_liberation_from_the_invaders_is_not_the_invaders_gain(ukraine: ExtractContext) -> None:
    """'Hostomel was liberated from the invaders': the side it was liberated from names no
    liberator."""
    from sitrep.nlp import get_nlp

    text = "Hostomel was liberated from the invaders, the deputy defence minister said on Saturday."
    found = mentions_in(get_nlp(), ukraine, text, dt.date(2022, 4, 2))
    assert [_place(m) for m in _of(found, REGAINS)] == ["Hostomel"] and not _of(found, OVERTAKES)
