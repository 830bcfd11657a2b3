"""Reports that change no unit on the control map, read end to end off realistic
sentences: a capture an army is only focusing on, houses seized in a village, an unnamed
settlement liberated in a region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitrep.control import derive_control
from sitrep.extract import ExtractContext
from sitrep.fuse import fuse
from sitrep.model import Article, ControlState, Mention, stable_id
from tests.extract.reading import mentions_in

DAY = dt.date(2022, 7, 15)


def _timeline(nlp: Any, ctx: ExtractContext, text: str) -> list[ControlState]:
    art = Article(id=stable_id(text), text=text, source="test", published=DAY, language="en")
    mentions: list[Mention] = mentions_in(nlp, ctx, text, DAY)
    return derive_control(fuse(mentions, {art.id: art}).events, {m.id: m for m in mentions})


def test_a_capture_the_army_is_focusing_on_is_a_plan(nlp: Any, ukraine: ExtractContext) -> None:
    text = ("According to the General Staff, the Russian army is focusing on gaining control "
            "over the towns of Siversk and Bakhmut in Donetsk Oblast.")
    ms = mentions_in(nlp, ukraine, text, DAY)
    assert ms and all(m.modality == "planned" for m in ms
                      if m.sub_event_type == "Non-state actor overtakes territory")
    assert _timeline(nlp, ukraine, text) == []


def test_houses_seized_in_a_village_are_no_change_of_the_village(nlp: Any, ukraine: ExtractContext) -> None:
    text = "Russian troops seized empty houses in Husarka village on Friday, local officials said."
    assert [r for r in _timeline(nlp, ukraine, text) if r.unit_name == "Husarka"] == []


def test_an_unnamed_settlement_liberated_in_a_region_is_no_change_of_the_region(
        nlp: Any, ukraine: ExtractContext) -> None:
    text = "Ukraine's army liberated another settlement in Kharkiv Oblast on Sunday."
    assert [r for r in _timeline(nlp, ukraine, text) if r.unit_name == "Kharkiv"] == []
