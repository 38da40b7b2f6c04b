"""Hypothesis profiles shared by the whole suite, and the check that the
suite tests the build it was asked to.

``mutation`` is selected by the mutation run (``[tool.mutmut]`` in
pyproject.toml): mutmut traces every call, so timings say nothing there
(no deadline), and a mutant's verdict must not depend on the seed
(derandomized), or a survivor could not be reproduced.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from corsguard._engine import log

settings.register_profile("mutation", deadline=None, derandomize=True, print_blob=True)

# Set by scripts/test to the compiled tree (scripts/compiled.py) when it runs
# the matrix on the compiled fast path.
COMPILED = os.environ.get("CORSGUARD_COMPILED", "")


def pytest_sessionstart(session: pytest.Session) -> None:
    """A run meant for the compiled build must import every compiled module
    as an extension, and any other run none: a stray extension module in the
    source tree would otherwise hide the pure-Python reference from every
    test and mutant."""
    extension = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    if COMPILED:
        listed = (Path(COMPILED) / "COMPILED").read_text(encoding="utf-8").split()
        wrong = [name for name in listed if not str(importlib.import_module(name).__file__).endswith(extension)]
        if wrong:
            pytest.exit(f"CORSGUARD_COMPILED is set but these are not compiled: {wrong}", returncode=1)
        return
    engine = importlib.import_module("corsguard._engine.facts")
    if str(engine.__file__).endswith(extension):
        pytest.exit(f"{engine.__file__}: a compiled module in a pure-Python run (see scripts/compiled.py)", 1)


@pytest.fixture(autouse=True)
def _fresh_refusal_log() -> Iterator[None]:
    """Every test starts with the refusal log's memory empty (B6): its
    "first of each kind at WARNING", per-window budget and ``warn_once``
    memory are process-wide, so without this a test asserting a log line
    depends on which tests ran before it."""
    log.forget()
    yield
    # The scenario matrix's store that never answers
    # (testprojects.resolvers.listed_down) is stopped after the test that
    # started it; a later test that uses it starts it again. Left polling, it
    # would say "store down" again after every reset above, into whichever
    # test captures logs then.
    resolvers = sys.modules.get("testprojects.resolvers")
    if resolvers is not None:
        resolvers.listed_down.stop()
