"""Shared test fixtures and paths. ``../shared`` sits beside the repository (as in CI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_gold.json"
CORPUS = ROOT / "examples" / "corpus"
CORPUS_GOLD = ROOT / "examples" / "corpus_gold.json"


@pytest.fixture(scope="session")
def seeds_gold() -> dict[str, Any]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The project's spaCy pipeline, loaded once per test session."""
    from sitrep.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built by the main job from the bundled demo corpus (once per session)."""
    from sitrep.pipeline import run
    from sitrep.store import Store

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store(db) as store:
        run([str(CORPUS)], store)
    return db


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for humans (screenshots, reports): ./artifacts."""
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    return out
