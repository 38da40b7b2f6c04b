"""The fuzzing proof: nothing hostile gets through any corsguard adapter.

Seeded hostile requests (``tests.proofs.hostile``) go, in-process, to each
adapter built from seeded policies, and every response is judged against an
independent oracle (``tests.proofs.oracle``). Five counts must be 0 and the
slowest request must stay under 1 ms; ``--help`` says how to run it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import django
from django.apps import apps
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from flask import Flask
from flask import request as flask_request

from corsguard import PathRules
from corsguard.wsgi import CorsMiddleware
from corsguard_django.middleware import CorsGuardMiddleware
from corsguard_flask import CorsGuard
from tests.proofs import hostile, oracle
from tests.proofs.hostile import Hostile, shorten

SLOW_NS = 1_000_000  # the bound on one request's time through an adapter
RETIME_NS = 400_000  # slower than this: run 4 more times, keep the fastest (scheduler and GC noise)
# Requests whose request line (method, path, query) is longer than this are
# timed apart and not bounded: no common server passes them (http.server,
# behind Django's runserver and Werkzeug's dev server, refuses request lines
# over 64 KiB; gunicorn stops at 8190 bytes, uvicorn at 16 KiB), and both
# corsguard's path handling and Werkzeug's method handling are linear in them.
LONG_LINE = 65_536
POLICIES = 24  # policies per adapter; the requests are spread over them
COUNTS = {
    "exceptions": "exceptions (raised, 5xx, or caught and logged with a traceback)",
    "wrong_allows": "wrong allows (ACAO/ACAC/ACAPN not owed, wrong ACAO, refused preflight not 403)",
    "wrong_refusals": "wrong refusals (owed ACAO/ACAC/ACAPN missing, allowed preflight not 2xx)",
    "crlf": "CR/LF/NUL in a header or a corsguard log line",
    "vary": "wrong Vary (Origin missing on a CORS path, or added on a CORS-off path)",
}
ADAPTERS = ("wsgi", "django-sync", "django-async", "flask")
Sent = tuple[int, int | None, list[tuple[str, str]]]  # nanoseconds, status, headers
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Middleware = Callable[[WSGIApp, PathRules], WSGIApp]
urlpatterns: list[object] = []  # ROOT_URLCONF for Django: no view, so no @cors_policy overrides PATHS


@dataclass(frozen=True)
class Driver:
    """One adapter built for one policy: what it is given for a request (and
    what the oracle reads from that), and the call through it, timed."""

    prepare: Callable[[Hostile], tuple[Any, oracle.Facts]]
    send: Callable[[Any], Sent]


@dataclass
class Tally:
    """Counts as the run goes, so memory stays flat; the shortest offending request of each is kept."""

    adapter: str
    requests: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    examples: dict[str, str] = field(default_factory=dict)
    slowest_ns: int = 0
    slowest: str = ""
    long_line_ns: int = 0  # the slowest request with a request line over LONG_LINE
    retimed: int = 0
    seconds: float = 0.0
    cut_short: bool = False

    def fault(self, count: str, request: Hostile, why: str) -> None:
        self.counts[count] += 1
        example = f"{shorten(why, 300)}\n      request: {request}"
        if count not in self.examples or len(example) < len(self.examples[count]):
            self.examples[count] = example

    def timed(self, nanoseconds: int, request: Hostile) -> None:
        self.requests += 1
        if len(request.method) + len(request.path) + len(request.query) > LONG_LINE:
            self.long_line_ns = max(self.long_line_ns, nanoseconds)
        elif nanoseconds > self.slowest_ns:
            self.slowest_ns, self.slowest = nanoseconds, str(request)

    @property
    def ok(self) -> bool:
        return not any(self.counts.values()) and self.slowest_ns < SLOW_NS and not self.cut_short

    def report(self) -> str:
        lines = [f"{self.adapter}: {self.requests:,} requests in {self.seconds:.1f} s"]
        lines += [f"  {self.counts[key]:>9,}  {label}" for key, label in COUNTS.items()]
        lines.append(f"  slowest request: {self.slowest_ns / 1000:.0f} µs (must be under {SLOW_NS // 1000} µs; ")
        lines[-1] += f"{self.retimed} requests over {RETIME_NS // 1000} µs were re-run, the fastest of 5 kept)"
        lines += [f"  slowest: {self.slowest}"] if self.slowest_ns >= SLOW_NS else []
        lines.append(f"  slowest with a request line over {LONG_LINE:,} bytes: {self.long_line_ns / 1000:.0f} µs")
        lines += [f"  {key}, e.g.: {example}" for key, example in self.examples.items()]
        return "\n".join(lines + (["  CUT SHORT by the time limit"] if self.cut_short else []))


class LogCheck(logging.Handler):
    """Every ``corsguard`` record, formatted as a log file line (a traceback aside),
    charged to the request under way."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(logging.DEBUG)
        self.tally, self.line = tally, logging.Formatter("%(levelname)s %(name)s %(message)s")
        self.request = Hostile("", "", "", ())  # records written outside a request are charged to this

    def emit(self, record: logging.LogRecord) -> None:
        record.message = record.getMessage()
        line = self.line.formatMessage(record)
        if any(bad in line for bad in "\r\n\x00"):
            self.tally.fault("crlf", self.request, f"log line {line!r}")
        if record.exc_info:
            self.tally.fault("exceptions", self.request, f"{record.exc_info[1]!r}, logged as: {record.message}")


@contextmanager
def captured_log(tally: Tally) -> Iterator[LogCheck]:
    """The ``corsguard`` logger at DEBUG into a ``LogCheck`` only; as it was afterwards."""
    logger, check = logging.getLogger("corsguard"), LogCheck(tally)
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers, logger.propagate = [check], False
    logger.setLevel(logging.DEBUG)
    try:
        yield check
    finally:
        logger.handlers, logger.propagate = saved[0], saved[2]
        logger.setLevel(saved[1])


def plain_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The application behind the WSGI middleware: 200, and a Vary of its own on ``?vary``."""
    vary = [("Vary", "Accept-Encoding")] if environ.get("QUERY_STRING") == "vary" else []
    start_response("200 OK", [("Content-Type", "text/plain"), *vary])
    return [b"ok"]


def wsgi_prepare(request: Hostile) -> tuple[Any, oracle.Facts]:
    environ = request.environ()
    return environ, oracle.facts(environ, oracle.routed_path(environ["PATH_INFO"]))


def call_wsgi(app: WSGIApp, environ: dict[str, Any]) -> Sent:
    """Call as a server does: start_response, the body to its end, close."""
    started: list[Any] = []
    start = time.perf_counter_ns()
    body = app(environ, lambda status, headers, exc_info=None: started.extend((status, headers)))
    try:
        for _ in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    elapsed = time.perf_counter_ns() - start
    code = started[0][:3]
    return elapsed, int(code) if code.isdigit() else None, list(started[1])


@contextmanager
def wsgi_driver(config: dict[str, Any], middleware: Middleware | None = None) -> Iterator[Driver]:
    app = (middleware or CorsMiddleware)(plain_app, PathRules.from_mapping(config))
    yield Driver(wsgi_prepare, lambda environ: call_wsgi(app, environ))


@contextmanager
def flask_driver(config: dict[str, Any]) -> Iterator[Driver]:
    """``CorsGuard`` on an app with one catch-all view; no environment variable is read."""

    def view(rest: str) -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"Vary": "Accept-Encoding"} if flask_request.query_string == b"vary" else {}

    app, methods = Flask("corsguard_fuzz"), ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
    app.add_url_rule("/", "any", view, defaults={"rest": ""}, methods=methods)
    app.add_url_rule("/<path:rest>", "any", view, methods=methods)
    CorsGuard(app, env={}, **{key.lower(): value for key, value in config.items()})
    yield Driver(wsgi_prepare, lambda environ: call_wsgi(app, environ))


def django_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"ok")
    if request.META.get("QUERY_STRING") == "vary":
        response["Vary"] = "Accept-Encoding"
    return response


async def async_django_view(request: HttpRequest) -> HttpResponse:
    return django_view(request)


@contextmanager
def django_driver(config: dict[str, Any], asynchronous: bool) -> Iterator[Driver]:
    """The middleware configured by ``CORSGUARD`` (no ``CORSGUARD_*`` variable in the environment)
    around a trivial view, given requests built as Django's WSGI or ASGI handler builds them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testprojects.django_project.settings")
    if not apps.ready:
        django.setup()
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("CORSGUARD_")}
    loop = asyncio.new_event_loop()

    async def timed(request: HttpRequest) -> tuple[int, Any]:
        start = time.perf_counter_ns()
        response = await guard(request)
        return time.perf_counter_ns() - start, response

    def prepare(hostile: Hostile) -> tuple[Any, oracle.Facts]:
        built = ASGIRequest(hostile.scope(), io.BytesIO()) if asynchronous else WSGIRequest(hostile.environ())
        return built, oracle.facts(built.META, built.path_info)

    def send(request: HttpRequest) -> Sent:
        if asynchronous:
            elapsed, response = loop.run_until_complete(timed(request))
        else:
            start = time.perf_counter_ns()
            response = guard(request)
            elapsed = time.perf_counter_ns() - start
        return elapsed, response.status_code, list(response.items())

    try:
        with override_settings(CORSGUARD=config, ROOT_URLCONF=__name__):
            guard: Any = CorsGuardMiddleware(async_django_view if asynchronous else django_view)
            yield Driver(prepare, send)
    finally:
        loop.close()
        os.environ.update(saved)


def run(adapter: str, requests: int, seed: int, *, middleware: Middleware | None = None, limit: float = 900) -> Tally:
    """Send ``requests`` seeded requests through ``adapter`` (``middleware`` replaces
    the WSGI one, to show a count can fail); stop after ``limit`` seconds."""
    if adapter == "django-async":  # its event loop on a thread of its own, whatever loop the caller runs
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_run, adapter, requests, seed, middleware, limit).result()
    return _run(adapter, requests, seed, middleware, limit)


def _run(adapter: str, requests: int, seed: int, middleware: Middleware | None, limit: float) -> Tally:
    rng, tally, began = random.Random(f"{seed}/{adapter}"), Tally(adapter), time.perf_counter()
    with captured_log(tally) as log:
        for index in range(POLICIES):
            config = hostile.policy(rng)
            if adapter == "wsgi":
                built = wsgi_driver(config, middleware)
            else:
                built = flask_driver(config) if adapter == "flask" else django_driver(config, adapter == "django-async")
            with built as driver:
                count = requests // POLICIES + (index < requests % POLICIES)
                _batch(driver, config, rng, count, tally, log, began + limit)
    tally.cut_short, tally.seconds = tally.requests < requests, time.perf_counter() - began
    return tally


def _batch(driver: Driver, config: dict[str, Any], rng: random.Random, count: int, tally: Tally, log: LogCheck,
           deadline: float) -> None:  # fmt: skip
    """``count`` requests under one policy: generated, judged by the oracle, counted."""
    legitimate = hostile.legitimate_origins(config)
    for number in range(count):
        if number % 256 == 0 and time.perf_counter() > deadline:
            return
        log.request = sent = hostile.request(rng, legitimate)
        prepared, facts = driver.prepare(sent)
        answer = oracle.expect(config, *facts)
        try:
            elapsed, status, headers = driver.send(prepared)
        except Exception as error:
            tally.timed(0, sent)
            tally.fault("exceptions", sent, f"raised {error!r}")
            continue
        if elapsed >= RETIME_NS:
            tally.retimed += 1
            elapsed = min(elapsed, *(_again(driver, sent) for _ in range(4)))
        tally.timed(elapsed, sent)
        for name, why in oracle.differences(answer, status, headers):
            tally.fault(name, sent, why)


def _again(driver: Driver, sent: Hostile) -> int:
    """The request's time on another run (an error here was already counted)."""
    try:
        return driver.send(driver.prepare(sent)[0])[0]
    except Exception:
        return sys.maxsize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.proofs.fuzz",
        description="Send seeded hostile requests in-process (nothing goes over the network) through corsguard's "
        "adapters and judge each response with an independent oracle. Exits 1 if any count is not 0, if the "
        "slowest request took 1 ms or more, or if the time limit cut the run short. Bounded in time: each "
        "adapter stops after --time-limit seconds (the full default run takes a few minutes on 2 cores).",
    )
    parser.add_argument("--requests", type=int, default=1_000_000, help="WSGI requests (default 1,000,000); "
                        "Django sync, Django async and Flask get a tenth of that each")  # fmt: skip
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed (printed first)")
    parser.add_argument("--adapter", choices=(*ADAPTERS, "all"), default="all")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds per adapter (default 900)")
    args = parser.parse_args(argv)
    seed = random.SystemRandom().randrange(1 << 32) if args.seed is None else args.seed
    print(f"seed: {seed}", flush=True)
    ok = True
    for adapter in ADAPTERS if args.adapter == "all" else (args.adapter,):
        tally = run(adapter, args.requests if adapter == "wsgi" else args.requests // 10, seed, limit=args.time_limit)
        print(tally.report(), flush=True)
        ok = ok and tally.ok
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
