"""Throughput machinery that must not change results: the persistent analysis pool
(``RunOptions(n_process=2)``), stored near-duplicate band keys (schema version 3) and
their backfill on migration."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from spacy.tokens import Span

from sitrep.ingest import IngestOptions, ingest_into
from sitrep.ingest.dedup import DuplicateIndex, band_keys
from sitrep.model import Article
from sitrep.pipeline import Analysed, RunOptions, run
from sitrep.store import MIGRATIONS, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"

WIRE = ("Taliban fighters stormed the district centre of Nerkh in Wardak province on Tuesday, "
        "killing at least nine members of the security forces, a provincial council member said. "
        "The attack began before dawn and lasted several hours before government reinforcements "
        "arrived from the provincial capital Maidan Shahr, according to the district governor. "
        "Dozens of families fled towards Kabul as the fighting spread to nearby villages.")
OTHER = ("Herat fell to the Taliban on Thursday after weeks of siege, officials said, as the "
         "government lost its grip on the west of the country and the insurgents advanced on "
         "Kabul from several directions, taking provincial capitals one after another.")


def _art(aid: str, text: str, duplicate_of: str | None = None) -> Article:
    return Article(id=aid, text=text, source=f"{aid}.txt", duplicate_of=duplicate_of)


def test_stored_lookup_matches_like_an_index_of_every_stored_article() -> None:
    copy = WIRE.replace("said.", "told AFP.") + " With AFP."
    stored = [_art("a", WIRE), _art("b", OTHER), _art("c", WIRE + " Reuters.", duplicate_of="a")]
    full = DuplicateIndex()
    for a in stored:
        full.add(a.id, a.text, root=a.duplicate_of)
    bands = {a.id: set(band_keys(a.text)) for a in stored}
    asked: list[list[str]] = []

    def lookup(keys: list[str]) -> list[Article]:
        asked.append(keys)
        return [a for a in stored if bands[a.id] & set(keys)]

    lazy = DuplicateIndex(stored=lookup)
    assert lazy.match(copy) == full.match(copy) == "a"
    assert lazy.match(OTHER + " AP") == full.match(OTHER + " AP") == "b"
    assert len(lazy) < len(stored) + 1 and asked  # only band-sharing articles were indexed


def _store_at_version_2(path: Path, articles: list[Article]) -> None:
    """A database as sitrep wrote it before band keys were stored (schema version 2)."""
    from sitrep.store import _dump

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER)")
    for version, sqls in enumerate(MIGRATIONS[:2]):
        for sql in sqls:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?)", [version + 1])
    for a in articles:
        con.execute("INSERT INTO articles (id, source, published_confidence, duplicate_of, data) "
                    "VALUES (?, ?, ?, ?, ?)", [a.id, a.source, a.published_confidence,
                                               a.duplicate_of, _dump(a)])
    con.close()


def test_migration_to_version_3_backfills_band_keys_and_ingest_finds_stored_copies(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _store_at_version_2(db, [_art("a" * 16, WIRE), _art("b" * 16, OTHER)])
    with Store(db) as st:
        assert SCHEMA_VERSION >= 3 and st.schema_version() == SCHEMA_VERSION
        assert st.articles_in_bands(band_keys(WIRE)) == ["a" * 16]
        assert st.backfill_bands() == 0  # every article already has its keys
    copy = tmp_path / "copy.txt"
    copy.write_text(WIRE.replace("said.", "told AFP.") + " With AFP.\n", encoding="utf-8")
    with Store(db) as st:
        report = ingest_into(st, [str(copy)], IngestOptions(min_words=10, progress=False))
        [new] = st.get_articles(report.added)
        assert new.duplicate_of == "a" * 16
        assert st.articles_in_bands(band_keys(new.text)) == sorted(["a" * 16, new.id])


def test_two_analysis_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    files = sorted(CORPUS.glob("*.txt"))[:6]
    src = tmp_path / "in"
    src.mkdir()
    for f in files:
        shutil.copy(f, src / f.name)
    dumps = []
    for n in (1, 2):
        with Store(tmp_path / f"n{n}.duckdb") as st:
            s = run([str(src)], st, RunOptions(batch_size=2, n_process=n))
            assert s.articles_analysed == len(files) and not s.failures
            dumps.append(([(e.id, e.mention_ids, e.confidence) for e in st.get_events()],
                          [m.id for m in st.get_mentions()], [c.id for c in st.get_claims()],
                          st.get_control()))
    assert dumps[0] == dumps[1] and dumps[0][0]


def test_per_unit_control_refresh_equals_a_full_rederivation(tmp_path: Path) -> None:
    """Batches mark the units of the events they fused dirty; the end of the run
    re-derives only those, and the timeline equals a full re-derivation from all events,
    also after a run killed mid-way (the next run refreshes what it left dirty)."""
    from test_pipeline import SEEDS, gold_analyser

    from sitrep.pipeline import refresh_control

    def full(st: Store) -> list[object]:
        before = st.get_control()
        refresh_control(st)  # every unit from every stored event
        after = st.get_control()
        st.replace_control(before)
        return list(after)

    with Store(tmp_path / "u.duckdb") as st:
        calls = 0

        def killed(articles: list[Article], **kw: Any) -> Iterator[Analysed]:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise KeyboardInterrupt  # the run dies after two committed batches
            return gold_analyser(articles, **kw)

        with contextlib.suppress(KeyboardInterrupt):
            run([str(SEEDS)], st, RunOptions(analyser=killed, batch_size=1))
        assert st.dirty_control_units() and st.get_control() != full(st)
        run([], st, RunOptions(analyser=gold_analyser, batch_size=1))
        assert not st.dirty_control_units()
        assert st.get_control() == full(st) and st.count("control") > 0


def test_store_decoder_reads_records_exactly_as_from_dict(tmp_path: Path) -> None:
    import json

    from test_pipeline import SEEDS, gold_analyser

    from sitrep.model import Claim, ControlState, Event, Mention, from_dict
    from sitrep.store import _decoder

    with Store(tmp_path / "d.duckdb") as st:
        run([str(SEEDS)], st, RunOptions(analyser=gold_analyser))
        for cls, table in ((Article, "articles"), (Mention, "mentions"), (Event, "events"),
                           (ControlState, "control"), (Claim, "claims")):
            rows = [json.loads(r[0]) for r in st.con.execute(f"SELECT data FROM {table}").fetchall()]
            assert rows or table == "claims"
            decoded = [_decoder(cls)(d) for d in rows]
            assert decoded == [from_dict(cls, d) for d in rows]
            assert [repr(x) for x in decoded] == [repr(from_dict(cls, d)) for d in rows]
        mentions = st.get_mentions()
        lazy = st.mention_records([m.id for m in mentions[:5]] + ["no such id"])
        assert len(lazy) == 5 and lazy.get("no such id") is None
        assert dict(lazy) == {m.id: m for m in mentions[:5]}


def test_cli_run_with_two_workers_stores_what_one_process_stores(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    corpus = Path(__file__).resolve().parents[1] / "examples" / "corpus"
    inbox = tmp_path / "in"
    inbox.mkdir()
    for p in sorted(corpus.glob("*.txt"))[:6]:
        (inbox / p.name).write_bytes(p.read_bytes())
    runner = CliRunner()
    got = {}
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.duckdb")
        res = runner.invoke(app, ["run", str(inbox), "--db", db, "--top", "0",
                                  "--batch-size", "2", "--workers", str(workers)])
        assert res.exit_code == 0, res.output
        with Store(db, read_only=True) as st:
            got[workers] = sorted((e.id, e.sub_event_type, e.date.start) for e in st.get_events())
    assert got[1] and got[1] == got[2]


EXTRA_ARTICLES = ROOT / ".." / "news_extra" / "articles"  # real Afghan excerpts (tuning set)
#: team-written: patterns with optional tokens ("deployed to (X in)") give hits of different
#: lengths from one start, so the branching order is exercised on a lone clone too
BRANCHING = ("Hundreds of special forces were deployed to Kandahar in July as the fighting spread, "
             "a defence ministry spokesman said. More commandos were deployed to Lashkar Gah in "
             "early August to hold the city.")


def test_indexed_trigger_matching_gives_the_full_matchers_hits_in_order() -> None:
    """The trigger indexes (sequence patterns started only where their first lemma is, then
    spaCy's own transition rules; dependency patterns looked up by their head lemma) give
    exactly the hits, in the same order, of spaCy's full Matcher over each span of the
    lemma shadow Doc and of its full DependencyMatcher over the Doc kept inside the span:
    tie-breaks between readings depend on that order; each hit's head (read off the Doc's
    arrays) is the span's first verb other than 'be' / 'have', else its root, as read off
    the tokens. Run on the demo corpus and, when present, the real excerpts of news_extra."""
    from sitrep.extract.mentions import _sentences
    from sitrep.extract.trigger_lexicon import compiled_matchers, shadow_doc, token_rows
    from sitrep.extract.typing import _span_hits
    from sitrep.nlp import parse

    def head_in(span: Span) -> int:
        verbs = [t.i for t in span if t.pos_ in ("VERB", "AUX") and t.lemma_ not in ("be", "have")]
        return verbs[0] if verbs else span.root.i

    texts = [WIRE, OTHER, BRANCHING, *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXTRA_ARTICLES.glob("*.txt"))[:40]]
    compared = optional = 0
    for doc in parse(texts):
        seq, dep = compiled_matchers(doc.vocab)
        shadow = shadow_doc(doc)
        strings = doc.vocab.strings
        deps = [(strings[k], min(ids), max(ids) + 1, ids[0]) for k, ids in dep.full(shadow)]
        for span in [*_sentences(doc), *doc.sents, doc[:]]:
            lo, hi = span.start, span.end
            full = [(strings[k], lo + s, lo + e, head_in(doc[lo + s:lo + e]))
                    for k, s, e in seq.full(shadow[lo:hi])]
            full += [h for h in deps if lo <= h[1] and h[2] <= hi]
            assert _span_hits(doc, lo, hi) == full, span.text
            compared += bool(full)
            # hits of different lengths from one start (optional tokens, gaps): the
            # order the Matcher's branching states give is reproduced too
            starts = [(h[0], h[1]) for h in full]
            optional += len(starts) > len(set(starts))
    assert compared >= 50 and optional >= 3
    seq, dep = compiled_matchers(doc.vocab)
    assert dep(token_rows(doc)[:0]) == [] and seq(token_rows(doc), 0, 0) == []


def test_long_id_lists_read_the_same_rows_as_short_ones(tmp_path: Path) -> None:
    """Over 64 ids an IN list is one list parameter (DuckDB binds thousands of '?' slowly):
    the same rows, deletes and updates either way."""
    arts = [_art(f"a{i:03d}", f"Article number {i} about Kandahar.") for i in range(150)]
    with Store(str(tmp_path / "in.duckdb")) as st:
        st.add_articles(arts)
        ids = [a.id for a in arts]
        assert [a.id for a in st.get_articles(ids[:10])] == ids[:10]
        assert [a.id for a in st.get_articles(ids)] == ids
        assert [a.id for a in st.get_articles([*ids[100:], "missing"])] == ids[100:]
        st.mark_analysed(ids[:120])
        assert st.unanalysed_article_ids() == ids[120:]


def test_records_read_again_are_the_records_decoded_before_until_rewritten(tmp_path: Path) -> None:
    """The store keeps decoded events and mentions by their stored text: a batch re-reading
    the events around its dates gets the same objects back, and a rewritten one is decoded
    anew (its text changed)."""
    import dataclasses
    import datetime as dt

    from sitrep.model import DateInterval, Event, Evidence

    day = dt.date(2021, 8, 6)
    event = Event(id="ev1", date=DateInterval(day, day, "day"), event_type="Battles",
                  sub_event_type="Armed clash", actor1=None, actor2=None, place=None, status="reported",
                  article_ids=("a1",), evidence=(Evidence("a1", 0, 40, "Fighting in Zaranj on Friday."),))
    with Store(str(tmp_path / "memo.duckdb")) as st:
        st.upsert_events([event])
        first = st.get_events()[0]
        assert first == event
        assert st.get_events()[0] is first
        assert st.events_by_id(["ev1"])[0] is first
        changed = dataclasses.replace(event, status="disputed", n_sources=2)
        st.upsert_events([changed])
        again = st.get_events()[0]
        assert again == changed and again is not first


CLAIMS_TEXT = ("About 40% of the districts are contested, according to the Long War Journal. "
               "\u201cKandahar is completely conquered\u201dsaid a Taliban spokesman on Friday. "
               "The ministry denied the report, saying two-thirds of the 34 provincial capitals "
               "remain under government control. Officials will review the figures next week.")


def test_per_doc_shortcuts_give_what_the_full_computations_give(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The analysis shortcuts (lemma and trigger-row tables keyed by string ids, trigger
    readings remembered per sentence, typing scores from the weights a mention has, claim
    anchors and statistics tried only where they can match) answer exactly what the
    computations they replace answer, on team-written wire sentences."""
    import sitrep.claims.speakers as speakers
    import sitrep.claims.statistics as statistics
    from sitrep.claims import _words_before, extract_claims
    from sitrep.extract import extract_mentions
    from sitrep.extract.trigger_lexicon import lemma_of, lemmas, token_rows
    from sitrep.extract.typing import _scored_triggers, match_triggers
    from sitrep.linear_model import softmax
    from sitrep.typing_model import load_model, typing_features

    docs = [nlp(text) for text in (WIRE, OTHER, CLAIMS_TEXT)]
    for doc in docs:
        assert lemmas(doc) == [lemma_of(t) for t in doc]
        strings = doc.vocab.strings
        assert [r[:1] + r[3:4] for r in token_rows(doc)] == [
            (strings.add(lem.lower()), int(doc.vocab[lem].like_num)) for lem in lemmas(doc)]
        words = _words_before(doc)
        for sent in doc.sents:
            assert words[sent.end] - words[sent.start] == len(
                [t for t in sent if not t.is_punct and not t.is_space])
            readings = match_triggers(sent)
            assert readings == match_triggers(sent) == _scored_triggers(sent)
            assert match_triggers(sent) is not match_triggers(sent)  # a caller's own list
    model = load_model()
    article = _art("w", WIRE)
    feats = typing_features(extract_mentions(article, docs[0]), docs[0])
    assert feats and model.classes
    for f in feats:
        dense = softmax({k: model.intercept.get(k, 0.0) + sum(model.coef.get(k, {}).get(n, 0.0) * v
                                                              for n, v in f.items())
                         for k in model.classes})
        assert model.proba(f) == dense
    claims_doc = docs[2]
    fast = extract_claims(_art("c", CLAIMS_TEXT), claims_doc)
    assert len(fast) >= 3  # the percentage, the glued quotation, the denial
    claims_doc.user_data.clear()
    monkeypatch.setattr(speakers, "_anchor_tokens", lambda sentence, lex: list(sentence))
    monkeypatch.setattr(statistics, "_NEEDS", {})
    assert extract_claims(_art("c", CLAIMS_TEXT), claims_doc) == fast


def test_place_memo_answers_as_the_resolver_and_asks_it_once() -> None:
    from sitrep.extract.context import _PlaceMemo
    from sitrep.resolve.places import PlaceContext, resolve_place

    asked: list[tuple[str, str, object]] = []

    def counting(text: str, *, sentence: str = "", context: object = None) -> object:
        asked.append((text, sentence, context))
        return resolve_place(text, sentence=sentence, context=context)  # type: ignore[arg-type]

    memo = _PlaceMemo(counting, size=3)  # type: ignore[arg-type]
    ctx, other = PlaceContext(focus_country="Afghanistan"), PlaceContext(focus_country="Afghanistan")
    sentence = "Taliban fighters stormed the district centre of Nerkh in Wardak province."
    first = memo("Wardak", sentence=sentence, context=ctx)
    assert first == resolve_place("Wardak", sentence=sentence, context=ctx) and first is not None
    assert memo("Wardak", sentence=sentence, context=ctx) is first and len(asked) == 1
    memo("Wardak", sentence=sentence, context=other)  # another context object: asked again
    memo("Nerkh", sentence=sentence, context=ctx)
    assert len(asked) == 3
    memo("Kabul")  # full: emptied, then remembered
    assert len(memo.memo) == 1 and memo("Kabul") == resolve_place("Kabul") and len(asked) == 4
