"""Every adapter, every response shape, every request kind: µs added over the
bare app by the floor, corsguard and the adapter's peer, in one run.

The rows come from ``bench.shapes`` (shape x kind) and the adapters from
``bench.harness`` / ``bench.harness_asgi``; nothing here is specific to one
of them. Before a row is timed its responses are checked: corsguard must
answer the Access-Control-Allow-Origin the row expects, and the peer is
marked as doing "the same work" only where its ACAO and whether its Vary
names Origin match corsguard's (flask-cors, for one, answers ACAO on a
request with no Origin and sends no Vary with a single origin; those rows
show its figure but no ratio).

Timing: each variant's loop size is calibrated once, then the variants run
in interleaved rounds (bare, floor, corsguard, peer, bare, ...) so a burst
of load on a shared machine hits all of them alike; a figure is the best
round minus the bare app's best round.

The compiled fast path (``scripts/compiled.py``) is timed the same way, in a
process of its own that imports the compiled tree (``collect_compiled``):
the whole run again, bare, floor and peer included, so its figures are
added over its own bare app and compared with its own run's peer.

Run: ``python -m bench.realistic [--quick] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from bench import compiled_build
from bench.common import Table, us
from bench.harness import VARIANTS, WSGI_HARNESSES, Harness, Response
from bench.harness_asgi import ASGI_HARNESSES
from bench.shapes import KINDS, SHAPES, Kind, Shape, expected_acao

HARNESSES: tuple[Harness, ...] = (*WSGI_HARNESSES, *ASGI_HARNESSES)


def _facts(response: Response) -> tuple[str, bool]:
    """(ACAO or "", whether Vary names Origin): what "the same work" compares."""
    acao, vary = "", False
    for name, value in response[1]:
        lowered = name.lower()
        if lowered == "access-control-allow-origin":
            acao = value
        elif lowered == "vary" and "origin" in value.lower():
            vary = True
    return acao, vary


def calibrate(fn: Callable[[], None], round_time: float) -> int:
    """Calls per round so that a round lasts about ``round_time`` seconds."""
    number, started = 1, time.perf_counter()
    while True:
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - started
        if elapsed >= round_time / 4:
            return max(1, int(number * round_time / elapsed))
        number *= 2
        started = time.perf_counter()


def one_round(fn: Callable[[], None], number: int) -> float:
    """µs per call over ``number`` calls."""
    started = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - started) / number * 1e6


def interleaved(calls: dict[str, Callable[[], None]], rounds: int, round_time: float) -> dict[str, float]:
    """Best (lowest) µs per call of each over interleaved rounds: on a shared
    machine other jobs only ever add time, so the best round is the one
    nearest the code's own cost (the issue's figures are best of 7 too)."""
    numbers = {name: calibrate(fn, round_time) for name, fn in calls.items()}
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            samples[name].append(one_round(fn, numbers[name]))
    return {name: min(values) for name, values in samples.items()}


def measure_row(
    harness: Harness, apps: dict[str, Any], shape: Shape, kind: Kind, rounds: int, round_time: float
) -> dict[str, Any]:
    """One row: checked, then timed; figures are µs added over bare."""
    facts = {variant: _facts(harness.inspect(app, shape, kind)) for variant, app in apps.items()}
    wanted = expected_acao(kind)
    assert facts["corsguard"][0] == wanted, (harness.name, shape.name, kind.name, facts["corsguard"])
    loop = any(harness.needs_loop(app, shape, kind) for app in apps.values())
    calls = {variant: harness.prepare(app, shape, kind, loop) for variant, app in apps.items()}
    times = interleaved(calls, rounds, round_time)
    row: dict[str, Any] = {"adapter": harness.name, "shape": shape.name, "kind": kind.name, "loop": loop}
    row["bare_us"] = times["bare"]
    for variant in apps:
        if variant != "bare":
            row[f"{variant}_added_us"] = times[variant] - times["bare"]
    row["over_floor_us"] = times["corsguard"] - times["floor"]
    row["peer"] = harness.peer
    row["peer_same_work"] = "peer" in facts and facts["peer"] == facts["corsguard"]
    return row


def run_rows(rounds: int, round_time: float, adapters: list[str] | None = None) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for harness in HARNESSES:
        if adapters and harness.name not in adapters:
            continue
        for shape in SHAPES:
            with ExitStack() as stack:
                variants = [v for v in VARIANTS if v != "peer" or harness.peer]
                apps = {variant: stack.enter_context(harness.build(variant, shape)) for variant in variants}
                for kind in KINDS:
                    results.append(measure_row(harness, apps, shape, kind, rounds, round_time))
                    print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return results


def signed(value: float) -> str:
    return ("+" if value >= 0 else "−") + us(abs(value))


def ratio(row: dict[str, Any], build: str = "corsguard") -> float | None:
    """``build``'s added / the peer's added in the same run, where the peer
    does the same work (None where there is no such ratio)."""
    peer = row.get("peer_added_us" if build == "corsguard" else f"{build}_peer_added_us")
    if not row.get("peer") or not row["peer_same_work"] or peer is None or peer <= 0:
        return None
    return float(row[f"{build}_added_us"] / peer)


def ratio_cell(row: dict[str, Any], build: str = "corsguard") -> str:
    """corsguard's added / the peer's added, where the peer does the same work."""
    if not row.get("peer"):
        return "no peer"
    if not row["peer_same_work"]:
        return "other work"
    found = ratio(row, build)
    if found is None:
        return "peer ≤ 0"
    return f"{found:.2f}x" + ("" if found <= 0.5 else " **miss**")


def _over_cell(over: float) -> str:
    return signed(over) + ("" if over <= 3.0 else " **miss**")


def tables(results: list[dict[str, Any]]) -> list[Table]:
    """One table per adapter: every shape x kind, with the row's targets; the
    compiled build's columns when the rows carry its figures."""
    out = []
    compiled = any("compiled_added_us" in row for row in results)
    for adapter in dict.fromkeys(row["adapter"] for row in results):
        rows = [row for row in results if row["adapter"] == adapter]
        peer = rows[0]["peer"] or "(no peer)"
        columns = ["bare app", "floor", "corsguard", peer, "corsguard / peer (≤ 0.5x)", "corsguard − floor (≤ 3 µs)"]
        if compiled:
            columns += ["compiled", "compiled / peer", "compiled − floor"]
        table = Table(f"{adapter}: µs added over the bare app, per response shape and request", columns)
        for row in rows:
            cells = [us(row["bare_us"]), signed(row["floor_added_us"]), signed(row["corsguard_added_us"])]
            cells += [signed(row["peer_added_us"]) if "peer_added_us" in row else "—", ratio_cell(row)]
            cells.append(_over_cell(row["over_floor_us"]))
            if compiled:
                cells += [signed(row["compiled_added_us"]), ratio_cell(row, "compiled")]
                cells.append(_over_cell(row["compiled_over_floor_us"]))
            table.add(f"{row['shape']}, {row['kind']}", *cells)
        out.append(table)
    return out


def run(quick: bool = False) -> list[Table]:
    """For ``bench.run``: every adapter's realistic table."""
    return tables(collect(quick))


def collect(quick: bool, adapters: list[str] | None = None) -> list[dict[str, Any]]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("CORSGUARD_")}
    with mock.patch.dict(os.environ, clean, clear=True):
        return run_rows(3 if quick else 7, 0.02 if quick else 0.05, adapters)


def collect_compiled(quick: bool, adapters: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows again, corsguard compiled, in a process of its own."""
    compiled_build.build()
    clean = {name: value for name, value in os.environ.items() if not name.startswith("CORSGUARD_")}
    with tempfile.TemporaryDirectory() as scratch:
        saved = Path(scratch) / "rows.json"
        command = [sys.executable, "-m", "bench.realistic", "--json", str(saved), *(["--quick"] if quick else [])]
        for adapter in adapters or ():
            command += ["--adapter", adapter]
        done = subprocess.run(
            command, env=compiled_build.environment(clean), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"the compiled timing run failed:\n{done.stderr[-3000:]}")
        rows: list[dict[str, Any]] = json.loads(saved.read_text(encoding="utf-8"))
    return rows


def merge_compiled(results: list[dict[str, Any]], compiled: list[dict[str, Any]]) -> None:
    """Each row gains the compiled run's figures: corsguard added over that
    run's bare app, over its floor, and that run's peer."""
    found = {(row["adapter"], row["shape"], row["kind"]): row for row in compiled}
    for row in results:
        other = found[row["adapter"], row["shape"], row["kind"]]
        row["compiled_added_us"] = other["corsguard_added_us"]
        row["compiled_over_floor_us"] = other["over_floor_us"]
        row["compiled_peer_added_us"] = other.get("peer_added_us")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--adapter", action="append", help="only this adapter (repeatable)")
    args = parser.parse_args()
    if compiled_build.wanted():
        compiled_build.check()
    results = collect(args.quick, args.adapter)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)
    for table in tables(results):
        print(table.markdown(), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
