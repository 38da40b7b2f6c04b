"""The app a real server runs in ``bench.server_bench``: ``bench.server_apps:app``.

Chosen by environment variables (``BENCH_ADAPTER``, ``BENCH_VARIANT``,
``BENCH_SHAPE``), not ``CORSGUARD_*`` ones, which corsguard itself reads.
The app is the same one the in-process benches measure (``bench.harness``),
built once per server process; its block (Django's settings) stays open for
the life of the process.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any

from bench import compiled_build
from bench.realistic import HARNESSES
from bench.shapes import SHAPES

if compiled_build.wanted():
    # The compiled variant: a server that imported the pure source must not start.
    compiled_build.check()

_stack = ExitStack()


def _build() -> Any:
    harness = next(h for h in HARNESSES if h.name == os.environ.get("BENCH_ADAPTER", "Flask"))
    shape = next(s for s in SHAPES if s.name == os.environ.get("BENCH_SHAPE", "real headers"))
    return _stack.enter_context(harness.build(os.environ.get("BENCH_VARIANT", "bare"), shape))


app = _build()
