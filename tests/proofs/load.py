"""Proof: under a real threaded server, no response carries another request's
CORS headers, and nothing fails (docs/behaviour.md B5.6, B3.6).

The Flask test app and the Django test project run under gunicorn's gthread
worker (2 workers x 8 threads) on loopback. A threaded client with keep-alive
connections sends requests that alternate an allowed origin (each request its
own, under ``https://*.tenant.example.com``, so a leaked header names the
request it came from), a refused origin, an allowed preflight and a refused
one, and checks every response against its own request.

    python -m tests.proofs.load [--requests 100000] [--threads 16] [--app flask|django|all]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from tests.proofs.servers import Server, gunicorn

ALLOWED = ["https://app.example.com", "https://*.tenant.example.com"]
PROOF_SETTINGS = {"ALLOWED_ORIGINS": ALLOWED, "ALLOW_CREDENTIALS": True}
PATH = "/api/items"
KINDS = ("allowed", "refused", "preflight", "refused-preflight")
TIME_LIMIT = 600.0


def environ_for(app: str, settings: dict[str, object] = PROOF_SETTINGS) -> dict[str, str]:
    """How each app gets the proof's settings: Flask from PROOF_CORSGUARD,
    Django from CORSGUARD_* variables (the environment rule, B2.4)."""
    if app == "django":
        return {
            "CORSGUARD_ALLOWED_ORIGINS": ",".join(settings["ALLOWED_ORIGINS"]),  # type: ignore[arg-type]
            "CORSGUARD_ALLOW_CREDENTIALS": "true" if settings.get("ALLOW_CREDENTIALS") else "false",
            "DJANGO_DEBUG": "0",
        }
    return {"PROOF_CORSGUARD": json.dumps(settings)}


def request_for(number: int) -> tuple[str, str, dict[str, str]]:
    kind = KINDS[number % len(KINDS)]
    if kind in ("allowed", "preflight"):
        origin = f"https://t{number}.tenant.example.com"
    else:
        origin = f"https://evil{number}.example.net"
    headers = {"Origin": origin}
    if kind.endswith("preflight"):
        headers |= {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}
    return kind, origin, headers


def misfit(kind: str, origin: str, status: int, headers: http.client.HTTPMessage) -> str:
    """Why this response does not belong to its request ("" when it does)."""
    acao = headers.get_all("Access-Control-Allow-Origin") or []
    acac = headers.get_all("Access-Control-Allow-Credentials") or []
    vary = {token.strip().lower() for line in headers.get_all("Vary") or [] for token in line.split(",")}
    if kind in ("allowed", "preflight"):
        wanted_status = 204 if kind == "preflight" else 200
        if status != wanted_status or acao != [origin] or acac != ["true"]:
            return f"{kind} {origin}: status {status}, ACAO {acao}, ACAC {acac}"
    elif acao or acac:
        return f"{kind} {origin}: ACAO {acao}, ACAC {acac} on a refused origin"
    if "origin" not in vary:
        return f"{kind} {origin}: no Vary: Origin"
    return ""


@dataclass
class Outcome:
    requests: int = 0
    leaks: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_leak: str = ""
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def line(self, name: str) -> str:
        ms = sorted(self.latencies)
        p50 = statistics.median(ms) * 1000 if ms else 0.0
        p99 = ms[int(len(ms) * 0.99) - 1] * 1000 if ms else 0.0
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (
            f"{name}: {self.requests:,} requests in {self.seconds:.1f} s ({rate:,.0f}/s), p50 {p50:.2f} ms, "
            f"p99 {p99:.2f} ms, leaks {self.leaks}, errors {self.errors}"
            + (f"\n  first leak: {self.first_leak}" if self.first_leak else "")
            + (f"\n  first error: {self.first_error}" if self.first_error else "")
        )


def _client(server: Server, numbers: Iterator[int], outcome: Outcome, deadline: float) -> None:
    connection = http.client.HTTPConnection(*server.address, timeout=10)
    latencies: list[float] = []
    try:
        for number in numbers:
            if time.monotonic() > deadline:
                break
            kind, origin, headers = request_for(number)
            started = time.perf_counter()
            try:
                connection.request("OPTIONS" if kind.endswith("preflight") else "GET", PATH, headers=headers)
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException) as exc:
                _count(outcome, error=f"{kind} {origin}: {type(exc).__name__}: {exc}")
                connection.close()
                connection = http.client.HTTPConnection(*server.address, timeout=10)
                continue
            latencies.append(time.perf_counter() - started)
            if answer.status >= 500:
                _count(outcome, error=f"{kind} {origin}: status {answer.status}")
            else:
                _count(outcome, leak=misfit(kind, origin, answer.status, answer.headers))
    finally:
        connection.close()
        with outcome.lock:
            outcome.latencies.extend(latencies)


def _count(outcome: Outcome, *, leak: str = "", error: str = "") -> None:
    with outcome.lock:
        outcome.requests += 1
        if leak:
            outcome.leaks += 1
            outcome.first_leak = outcome.first_leak or leak
        if error:
            outcome.errors += 1
            outcome.first_error = outcome.first_error or error


def hammer(server: Server, total: int, threads: int = 16, time_limit: float = TIME_LIMIT) -> Outcome:
    """``total`` requests from ``threads`` keep-alive clients, bounded by ``time_limit`` seconds."""
    outcome = Outcome()
    counter = itertools.count()
    lock = threading.Lock()

    def numbers() -> Iterator[int]:
        """Each request number once, across all the client threads."""
        while True:
            with lock:
                number = next(counter)
            if number >= total:
                return
            yield number

    deadline = time.monotonic() + time_limit
    started = time.perf_counter()
    workers = [threading.Thread(target=_client, args=(server, numbers(), outcome, deadline)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(time_limit + 30)
    outcome.seconds = time.perf_counter() - started
    return outcome


def served(app: str, environ: dict[str, str] | None = None) -> AbstractContextManager[Server]:
    """``tests.proofs.apps:<app>`` under gunicorn gthread, 2 workers x 8 threads."""
    return gunicorn(f"tests.proofs.apps:{app}", environ if environ is not None else environ_for(app))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.proofs.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000, help="per app (default 100,000)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--app", choices=("flask", "django", "all"), default="all")
    args = parser.parse_args(argv)
    apps = ("flask", "django") if args.app == "all" else (args.app,)
    failed = False
    for app in apps:
        with served(app) as server:
            outcome = hammer(server, args.requests, args.threads)
        print(outcome.line(f"{app} under gunicorn gthread 2x8"), flush=True)
        failed |= bool(outcome.leaks or outcome.errors or outcome.requests < args.requests)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
