"""Mentions built from the gold annotation of the seeds (tests of fusion and control).

Each gold event's quotes become :class:`Mention` records with the gold's types, place,
date and actors, at the quote's exact offsets in the seed file. That isolates fusion:
perfect mentions in, and the events out can be compared with the gold events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from sitrep.model import (
    Actor,
    ActorRef,
    Article,
    DateInterval,
    DateRef,
    Mention,
    Place,
    PlaceRef,
    Span,
    stable_id,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_gold.json"

_INTER = {
    "Taliban": (2, "Afghanistan"),
    "Military Forces of Afghanistan (2014-2021)": (1, "Afghanistan"),
    "Government of Afghanistan (2014-2021)": (1, "Afghanistan"),
    "Civilians (Afghanistan)": (7, "Afghanistan"),
    "Military Forces of the United States (2021-)": (8, "United States"),
    "Military Forces of Tajikistan": (8, "Tajikistan"),
    "Unidentified Armed Group (Afghanistan)": (3, "Afghanistan"),
}
_FOREIGN = {"Tehran": "Iran", "Doha": "Qatar"}


def actor(name: str | None) -> Actor | None:
    if not name:
        return None
    inter, country = _INTER.get(name, (None, None))
    return Actor(id=name.lower().split(" (")[0].replace(" ", "-"), name=name, inter=inter,
                 country=country)


def gold_place(e: dict[str, Any], kinds: dict[str, str]) -> Place:
    """The gold event's place as a gazetteer-like record (synthetic but consistent ids)."""
    admin1, admin2, loc = e["admin1"], e["admin2"], e["location"]
    country = _FOREIGN.get(loc, "Afghanistan")
    a1id = f"P:{admin1}"
    if e["geo_precision"] == 3 or loc == admin1 and kinds.get(loc) == "province":
        return Place(id=a1id, name=admin1, kind="province", country=country, admin1=admin1,
                     admin1_id=a1id,
                     geo_precision=3, lat=e["latitude"], lon=e["longitude"])
    kind = kinds.get(loc, "city")
    if kind == "district":
        return Place(id=f"D:{loc}", name=loc, kind="district", country=country, admin1=admin1,
                     admin2=loc,
                     admin1_id=a1id, admin2_id=f"D:{loc}", geo_precision=2,
                     lat=e["latitude"], lon=e["longitude"])
    kind = {"provincial_capital": "city", "base": "base", "village": "village"}.get(kind, "city")
    return Place(id=f"gn:{loc}", name=loc, kind=kind, country=country, admin1=admin1,
                 admin2=admin2, admin1_id=a1id, admin2_id=f"D:{admin2}" if admin2 else None,
                 geo_precision=e["geo_precision"], lat=e["latitude"], lon=e["longitude"])


def seed_articles(gold: dict[str, Any]) -> dict[str, Article]:
    """file name -> Article (raw seed text; the gold's outlet and publication date)."""
    out: dict[str, Article] = {}
    for a in gold["articles"]:
        text = (SEEDS / a["file"]).read_text(encoding="utf-8")
        outlet = a["outlet"].split(" (")[0].split(";")[0][:40]
        out[a["file"]] = Article(id=stable_id(text), text=text, source=a["file"], outlet=outlet,
                                 wire=a["wire_agency"],
                                 published=dt.date.fromisoformat(a["published"]))
    return out


def _interval(e: dict[str, Any]) -> DateInterval:
    if e["date_precision"] == "day":
        d = dt.date.fromisoformat(e["event_date"])
        return DateInterval(d, d, "day")
    start, end = (dt.date.fromisoformat(x) for x in e["date_range"])
    return DateInterval(start, end, e["date_precision"])


def mentions_for(article: Article, file: str, gold: dict[str, Any]) -> list[tuple[Mention, str]]:
    """(mention, gold event id) for every gold quote of ``file`` found in ``article.text``."""
    kinds = {p["canonical"]: p["kind"] for p in gold["place_mentions"]}
    out: list[tuple[Mention, str]] = []
    for e in gold["events"]:
        place = gold_place(e, kinds)
        for gm in e["mentions"]:
            if gm["file"] != file:
                continue
            start = article.text.find(gm["quote"])
            if start < 0:
                continue
            span = Span(start, start + len(gm["quote"]), gm["quote"])
            low = gm["quote"].lower()
            modality, attribution = "asserted", None
            if "denied" in low:
                modality, attribution = "denied", e["actor1"]
            elif "claim" in low or "spokesman" in low:
                modality, attribution = "claimed", e["actor1"]
            elif "resident" in low:
                attribution = "a resident"
            a1, a2 = actor(e["actor1"]), actor(e["actor2"])
            out.append((Mention(
                id=stable_id(article.id, start, e["sub_event_type"]), article_id=article.id,
                sentence=span, trigger=span, event_type=e["event_type"],
                sub_event_type=e["sub_event_type"],
                actor1=ActorRef(span, a1) if a1 else None,
                actor2=ActorRef(span, a2) if a2 else None,
                place=PlaceRef(span, place, 1.0), date=DateRef(None, _interval(e)),
                modality=modality, attribution=attribution,  # type: ignore[arg-type]
                confidence=0.8), e["id"]))
    return out


def gold_mentions(gold: dict[str, Any]) -> tuple[list[Mention], dict[str, Article],
                                                 dict[str, str]]:
    """(mentions, articles by id, mention id -> gold event id) on the raw seed texts."""
    arts = seed_articles(gold)
    mentions: list[Mention] = []
    truth: dict[str, str] = {}
    for file, art in arts.items():
        pairs = mentions_for(art, file, gold)
        n_quotes = sum(gm["file"] == file for e in gold["events"] for gm in e["mentions"])
        assert len(pairs) == n_quotes, file
        for m, gid in pairs:
            mentions.append(m)
            truth[m.id] = gid
    return mentions, {a.id: a for a in arts.values()}, truth


def require_shared(*paths: Path) -> None:
    """Skip the calling test module when ``../shared`` is absent (a lone clone).

    CI has ``../shared`` beside the clone: there a missing file is a failure, never a
    silent skip (``CI`` is set by CI runners).
    """
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return
    if os.environ.get("CI"):
        raise FileNotFoundError(f"{missing[0]} is missing (CI must run the dev-set tests)")
    pytest.skip("../shared not present: dev-set tests skipped", allow_module_level=True)


def load_gold() -> dict[str, Any]:
    """The seeds gold; skips the test module on a lone clone (see :func:`require_shared`)."""
    require_shared(GOLD, SEEDS)
    return json.loads(GOLD.read_text(encoding="utf-8"))
