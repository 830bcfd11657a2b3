"""Fixtures shared by the extraction tests."""

from __future__ import annotations

import pytest

from sitrep.extract import ExtractContext


@pytest.fixture(scope="session")
def real() -> ExtractContext:
    """The shipped extraction context (real lexicon, gazetteer, actor book)."""
    return ExtractContext.default()
