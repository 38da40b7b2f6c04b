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
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard_django.middleware import CorsGuardMiddleware
from corsguard_flask import CorsGuard
from tests.proofs import hostile, oracle
from tests.proofs.fuzz_asgi import asgi_driver
from tests.proofs.hostile import Hostile, Sent, WSGIApp, serve
from tests.proofs.tally import RETIME_NS, Tally

POLICIES = 24  # policies per adapter; the requests are spread over them
ADAPTERS = ("wsgi", "asgi", "django-sync", "django-async", "flask")
# A WSGI middleware (an ASGI one for "asgi") put in place of corsguard's, to show a count can fail.
Middleware = Callable[[Any, PathRules], Any]
# One adapter built for one policy: what it is given for a request (and the oracle's facts), the timed call.
Driver = tuple[Callable[[Hostile], tuple[Any, oracle.Facts]], Callable[[Any], Sent]]
urlpatterns: list[object] = []  # ROOT_URLCONF for Django: no view, so no @cors_policy overrides PATHS


def plain_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The application behind the WSGI middleware: 200, and a Vary of its own on ``?vary``."""
    vary = [("Vary", "Accept-Encoding")] if environ.get("QUERY_STRING") == "vary" else []
    start_response("200 OK", [("Content-Type", "text/plain"), *vary])
    return [b"ok"]


def wsgi_prepare(request: Hostile) -> tuple[Any, oracle.Facts]:
    environ = request.environ()
    return environ, oracle.facts(environ, oracle.routed_path(environ["PATH_INFO"]))


@contextmanager
def wsgi_driver(config: dict[str, Any], middleware: Middleware | None = None) -> Iterator[Driver]:
    app = (middleware or CorsMiddleware)(plain_app, PathRules.from_mapping(config))
    yield wsgi_prepare, lambda environ: serve(app, environ)


class FlaskOwnTime:
    """Flask's own WSGI app under corsguard's gate, timed so that its time can be taken out
    of the request's: a 60 kB path costs Werkzeug milliseconds, which are not corsguard's.
    Time spent back in corsguard (its ``start_response``) stays corsguard's."""

    def __init__(self, app: WSGIApp) -> None:
        self.app, self.nanoseconds = app, 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(*args: Any) -> Any:
            begin = time.perf_counter_ns()
            try:
                return start_response(*args)
            finally:
                self.nanoseconds -= time.perf_counter_ns() - begin

        begin = time.perf_counter_ns()
        try:  # the body's iteration and close() are left in: a few µs of Flask counted as corsguard's
            return self.app(environ, start)
        finally:
            self.nanoseconds += time.perf_counter_ns() - begin


@contextmanager
def flask_driver(config: dict[str, Any]) -> Iterator[Driver]:
    """``CorsGuard`` on an app with one catch-all view; no environment variable is read."""

    def view(rest: str) -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"Vary": "Accept-Encoding"} if flask_request.query_string == b"vary" else {}

    def send(environ: dict[str, Any]) -> Sent:
        own.nanoseconds = 0
        elapsed, status, headers = serve(app, environ)
        return elapsed - own.nanoseconds, status, headers

    app, methods = Flask("corsguard_fuzz"), ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
    app.add_url_rule("/", "any", view, defaults={"rest": ""}, methods=methods)
    app.add_url_rule("/<path:rest>", "any", view, methods=methods)
    app.wsgi_app = own = FlaskOwnTime(app.wsgi_app)  # type: ignore[method-assign]
    CorsGuard(app, env={}, **{key.lower(): value for key, value in config.items()})
    yield wsgi_prepare, send


def django_view(request: HttpRequest) -> HttpResponse:
    """The view behind the Django middleware: 200, and a Vary of its own on ``?vary`` (merged, not replaced)."""
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

    def prepare(hostile: Hostile) -> tuple[Any, oracle.Facts]:
        built = ASGIRequest(hostile.scope(), io.BytesIO()) if asynchronous else WSGIRequest(hostile.environ())
        return built, oracle.facts(built.META, built.path_info)

    def send(request: HttpRequest) -> Sent:  # async: one step of an event loop is in the time (~15 µs)
        start = time.perf_counter_ns()
        response = loop.run_until_complete(guard(request)) if asynchronous else guard(request)
        return time.perf_counter_ns() - start, response.status_code, list(response.items())

    try:
        with override_settings(CORSGUARD=config, ROOT_URLCONF=__name__):
            guard: Any = CorsGuardMiddleware(async_django_view if asynchronous else django_view)
            yield prepare, send
    finally:
        loop.close()
        os.environ.update(saved)


def run(adapter: str, requests: int, seed: int, *, middleware: Middleware | None = None, limit: float = 900) -> Tally:
    """Send ``requests`` seeded requests through ``adapter`` (``middleware`` replaces the WSGI
    one, to show a count can fail); stop after ``limit`` seconds. On a thread of its own, so
    Django's async middleware gets an event loop of its own whatever loop the caller runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run, adapter, requests, seed, middleware, limit).result()


def _run(adapter: str, requests: int, seed: int, middleware: Middleware | None, limit: float) -> Tally:
    rng, began = random.Random(f"{seed}/{adapter}"), time.perf_counter()
    with Tally(adapter) as tally:
        for index in range(POLICIES):
            config = hostile.policy(rng)
            built = build(adapter, config, middleware)
            with built as driver:
                count = requests // POLICIES + (index < requests % POLICIES)
                _batch(driver, config, rng, count, tally, began + limit)
    tally.cut_short, tally.seconds = tally.requests < requests, time.perf_counter() - began
    return tally


def build(adapter: str, config: dict[str, Any], middleware: Middleware | None = None) -> Any:
    """``adapter`` on one policy, a context manager giving its ``Driver``."""
    if adapter in ("wsgi", "asgi"):
        return wsgi_driver(config, middleware) if adapter == "wsgi" else asgi_driver(config, middleware)
    return flask_driver(config) if adapter == "flask" else django_driver(config, adapter == "django-async")


def _batch(driver: Driver, config: dict[str, Any], rng: random.Random, count: int, tally: Tally, end: float) -> None:
    """``count`` requests under one policy: generated, judged by the oracle, counted."""
    (prepare, send), legitimate = driver, hostile.legitimate_origins(config)
    for number in range(count):
        if number % 256 == 0 and time.perf_counter() > end:
            return
        tally.current = sent = hostile.request(rng, legitimate)
        prepared, facts = prepare(sent)
        answer = oracle.expect(config, *facts)
        try:
            elapsed, status, headers = send(prepared)
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
        return driver[1](driver[0](sent)[0])[0]
    except Exception:
        return sys.maxsize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.proofs.fuzz",
        description="Send seeded hostile requests in-process (no network) through corsguard's adapters; judge each "
        "response with an independent oracle. Exits 1 if a count is not 0, if a request took 1 ms or more (Flask's "
        "own time taken out; request lines over 64 KiB, which no common server passes, timed apart), or if the time "
        "limit cut the run short. Bounded in time: each adapter stops after --time-limit seconds; the full default "
        "run takes about 2-3 minutes on 2 cores.",
    )
    parser.add_argument("--requests", type=int, default=1_000_000, help="WSGI requests (default 1,000,000); "
                        "ASGI, Django sync, Django async and Flask get a tenth of that each")  # fmt: skip
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
