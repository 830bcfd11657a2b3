"""A place the sentence gives only as its province is made finer by the article
(sitrep.extract.location): sentences written for these tests on the patterns of the tuning
sets (a blast 'in the province of X' with its district a sentence later, 'a key town in X
province' in a story naming the town)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reading import place_of  # tests/extract/reading.py

from sitrep.extract import ExtractContext, extract_mentions
from sitrep.model import Article, Mention, stable_id
from sitrep.profile import use_profile

DAY = dt.date(2021, 10, 12)


def _run(nlp: Any, text: str) -> list[Mention]:
    article = Article(id=stable_id(text), text=text, source="test", published=DAY, language="en")
    return extract_mentions(article, nlp(text), ExtractContext.default())


def test_a_province_is_made_the_district_the_next_sentence_names(nlp: Any, afghanistan: None) -> None:
    text = ("A roadside bomb hit a police vehicle in the northern province of Kunduz on Monday, killing "
            "four officers, a local official said.\n\nThe official said the blast took place in the "
            "Imam Sahib district.")
    # (the toll 'killing four officers' is the bomb's, no mention of its own)
    assert place_of(_run(nlp, text), "bomb") == ("Imam Sahib", "district", "Kunduz")


def test_an_unnamed_town_of_the_province_is_the_town_the_story_names(nlp: Any, afghanistan: None) -> None:
    text = ("The Taliban claimed on Wednesday to have captured a key town in the southern Helmand "
            "province.\n\nResidents of Gereshk said the militants had raised their flag over the "
            "police headquarters.")
    got = place_of(_run(nlp, text), "captured")
    assert got[1:] == ("city", "Helmand") and got[0] is not None and got[0].startswith("Gere")


def test_several_districts_stay_in_their_province(nlp: Any, afghanistan: None) -> None:
    """'two districts in Takhar': one district named elsewhere is not both."""
    text = ("The Taliban captured two districts in the northern Takhar province on Sunday, officials "
            "said.\n\nFighting was also reported near Farkhar district, they added.")
    assert place_of(_run(nlp, text), "captured") == ("Takhar", "province", "Takhar")


def test_two_districts_of_the_province_leave_it_unresolved(nlp: Any, afghanistan: None) -> None:
    text = ("A blast hit a market in the eastern province of Nangarhar on Tuesday, killing three "
            "people.\n\nSeparately, gunmen shot dead a cleric in Surkh Rod district, and a rocket "
            "landed in Behsud district.")
    assert place_of(_run(nlp, text), "blast") == ("Nangarhar", "province", "Nangarhar")


def test_the_city_of_a_province_is_no_unnamed_unit(nlp: Any, afghanistan: None) -> None:
    """'the western city of Herat province' is the provincial capital, not a district the
    story names."""
    text = ("The Taliban fighters on Friday entered the western city of Herat province and attacked "
            "government outposts.\n\nFighting was also reported in Guzara district.")
    got = place_of(_run(nlp, text), "entered")
    assert got[0] != "Guzara"


def test_a_name_cut_by_the_tagger_is_read_whole(nlp: Any, afghanistan: None) -> None:
    """'Surkh-o- Parsa District' tagged 'Parsa District': the district, not the valley it
    lies in."""
    text = ("Afghan forces retook Surkh-o- Parsa District in Ghorband Valley in Parwan province from "
            "the Taliban on Tuesday, the ministry said.")
    got = place_of(_run(nlp, text), "retook")
    assert got == ("Surkh-e-Parsa", "district", "Parwan")


def test_the_valley_is_the_valley_named_before(nlp: Any, afghanistan: None) -> None:
    """'the valley' is the Panjshir valley named two sentences before, not the province the
    sentence in between names."""
    text = ("Taliban forces clashed with resistance fighters in the Panjshir valley on Monday night.\n\n"
            "There has also been fighting in neighbouring Baghlan province in recent days.\n\n"
            "A spokesman said the Taliban attacked positions at the western entrance to the valley, "
            "killing eight fighters.")
    assert place_of(_run(nlp, text), "attacked") == ("Panjshir", "province", "Panjshir")


def test_where_the_news_was_told_is_not_where_it_happened() -> None:
    """'said in Kharkiv that the army had recaptured this settlement': Kharkiv is where the
    governor spoke; the settlement is the story's village."""
    use_profile("ukraine-2022")
    try:
        from sitrep.nlp import get_nlp
        nlp = get_nlp()
        text = ("Ukrainian troops entered the village of Husarivka near Balakliia on Saturday, the "
                "regional governor said.\n\nThe governor later said in Kharkiv that the army had "
                "recaptured this settlement after heavy fighting.")
        article = Article(id=stable_id(text), text=text, source="test", published=dt.date(2022, 3, 27),
                          language="en")
        mentions = extract_mentions(article, nlp(text), ExtractContext.default())
        assert place_of(mentions, "recaptured")[0] == "Husarivka"
    finally:
        use_profile(None)


def test_taking_to_the_streets_of_a_town_happens_there(nlp: Any, afghanistan: None) -> None:
    """'took to the streets of Zaranj': Zaranj is where the women marched, not a goal the
    story's earlier place stands in for."""
    text = ("Taliban fighters fired in the air to disperse a protest in Herat on Tuesday.\n\n"
            "Women also took to the streets of Zaranj, near the border with Iran, demanding respect "
            "for their rights.")
    assert place_of(_run(nlp, text), "streets") == ("Zaranj", "city", "Nimruz")


def test_the_province_of_an_office_is_not_made_finer(nlp: Any, afghanistan: None) -> None:
    """'the secretary to the governor of Kandahar was killed ... in front of the governorate':
    Kandahar names whose office, not a province some district of the story stands for."""
    text = ("The Taliban captured Panjwai district on Saturday after heavy fighting.\n\n"
            "On Sunday afternoon, the secretary to the governor of Kandahar was killed by the explosion "
            "of a bomb placed on his car in front of the governorate, the Interior Ministry said.")
    got = place_of(_run(nlp, text), "bomb")
    assert got[0] == "Kandahar"


def test_a_scene_set_before_the_report_is_the_place(nlp: Any, afghanistan: None) -> None:
    """'In Lashkar Gah, where fighting had raged, an official said the army had agreed a
    ceasefire': the fronted place is the story's, not where the news was told."""
    text = ("The Taliban captured Kandahar city on Friday.\n\n"
            "In Lashkar Gah, where fighting had raged for weeks, a security official said the army "
            "had agreed a ceasefire with the insurgents.")
    assert place_of(_run(nlp, text), "ceasefire")[0] == "Lashkar Gah"


def test_the_town_an_official_phoned_from_does_not_make_the_province_finer(nlp: Any, afghanistan: None) -> None:
    """'told reporters by phone from Fayzabad': where the official spoke is no place of the
    story that 'Badakhshan' could be made finer to."""
    text = ("The Taliban captured a district of Badakhshan province on Sunday.\n\n"
            "\"The security forces left their posts and the Taliban walked in,\" a provincial official "
            "told reporters by phone from Fayzabad, the provincial capital.")
    places = {place_of(_run(nlp, text), t)[0] for t in ("captured", "left")}
    assert "Fayzabad" not in places and "Badakhshan" in places



def test_what_a_report_reported_is_placed_where_it_happened(nlp: Any, afghanistan: None) -> None:
    """'Media reported similar scenes in Khost': the object of 'reported' is what was
    reported, its place where the protest was, not a place of the speaking (as the object
    of 'told' is: 'told reporters in Kabul')."""
    text = ("Taliban fighters fired on protesters waving the national flag in Jalalabad on Wednesday.\n\n"
            "Media reported similar scenes in Khost on Wednesday with protesters tearing down the "
            "white banners of the Taliban.")
    assert place_of(_run(nlp, text), "tearing")[0] == "Khost"


def test_a_place_first_named_further_down_is_not_the_story_s_place_yet(nlp: Any, afghanistan: None) -> None:
    """What moves the story's place (``mentions._remember``) is a place named inside the
    sentence: a mention standing in with the article's focus, whose first name lies in a later
    paragraph (a Ghoryan clash's next sentences were placed in Shinwari, named further down),
    does not count as named there."""
    from dataclasses import replace

    from sitrep.extract.mentions import _placed_in
    from sitrep.model import Span

    text = ("A Taliban assault on Ghorian district in Herat was repelled by the army on Thursday.\n\n"
            "Separately, government forces retook Shinwari district in Parwan.")
    doc = nlp(text)
    first, second = list(doc.sents)
    clash = next(m for m in _run(nlp, text) if m.trigger.text == "assault")
    assert _placed_in(clash, first) and not _placed_in(clash, second)
    at = text.index("Shinwari")
    focus = replace(clash, place=replace(clash.place, span=Span(at, at + 8, "Shinwari")))
    assert not _placed_in(focus, first)  # the focus's first name lies further down


def test_a_district_that_only_names_an_office_does_not_compete(nlp: Any, afghanistan: None) -> None:
    """'the police chief for Shigal district' says whose office, not where the blast was:
    the province of the first sentence is made the one town the article places it in."""
    text = ("A roadside bomb killed a Taliban police commander in Kunar province on Thursday.\n\n"
            "The blast happened in Asadabad, the capital of Kunar, and targeted the police chief for "
            "Shigal district, officials said.")
    assert place_of(_run(nlp, text), "bomb")[0] == "Asadabad"


def test_a_province_s_office_building_stands_in_its_capital(nlp: Any, afghanistan: None) -> None:
    """'near the Helmand governor's office': a province's offices sit in its capital, where
    the coders place the fighting; a province named as the place itself stays the province."""
    text = "Clashes are underway near the Helmand governor's office, a lawmaker said on Sunday."
    assert place_of(_run(nlp, text), "Clashes")[0] == "Lashkar Gah"
    text = "Fighting raged in Helmand province near the border with Pakistan on Sunday."
    assert place_of(_run(nlp, text), "Fighting")[0] == "Helmand"
