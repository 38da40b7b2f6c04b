"""Django: corsguard against the floor in instructions, not microseconds.

On a shared 2-core machine a ~100 µs Django request is noisy to ±20 µs,
which hides a 3 µs target. Instruction counts under valgrind's callgrind
are the same on every run: each app (bare, the floor middleware from
``bench.django_bench``, corsguard) answers an allowed GET ``COUNT`` times
in one process and ``0`` times in another, after the same warm-up; the
difference divided by ``COUNT`` is what one request costs, start-up
excluded, with one hash seed for all. Instructions are not time (the
processor overlaps some), so the µs estimate scales the share of the bare
request by the bare app's own time, measured in the same run.

Run: ``python -m bench.django_instructions`` (needs ``valgrind``; about
two minutes on 2 cores).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from bench import django_bench
from bench.common import Table, call_wsgi, per_call_us, wsgi_environ

COUNT = 2000
WARM_UP = 200
VARIANTS: dict[str, list[str]] = {
    "bare": [],
    "floor": [django_bench.FLOOR_MIDDLEWARE],
    "corsguard": [django_bench.CORSGUARD_MIDDLEWARE],
}


@contextmanager
def _app(variant: str) -> Iterator[tuple[Callable[..., Any], dict[str, Any]]]:
    """The variant's WSGI handler and the allowed GET, checked once."""
    django_bench._configure()
    _, settings, _, origin = django_bench.CONFIGS[0]
    environ = wsgi_environ(HTTP_ORIGIN=origin)
    extra = {"CORSGUARD": settings} if variant == "corsguard" else {}
    clean = {name: value for name, value in os.environ.items() if not name.startswith("CORSGUARD_")}
    with mock.patch.dict(os.environ, clean, clear=True), django_bench.handler(VARIANTS[variant], **extra) as app:
        assert django_bench.acao(app, environ) == ("" if variant == "bare" else origin)
        yield app, environ


def serve(variant: str, count: int) -> None:
    """In the measured process: the warm-up, then ``count`` requests."""
    with _app(variant) as (app, environ):
        for _ in range(WARM_UP + count):
            call_wsgi(app, environ)


def bare_us() -> float:
    """µs per request of the bare app, without valgrind."""
    with _app("bare") as (app, environ):
        return per_call_us(lambda: call_wsgi(app, environ), repeat=5)


def _collected(variant: str, count: int, folder: str) -> int:
    out = Path(folder) / f"{variant}.{count}.out"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    command += [sys.executable, "-m", "bench.django_instructions", "--serve", variant, str(count)]
    # One hash seed for every process, so dict layouts (and their probes) match.
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    finished = subprocess.run(command, capture_output=True, text=True, timeout=900, check=True, env=environment)
    found = re.search(r"Collected : (\d+)", finished.stderr)
    assert found, finished.stderr[-2000:]
    return int(found.group(1))


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = {(v, n): pool.submit(_collected, v, n, folder) for v in VARIANTS for n in (0, COUNT)}
        per_request = {v: (jobs[v, COUNT].result() - jobs[v, 0].result()) / COUNT for v in VARIANTS}
    bare = bare_us()
    table = Table(
        "Django: instructions per allowed GET (callgrind), 1 exact origin",
        ["instructions per request", "over bare", "over the floor", "over the floor, share of bare"],
    )
    for variant, count in per_request.items():
        over_bare, over_floor = count - per_request["bare"], count - per_request["floor"]
        share = over_floor / per_request["bare"]
        table.add(variant, f"{count:,.0f}", f"{over_bare:+,.0f}", f"{over_floor:+,.0f}", f"{share:+.2%}")
    over = (per_request["corsguard"] - per_request["floor"]) / per_request["bare"] * bare
    table.notes.append(
        f"The bare app took {bare:.1f} µs per request just now (no valgrind): "
        f"corsguard over the floor is then about {over:.2f} µs."
    )
    print(table.markdown())
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
