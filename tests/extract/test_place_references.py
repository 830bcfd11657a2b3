"""A place that only says where another lies, names a campaign or stands for a government
is not the event's place (sitrep.extract.location); sentences written for these tests on
the patterns of the tuning sets (news_extra, ukraine_extra)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from reading import place_of  # tests/extract/reading.py

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id
from sitrep.nlp import get_nlp
from sitrep.profile import use_profile


def _run(nlp: Any, text: str, published: dt.date) -> list[Mention]:
    article = Article(id=stable_id(text), text=text, source="test", published=published, language="en")
    return extract_mentions(article, nlp(text), ExtractContext.default())


@pytest.fixture
def ukraine() -> Iterator[Any]:
    """The Ukraine profile and its pipeline (the NER ruler tags its gazetteer's names)."""
    use_profile("ukraine-2022")
    yield get_nlp()
    use_profile(None)


def test_a_capital_that_only_locates_a_district_yields_to_it(nlp: Any, afghanistan: None) -> None:
    """'Kunduz' alone reads as the provincial capital, yet 'X district in Kunduz' only says
    where the district lies."""
    text = ("In addition to the six fallen districts, Khan Abad district in Kunduz was briefly "
            "captured by the insurgents on Monday, but security forces retook it.")
    assert place_of(_run(nlp, text, dt.date(2021, 6, 15)), "retook") == ("Khan Abad", "district", "Kunduz")


def test_a_town_in_an_oblast_named_as_a_region(ukraine: Any) -> None:
    nlp = ukraine
    text = ("“The city of Trostianets in the Sumy region has been liberated from Russian occupation "
            "troops,” the Ukrainian defence ministry announced on Saturday.")
    assert place_of(_run(nlp, text, dt.date(2022, 3, 26)), "liberated") == ("Trostianets", "city", "Sumy")


def test_a_city_near_or_outside_which_towns_lie(ukraine: Any) -> None:
    nlp = ukraine
    ms = _run(nlp, "Irpin and Bucha, commuter towns outside Kyiv, were retaken by the Ukrainian army this "
                   "week.", dt.date(2022, 4, 2))
    assert place_of(ms, "retaken")[0] in ("Irpin", "Bucha")
    ms = _run(nlp, "Hostomel, near Kyiv, was the setting of heavy fighting to take control of an airfield.",
              dt.date(2022, 4, 2))
    assert place_of(ms, "fighting") == ("Hostomel", "city", "Kyiv")


def test_the_way_to_a_city_is_no_place_of_the_event(ukraine: Any) -> None:
    nlp = ukraine
    text = ("Ukrainian forces had already entered several settlements on the way to Kherson on Nov. 9, "
            "including the strategic town of Snihurivka, Mykolaiv Oblast, officials said.\n\n"
            "Earlier, officials reported that Ukrainian forces entered several settlements on the way "
            "to Kherson on Nov. 9, including the strategic town of Snihurivka, Mykolaiv Oblast.")
    ms = _run(nlp, text, dt.date(2022, 11, 10))
    assert place_of(ms, "entered") == ("Snihurivka", "city", "Mykolaiv")


def test_a_campaign_named_after_its_region_is_not_the_place(ukraine: Any) -> None:
    nlp = ukraine
    text = ("Ukrainian forces retook the village of Vysokopillia over the weekend, later raising the "
            "national flag in honour of their recent successes in the Kherson counteroffensive.")
    ms = _run(nlp, text, dt.date(2022, 9, 5))
    assert place_of(ms, "counteroffensive") == ("Vysokopillia", "city", "Kherson")


def test_a_capitals_forces_are_an_actor_not_a_place(ukraine: Any) -> None:
    nlp = ukraine
    text = ("Russian shelling hit Izium on Monday, officials said.\n\n"
            "On Thursday Moscow’s troops shelled the town again, officials said.")
    ms = _run(nlp, text, dt.date(2022, 5, 20))
    assert place_of(ms, "shelled")[0] != "Moscow"


def test_a_district_named_after_its_centre_town(nlp: Any, afghanistan: None) -> None:
    """The model calls 'Banu' a nationality; a kind noun after it makes it a place, and the
    district centred on Banu is Andarab."""
    text = ("The Taliban have regained control of the Banu district in northeastern Baghlan province, "
            "sources said on Friday.")
    assert place_of(_run(nlp, text, dt.date(2021, 8, 28)), "regained") == ("Andarab", "district", "Baghlan")


def test_north_of_the_afghan_capital_kabul_is_a_reference_point(nlp: Any, afghanistan: None) -> None:
    text = ("Taliban forces clashed with militia fighters in the Panjshir valley north of the Afghan "
            "capital Kabul on Monday night, with at least seven killed, opposition members said.")
    ms = _run(nlp, text, dt.date(2021, 9, 1))
    assert place_of(ms, "clashed")[0] == "Panjshir"  # (the toll, "with at least seven killed", is the clash's)


def test_a_bearing_from_the_capital_of_a_city_is_a_reference_point(nlp: Any, afghanistan: None) -> None:
    """'south of the national capital of Kabul': the capital only locates the town before it."""
    text = ("Ghazni city, about 150 km south of the national capital of Kabul, has seen heavy fighting "
            "since Tuesday.")
    assert place_of(_run(nlp, text, dt.date(2021, 8, 12)), "fighting")[0] == "Ghazni"


def test_a_numbered_district_of_a_city_is_the_city(nlp: Any, afghanistan: None) -> None:
    text = ("A spokesman said a special Taliban unit launched an operation against Islamic State "
            "elements in Kabul’s 17th district, in the northern part of the city, late on Sunday.")
    assert place_of(_run(nlp, text, dt.date(2021, 10, 4)), "operation") == ("Kabul", "city", "Kabul")


def test_a_self_proclaimed_republic_is_no_place_of_the_event(ukraine: Any) -> None:
    """'the People's Republics of Donetsk & Lugansk', 'the Lugansk People's Republic' name
    the Russian-backed entities (a party, or a whole region), not the cities: the story's
    own place stands in."""
    nlp = ukraine
    text = ("Ukrainian forces recaptured Izium on Saturday, officials said.\n\n"
            "An order was given on Saturday for the Russian military with allied troops of the "
            "People’s Republics of Donetsk & Lugansk to withdraw from the area.")
    ms = _run(nlp, text, dt.date(2022, 9, 11))
    assert place_of(ms, "withdraw")[0] == "Izium"
    text = ("Russian troops seized Lysychansk on Saturday, officials said.\n\n"
            "The last Ukrainian forces have been driven out of the Lugansk People’s Republic, the "
            "Russian defence minister announced on Sunday.")
    ms = _run(nlp, text, dt.date(2022, 7, 4))
    assert all(m.place is None or m.place.place is None or m.place.place.name != "Luhansk" for m in ms)


def test_an_attack_at_a_reviewed_place_across_the_border_stays_there(nlp: Any, afghanistan: None) -> None:
    """Fighting abroad is coded at home unless the place is a reviewed cross-border one (a
    TTP attack in Darra Adam Khel happened in Pakistan, not in the story's Kunar)."""
    text = ("Pakistani forces and Afghan Taliban exchanged fire near Sarkano in Kunar on Sunday.\n\n"
            "The Tehreek-e-Taliban Pakistan (TTP) claimed responsibility for the attack on a federal "
            "minister in Darra Adam Khel on December 19, in which his bodyguard was injured.")
    ms = _run(nlp, text, dt.date(2021, 12, 22))
    assert place_of(ms, "attack")[:1] == ("Darra Adam Khel",)


def test_a_bearing_from_a_town_of_another_province_than_the_story_places_near_it(
        nlp: Any, afghanistan: None) -> None:
    """A Jalalabad story goes on: 'Taliban fighters raided a hideout north of Kabul': the one
    place the sentence names only locates the raid, yet the raid is near Kabul (coded there,
    approximately: geo_precision 2), not in the story's town of another province."""
    text = ("A bomb hit a Taliban vehicle in Jalalabad on Thursday, wounding two fighters. "
            "On Friday, Taliban fighters raided a hideout of the Islamic State group north of Kabul, "
            "a Taliban spokesman said.")
    ms = [m for m in _run(nlp, text, dt.date(2021, 10, 2)) if "raided" in m.trigger.text]
    assert place_of(ms, "raided")[0] == "Kabul"
    assert ms[0].place is not None and ms[0].place.place is not None and ms[0].place.place.geo_precision == 2


def test_the_town_west_of_a_city_is_the_storys_town(ukraine: Any) -> None:
    """'captured the town, a railway hub west of Sievierodonetsk' in a story about Lyman: 'the
    town' is the story's, the city of another oblast only locates it."""
    nlp = ukraine
    text = ("Russian forces said on Friday they had taken control of Lyman in the Donetsk region. "
            "The claim comes a day after separatist fighters said they had fully captured the town, "
            "a railway hub west of Sievierodonetsk.")
    ms = [m for m in _run(nlp, text, dt.date(2022, 5, 28)) if "captured" in m.trigger.text]
    assert place_of(ms, "captured")[0] == "Lyman"


def test_a_bearing_outside_the_triggers_clause_leaves_the_storys_place(nlp: Any, afghanistan: None) -> None:
    """'fighters who came from a base south of Kandahar attacked a checkpoint' in a Lashkar
    Gah story: the bearing locates where they came from, not the attack."""
    text = ("Heavy fighting continued in Lashkar Gah on Monday. "
            "Taliban fighters who came from a base south of Kandahar attacked a checkpoint, officials said.")
    ms = [m for m in _run(nlp, text, dt.date(2021, 8, 3)) if "attacked" in m.trigger.text]
    assert place_of(ms, "attacked")[0] == "Lashkar Gah"
