"""Commands ``classify`` (type free-text snippets) and ``train`` (fit a typing model).

Both are thin wrappers: :func:`sitrep.extract.typing.classify_many` and
:func:`sitrep.extract.train.train` do the work and are importable on their own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sitrep.cli._app import app, sitrep_errors

if TYPE_CHECKING:
    from sitrep.extract.typing import Classification

#: texts typed per nlp.pipe batch; keeps memory flat on a long stdin stream
_CHUNK = 256


@app.command()
def classify(
    batch_size: Annotated[int, typer.Option(help="Texts per spaCy batch.", min=1)] = 64,
) -> None:
    """Type texts from stdin, one per line: one JSON line each on stdout.

    Output: {"label": sub_event_type|null, "event_type": ...|null, "score": 0..1}.
    An empty input line gives a null line, so output line N answers input line N.
    A model trained with `sitrep train` is used automatically when one is installed.
    Typing snippets reads no database, so this is the one command without ``--db``.
    """
    from sitrep.extract.typing import classify_many

    with sitrep_errors():
        chunk: list[str] = []
        for line in sys.stdin:
            chunk.append(line.rstrip("\r\n"))
            if len(chunk) >= _CHUNK:
                _emit(classify_many(chunk, batch_size=batch_size))
                chunk = []
        if chunk:
            _emit(classify_many(chunk, batch_size=batch_size))


def _emit(results: Iterable[Classification]) -> None:
    for c in results:
        typer.echo(json.dumps({"label": c.label, "event_type": c.event_type, "score": c.score}))


@app.command()
def train(
    csv_path: Annotated[Path, typer.Argument(metavar="ACLED.csv",
                                             help="An ACLED export with notes and sub_event_type.")],
    out: Annotated[Path | None, typer.Option("--out", help="Model directory (default: "
                                             "$SITREP_MODEL_DIR or ~/.local/share/sitrep/models/typing).")] = None,
    test_size: Annotated[float, typer.Option(help="Held-out share for the reported scores.",
                                             min=0.05, max=0.5)] = 0.2,
    seed: Annotated[int, typer.Option(help="Random seed of the split.")] = 0,
) -> None:
    """Train a typing model on your own ACLED export; classify and run then use it.

    Reports held-out accuracy and macro-F1 from a stratified split, then refits on all
    rows and saves model.joblib + meta.json. sitrep itself ships no trained model.
    """
    from sitrep.extract.train import train as train_model

    with sitrep_errors():
        report = train_model(csv_path, out_dir=out, test_size=test_size, seed=seed)
    typer.echo(f"rows used: {report.n_rows} (skipped {report.n_skipped}), "
               f"{len(report.labels)} sub-event types")
    typer.echo(f"held-out ({report.n_test} rows, trained on {report.n_train}): "
               f"accuracy {report.accuracy:.3f}, macro-F1 {report.macro_f1:.3f}, "
               f"event-type accuracy {report.event_type_accuracy:.3f}")
    typer.echo(f"model saved to {report.model_dir}")
