"""A village name many oblasts share is read where the text locates it: in the province an
apposition names by its reference town ('Mykolaivka, a village south-west of Lysychansk'),
else in the story's provinces whichever spelling GeoNames calls primary (issues 9 and 11:
homonyms coded in the wrong oblast). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reading import mentions_in, place_of

from sitrep.extract import ExtractContext
from sitrep.resolve.places import PlaceContext, resolve_place

DAY = dt.date(2022, 7, 1)


def test_an_apposition_locates_a_village_by_its_reference_town(nlp: Any, ukraine: ExtractContext) -> None:
    """The story names Bakhmut (Donetsk) and Lysychansk (Luhansk); the apposition says which
    Mykolaivka: Luhansk's, not the larger Donetsk one."""
    text = ("Russian forces shelled Lysychansk and Bakhmut on Tuesday. The Russians captured Mykolaivka, "
            "a village south-west of Lysychansk, near the Bakhmut-Lysychansk road.")
    assert place_of(mentions_in(nlp, ukraine, text, DAY), "captured")[2] == "Luhansk"
    text = "The Russians captured Mykolaivka, a village 10 km south-west of Lysychansk."
    assert place_of(mentions_in(nlp, ukraine, text, DAY), "captured")[2] == "Luhansk"
    # without an apposition the larger town stays the reading
    assert resolve_place("Mykolaivka", sentence="The Russians captured Mykolaivka on Sunday.",
                         context=PlaceContext()).admin1 == "Donetsk"  # type: ignore[union-attr]


def test_a_homonym_in_the_storys_oblast_beats_a_far_primary_spelling(nlp: Any, ukraine: ExtractContext) -> None:
    """'Mykolayivka' is GeoNames' primary spelling of an Odesa village only (an alternate of
    the Luhansk one): in a story about Luhansk it is the Luhansk village."""
    text = ("Russian forces kept up their assault in the Luhansk region on Tuesday. The occupiers tried to "
            "storm in the direction of Nyrkovo and Mykolayivka, but the Armed Forces repulsed them.")
    assert place_of(mentions_in(nlp, ukraine, text, DAY), "storm")[2] == "Luhansk"
    # a story elsewhere keeps the primary spelling's village
    assert resolve_place("Mykolayivka", sentence="Shelling hit Mykolayivka.",
                         context=PlaceContext()).admin1 == "Odesa"  # type: ignore[union-attr]


def test_a_name_cut_by_the_tagger_is_not_its_far_part(nlp: Any, ukraine: ExtractContext) -> None:
    """'Myrna Dolyna' tagged 'Dolyna' in a story about Luhansk: the gazetteer does not know the
    whole name, and its part is a town of Ivano-Frankivsk, far from the story: unknown, not
    the far town."""
    text = ("Fighting raged around Sievierodonetsk in the Luhansk region on Monday. Mr Gaidai confirmed Russian "
            "forces had captured the villages of Pidlisne and Myrna Dolyna and were making an attack towards "
            "the settlement of Bila Gora.")
    assert place_of(mentions_in(nlp, ukraine, text, DAY), "captured")[2] != "Ivano-Frankivsk"
