'''The Python API at the package top (issue 12 item 2): ``__all__`` pinned, the
notebook example (README "Python API") executed, and each table checked against the
CLI's rows.'''

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys

import pytest

import sitrep
from tests.conftest import ROOT

#: the README's notebook example (README "Python API"); the test runs README's copy
#: when it is there, else this one
EXAMPLE = """\
import pyarrow.compute as pc
import sitrep

summary = sitrep.run(["examples/corpus"], db="demo.duckdb")  # ingest + analyse; re-runs add only new articles
print(summary.articles_added, "new articles,", summary.events, "events")

ds = sitrep.open("demo.duckdb")
events = ds.events(admin1="Kandahar", date_from="2021-07-01")  # a pyarrow.Table
print(events.num_rows, "events in Kandahar since July:", events.column_names[:6])
# df = events.to_pandas()   or   polars.from_arrow(events)   (with pandas / polars installed)

control = ds.control(as_of="2021-08-15")                # the state of every unit that day
taliban = control.filter(pc.equal(control["controller"], "taliban"))
print(taliban.num_rows, "of", control.num_rows, "units held by the Taliban on 2021-08-15")

claims, articles = ds.claims(), ds.articles()
print(claims.num_rows, "claims from", articles.num_rows, "articles")
"""


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return next((b for b in blocks if "import sitrep" in b and "sitrep.open(" in b), EXAMPLE)


def test_public_names_are_pinned() -> None:
    assert sitrep.__all__ == ["Dataset", "__version__", "open", "run"]
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None
    assert sitrep.open.__module__ == "sitrep.api_python" and sitrep.run.__doc__
    with pytest.raises(AttributeError):
        sitrep.nothing_here  # noqa: B018


def test_import_sitrep_stays_light() -> None:
    code = "import sys, sitrep; print(sorted(m for m in ('duckdb', 'spacy', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip()
    assert out == "[]"


def test_notebook_example_runs(demo_db, tmp_path, monkeypatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    shutil.copy(demo_db, tmp_path / "demo.duckdb")  # analysed already: run() adds nothing new
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    scope: dict[str, object] = {}
    with contextlib.redirect_stdout(out):
        exec(compile(_readme_example(), "README example", "exec"), scope)  # noqa: S102
    printed = out.getvalue()
    assert "0 new articles" in printed and "units held by the Taliban" in printed
    events = scope["events"]
    assert events.num_rows > 0  # type: ignore[attr-defined]
    assert set(events.column("admin1").to_pylist()) == {"Kandahar"}  # type: ignore[attr-defined]


def test_tables_match_the_cli_rows(demo_db) -> None:
    from sitrep.cli.events_cmds import list_events
    from sitrep.export import CLAIM_COLUMNS, EVENT_COLUMNS, event_row
    from sitrep.store import EventFilter

    ds = sitrep.open(demo_db)
    events = ds.events(min_confidence=0)
    cli = [event_row(e) for e in list_events(str(demo_db), EventFilter(min_confidence=0))]
    assert events.column_names == EVENT_COLUMNS and events.num_rows == len(cli) > 20
    assert events.column("id").to_pylist() == [r["id"] for r in cli]
    assert [d.isoformat() for d in events.column("date_start").to_pylist()] == [r["date_start"] for r in cli]
    assert str(events.schema.field("fatalities").type) == "int64"
    assert str(events.schema.field("sources").type) == "list<item: string>"
    # the schema does not depend on the rows: an empty result has the same one
    assert ds.events(admin1="Nowhere").schema == events.schema
    assert ds.events(min_confidence=0, limit=3, sort="-n_sources").num_rows == 3
    changes, day = ds.control(min_confidence=0), ds.control(as_of="2021-08-15")
    assert 0 < day.num_rows <= changes.num_rows
    assert max(day.column("date").to_pylist()).isoformat() <= "2021-08-15"
    assert ds.claims().column_names == CLAIM_COLUMNS
    arts = ds.articles(text=True)
    assert "text" in arts.column_names and all(arts.column("text").to_pylist())
    with pytest.raises(ValueError, match="date_from"):
        ds.events(date_from="July")
    with pytest.raises(FileNotFoundError):
        sitrep.open(demo_db.parent / "missing.duckdb")


def test_run_takes_one_path_or_many(tmp_path) -> None:
    src = tmp_path / "one.txt"
    src.write_text("Title: Clash in Panjwayi\nDate: 2021-07-05\n\nTaliban fighters attacked a police "
                   "checkpoint in Panjwayi district of Kandahar province on Sunday, killing two "
                   "policemen, provincial officials said. The fighting lasted several hours before "
                   "the attackers withdrew towards nearby villages, a local elder told reporters.\n",
                   encoding="utf-8")
    db = tmp_path / "one.duckdb"
    first = sitrep.run(str(src), db=db)  # a single path is not iterated character by character
    assert first.articles_added == 1 and not first.failures
    assert sitrep.run([src], db=db).articles_skipped == 1
    assert sitrep.open(db).articles().num_rows == 1
