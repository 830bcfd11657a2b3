"""sitrep: news reports about an armed conflict -> geocoded, deduplicated events,
a territorial-control timeline, a claims ledger and situation reports, with provenance.

The Python API (for notebooks; tables are ``pyarrow.Table``, see :mod:`sitrep.api_python`)::

    import sitrep

    sitrep.run(["examples/corpus"], db="demo.duckdb")   # ingest + analyse (incremental)
    ds = sitrep.open("demo.duckdb")
    ds.events(admin1="Kandahar"), ds.control(as_of="2021-08-15"), ds.claims(), ds.articles()

The names are loaded on first use, so ``import sitrep`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Dataset", "__version__", "open", "run"]

if TYPE_CHECKING:
    from sitrep.api_python import Dataset, open, run


def __getattr__(name: str) -> Any:
    if name in ("Dataset", "open", "run"):
        from sitrep import api_python

        return getattr(api_python, name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
