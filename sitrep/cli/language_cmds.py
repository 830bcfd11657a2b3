"""Commands: see sitrep.cli."""

from sitrep.cli._app import app  # noqa: F401
