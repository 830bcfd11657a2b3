"""Bad input through the main job (``sitrep run``), as a user meets it.

One directory mixes three demo articles with every kind of bad input; the run names
each bad input on ONE stderr line with the reason, stores the rest and exits 1; a
second run adds and duplicates nothing; a failing batch leaves a stored database
unchanged. Odd but valid text (not English, a 5,000-character sentence, no places or
dates) goes through without a crash and without invented places or dates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitrep.pipeline import run
from sitrep.store import Store
from tests.conftest import CORPUS

SITREP = [sys.executable, "-m", "sitrep"]
GOOD = ["2021-08-06_zaranj.txt", "2021-07-14_spin-boldak.txt", "2021-08-07_shibirghan.txt"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
LATIN = ("Title: Karukh district falls\nDate: 2021-07-20\n\n"
         "Les talibans ont pris le contrôle du district de Karukh, à l’est de Hérat, "
         "le 19 juillet 2021, selon un responsable provincial. The Taliban captured Karukh "
         "district east of Herat city on Monday after two days of fighting with government "
         "forces, the provincial governor’s spokesman said. Residents said “many families” "
         "fled toward the city. Officials said the security forces had withdrawn to the "
         "provincial capital to avoid civilian casualties.")
KUNDUZ = ("Taliban fighters attacked police checkpoints in Kunduz city on Sunday, August 8, "
          "2021, killing three policemen, a provincial council member said. The attack began "
          "late at night and lasted several hours before government reinforcements arrived "
          "from the airport base nearby, officials said.")
GHAZNI = ("Government forces repelled a Taliban attack on the outskirts of Ghazni city on "
          "Tuesday, August 10, 2021, the provincial police chief said, adding that twelve "
          "insurgents were killed. The fighting continued in nearby villages for several "
          "hours, residents said.")
UNREACHABLE = "http://127.0.0.1:9/x"  # discard port: connection refused, no network
PRIVATE = "http://10.0.0.1/x"


def _corpus(tmp: Path) -> tuple[Path, Path]:
    """(directory of mixed inputs, a .png given by name)."""
    d = tmp / "inbox"
    d.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / name, d / name)
    (d / "photo.html").write_bytes(PNG)  # a mislabelled download
    (d / "empty.txt").write_bytes(b"")
    (d / "latin.txt").write_bytes(LATIN.encode("cp1252"))  # no charset declared anywhere
    (d / "garbage.txt").write_bytes(bytes(range(128, 256)) * 4)
    (d / "broken.html").write_bytes(b"<html><body><div><<<>>></")
    lines = [json.dumps({"title": "Kunduz", "text": KUNDUZ, "published": "2021-08-08"}),
             '{"title": "broken", "text": "unterminated',
             json.dumps({"title": "Ghazni", "text": GHAZNI, "published": "2021-08-10"})]
    (d / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "feed.rss").write_bytes(b"<rss><channel><title>x</title><item><title>a</")
    (d / "huge.txt").write_bytes(b"The Taliban captured the district. " * 3000)
    png = tmp / "image.png"
    png.write_bytes(PNG)
    return d, png


def _sitrep(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SITREP, *args], capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL,
                          env={**os.environ, "COLUMNS": "200", "SITREP_DB": "unused"})


def _errors(stderr: str) -> list[str]:
    return [x for x in stderr.splitlines() if x.startswith("error ")]


def _snapshot(db: Path) -> dict[str, Any]:
    with Store(db, read_only=True) as st:
        return {"articles": sorted((a.id, a.source) for a in st.get_articles()),
                "mentions": sorted(m.id for m in st.get_mentions()),
                "claims": sorted(c.id for c in st.get_claims()),
                "events": sorted((e.id, e.mention_ids, e.n_sources) for e in st.get_events()),
                "control": sorted((s.unit_id, s.date, s.controller) for s in st.get_control())}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Any]:
    tmp = tmp_path_factory.mktemp("bad")
    inbox, png = _corpus(tmp)
    db = tmp / "bad.duckdb"
    proc = _sitrep("run", str(inbox), str(png), UNREACHABLE, "--allow-private",
                   "--max-bytes", "50000", "--db", str(db))
    return inbox, png, db, proc


def test_each_bad_input_gets_one_line_naming_it_and_the_rest_is_stored(
        first_run: tuple[Path, Path, Path, Any]) -> None:
    inbox, png, db, proc = first_run
    assert proc.returncode == 1, proc.stderr[-3000:]
    expected = {  # input -> words of its reason
        str(inbox / "photo.html"): "binary",
        str(png): "binary",
        str(inbox / "empty.txt"): "empty file",
        str(inbox / "garbage.txt"): "undecodable",
        str(inbox / "broken.html"): "",  # malformed or empty HTML / too short
        f"{inbox / 'wire.jsonl'}#2": "malformed JSON line",
        str(inbox / "feed.rss"): "",
        str(inbox / "huge.txt"): "--max-bytes",
        UNREACHABLE: "unreachable",
    }
    lines = _errors(proc.stderr)
    for source, words in expected.items():
        mine = [x for x in lines if x.startswith(f"error {source}:")
                or x.startswith(f"error {source}#")]
        assert len(mine) == 1, (source, lines)
        reason = mine[0].split(": ", 1)[1]
        assert words in reason and len(reason) > 8, mine[0]
    assert len(lines) == len(expected), lines  # nothing good reported, nothing twice
    with Store(db, read_only=True) as st:
        stored = {Path(a.source).name: a for a in st.get_articles()}
        assert not st.unanalysed_article_ids()
    assert set(stored) == {*GOOD, "latin.txt", "wire.jsonl#1", "wire.jsonl#3"}
    latin = stored["latin.txt"].text  # decoded by sniffing, not mojibake
    assert "contrôle" in latin and "Hérat" in latin and "“many families”" in latin
    assert "\ufffd" not in latin and "Ã" not in latin


def test_a_second_run_adds_nothing_and_duplicates_nothing(
        first_run: tuple[Path, Path, Path, Any]) -> None:
    inbox, png, db, _ = first_run
    before = _snapshot(db)
    proc = _sitrep("run", str(inbox), str(png), UNREACHABLE, "--allow-private",
                   "--max-bytes", "50000", "--db", str(db))
    assert proc.returncode == 1
    assert len(_errors(proc.stderr)) == 9
    assert _snapshot(db) == before
    with Store(db, read_only=True) as st:
        assert st.count("articles") == 6


def test_a_private_address_is_refused_and_a_failing_batch_changes_nothing(
        first_run: tuple[Path, Path, Path, Any]) -> None:
    inbox, _png, db, _ = first_run
    before = _snapshot(db)
    proc = _sitrep("run", PRIVATE, "http://127.0.0.1:9/y", str(inbox / "empty.txt"),
                   str(inbox / "missing.txt"), "--db", str(db))
    assert proc.returncode == 2  # every input failed: nothing usable (the rule of `sitrep ingest`)
    lines = _errors(proc.stderr)
    assert len(lines) == 4, lines
    (refused,) = [x for x in lines if x.startswith(f"error {PRIVATE}:")]
    assert "refused" in refused and "--allow-private" in refused
    assert any(x.startswith("error http://127.0.0.1:9/y:") and "refused" in x for x in lines)
    assert any("missing.txt" in x and "no such file" in x for x in lines)
    assert _snapshot(db) == before


def test_a_crash_inside_a_batch_leaves_the_stored_database_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        run([str(CORPUS / GOOD[0])], st)
    before = _snapshot(db)

    def broken_fuse(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sitrep.fuse.fuse", broken_fuse)
    with Store(db) as st, pytest.raises(RuntimeError):
        run([str(CORPUS / GOOD[1])], st)
    after = _snapshot(db)
    # the new article is stored (ingest committed) but unanalysed; nothing else moved
    assert {k: v for k, v in after.items() if k != "articles"} == \
        {k: v for k, v in before.items() if k != "articles"}
    with Store(db, read_only=True) as st:
        assert len(st.unanalysed_article_ids()) == 1
    monkeypatch.undo()
    with Store(db) as st:  # the next run picks it up
        summary = run([], st)
    assert summary.articles_analysed == 1 and summary.events > len(before["events"])


# ---------------------------------------------------------------- odd but valid text
FRENCH = ("Les combattants talibans ont attaqué un poste de police dans la province de Kandahar "
          "mardi soir, a indiqué un porte-parole du gouverneur. Trois policiers ont été tués et "
          "deux autres blessés lors des affrontements qui ont duré plusieurs heures, selon des "
          "responsables locaux. La police a ensuite repris le contrôle du poste. ")
_CLAUSE = ("and the shooting went on for hours as more fighters arrived from the north "
           "and the south ")
LONG = ("Taliban fighters attacked a checkpoint in Kandahar, killing three soldiers, " + _CLAUSE * 56
        + "before government forces withdrew.")
NOWHERE = ("Armed men attacked a convoy and killed four soldiers, an official said. The "
           "attackers fled after a short exchange of fire and nobody has claimed "
           "responsibility for the ambush so far. Officials said an investigation had been "
           "launched and that reinforcements were sent to secure the road.")


def test_odd_text_goes_through_without_invented_places_or_dates(tmp_path: Path) -> None:
    assert len(LONG) >= 5000 and LONG.count(".") == 1
    d = tmp_path / "odd"
    d.mkdir()
    for name, text in (("french.txt", FRENCH), ("long.txt", f"Date: 2021-08-01\n\n{LONG}"),
                       ("nowhere.txt", NOWHERE)):
        (d / name).write_text(text, encoding="utf-8")
    db = tmp_path / "odd.duckdb"
    with Store(db) as st:
        summary = run([str(d)], st)
        assert summary.failures == [] and summary.articles_analysed == 3
        arts = {Path(a.source).name: a for a in st.get_articles()}
        mentions = {m.id: m for m in st.get_mentions()}
        events = st.get_events()
    assert arts["french.txt"].language == "fr"
    assert arts["long.txt"].published == dt.date(2021, 8, 1)
    for name in ("french.txt", "nowhere.txt"):  # nothing dates them: nothing invented
        assert arts[name].published is None
    for m in mentions.values():  # provenance holds, even in a 5,000-character sentence
        text = next(a.text for a in arts.values() if a.id == m.article_id)
        assert text[m.sentence.start:m.sentence.end] == m.sentence.text
        assert m.sentence.start <= m.trigger.start < m.trigger.end <= m.sentence.end
    assert events  # the dated long sentence makes one
    for e in events:
        assert e.date.start.year >= 2021, e  # no placeholder date
        resolved = {mentions[mid].place.place.id for mid in e.mention_ids  # type: ignore[union-attr]
                    if mentions[mid].place is not None and mentions[mid].place.place is not None}  # type: ignore[union-attr]
        if e.place is None:
            continue
        assert e.place.id in resolved, e  # a point only where a place was resolved
    # undated and placeless reports stay mentions (with provenance) but make no event
    nowhere = arts["nowhere.txt"].id
    assert [m for m in mentions.values() if m.article_id == nowhere]
    for name in ("french.txt", "nowhere.txt"):
        assert not [e for e in events if arts[name].id in e.article_ids], name


def test_a_database_held_by_another_process_is_named_with_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    with Store(db):  # this process holds the write lock, as a running `sitrep run` does
        proc = _sitrep("events", "--db", str(db))
    assert proc.returncode == 2
    (line,) = _errors(proc.stderr)
    assert str(db) in line and "in use by another process" in line
