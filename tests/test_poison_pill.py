"""No poison-pill article (issue 13 item 1): an over-long text is analysed in pieces, and
an article whose analysis raises is recorded as failed, named once, and skipped by later
runs until its content changes or ``retry_failed`` is asked for; the others go on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import sitrep.nlp
from sitrep.ingest import IngestOptions
from sitrep.model import Article
from sitrep.nlp import ents_in, get_nlp, parse, split_long
from sitrep.pipeline import RunOptions, analyse, run
from sitrep.store import Store

STORY = ("Taliban fighters captured the district centre of Panjwai in Kandahar province on "
        "Sunday after a night of fighting with government forces, the district governor said. "
        "At least four soldiers were killed and several others wounded, he added.")
OPTS = RunOptions(ingest=IngestOptions(reference_date=dt.date(2021, 8, 1)))

# a realistic multi-paragraph report (written for this test), long enough to be cut
REPORT = "\n\n".join([
    "KANDAHAR, Afghanistan (Reuters) - Taliban fighters captured the district centre of "
    "Panjwai in Kandahar province on Sunday after a night of heavy fighting with government "
    "forces, the district governor said.",
    "\"Our forces withdrew to the police headquarters before dawn,\" Haji Mohammad Rasoul "
    "told reporters by telephone. At least four soldiers were killed and seven wounded.",
    "In neighbouring Helmand province, Afghan air force jets struck Taliban positions near "
    "Lashkar Gah on Saturday, killing 21 insurgents, the defence ministry said in a statement.",
    "The Taliban said in a statement that they had seized two checkpoints in Arghandab "
    "district and captured weapons and ammunition. The claim could not be independently "
    "verified.",
    "Fighting has intensified across the south since foreign troops began their final "
    "withdrawal in May. Officials in Herat said clashes continued on Monday in Karukh "
    "district, where hundreds of families have fled their homes.",
] * 3)


def _long_text() -> str:
    """1.5 MB that spaCy parses fast: a report, then paragraphs of few, very long tokens."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    filler = [f"{letters[i % 26] * 2500} {letters[(i + 7) % 26] * 2500} end." for i in range(300)]
    return "Date: 2021-07-05\n\n" + STORY + "\n\n" + "\n\n".join(filler)


def test_split_long_cuts_on_the_best_boundary_and_loses_nothing() -> None:
    pieces = split_long(REPORT, 1000)
    assert "".join(pieces) == REPORT and all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])  # paragraph breaks first
    one_paragraph = " ".join([REPORT.split("\n\n")[0]] * 3)
    cut = split_long(one_paragraph, 300)[0]
    assert cut.endswith("said. "), cut[-20:]  # then a sentence end
    assert "".join(split_long("x" * 2500, 1000)) == "x" * 2500  # a hard cut only in one run


def test_a_text_over_max_length_is_parsed_in_pieces_with_article_offsets(
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = next(parse([REPORT]))
    monkeypatch.setattr(get_nlp(), "max_length", 1000)
    monkeypatch.setattr(sitrep.nlp, "CHUNK_CHARS", 800)
    assert len(split_long(REPORT, 800)) > 3
    short, cut = parse(["Fighting in Herat.", REPORT])  # order and short texts kept
    assert short.text == "Fighting in Herat."
    assert cut.text == REPORT and len(cut) == len(whole)
    assert all(REPORT[e.start_char:e.end_char] == e.text for e in cut.ents)
    assert all(REPORT[s.start_char:s.end_char] == s.text for s in cut.sents)
    places = {(e.start_char, e.text) for e in cut.ents if e.label_ in {"GPE", "LOC", "FAC"}}
    assert places == {(e.start_char, e.text) for e in whole.ents
                      if e.label_ in {"GPE", "LOC", "FAC"}}
    article = Article(id="r1", text=REPORT, source="report.txt", url=None, outlet=None,
                      wire=None, title=None, language="en", published=dt.date(2021, 7, 5),
                      published_basis="test", published_confidence=1.0)
    ((_a, mentions, claims),) = list(analyse([article]))
    assert mentions and claims
    for m in mentions:  # every piece of evidence points into the article text
        assert REPORT[m.sentence.start:m.sentence.end] == m.sentence.text
        assert REPORT[m.trigger.start:m.trigger.end] == m.trigger.text


def test_a_1_5_mb_article_does_not_block_the_next_one(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_long.txt").write_text(_long_text(), encoding="utf-8")
    (inbox / "b_normal.txt").write_text(
        "Date: 2021-07-06\n\n" + STORY.replace("Panjwai", "Arghandab") + "\n", encoding="utf-8")
    with Store(tmp_path / "p.duckdb") as st:
        s = run([str(inbox)], st, OPTS)
        assert (s.articles_added, s.articles_analysed, s.analysis_failed) == (2, 2, 0), s.failures
        assert st.count("articles") == 2 and not st.unanalysed_article_ids()
        texts = {m.sentence.text for m in st.get_mentions()}
        assert any("Panjwai" in t for t in texts) and any("Arghandab" in t for t in texts)
        again = run([str(inbox)], st, OPTS)  # later runs are clean
        assert (again.articles_analysed, again.analysis_failed, again.failures) == (0, 0, [])


def _poisoned_parse(real: Any) -> Any:
    """spaCy refusing one text the way it refused long ones (``nlp.pipe`` dies with it)."""
    def parse_(texts: Iterable[str], batch_size: int = 16, n_process: int = 1) -> Iterator[Any]:
        for text in texts:
            if "POISON" in text:
                raise ValueError("[E088] Text of length 1500000 exceeds maximum of 1000000.\n"
                                 "The parser and NER models require roughly 1GB of memory.")
            yield from real([text], batch_size, n_process)
    return parse_


def test_an_article_whose_analysis_raises_is_recorded_and_skipped_until_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    poison = inbox / "a_poison.txt"
    poison.write_text("Date: 2021-07-05\n\nPOISON " + STORY + "\n", encoding="utf-8")
    (inbox / "b_normal.txt").write_text(
        "Date: 2021-07-06\n\n" + STORY.replace("Panjwai", "Arghandab") + "\n", encoding="utf-8")
    real = sitrep.nlp.parse
    monkeypatch.setattr(sitrep.nlp, "parse", _poisoned_parse(real))
    with Store(tmp_path / "f.duckdb") as st:
        s = run([str(inbox)], st, OPTS)
        assert (s.articles_added, s.articles_analysed, s.analysis_failed) == (2, 1, 1)
        (failure,) = s.failures  # one line naming the article and the reason
        assert failure.source == str(poison) and failure.stage == "analyse"
        assert failure.reason.startswith("analysis failed: ValueError: [E088]")
        assert "\n" not in failure.reason
        (stored_reason,) = st.analysis_failures().values()
        assert stored_reason == failure.reason
        # the next run skips it: no crash, no error line, nothing analysed again
        s = run([str(inbox)], st, OPTS)
        assert (s.articles_analysed, s.analysis_failed, s.failures) == (0, 0, [])
        assert s.analysis_skipped_failed == 1
        # changed content is a new article: analysed
        poison.write_text("Date: 2021-07-05\n\n" + STORY + "\n", encoding="utf-8")
        s = run([str(inbox)], st, OPTS)
        assert (s.articles_added, s.articles_analysed, s.failures) == (1, 1, [])
        # retry_failed analyses the failed one again (fixed now): its failure is cleared
        monkeypatch.setattr(sitrep.nlp, "parse", real)
        s = run([], st, RunOptions(retry_failed=True))
        assert (s.articles_analysed, s.analysis_failed) == (1, 0)
        assert st.analysis_failures() == {} and not st.unanalysed_article_ids()


def test_ents_in_matches_span_ents_without_rescanning_the_doc() -> None:
    doc = next(parse([REPORT]))
    assert ents_in(doc) == list(doc.ents)
    for sent in doc.sents:
        assert ents_in(sent) == list(sent.ents)
    for start, end in ((0, 7), (3, 40), (10, 11), (len(doc) - 30, len(doc))):
        assert ents_in(doc[start:end]) == list(doc[start:end].ents)


def test_cli_run_skips_a_failed_article_and_retry_failed_analyses_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    poison = inbox / "a_poison.txt"
    poison.write_text("Date: 2021-07-05\n\nPOISON " + STORY + "\n", encoding="utf-8")
    db = str(tmp_path / "c.duckdb")
    real = sitrep.nlp.parse
    monkeypatch.setattr(sitrep.nlp, "parse", _poisoned_parse(real))
    runner = CliRunner()
    first = runner.invoke(app, ["run", str(inbox), "--db", db, "--top", "0"])
    assert first.exit_code == 1 and "analysis failed" in first.output
    monkeypatch.setattr(sitrep.nlp, "parse", real)  # the cause is fixed...
    again = runner.invoke(app, ["run", "--db", db, "--top", "0"])
    assert again.exit_code == 0  # ...but a plain run still skips the recorded failure
    with Store(db, read_only=True) as st:
        assert len(st.analysis_failures()) == 1
    retried = runner.invoke(app, ["run", "--db", db, "--top", "0", "--retry-failed"])
    assert retried.exit_code == 0, retried.output
    with Store(db, read_only=True) as st:
        assert st.analysis_failures() == {} and not st.unanalysed_article_ids()
