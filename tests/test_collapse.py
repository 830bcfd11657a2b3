"""The occurrence pass's pair bookkeeping (:func:`sitrep.collapse.collapse`): after a merge
only the pairs of the clusters it changed are found and weighed again; the result must be
exactly what finding and weighing every pair at every step gives."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import sitrep.fuse
from sitrep.clusters import Cluster
from sitrep.collapse import collapse
from sitrep.ingest import IngestOptions, ingest
from sitrep.pipeline import analyse
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / ".." / "shared" / "dev" / "news" / "articles"
CORPUS = ROOT / "examples" / "corpus"


def _shown(clusters: list[Cluster]) -> list[tuple[str, str, str, list[str]]]:
    return [(repr(c.obs), repr(c.date), repr(c.place), sorted(c.articles)) for c in clusters]


def _generated(tmp_path: Path, n: int) -> str:
    """``n`` articles of the benchmark generator (demo stories moved across 2021: dense
    provinces, recalled captures), as a .jsonl file."""
    gen = load_script("bench/generate_corpus.py")
    path = tmp_path / "gen.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in gen.generate(
        n, 7, gen.load_sources(), gen.PlaceSwapper())), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("which", ["news", "generated"])
def test_incremental_pairs_give_the_clusters_of_every_pair(
        which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # real news windows A and B (train split) and the demo corpus, or generated articles,
    # fused in one call: every block the occurrence pass sees is collapsed both ways, on
    # copies of the same input
    sources = [str(p) for p in sorted(NEWS.glob("[AB]*.txt"))] + [str(CORPUS)] \
        if which == "news" else [_generated(tmp_path, 300)]
    articles = ingest(sources, IngestOptions()).articles
    mentions = [m for _a, ms, _c in analyse(articles) for m in ms]
    seen = {"blocks": 0, "merges": 0}

    def both(clusters: list[Cluster]) -> list[Cluster]:
        reference = collapse(copy.deepcopy(clusters), every_pair=True)
        out = collapse(clusters)
        assert _shown(out) == _shown(reference)
        seen["blocks"] += 1
        seen["merges"] += len(clusters) - len(out)
        return out

    monkeypatch.setattr(sitrep.fuse, "collapse", both)
    result: Any = sitrep.fuse.fuse(mentions, {a.id: a for a in articles})
    assert len(articles) >= 40 and len(result.events) > 30
    assert seen["blocks"] > 20 and seen["merges"] > (3 if which == "news" else 30)
