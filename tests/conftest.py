"""Hypothesis profiles shared by the whole suite.

``mutation`` is selected by the mutation run (``[tool.mutmut]`` in
pyproject.toml): mutmut traces every call, so timings say nothing there
(no deadline), and a mutant's verdict must not depend on the seed
(derandomized), or a survivor could not be reproduced.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("mutation", deadline=None, derandomize=True, print_blob=True)
