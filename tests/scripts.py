"""Load one of the repository's scripts (``bench/*.py``, ``scripts/*.py``) as a module in a
test: they are programs, not package modules, so they are imported by path."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_script(relative: str, name: str | None = None) -> ModuleType:
    """The script at ``ROOT / relative`` as a module named ``name`` (default: its stem),
    registered in ``sys.modules`` (dataclasses look their module up there)."""
    path = ROOT / relative
    name = name or path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
