"""Fixtures shared by the extraction tests: the extraction context under each shipped
theatre profile (the active profile is restored after every test by ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sitrep.extract import ExtractContext
from sitrep.profile import use_profile


@pytest.fixture
def afghanistan() -> Iterator[ExtractContext]:
    """The default afghanistan-2021 profile's extraction context."""
    use_profile(None)
    yield ExtractContext.default()


@pytest.fixture
def ukraine() -> Iterator[ExtractContext]:
    """The ukraine-2022 profile's extraction context."""
    use_profile("ukraine-2022")
    yield ExtractContext.default()
    use_profile(None)
