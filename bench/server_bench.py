"""Through a real server with a real load generator: gunicorn (sync and
gthread) with Flask and Django, uvicorn with FastAPI; each bare, with
corsguard (pure Python and the compiled fast path, ``scripts/compiled.py``)
and with its peer, answering the realistic response ("real
headers": Vary: Accept-Encoding, Set-Cookie, Cache-Control, three custom
headers) to an allowed GET, over loopback, loaded by Debian's ``wrk``.

Every server listens on 127.0.0.1 on a free port, runs one worker, and is
stopped by its own pid. The compiled variant's server runs in the compiled
tree's folder (gunicorn and uvicorn put their working folder first on
``sys.path``), and its app refuses to start unless corsguard's request path
was imported compiled. Rounds interleave the variants (bare, corsguard,
compiled, peer, bare, ...) so load from other jobs on a shared machine falls on all
of them; each figure is the median over rounds, with the load average
taken at the time. Figures are ratios to bare: requests per second (target:
corsguard within 2% of bare, never below the peer) and p50/p99 latency.

Run: ``python -m bench.server_bench [--quick]`` (needs ``wrk``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from typing import Any

from bench import compiled_build

# (label, adapter, server command before the port)
SERVERS: tuple[tuple[str, str, list[str]], ...] = (
    ("gunicorn sync + Flask", "Flask", ["gunicorn", "-w", "1", "-k", "sync"]),
    ("gunicorn gthread + Flask", "Flask", ["gunicorn", "-w", "1", "-k", "gthread", "--threads", "4"]),
    ("gunicorn sync + Django", "Django sync", ["gunicorn", "-w", "1", "-k", "sync"]),
    ("gunicorn gthread + Django", "Django sync", ["gunicorn", "-w", "1", "-k", "gthread", "--threads", "4"]),
    ("uvicorn + FastAPI", "FastAPI", ["uvicorn", "--no-access-log", "--log-level", "warning"]),
)
VARIANTS = ("bare", "corsguard", "compiled", "peer")
ORIGIN = "https://app0.example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(command: list[str], cpu: int) -> list[str]:
    """``command`` bound to one CPU when ``taskset`` exists and there are two:
    the server on the first, wrk on the second, so neither takes turns with
    the other on one core (on a shared 2-core machine, a large share of the noise)."""
    if shutil.which("taskset") is None or (os.cpu_count() or 1) < 2:
        return command
    return ["taskset", "-c", str(cpu), *command]


def _command(server: list[str], port: int) -> list[str]:
    binary = os.path.join(os.path.dirname(sys.executable), server[0])
    if server[0] == "uvicorn":
        command = [binary, *server[1:], "--host", "127.0.0.1", "--port", str(port), "bench.server_apps:app"]
    else:
        command = [binary, *server[1:], "-b", f"127.0.0.1:{port}", "--log-level", "warning", "bench.server_apps:app"]
    return pinned(command, 0)


def _wait_ready(port: int, process: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    """Until the app answers a request: gunicorn listens before its worker has
    imported the app, and a load run must not start against a booting worker."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/items", timeout=5) as answer:
                answer.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {limit:.0f} s")


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests per second and the p50/p99 latencies (seconds) from ``wrk --latency``."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (rate and p50 and p99):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    return {"rps": float(rate.group(1)), "p50": _seconds(p50.group(1)), "p99": _seconds(p99.group(1))}


def one_run(server: list[str], adapter: str, variant: str, duration: int) -> dict[str, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORSGUARD_")}
    env.update(BENCH_ADAPTER=adapter, BENCH_VARIANT=variant, BENCH_SHAPE="real headers")
    folder = None
    if variant == "compiled":
        # The same app with corsguard, from the compiled tree.
        env = compiled_build.environment({**env, "BENCH_VARIANT": "corsguard"})
        folder = compiled_build.COMPILED
    process = subprocess.Popen(
        _command(server, port), env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_ready(port, process)
        url = f"http://127.0.0.1:{port}/api/items"
        wrk = ["wrk", "-t1", "-c8", f"-d{duration}s", "--latency", "-H", f"Origin: {ORIGIN}", url]
        warm_up = [*wrk[:3], "-d1s", *wrk[4:]]
        subprocess.run(pinned(warm_up, 1), capture_output=True, timeout=30, check=True)
        done = subprocess.run(pinned(wrk, 1), capture_output=True, text=True, timeout=duration + 30, check=True)
        figures = parse_wrk(done.stdout)
        figures["load"] = os.getloadavg()[0]
        return figures
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_all(rounds: int, duration: int) -> list[dict[str, Any]]:
    compiled_build.build()
    results = []
    for label, adapter, server in SERVERS:
        samples: dict[str, list[dict[str, float]]] = {variant: [] for variant in VARIANTS}
        for _ in range(rounds):
            for variant in VARIANTS:
                samples[variant].append(one_run(server, adapter, variant, duration))
                print(".", end="", file=sys.stderr, flush=True)
        row: dict[str, Any] = {"server": label}
        for variant, runs in samples.items():
            # The best round: other tenants of a shared machine only ever slow a run down.
            best = max(runs, key=lambda run: run["rps"])
            for key in ("rps", "p50", "p99"):
                row[f"{variant}_{key}"] = best[key]
            row[f"{variant}_load"] = statistics.median(run["load"] for run in runs)
        results.append(row)
    print(file=sys.stderr)
    return results


def _verdict(row: dict[str, Any], build: str) -> str:
    """``build``'s requests per second as a fraction of bare, marked when it
    misses the target (≥ 0.98x bare and ≥ the peer)."""
    ours = row[f"{build}_rps"] / row["bare_rps"]
    met = ours >= 0.98 and row[f"{build}_rps"] >= row["peer_rps"]
    return f"{ours:.3f}x{'' if met else ' **miss**'}"


def _latency(row: dict[str, Any], variant: str) -> str:
    return f"{row[f'{variant}_p50'] / row['bare_p50']:.2f}x / {row[f'{variant}_p99'] / row['bare_p99']:.2f}x"


def markdown(results: list[dict[str, Any]], rounds: int, duration: int) -> str:
    lines = [
        "| server + app | bare req/s | corsguard req/s | compiled req/s | peer req/s | corsguard p50 / p99 | "
        "compiled p50 / p99 | peer p50 / p99 | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        bare = row["bare_rps"]
        loads = " / ".join(f"{row[f'{variant}_load']:.1f}" for variant in VARIANTS)
        lines.append(
            f"| {row['server']} | {bare:,.0f} | {_verdict(row, 'corsguard')} | {_verdict(row, 'compiled')} | "
            f"{row['peer_rps'] / bare:.3f}x | {_latency(row, 'corsguard')} | {_latency(row, 'compiled')} | "
            f"{_latency(row, 'peer')} | {loads} |"
        )
    lines += [
        "",
        f"wrk -t1 -c8, {duration} s per run after a 1 s warm-up, {rounds} interleaved rounds; each column is "
        "the round with the most requests per second (its p50 and p99 beside it); one server worker, pinned to "
        "one CPU and wrk to the other; load = median 1-minute load average after the bare / corsguard / "
        'compiled / peer runs. "compiled" is corsguard\'s compiled fast path (`scripts/compiled.py`), the same '
        "app and policy. "
        "Target, for each build: ≥ 0.98x bare and ≥ the peer (a miss is marked).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one round of 2 s runs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: sudo apt-get install -y wrk", file=sys.stderr)
        return 1
    rounds, duration = (1, 2) if args.quick else (5, 3)
    print(markdown(run_all(rounds, duration), rounds, duration))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
