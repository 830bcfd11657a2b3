"""The main job: ingest -> analyse -> fuse -> control, incremental and crash-safe."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gold_mentions import SEEDS, load_gold, mentions_for

from sitrep.model import Article, Failure
from sitrep.pipeline import Analysed, RunOptions, RunSummary, run
from sitrep.store import Store

GOLD = load_gold()


def gold_analyser(articles: Iterable[Article], *, failures: list[Failure] | None = None,
                  **_: Any) -> Iterator[Analysed]:
    """The per-article stage replaced by the gold annotation (isolates fusion + storage)."""
    for a in articles:
        yield a, [m for m, _gid in mentions_for(a, Path(a.source).name, GOLD)], []


def opts(**kw: Any) -> RunOptions:
    return RunOptions(analyser=gold_analyser, **kw)


def snapshot(store: Store) -> tuple[set[tuple[str, tuple[str, ...]]], int, int]:
    events = {(e.id, e.mention_ids) for e in store.get_events()}
    return events, store.count("mentions"), store.count("control")


def test_run_on_seeds_fuses_reports_and_derives_control(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as st:
        s = run([str(SEEDS)], st, opts())
        assert (s.articles_added, s.articles_analysed, s.articles_failed) == (5, 5, 0)
        assert s.mentions == st.count("mentions") > 60
        assert s.events == st.count("events") == s.events_new
        assert 20 <= s.events <= 24  # 24 gold events, a couple of judgement-call merges
        panjwai = [e for e in st.get_events() if e.place and e.place.name == "Panjwayi"
                   and e.sub_event_type == "Non-state actor overtakes territory"]
        assert len(panjwai) == 1 and panjwai[0].n_sources == 2
        control = {(c.unit_name, c.date.isoformat(), c.controller) for c in st.get_control()}
        assert ("Panjwayi", "2021-07-04", "taliban") in control
        assert ("Kandahar", "2021-08-13", "taliban") in control
        assert s.control_changes == st.count("control")


def test_second_run_adds_nothing_and_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as st:
        run([str(SEEDS)], st, opts())
        before = snapshot(st)
        s = run([str(SEEDS)], st, opts())
        assert (s.articles_added, s.articles_skipped, s.articles_analysed) == (0, 5, 0)
        assert (s.events_new, s.events_removed) == (0, 0)
        assert snapshot(st) == before


def test_adding_articles_later_updates_events_in_place(tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for f in sorted(SEEDS.iterdir()):
        shutil.copy(f, (first if f.name.startswith(("000", "001")) else later) / f.name)
    with Store(tmp_path / "inc.duckdb") as st:
        run([str(first)], st, opts())
        panj = next(e for e in st.get_events() if e.place and e.place.name == "Panjwayi"
                    and e.sub_event_type.startswith("Non-state"))
        s = run([str(later)], st, opts())
        assert s.events_updated >= 1
        again = st.get_event(panj.id)
        assert again is not None and again.n_sources == 2  # same id, now with 003's report
        incremental = {frozenset(e.mention_ids) for e in st.get_events()}
    with Store(tmp_path / "once.duckdb") as st:
        run([str(SEEDS)], st, opts())
        assert {frozenset(e.mention_ids) for e in st.get_events()} == incremental


class Crash(BaseException):
    """Stands in for kill -9 (BaseException: nothing in the pipeline may swallow it)."""


def test_a_crash_between_batches_leaves_a_consistent_db_and_a_rerun_converges(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "clean.duckdb") as st:
        run([str(SEEDS)], st, opts(batch_size=1))
        clean = snapshot(st)

    calls = {"n": 0}
    real = Store.upsert_events

    def dying_upsert(self: Store, events: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        real(self, events)

    with Store(tmp_path / "crash.duckdb") as st:
        monkeypatch.setattr(Store, "upsert_events", dying_upsert)
        with pytest.raises(Crash):
            run([str(SEEDS)], st, opts(batch_size=1))
        monkeypatch.setattr(Store, "upsert_events", real)
        analysed = 5 - len(st.unanalysed_article_ids())
        assert analysed == 2  # the third batch rolled back whole
        stored_articles = {m.article_id for m in st.get_mentions()}
        assert len(stored_articles) == 2
        assert {a for e in st.get_events() for a in e.article_ids} <= stored_articles
        s = run([str(SEEDS)], st, opts(batch_size=1))
        assert s.articles_analysed == 3
        assert snapshot(st) == clean


def test_a_failing_article_is_reported_skipped_and_retried_on_request(tmp_path: Path) -> None:
    def flaky(articles: Iterable[Article], *, failures: list[Failure] | None = None,
              **_: Any) -> Iterator[Analysed]:
        for a, ms, cs in gold_analyser(articles):
            if a.source.endswith("002_c566eba239c42651.txt"):
                assert failures is not None
                failures.append(Failure(a.source, "boom", stage="analyse"))
                continue
            yield a, ms, cs

    with Store(tmp_path / "f.duckdb") as st:
        s: RunSummary = run([str(SEEDS)], st, RunOptions(analyser=flaky))
        assert s.analysis_failed == 1 and s.failures[0].reason == "boom"
        assert len(st.unanalysed_article_ids()) == 1
        assert list(st.analysis_failures().values()) == ["boom"]
        s = run([], st, opts())  # a later run skips it (no poison pill)
        assert s.articles_analysed == 0 and s.analysis_skipped_failed == 1 and not s.failures
        s = run([], st, opts(retry_failed=True))
        assert s.articles_analysed == 1 and s.analysis_failed == 0


def test_end_to_end_with_the_real_stages_is_idempotent(tmp_path: Path) -> None:
    with Store(tmp_path / "real.duckdb") as st:
        s = run([str(SEEDS)], st)
        assert s.articles_analysed == 5 and s.analysis_failed == 0, s.failures
        assert s.events > 0 and s.mentions >= s.events
        mention_ids = {m.id for m in st.get_mentions()}
        assert all(set(e.mention_ids) <= mention_ids for e in st.get_events())
        before = snapshot(st)
        run([str(SEEDS)], st)
        assert snapshot(st) == before


def test_public_api_of_the_corpus_stages_is_pinned() -> None:
    import sitrep.control
    import sitrep.export
    import sitrep.fuse
    import sitrep.pipeline

    expected = {
        sitrep.pipeline: {"Analysed", "RunOptions", "RunSummary", "analyse", "refresh_control",
                          "run"},
        sitrep.fuse: {"CATCH_ALL", "CLASH", "LINK_THRESHOLD", "TERRITORIAL", "FuseResult", "block_key",
                      "fuse", "place_relation"},
        sitrep.control: {"derive_control", "gaining_side", "resume_timeline", "state_as_of",
                         "trace_changes", "unit_level", "TERRITORIAL", "CLASH"},
    }
    for module, names in expected.items():
        assert set(module.__all__) == names, module.__name__
        assert all(hasattr(module, n) for n in module.__all__)
    assert all(hasattr(sitrep.export, n) for n in sitrep.export.__all__)


def test_an_undated_report_in_a_later_run_joins_the_stored_event(tmp_path: Path) -> None:
    def undated(articles: Iterable[Article], **kw: Any) -> Iterator[Analysed]:
        for a, ms, cs in gold_analyser(articles, **kw):
            yield a, [replace(m, date=None) for m in ms], cs

    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    shutil.copy(SEEDS / "000_b228aec6dd147c9a.txt", first)
    shutil.copy(SEEDS / "003_f484baaed8a32eec.txt", later)
    with Store(tmp_path / "u.duckdb") as st:
        run([str(first)], st, opts())
        run([str(later)], st, RunOptions(analyser=undated))
        panj = [e for e in st.get_events() if e.place and e.place.name == "Panjwayi"
                and e.sub_event_type.startswith("Non-state")]
        assert len(panj) == 1 and panj[0].n_sources == 2
