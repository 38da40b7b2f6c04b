"""Instructions per request, per adapter, response shape and request kind,
counted by valgrind's callgrind: the same on every run, so a regression shows
as a number even on a shared, loaded machine where times swing by 2x.

How one row is counted, inside one process per adapter: the row's request
is sent ``WARM_UP`` times (CPython 3.11+ specialises its bytecode after a few
calls; caches fill), then ``COUNT`` times inside a call to libc's ``qsort``
through ctypes, with a comparator that sends the requests. Callgrind is told
to collect only inside ``qsort_r`` (``--toggle-collect``) and to write a dump
each time it returns (``--dump-after``), so each dump holds exactly one
row's ``COUNT`` requests plus the constant cost of the ctypes call, measured
once with an empty comparator and subtracted. Start-up, imports and warm-up
are never counted. One hash seed for every process keeps dict layouts alike.

Instructions are not time; they are a stable proxy for the work done.

The ``compiled`` variant is corsguard's compiled fast path
(``scripts/compiled.py``, built into ``build/compiled`` first): counted in
processes of its own, which import that tree and never this folder, with
their own bare rows; what it adds is its corsguard row minus its bare row.

Run: ``python -m bench.instructions [--variants bare,corsguard,compiled] [--json out]``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from bench import compiled_build

WARM_UP = 10
COUNT = 5
TIMEOUT = 600
# ctypes' callback trampoline: in a dump only when the span was one of ours.
MARK = "_CallPythonObject"


def _measurer() -> Callable[[Callable[[], None]], None]:
    """``measured(fn)`` runs ``fn`` inside libc's qsort of two elements (one
    comparison), the span callgrind collects. Other code may sort too; its
    dumps never pass through a ctypes callback, which is how ours are told apart."""
    libc = ctypes.CDLL(None)
    compare_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    pair = (ctypes.c_int * 2)(1, 2)

    def measured(fn: Callable[[], None]) -> None:
        def compare(left: Any, right: Any) -> int:
            fn()
            return 0

        libc.qsort(pair, 2, ctypes.sizeof(ctypes.c_int), compare_type(compare))

    return measured


def _nothing() -> None:
    return None


def serve(adapters: list[str], variants: list[str], shape_names: list[str], labels_file: str) -> None:
    """In the process under callgrind: every row of each adapter, in order;
    the labels of the measured spans go to ``labels_file`` for the parent."""
    from bench.realistic import HARNESSES  # noqa: PLC0415
    from corsguard._engine import log  # noqa: PLC0415

    harnesses = [h for h in HARNESSES if h.name in adapters]
    if compiled_build.wanted():
        compiled_build.check()
    for harness in harnesses:
        _touch(harness, _variants_for(harness.name, variants))
    _instrument()
    measured, labels = _measurer(), ["overhead"]
    measured(_nothing)
    # A refusal summary is written when the log's 60 s window rolls; under
    # valgrind's slow clock that would land in a row by chance. Freeze it,
    # with a callable written in C as time.monotonic is: a Python lambda
    # would add its own call to every refused row.
    log._state.clock = itertools.repeat(0.0).__next__
    log._state.window.end = 1.0
    for harness in harnesses:
        gc.collect()
        labels += _serve_adapter(harness, _variants_for(harness.name, variants), shape_names, measured)
    Path(labels_file).write_text(json.dumps(labels), encoding="utf-8")


def _touch(harness: Any, variants: list[str]) -> None:
    """One request of each kind through each variant, before callgrind
    instruments anything: the imports frameworks make lazily on a first
    request happen at full speed (instrumented, they are most of the run)."""
    from bench.shapes import KINDS, SHAPES  # noqa: PLC0415

    for variant in variants:
        with harness.build(variant, SHAPES[0]) as app:
            for kind in KINDS:
                harness.prepare(app, SHAPES[0], kind, True)()


def _instrument() -> None:
    """Switch callgrind's instrumentation on for this process (started with
    ``--instr-atstart=no``); returns once callgrind has acknowledged it."""
    done = subprocess.run(
        ["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or "OK" not in done.stdout:
        raise RuntimeError(f"callgrind_control failed: {done.stdout} {done.stderr}")


def _serve_adapter(harness: Any, variants: list[str], shape_names: list[str], measured: Any) -> list[str]:
    from bench.shapes import KINDS, SHAPES  # noqa: PLC0415

    labels = []
    for shape in (s for s in SHAPES if s.name in shape_names):
        with ExitStack() as stack:
            apps = {v: stack.enter_context(harness.build(v, shape)) for v in variants}
            for kind in KINDS:
                loop = any(harness.needs_loop(app, shape, kind) for app in apps.values())
                for variant, app in apps.items():
                    fn = harness.prepare(app, shape, kind, loop)
                    for _ in range(WARM_UP):
                        fn()
                    gc.collect()
                    measured(lambda fn=fn: _repeat(fn))
                    labels.append(f"{harness.name}|{variant}|{shape.name}|{kind.name}")
    return labels


def _repeat(fn: Callable[[], None]) -> None:
    """``COUNT`` requests with the cyclic GC off: a collection would land in
    whichever row crossed its allocation threshold, by chance."""
    gc.disable()
    try:
        for _ in range(COUNT):
            fn()
    finally:
        gc.enable()


def _dump_totals(folder: Path, stem: str) -> list[int]:
    """The totals of our numbered dumps (those through a ctypes callback), in order."""
    numbered = []
    for path in folder.glob(f"{stem}.*"):
        suffix = path.name.rsplit(".", 1)[1]
        if suffix.isdigit():
            text = path.read_text(errors="replace")
            found = re.search(r"^totals: (\d+)", text, re.MULTILINE)
            if found and MARK in text:
                numbered.append((int(suffix), int(found.group(1))))
    return [total for _, total in sorted(numbered)]


def count_group(
    adapters: list[str], variants: list[str], shape_names: list[str], compiled: bool = False
) -> dict[str, float]:
    """{"adapter|variant|shape|kind": instructions per request}, counted in one
    process (adapters of one framework share its imports, the slow part under
    valgrind); with ``compiled``, one that imports the compiled tree."""
    if shutil.which("valgrind") is None:
        raise RuntimeError("valgrind is not installed: apt-get install valgrind (scripts/lib/setup.sh does)")
    with tempfile.TemporaryDirectory() as scratch:
        folder, stem = Path(scratch), "cg"
        labels_file = folder / "labels.json"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--instr-atstart=no",
            "--compress-strings=no",
            "--toggle-collect=qsort_r",
        ]
        command += ["--dump-after=qsort_r", f"--callgrind-out-file={folder / stem}"]
        command += [sys.executable, "-m", "bench.instructions", "--serve", ",".join(adapters), ",".join(variants)]
        command += ["--shapes", json.dumps(shape_names), "--labels", str(labels_file)]
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CORSGUARD_")}
        environment = {**clean, "PYTHONHASHSEED": "0"}
        if compiled:
            environment = compiled_build.environment(environment)
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=environment, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{adapters} under callgrind failed:\n{done.stderr[-3000:]}")
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        totals = _dump_totals(folder, stem)[-len(labels) :]
    assert len(totals) == len(labels), (adapters, len(totals), len(labels))
    overhead = totals[0]
    return {label: (total - overhead) / COUNT for label, total in zip(labels[1:], totals[1:], strict=True)}


# Adapters counted together, one process each: they share their framework's imports.
GROUPS = (("WSGI", "Flask"), ("Django sync", "Django async"), ("Starlette", "FastAPI"))


def count_all(adapters: list[str], variants: list[str], shape_names: list[str]) -> dict[str, dict[str, float]]:
    """{adapter: {"variant|shape|kind": instructions per request}}, two processes at a time."""
    groups = [group for group in ([a for a in g if a in adapters] for g in GROUPS) if group]
    compiled = "compiled" in variants
    if compiled:
        compiled_build.build()
    plain = [v for v in variants if v != "compiled"]
    merged: dict[str, dict[str, float]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(count_group, group, plain, shape_names) for group in groups]
        compiled_jobs = [
            pool.submit(count_group, group, ["bare", "corsguard"], shape_names, True) for group in groups if compiled
        ]
        for job in jobs:
            for label, value in job.result().items():
                adapter, rest = label.split("|", 1)
                merged.setdefault(adapter, {})[rest] = value
        for job in compiled_jobs:
            _merge_compiled(merged, job.result())
    return {adapter: merged[adapter] for adapter in adapters if adapter in merged}


def _merge_compiled(merged: dict[str, dict[str, float]], counted: dict[str, float]) -> None:
    """The compiled run's rows as ``compiled|shape|kind``, shifted onto this
    run's bare rows: what it adds is its own corsguard minus its own bare."""
    for label, value in counted.items():
        adapter, variant, row = label.split("|", 2)
        if variant == "corsguard":
            table = merged.setdefault(adapter, {})
            own_bare = counted[f"{adapter}|bare|{row}"]
            table[f"compiled|{row}"] = value - own_bare + table.get(f"bare|{row}", own_bare)


def _variants_for(adapter: str, variants: list[str]) -> list[str]:
    from bench.realistic import HARNESSES  # noqa: PLC0415

    harness = next(h for h in HARNESSES if h.name == adapter)
    return [v for v in variants if v != "peer" or harness.peer]


def added(counts: dict[str, float], variant: str) -> dict[str, float]:
    """{"shape|kind": instructions ``variant`` adds over bare}."""
    out = {}
    for label, value in counts.items():
        name, row = label.split("|", 1)
        if name == variant:
            out[row] = value - counts[f"bare|{row}"]
    return out


BASELINE = Path(__file__).with_name("instruction_baseline.json")
TOLERANCE = 0.10
GUARD_VARIANTS = ["bare", "corsguard", "compiled"]


def guard_figures(counts: dict[str, dict[str, float]]) -> dict[str, float]:
    """One figure per adapter and build over the realistic rows: what
    corsguard adds to each GET (corsguard minus bare) plus what each
    preflight costs with corsguard (it answers a preflight itself, so
    "added" would be negative). The compiled build's figures are named
    "ADAPTER, compiled"."""
    figures = {}
    for adapter, table in counts.items():
        for build, name in (("corsguard", adapter), ("compiled", f"{adapter}, compiled")):
            rows = added(table, build)
            if rows:
                figures[name] = sum(
                    table[f"{build}|{row}"] if row.endswith("|preflight") else value for row, value in rows.items()
                )
    return figures


def versions() -> dict[str, str]:
    """What the counts depend on besides corsguard: the interpreter, the
    frameworks and mypy (whose mypyc compiles the compiled build)."""
    import platform  # noqa: PLC0415
    from importlib.metadata import version  # noqa: PLC0415

    found = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in ("Django", "Flask", "Werkzeug", "starlette", "fastapi", "mypy"):
        found[name] = version(name)
    return found


def guard_counts() -> dict[str, dict[str, float]]:
    """The counts the regression guard compares: bare, corsguard and its
    compiled build, realistic shapes, every adapter."""
    from bench.realistic import HARNESSES  # noqa: PLC0415
    from bench.shapes import REALISTIC  # noqa: PLC0415

    return count_all([h.name for h in HARNESSES], GUARD_VARIANTS, [shape.name for shape in REALISTIC])


def record_baseline() -> None:
    counts = guard_counts()
    baseline = {"versions": versions(), "tolerance": TOLERANCE, "figures": guard_figures(counts), "counts": counts}
    BASELINE.write_text(json.dumps(baseline, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", nargs=2, metavar=("ADAPTER", "VARIANTS"))
    parser.add_argument("--shapes", help="JSON list of shape names (default: all)")
    parser.add_argument("--labels")
    parser.add_argument("--variants", default="bare,floor,corsguard,peer", help="also: compiled")
    parser.add_argument("--adapter", action="append")
    parser.add_argument("--json")
    parser.add_argument("--record-baseline", action="store_true", help=f"write {BASELINE.name} for the guard")
    args = parser.parse_args()
    if args.record_baseline:
        record_baseline()
        return 0
    from bench.realistic import HARNESSES  # noqa: PLC0415
    from bench.shapes import SHAPE_NAMES  # noqa: PLC0415

    shape_names = json.loads(args.shapes) if args.shapes else list(SHAPE_NAMES)
    if args.serve:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CORSGUARD_")}
        with mock.patch.dict(os.environ, clean, clear=True):
            serve(args.serve[0].split(","), args.serve[1].split(","), shape_names, args.labels)
        return 0
    adapters = args.adapter or [h.name for h in HARNESSES]
    counts = count_all(adapters, args.variants.split(","), shape_names)
    if args.json:
        Path(args.json).write_text(json.dumps(counts, indent=1, sort_keys=True), encoding="utf-8")
    for adapter, table in counts.items():
        print(f"## {adapter}")
        for variant in args.variants.split(",")[1:]:
            for row, value in added(table, variant).items():
                print(f"{variant:10} {row:45} {value:+10,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
