"""A small hand-built database (real 2021 facts, two outlets) for API and report tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitrep.model import (
    Actor,
    Article,
    Claim,
    ControlState,
    DateInterval,
    Event,
    Evidence,
    Mention,
    Place,
    PlaceRef,
    Span,
)
from sitrep.store import Store

TALIBAN = Actor("taliban", "Taliban", 2)
ARMY = Actor("afg-military", "Military Forces of Afghanistan (2014-2021)", 1)
PANJWAYI = Place("AF2704", "Panjwayi", "district", admin1="Kandahar", admin2="Panjwayi",
                 lat=31.55, lon=65.45, geo_precision=2, admin1_id="AF27", admin2_id="AF2704")
HERAT = Place("gn:1139715", "Herat", "city", admin1="Herat", admin2="Herat", lat=34.35,
              lon=62.20, geo_precision=1, admin1_id="AF32", admin2_id="AF3201")

TEXT_A = ("The Taliban seized the district of Panjwai on Sunday after night fighting. "
          "The Taliban claim to control around 100 districts.")
TEXT_B = "Herat fell to the Taliban on Thursday, officials said."


def day(d: int, m: int = 7) -> dt.date:
    return dt.date(2021, m, d)


def build(path: Path, url_b: str = "https://example.org/b") -> dict[str, str]:
    """The database; ``url_b``: the second article's URL (a hostile one for page tests)."""
    a = Article(id="a" * 16, text=TEXT_A, source="a.txt", url="https://example.org/a",
                outlet="France 24", wire="AFP", title="Panjwai falls", language="en",
                published=day(4), published_basis="header")
    b = Article(id="b" * 16, text=TEXT_B, source="b.txt", url=url_b,
                outlet="RFI", title="Herat falls", language="en", published=day(12, 8),
                published_basis="header")
    s1 = Span(0, 75, TEXT_A[:75])
    m1 = Mention(id="m1", article_id=a.id, sentence=s1, trigger=Span(12, 18, "seized"),
                 event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                 place=PlaceRef(Span(35, 42, "Panjwai"), PANJWAYI))
    s2 = Span(0, len(TEXT_B), TEXT_B)
    m2 = Mention(id="m2", article_id=b.id, sentence=s2, trigger=Span(6, 10, "fell"),
                 event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                 place=PlaceRef(Span(0, 5, "Herat"), HERAT))
    e1 = Event(id="e1", date=DateInterval(day(4), day(4)), event_type="Battles",
               sub_event_type="Non-state actor overtakes territory", actor1=TALIBAN, actor2=ARMY,
               place=PANJWAYI, mention_ids=("m1",), article_ids=(a.id,), sources=("France 24",),
               n_sources=1, first_reported=day(4), notes="Taliban seized Panjwayi district.", confidence=0.8,
               evidence=(Evidence(a.id, 0, 75, s1.text),))
    e2 = Event(id="e2", date=DateInterval(day(12, 8), day(12, 8)), event_type="Battles",
               sub_event_type="Non-state actor overtakes territory", actor1=TALIBAN, actor2=ARMY,
               place=HERAT, fatalities=3, fatalities_low=3, fatalities_high=10, mention_ids=("m2",),
               article_ids=(b.id,), sources=("RFI",), n_sources=1, first_reported=day(12, 8),
               notes="Herat city fell to the Taliban.", confidence=0.8, evidence=(Evidence(b.id, 0, len(TEXT_B), TEXT_B),))
    c1 = ControlState("AF2704", "Panjwayi", "district", "Kandahar", day(4), "taliban", True,
                      ("e1",), (Evidence(a.id, 0, 75),))
    c2 = ControlState("gn:1139715", "Herat", "provincial_capital", "Herat", day(12, 8), "taliban",
                      True, ("e2",), (Evidence(b.id, 0, len(TEXT_B)),))
    claim = Claim(id="c1", article_id=a.id, claimant="Taliban",
                  statement="Taliban control about 100 districts", quote=Span(76, len(TEXT_A), TEXT_A[76:]),
                  as_of=day(4), quantity=100, unit="districts", approximate=True,
                  disputed_by=("Afghan authorities",))
    with Store(path) as st, st.transaction():
        st.add_articles([a, b])
        st.replace_mentions([a.id, b.id], [m1, m2])
        st.upsert_events([e1, e2])
        st.replace_control([c1, c2])
        st.replace_claims([a.id], [claim])
    return {"event": "e1", "article": a.id, "unit": "AF2704"}
