"""The compiled fast path as the benches use it: built from this source
(``scripts/compiled.py``) into ``build/compiled``, and imported by processes
of its own, never beside the pure source.

A process that imports corsguard from the compiled tree cannot also import
the pure one (same names), so each bench that shows a "compiled" figure
runs it in another process with ``environment()``, and that process calls
``check()`` before it measures anything: a compiled figure taken from the
pure source would be a wrong figure that looks right.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPILED = ROOT / "build" / "compiled"
# Set in a compiled process's environment; ``check`` runs where it is set.
FLAG = "BENCH_COMPILED"


def build() -> None:
    """The compiled tree, from this source, every time (about 15 s)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "compiled.py"), "--out", str(COMPILED)], check=True)


def environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` for a process that imports the compiled tree: ``PYTHONSAFEPATH``
    (-P's environment form) keeps the current folder off ``sys.path``, so
    corsguard comes from the compiled tree and ``bench`` from this folder.
    Servers that put their working folder on ``sys.path`` themselves
    (gunicorn, uvicorn) must also run with ``cwd=COMPILED``."""
    return {**base, "PYTHONSAFEPATH": "1", "PYTHONPATH": f"{COMPILED}{os.pathsep}{ROOT}", FLAG: "1"}


def wanted() -> bool:
    """Whether this process was started by ``environment``."""
    return bool(os.environ.get(FLAG))


def check() -> None:
    """Fail unless corsguard's request path was imported from the compiled tree."""
    import importlib.machinery  # noqa: PLC0415

    from corsguard._engine import facts  # noqa: PLC0415

    if not str(facts.__file__).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        raise RuntimeError(f"the compiled run imported {facts.__file__}, not the compiled tree")
