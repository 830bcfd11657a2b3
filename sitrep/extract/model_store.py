"""Where a user-trained typing model lives, and how it is saved and loaded.

The project ships no trained model (the default typing is the hand-written lexicon).
``sitrep train`` writes one to the user's model directory:

    $SITREP_MODEL_DIR                       if set, else
    ~/.local/share/sitrep/models/typing/    ($XDG_DATA_HOME respected)
        model.joblib   the fitted scikit-learn pipeline (text -> sub_event_type)
        meta.json      created, n_rows, labels, sklearn version, held-out scores

:func:`load_default` returns it (cached per path and modification time) so that
``classify`` and the extraction pipeline pick it up without configuration. A model
saved by another scikit-learn version is still loaded, with a warning on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError

__all__ = ["MODEL_FILE", "META_FILE", "TypingModel", "default_dir", "load", "load_default", "save"]

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


def default_dir() -> Path:
    """The directory ``sitrep train`` writes to and ``classify`` reads from."""
    env = os.environ.get("SITREP_MODEL_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sitrep" / "models" / "typing"


@dataclass(frozen=True)
class TypingModel:
    """A fitted text classifier with ``predict_proba`` over sub-event type labels."""

    estimator: Any
    meta: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.estimator.classes_]

    def predict_proba(self, texts: list[str]) -> list[dict[str, float]]:
        """One {label: probability} mapping per text."""
        rows = self.estimator.predict_proba(texts)
        return [{lab: float(p) for lab, p in zip(self.labels, row, strict=True)} for row in rows]


def save(model: TypingModel, out_dir: Path) -> Path:
    """Write model + metadata into ``out_dir`` (created); returns the model file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    tmp = out_dir / (MODEL_FILE + ".tmp")
    import joblib  # lazily: scikit-learn costs ~2.5 s to import and most runs have no model

    joblib.dump(model.estimator, tmp)
    tmp.replace(path)  # atomic: a reader never sees half a model
    (out_dir / META_FILE).write_text(json.dumps(model.meta, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")
    _CACHE.clear()
    return path


def load(model_dir: Path) -> TypingModel:
    """Load the model saved in ``model_dir`` (ConfigError naming the file if unusable)."""
    path = model_dir / MODEL_FILE
    try:
        import joblib

        estimator = joblib.load(path)
        meta_path = model_dir / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    except Exception as exc:  # joblib/pickle raise many types on a corrupt file
        raise ConfigError(f"{path}: cannot load the typing model ({exc}); "
                          f"retrain it with `sitrep train` or remove it") from exc
    if not hasattr(estimator, "predict_proba"):
        raise ConfigError(f"{path}: not a typing model (no predict_proba)")
    version = meta.get("sklearn_version")
    import sklearn

    if version and version != sklearn.__version__:
        print(f"warning: {path} was trained with scikit-learn {version}, "
              f"running {sklearn.__version__}", file=sys.stderr)
    return TypingModel(estimator, meta)


_CACHE: dict[tuple[str, float], TypingModel | None] = {}


def load_default() -> TypingModel | None:
    """The user's trained model if one exists in :func:`default_dir`, else None."""
    path = default_dir() / MODEL_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = (str(path), mtime)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load(path.parent)
    return _CACHE[key]
