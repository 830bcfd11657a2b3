"""The ``sitrep`` command line. Commands are thin wrappers over importable functions.

One module per command group (each imports its stage lazily, so ``sitrep articles``
does not load spaCy); the shared options, output helpers and the one error path
(:func:`sitrep.cli._app.fail`) live in :mod:`sitrep.cli._app`:

- :mod:`sitrep.cli.ingest_cmds`   ingest, articles
- :mod:`sitrep.cli.events_cmds`   run, events, control
- :mod:`sitrep.cli.claims_cmds`   claims
- :mod:`sitrep.cli.eval_cmds`     eval
- :mod:`sitrep.cli.language_cmds` classify, train
- :mod:`sitrep.cli.serve_cmds`    serve, report
- :mod:`sitrep.cli.spark_cmds`    spark
- :mod:`sitrep.cli.profile_cmds`  profile list|show|check
- :mod:`sitrep.cli.watch_cmds`    watch, changes
"""

from sitrep.cli import (  # noqa: F401  (importing registers the commands)
    claims_cmds,
    eval_cmds,
    events_cmds,
    ingest_cmds,
    language_cmds,
    profile_cmds,
    serve_cmds,
    spark_cmds,
    watch_cmds,
)
from sitrep.cli._app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
