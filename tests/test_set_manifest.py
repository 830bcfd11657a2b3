"""bench/set_manifest.py keeps an annotated set's coding without its texts and rebuilds the
set from re-fetched pages. Exercised on the real-news train split (windows A and B of
../shared/dev/news) laid out as a team set; and on the shipped manifests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SHARED

from tests.scripts import load_script

NEWS = SHARED / "dev" / "news"
needs_news = pytest.mark.skipif(not NEWS.is_dir(), reason="../shared not present: dev-set tests skipped")


@pytest.fixture(scope="module")
def manifest_script() -> Any:
    return load_script("bench/set_manifest.py")


def _train_split_as_a_set(tmp: Path) -> Path:
    """Windows A+B of ../shared/dev/news written as a set folder (articles/ + gold.json)."""
    gold = json.loads((NEWS / "gold.json").read_text(encoding="utf-8"))
    keep = {a["file"] for a in gold["articles"] if a["file"][0] in "AB"}
    out = tmp / "news_train"
    (out / "articles").mkdir(parents=True)
    for name in keep:
        (out / "articles" / name).write_bytes((NEWS / "articles" / name).read_bytes())
    events = [e for e in gold["events"] if all(m["file"] in keep for m in e["mentions"])]
    (out / "gold.json").write_text(json.dumps({
        "articles": [a for a in gold["articles"] if a["file"] in keep], "events": events}), encoding="utf-8")
    return out


@needs_news
def test_a_set_round_trips_without_its_texts(tmp_path: Path, manifest_script: Any) -> None:
    folder = _train_split_as_a_set(tmp_path)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    manifest = manifest_script.export(folder)
    # (the headline stays: with the address it is how a page is found again)
    raw = json.dumps({**manifest, "articles": [{k: v for k, v in a.items() if k != "title"}
                                               for a in manifest["articles"]]}, ensure_ascii=False)
    texts = [p.read_text(encoding="utf-8") for p in (folder / "articles").glob("*.txt")]
    # no quote and no long run of any article's words is kept
    assert all(m["quote"] not in raw for e in gold["events"] for m in e["mentions"] if len(m["quote"]) >= 40)
    for e in manifest["events"]:
        note = e.get("notes") or ""
        assert not any(note[i : i + 40] in t for i in range(max(0, len(note) - 39)) for t in texts)
    # the pages come back, one with a line more at its top: every quote is found again
    fetched = tmp_path / "fetched"
    fetched.mkdir()
    for p in (folder / "articles").glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        if p.name == "A01.txt":
            head, body = text.split("\n\n", 1)
            text = f"{head}\n\nA line the page came back with.\n{body}"
        (fetched / p.name).write_text(text, encoding="utf-8")
    report = manifest_script.restore(manifest, fetched, tmp_path / "restored")
    assert report["articles"]["A01.txt"] == "changed" and report["unplaced_quotes"] == []
    restored = json.loads((tmp_path / "restored" / "gold.json").read_text(encoding="utf-8"))
    assert [[m["quote"] for m in e["mentions"]] for e in restored["events"]] == \
        [[m["quote"] for m in e["mentions"]] for e in gold["events"]]
    assert [{k: v for k, v in e.items() if k not in ("mentions", "notes")} for e in restored["events"]] == \
        [{k: v for k, v in e.items() if k not in ("mentions", "notes")} for e in gold["events"]]


@needs_news
def test_a_missing_page_drops_only_what_it_alone_held(tmp_path: Path, manifest_script: Any) -> None:
    folder = _train_split_as_a_set(tmp_path)
    manifest = manifest_script.export(folder)
    fetched = tmp_path / "fetched"
    fetched.mkdir()
    for p in (folder / "articles").glob("*.txt"):
        if p.name != "A01.txt":
            (fetched / p.name).write_bytes(p.read_bytes())
    report = manifest_script.restore(manifest, fetched, tmp_path / "restored")
    only_a01 = [e["id"] for e in manifest["events"] if {m["file"] for m in e["mentions"]} == {"A01.txt"}]
    assert report["articles"]["A01.txt"] == "missing" and report["dropped_events"] == only_a01
    assert report["events"] == len(manifest["events"]) - len(only_a01)


def test_a_holdout_is_never_exported(tmp_path: Path, manifest_script: Any) -> None:
    (tmp_path / "holdout_af" / "articles").mkdir(parents=True)
    with pytest.raises(SystemExit, match="measured only"):
        manifest_script.export(tmp_path / "holdout_af")


@pytest.mark.parametrize("name", ["news_extra", "ukraine_extra"])
def test_the_shipped_manifests_hold_no_article_text(name: str) -> None:
    """The manifests in bench/sets/ keep offsets and hashes, never a quote."""
    manifest = json.loads((ROOT / "bench" / "sets" / f"{name}.json").read_text(encoding="utf-8"))
    assert manifest["events"] and all(set(m) == {"file", "start", "end", "sha1"}
                                      for e in manifest["events"] for m in e["mentions"])
    files = {a["file"] for a in manifest["articles"]}
    assert all(m["file"] in files for e in manifest["events"] for m in e["mentions"])
