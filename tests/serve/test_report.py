"""Situation reports on the demo-corpus database: sections, images, numbered sources."""

from __future__ import annotations

import datetime as dt
import re

from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.report import build_report, render_markdown
from sitrep.store import Store

SECTIONS = ["Key developments", "Control changes", "Casualties and displacement",
            "Claims and disputes", "Sources"]


def test_markdown_report_has_sections_images_and_numbered_sources(demo_db) -> None:
    with Store(demo_db) as st:
        rep = build_report(st, date_from=dt.date(2021, 8, 1), date_to=dt.date(2021, 8, 31))
    assert rep.events and all(e.date.end >= dt.date(2021, 8, 1) for e in rep.events)
    assert rep.map_png.startswith(b"\x89PNG") and rep.timeline_png.startswith(b"\x89PNG")
    md = render_markdown(rep)
    for title in SECTIONS:
        assert f"## {title}" in md
    sources = md.split("## Sources", 1)[1]
    numbered = re.findall(r"^(\d+)\. ", sources, flags=re.M)
    assert numbered == [str(i) for i in range(1, len(rep.sources) + 1)] and numbered
    # every reference in the body points into the source list
    refs = {int(n) for group in re.findall(r"\[([\d, ]+)\]", md.split("## Sources")[0])
            for n in group.split(",")}
    assert refs and refs <= set(range(1, len(rep.sources) + 1))
    # control changes of the period (August 2021: provincial capitals fell)
    assert any(s.controller == "taliban" for s in rep.control_changes)


def test_region_filter_keeps_only_that_province(demo_db) -> None:
    with Store(demo_db) as st:
        rep = build_report(st, region="Kandahar")
    assert rep.events
    assert all(e.place and e.place.admin1 == "Kandahar" for e in rep.events)
    assert all(s.admin1 == "Kandahar" for s in rep.control_changes)


def test_cli_writes_self_contained_html_and_markdown(demo_db, tmp_path, artifacts) -> None:
    out = tmp_path / "sitrep.html"
    res = CliRunner().invoke(app, ["report", "--db", str(demo_db), "--from", "2021-07-01",
                                   "--to", "2021-08-31", "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert html.count("data:image/png;base64,") == 2
    assert not re.search(r"""(src|href)=["']https?://""", html.split("<ol>")[0])  # nothing fetched
    for title in SECTIONS:
        assert title in html
    (artifacts / "report.html").write_text(html)
    md = tmp_path / "sitrep.md"
    res = CliRunner().invoke(app, ["report", "--db", str(demo_db), "--out", str(md)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "sitrep_map.png").exists() and "(sitrep_map.png)" in md.read_text()
    bad = CliRunner().invoke(app, ["report", "--db", str(demo_db), "--from", "2021-02-30",
                                   "--out", str(md)])
    assert bad.exit_code == 2 and "--from" in bad.output
