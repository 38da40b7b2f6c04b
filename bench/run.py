"""Every benchmark, side by side, in one run: ``python -m bench.run``.

Sections: the realistic response shapes through every adapter with the
peers and the floor (``bench.realistic``), the engine and WSGI adapter, run-time origins (always), Django
with django-cors-headers and a hand-written floor, Flask with flask-cors
(when those are installed: ``pip install -e ".[bench]"``). Prints Markdown tables and a note on the
machine. The speed page (``docs/speed.md``, with charts) is regenerated in
full by ``python -m bench.report``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time

from bench.common import Table

SECTIONS = (
    "bench.realistic",
    "bench.core_bench",
    "bench.dynamic_bench",
    "bench.django_bench",
    "bench.flask_bench",
    "bench.asgi_bench",
    "bench.pattern_bench",
)


def _machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds: faster, noisier")
    parser.add_argument("--only", choices=[name.rsplit(".", 1)[1] for name in SECTIONS], action="append")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"Machine: {_machine()}\n")
    for name in SECTIONS:
        if args.only and name.rsplit(".", 1)[1] not in args.only:
            continue
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"(section {name} not run: {exc}; install the bench extra)\n")
            continue
        result = module.run(quick=args.quick)
        tables: list[Table] = result if isinstance(result, list) else [result]
        for table in tables:
            print(table.markdown(), end="\n\n", flush=True)
    print(f"Done in {time.perf_counter() - started:.0f} s; afterwards: {_machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
