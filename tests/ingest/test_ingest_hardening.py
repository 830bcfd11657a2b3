"""Inputs that used to be silently mangled or skipped (issue 13 items 3 and 8): one bad
byte in a UTF-8 file, UTF-16 JSON lines, unreadable subdirectories, symbolic link loops
and file names that hold a newline."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from sitrep.ingest import IngestOptions, ingest
from sitrep.ingest.readers import RawDocument, decode_bytes, read_source
from sitrep.model import Failure

BODY = ("Zaranj — Nīmrōz’s capital — fell to the Taliban on Friday, the first provincial capital "
        "to be captured since the insurgents’ offensive began, a provincial council member said. "
        "Officials said government forces had withdrawn to the “Ghorghori” base near the border "
        "with Iran, and that fighting continued in Chahar Burjak district on Saturday.")


def _read(path: Path) -> list[RawDocument | Failure]:
    return list(read_source(str(path), 5_000_000))


def test_one_invalid_byte_in_utf8_is_replaced_with_a_warning_not_mojibake(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = BODY.encode("utf-8")
    at = data.index(b"fell")
    f = tmp_path / "zaranj.txt"
    f.write_bytes(data[:at] + b"\xff" + data[at:])
    with caplog.at_level(logging.WARNING, logger="sitrep.ingest"):
        (doc,) = _read(f)
    assert isinstance(doc, RawDocument)
    assert doc.text == BODY[:BODY.index("fell")] + "\ufffd" + BODY[BODY.index("fell"):]
    assert "вЂ" not in doc.text and "Nīmrōz’s" in doc.text
    (warning,) = [r.getMessage() for r in caplog.records if r.name == "sitrep.ingest"]
    assert str(f) in warning and f"byte offset {at}" in warning and "0xFF" in warning


def test_legacy_encodings_are_still_sniffed_when_utf8_clearly_fails() -> None:
    text = ("Les talibans ont pris le contrôle de Hérat jeudi, après des semaines de siège, "
            "selon des responsables afghans qui évoquent « de nombreuses familles » déplacées.")
    assert decode_bytes("fr.txt", text.encode("cp1252")) == text
    garbage = bytes(range(128, 256)) * 4
    with pytest.raises(Exception, match="undecodable"):
        decode_bytes("garbage.txt", garbage)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_jsonl_file_with_a_utf16_or_utf32_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "wire.jsonl"
    lines = [json.dumps({"text": BODY, "url": "https://a.example/1"}, ensure_ascii=False),
             "{broken", json.dumps({"text": BODY.replace("Friday", "Sunday")}, ensure_ascii=False)]
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    f.write_bytes(bom + "\n".join(lines).encode(encoding))
    docs = _read(f)
    assert [type(d).__name__ for d in docs] == ["RawDocument", "Failure", "RawDocument"], docs
    first, bad, third = docs
    assert isinstance(first, RawDocument) and first.text == BODY and first.source == f"{f}#1"
    assert isinstance(bad, Failure) and bad.source == f"{f}#2" and "malformed JSON" in bad.reason
    assert isinstance(third, RawDocument) and "Sunday" in third.text


def _good(path: Path) -> None:
    path.write_text(f"Date: 2021-08-13\n\n{BODY}\n", encoding="utf-8")


def test_unreadable_subdirectories_and_symlink_loops_are_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "locked").mkdir()
    _good(inbox / "sub" / "a.txt")
    (inbox / "locked" / "hidden.txt").write_text("never read", encoding="utf-8")
    (inbox / "sub" / "loop").symlink_to(inbox, target_is_directory=True)  # leads back up
    (inbox / "self.txt").symlink_to(inbox / "self.txt")  # a link to itself
    (inbox / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # a broken link
    os.chmod(inbox / "locked", 0)
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # root ignores file modes: refuse as a user would see
        if Path(path) == inbox / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = ingest([str(inbox)], IngestOptions(reference_date=None))
    finally:
        os.chmod(inbox / "locked", 0o755)
    assert [a.source for a in result.articles] == [str(inbox / "sub" / "a.txt")]
    reasons = {f.source: f.reason for f in result.failures}
    assert reasons.keys() == {str(inbox / "locked"), str(inbox / "sub" / "loop"),
                              str(inbox / "self.txt"), str(inbox / "gone.txt")}, reasons
    assert "cannot read directory" in reasons[str(inbox / "locked")]
    assert "Permission denied" in reasons[str(inbox / "locked")]
    assert "symbolic link loop" in reasons[str(inbox / "sub" / "loop")]
    assert "symbolic link loop" in reasons[str(inbox / "self.txt")]
    assert "broken symbolic link" in reasons[str(inbox / "gone.txt")]
    loop_arg = ingest([str(inbox / "self.txt")])  # named on the command line too
    assert "symbolic link loop" in loop_arg.failures[0].reason


def test_a_file_name_with_a_newline_cannot_forge_an_error_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    evil = inbox / "x\nerror forged: all good.txt"
    evil.write_bytes(b"")
    _good(inbox / "fine.txt")
    result = ingest([str(inbox)], IngestOptions(reference_date=None))
    assert len(result.articles) == 1
    (failure,) = result.failures
    assert failure.source == repr(str(evil)) and "\n" not in failure.source
    assert failure.reason == "empty file"
    line = f"error {failure.source}: {failure.reason}"
    assert len(line.splitlines()) == 1 and "\\n" in line


def test_the_cli_names_each_bad_entry_on_one_line_and_exits_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _good(inbox / "fine.txt")
    (inbox / "x\nerror forged: all good.txt").write_bytes(b"")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    res = CliRunner().invoke(app, ["ingest", str(inbox), "--db", str(tmp_path / "c.duckdb")])
    assert res.exit_code == 1, res.output
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error")]
    assert len(errors) == 2 and not any(ln.startswith("error forged") for ln in errors), errors
    assert any("loop" in ln and "symbolic link loop" in ln for ln in errors)


def test_a_json_error_position_reads_once(tmp_path: Path) -> None:
    f = tmp_path / "cut.jsonl"
    f.write_text('{"text": "Herat fell to the Taliban on Thursday\n', encoding="utf-8")
    g = tmp_path / "cut.json"
    g.write_text('{"text": "Herat fell', encoding="utf-8")
    (line,) = _read(f)
    (whole,) = _read(g)
    assert isinstance(line, Failure) and isinstance(whole, Failure)
    assert line.reason == "malformed JSON line: Unterminated string starting at column 10"
    assert whole.reason == "malformed JSON: Unterminated string starting at line 1 column 10"
