"""Hypothesis profiles shared by the whole suite.

``mutation`` is selected by the mutation run (``[tool.mutmut]`` in
pyproject.toml): mutmut traces every call, so timings say nothing there
(no deadline), and a mutant's verdict must not depend on the seed
(derandomized), or a survivor could not be reproduced.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from hypothesis import settings

from corsguard._engine import log

settings.register_profile("mutation", deadline=None, derandomize=True, print_blob=True)


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
