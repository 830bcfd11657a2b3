"""Shared test fixtures and paths. ``../shared`` sits beside the repository (as in CI)."""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_gold.json"
CORPUS = ROOT / "examples" / "corpus"
CORPUS_GOLD = ROOT / "examples" / "corpus_gold.json"

#: tests that read ../shared (the seeds, their gold, the real-news and ACLED dev sets,
#: the geodata) name one of these in their body or in a fixture they use
_NEEDS_SHARED = re.compile(r"\b(SHARED|SEEDS|GOLD|DEV_CSV|NEWS|seeds_gold|load_gold|gold_mentions)\b")
SHARED_SKIP = "../shared not present: dev-set tests skipped"


def _reads_shared(item: pytest.Item) -> bool:
    sources = [getattr(item, "function", None)]
    infos = getattr(item, "_fixtureinfo", None)
    for defs in (infos.name2fixturedefs.values() if infos else ()):
        sources += [d.func for d in defs]
    for fn in sources:
        try:
            if fn is not None and _NEEDS_SHARED.search(inspect.getsource(fn)):
                return True
        except (OSError, TypeError):
            continue
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a lone clone (no ``../shared`` beside it) tests that need it are skipped with
    one clear reason; under CI (``CI`` set), where ``../shared`` must be present, a
    missing ``../shared`` fails the session instead of skipping silently."""
    if SHARED.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{SHARED} is missing: CI must run the dev-set tests")
    for item in items:
        if _reads_shared(item):
            item.add_marker(pytest.mark.skip(reason=SHARED_SKIP))


@pytest.fixture
def afghanistan() -> Iterator[Any]:
    """The default afghanistan-2021 profile's extraction context (tests may override)."""
    from sitrep.extract import ExtractContext
    from sitrep.profile import use_profile

    use_profile(None)
    yield ExtractContext.default()


@pytest.fixture
def ukraine() -> Iterator[Any]:
    """The ukraine-2022 profile's extraction context (tests may override)."""
    from sitrep.extract import ExtractContext
    from sitrep.profile import use_profile

    use_profile("ukraine-2022")
    yield ExtractContext.default()
    use_profile(None)


@pytest.fixture(autouse=True)
def _active_profile_restored() -> Iterator[None]:
    """A test that makes a profile active (directly or through a bench set's store) leaves
    the process's active profile as it found it: a later in-process run must not inherit
    the Ukraine theatre (tests/test_spark.py compares such a run with Spark's workers)."""
    from sitrep.profile import restoring_profile

    with restoring_profile():
        yield


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


@pytest.fixture(scope="session")
def real():  # type: ignore[no-untyped-def]
    """The shipped extraction context (real lexicon, gazetteer, actor book)."""
    from sitrep.extract import ExtractContext

    return ExtractContext.default()
