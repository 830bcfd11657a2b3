"""Data contracts round-trip through the store unchanged; the store is idempotent."""

import datetime as dt

import pytest

from sitrep.errors import StoreError
from sitrep.model import (
    Actor,
    ActorRef,
    Article,
    DateInterval,
    DateRef,
    Event,
    Mention,
    Place,
    PlaceRef,
    Quantity,
    Span,
    from_dict,
    to_dict,
)
from sitrep.store import SCHEMA_VERSION, EventFilter, Store


def _article(text: str = "The Taliban seized Panjwai on Sunday.") -> Article:
    return Article(id="a" * 16, text=text, source="x.txt", published=dt.date(2021, 7, 4),
                   published_basis="header", boilerplate=("I subscribe",))


def _mention() -> Mention:
    s = Span(0, 37, "The Taliban seized Panjwai on Sunday.")
    return Mention(
        id="m1", article_id="a" * 16, sentence=s, trigger=Span(12, 18, "seized"),
        event_type="Battles", sub_event_type="Non-state actor overtakes territory",
        actor1=ActorRef(Span(4, 11, "Taliban"), Actor("taliban", "Taliban", 2)),
        place=PlaceRef(Span(19, 26, "Panjwai"),
                       Place("AF2704", "Panjwayi", "district", admin1="Kandahar", lat=31.5, lon=65.4,
                             geo_precision=2)),
        date=DateRef(Span(30, 36, "Sunday"), DateInterval(dt.date(2021, 7, 4), dt.date(2021, 7, 4))),
        numbers=(Quantity("families_displaced", 12, 12, 99),),
    )


def test_records_round_trip_through_dicts() -> None:
    m = _mention()
    assert from_dict(Mention, to_dict(m)) == m
    a = _article()
    assert from_dict(Article, to_dict(a)) == a


def test_store_round_trip_and_idempotent_articles(tmp_path) -> None:
    db = tmp_path / "t.duckdb"
    with Store(db) as st:
        assert st.add_articles([_article()]) == ["a" * 16]
        assert st.add_articles([_article()]) == []
        st.replace_mentions(["a" * 16], [_mention()])
        st.replace_mentions(["a" * 16], [_mention()])
        assert st.get_mentions() == [_mention()]
        ev = Event(id="e1", date=DateInterval(dt.date(2021, 7, 4), dt.date(2021, 7, 4)),
                   event_type="Battles", sub_event_type="Armed clash",
                   place=_mention().place.place, n_sources=2)  # type: ignore[union-attr]
        st.upsert_events([ev, ev])
        assert st.get_events() == [ev]
        assert st.get_events(EventFilter(admin1="kandahar", min_sources=2)) == [ev]
        assert st.get_events(EventFilter(admin1="Herat")) == []
    with Store(db, read_only=True) as st:
        assert st.schema_version() == SCHEMA_VERSION
        assert st.get_articles()[0] == _article()


def test_failed_batch_leaves_store_unchanged(tmp_path) -> None:
    with Store(tmp_path / "t.duckdb") as st:
        st.add_articles([_article()])
        with pytest.raises(RuntimeError), st.transaction():
            st.add_articles([Article(id="b" * 16, text="x", source="y")])
            raise RuntimeError("killed mid-batch")
        assert st.article_ids() == {"a" * 16}


def test_newer_schema_is_refused(tmp_path) -> None:
    db = tmp_path / "t.duckdb"
    with Store(db) as st:
        st.con.execute("INSERT INTO schema_version VALUES (999)")
    with pytest.raises(StoreError, match="newer"):
        Store(db)
