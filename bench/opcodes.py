"""Where one request's bytecodes go, per function: the profile the speed
page shows for the rows that miss their target.

``sys.settrace`` with opcode events counts every bytecode CPython runs for
one request (after a warm-up), grouped by the function it runs in. Counts of
bytecodes are not instructions (each costs some tens of machine
instructions), but they name the functions an optimisation would have to
shrink, and they are the same on every run.

Run: ``python -m bench.opcodes ADAPTER SHAPE KIND [VARIANT]``, e.g.
``python -m bench.opcodes Starlette none "allowed GET"``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from bench.common import Table

WARM_UP = 20
_ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def _where(frame: FrameType) -> str:
    """``module.py:function``, the path shortened to the project or the site-packages it is in."""
    path = frame.f_code.co_filename
    if path.startswith(_ROOT):
        path = path[len(_ROOT) :]
    elif "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    return f"{path}:{frame.f_code.co_name}"


def count(fn: Callable[[], None]) -> Counter[str]:
    """Bytecodes run by one call of ``fn``, per function."""
    counts: Counter[str] = Counter()

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "opcode":
            counts[_where(frame)] += 1
        return local

    def call(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        return local

    for _ in range(WARM_UP):
        fn()
    sys.settrace(call)
    try:
        fn()
    finally:
        sys.settrace(None)
    return counts


def profile(adapter: str, shape_name: str, kind_name: str, variant: str = "corsguard") -> Counter[str]:
    """One row's bytecodes per function, the bare app's own subtracted."""
    from bench.realistic import HARNESSES  # noqa: PLC0415
    from bench.shapes import KINDS, SHAPES  # noqa: PLC0415
    from corsguard._engine import log  # noqa: PLC0415

    harness = next(h for h in HARNESSES if h.name == adapter)
    shape = next(s for s in SHAPES if s.name == shape_name)
    kind = next(k for k in KINDS if k.name == kind_name)
    found: dict[str, Counter[str]] = {}
    # The refusal log stays on, as in an application; its one WARNING line
    # (during the warm-up) goes nowhere instead of to stderr.
    quiet = logging.NullHandler()
    log.logger.addHandler(quiet)
    try:
        for name in ("bare", variant):
            with harness.build(name, shape) as app:
                found[name] = count(harness.prepare(app, shape, kind, harness.needs_loop(app, shape, kind)))
    finally:
        log.logger.removeHandler(quiet)
    found[variant].subtract(found["bare"])
    return Counter({where: n for where, n in found[variant].items() if n > 0})


def table(adapter: str, shape: str, kind: str, top: int = 12) -> Table:
    counts = profile(adapter, shape, kind)
    result = Table(f"Bytecodes corsguard adds to {adapter}, {shape}, {kind}, per function", ["bytecodes", "share"])
    total = sum(counts.values())
    for where, n in counts.most_common(top):
        result.add(f"`{where}`", str(n), f"{n / total:.0%}")
    result.notes.append(f"{total} bytecodes in all (sys.settrace opcode events; the bare app's own subtracted).")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("adapter")
    parser.add_argument("shape")
    parser.add_argument("kind")
    parser.add_argument("variant", nargs="?", default="corsguard")
    args = parser.parse_args()
    counts = profile(args.adapter, args.shape, args.kind, args.variant)
    for where, n in counts.most_common():
        print(f"{n:6}  {where}")
    print(f"{sum(counts.values()):6}  total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
