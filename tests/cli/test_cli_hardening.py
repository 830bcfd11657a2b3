"""Issue 13 item 8, CLI parts: ``sitrep run`` with no path resumes pending analysis; one
exit-code rule for ``run`` and ``ingest``; failure lines print names literally (a name
with a newline or rich markup cannot forge or break a line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.cli._app import display_name, printable
from sitrep.store import Store

runner = CliRunner()

ARTICLE = ("Title: Clash in Panjwayi\nDate: 2021-07-05\n\nTaliban fighters attacked a police "
           "checkpoint in Panjwayi district of Kandahar province on Sunday, killing two "
           "policemen, provincial officials said. The fighting lasted several hours before "
           "the attackers withdrew towards nearby villages, a local elder told reporters.\n")


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_run_without_paths_analyses_what_ingest_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "r.duckdb")
    assert runner.invoke(app, ["ingest", str(_good(tmp_path)), "--db", db]).exit_code == 0
    with Store(db, read_only=True) as st:
        assert st.count("mentions") == 0 and st.count("events") == 0
    res = runner.invoke(app, ["run", "--db", db, "--top", "0"])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as st:
        assert st.count("events") >= 1
    summary = dict(re.findall(r"^\W*([a-z_]+)\W+([0-9.]+)\W*$", res.output, flags=re.M))
    assert summary["articles_analysed"] == "1" and summary["articles_added"] == "0"


@pytest.mark.parametrize("command", ["run", "ingest"])
def test_one_exit_code_rule_for_run_and_ingest(tmp_path: Path, command: str) -> None:
    db = str(tmp_path / f"{command}.duckdb")
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    nothing = runner.invoke(app, [command, str(bad), str(tmp_path / "missing.txt"), "--db", db])
    assert nothing.exit_code == 2, nothing.output  # every input failed
    some = runner.invoke(app, [command, str(_good(tmp_path)), str(bad), "--db", db])
    assert some.exit_code == 1, some.output  # some failed, the rest stored
    again = runner.invoke(app, [command, str(_good(tmp_path)), "--db", db])
    assert again.exit_code == 0, again.output


def test_failure_lines_print_names_literally(tmp_path: Path) -> None:
    forged = tmp_path / "x.txt\nerror forged.txt: looks like a second failure"
    forged.write_bytes(b"\x00\x01binary\xff" * 20)
    markup = tmp_path / "[bold red]loud.txt"
    markup.write_bytes(b"\x00\x01binary\xff" * 20)
    closing = f"{tmp_path}/[/red]gone.txt"  # missing; '[/red]' alone used to crash rich
    res = runner.invoke(app, ["ingest", str(forged), str(markup), closing,
                              "--db", str(tmp_path / "f.duckdb")])
    assert res.exit_code == 2, res.output
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error")]
    assert len(errors) == 3, res.output  # one line per failed input, none forged
    assert not any(ln.startswith("error forged") for ln in res.output.splitlines())
    assert any("\\nerror forged.txt" in ln for ln in errors)
    assert any("[bold red]loud.txt" in ln for ln in errors)  # markup shown, not applied
    assert any("[/red]gone.txt" in ln for ln in errors)


def test_name_helpers() -> None:
    assert display_name("a b.txt") == "a b.txt"
    assert display_name("a\nb.txt") == '"a\\nb.txt"'
    assert printable("tab\there") == "tab\\there" and printable("ok: plain") == "ok: plain"
