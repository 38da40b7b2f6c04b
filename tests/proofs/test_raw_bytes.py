"""Raw bytes through every adapter, in-process: invalid UTF-8 in Origin,
Access-Control-Request-Method, -Headers and -Private-Network, repeated
``Origin`` lines, and (ASGI) header names in odd case.

Each adapter gets what its server would hand it (``tests.proofs.raw``): the
ASGI middleware, directly and under Starlette, the raw lines; WSGI, Django
(sync and async) and Flask the joined latin-1 values. Every answer is judged
by the oracle, no 5xx, no exception, a refusal for what no browser sends,
and at most one refusal line per request, rate-limited (B6.2).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from corsguard import PathRules
from corsguard._engine import log
from corsguard.asgi import CorsMiddleware
from tests.proofs import fuzz, raw
from tests.proofs.fuzz_asgi import ASGIApp, asgi_driver, call, plain_app
from tests.proofs.hostile import Hostile

ADAPTERS = ("asgi", "starlette", "wsgi", "django-sync", "django-async", "flask")
EXAMPLES = 150  # per adapter and configuration: 2,700 requests in all


def _starlette() -> Starlette:
    async def anything(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
    return Starlette(routes=[Route("/{rest:path}", anything, methods=methods)])


@contextmanager
def _driver(adapter: str, config: dict[str, Any]) -> Iterator[fuzz.Driver]:
    if adapter == "starlette":
        with asgi_driver(config, inner=_starlette()) as driver:
            yield driver
        return
    with fuzz.build(adapter, config) as driver:
        yield driver


def _as_given(adapter: str, request: Hostile) -> Hostile:
    return request if adapter in ("asgi", "starlette") else raw.as_wsgi(request)


@pytest.mark.parametrize("index", range(len(raw.CONFIGS)), ids=lambda index: f"config{index}")
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_raw_bytes_are_refused_cleanly(adapter: str, index: int) -> None:
    config = raw.CONFIGS[index]

    def check(driver: fuzz.Driver, request: Hostile) -> None:
        prepare, send = driver
        prepared, facts = prepare(_as_given(adapter, request))
        with raw.captured() as handler:
            sent = send(prepared)
        raw.judge(config, request, facts, sent, handler.records)

    # Run on a thread of its own, as fuzz.run does: Django's async middleware wants its own loop.
    def run() -> None:
        with _driver(adapter, config) as driver:
            limits = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            limits(given(raw.requests())(lambda request: check(driver, request)))()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def reflecting(app: ASGIApp, rules: PathRules) -> ASGIApp:
    """corsguard's ASGI middleware with one thing wrong: any Origin line is sent back as ACAO."""
    inner = CorsMiddleware(app, rules)

    async def reflect(scope: Any, receive: Any, send: Any) -> None:
        origin = next((v for n, v in scope["headers"] if n.lower() == b"origin"), None)

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start" and origin is not None:
                kept = [line for line in message["headers"] if line[0] != b"access-control-allow-origin"]
                message = {**message, "headers": [*kept, (b"access-control-allow-origin", origin)]}
            await send(message)

        await inner(scope, receive, sending)

    return reflect


def silent_on_repeats(app: ASGIApp, rules: PathRules) -> ASGIApp:
    """corsguard's ASGI middleware with one thing wrong: two Origin lines get no response at all."""
    inner = CorsMiddleware(app, rules)

    async def silent(scope: Any, receive: Any, send: Any) -> None:
        if sum(name.lower() == b"origin" for name, _ in scope["headers"]) < 2:
            await inner(scope, receive, send)

    return silent


@pytest.mark.parametrize(("broken", "count"), [(reflecting, "wrong_allows"), (silent_on_repeats, "exceptions")])
def test_the_asgi_fuzz_counts_can_fail(broken: fuzz.Middleware, count: str) -> None:
    tally = fuzz.run("asgi", 1500, 20240611, middleware=broken)
    assert tally.counts[count] > 0, tally.report()
    assert not tally.ok and count in tally.examples


def test_the_raw_byte_judge_can_fail() -> None:
    """The same judge, given an ASGI middleware that reflects any Origin, finds it."""
    request = Hostile("GET", "/api/items", "", (("ORIGIN", "https://b\xfccher.example"), ("origin", raw.ALLOWED)))
    with asgi_driver(raw.CONFIGS[0], reflecting) as (prepare, send):
        prepared, facts = prepare(request)
        with pytest.raises(AssertionError, match="wrong_allows"):
            raw.judge(raw.CONFIGS[0], request, facts, send(prepared), [])


@pytest.mark.parametrize(
    "lines",
    [
        [(b"origin", raw.ALLOWED.encode()), (b"origin", raw.ALLOWED.encode())],
        [(b"ORIGIN", raw.ALLOWED.encode()), (b"oRiGiN", b"https://evil.example")],
        [(b"Origin", raw.ALLOWED.encode() + b"\xff")],
        [(b"origin", b"https://app.\xc3\x28example.com")],
    ],
    ids=["same-twice", "odd-case-twice", "invalid-utf8-tail", "invalid-utf8-inside"],
)
def test_asgi_repeats_are_logged_once(lines: list[tuple[bytes, bytes]]) -> None:
    """B6.2: the same refused request 50 times, straight through the ASGI
    middleware: refused each time, one WARNING line, the repeats at DEBUG."""
    app = CorsMiddleware(plain_app, PathRules.from_mapping(raw.CONFIGS[0]))
    scope: dict[str, Any] = Hostile("OPTIONS", "/api/items", "", ()).scope()
    scope["headers"] = [*lines, (b"access-control-request-method", b"PUT")]
    log.forget()
    loop = asyncio.new_event_loop()
    try:
        with raw.captured() as handler:
            answers = [call(app, dict(scope), loop) for _ in range(50)]
    finally:
        loop.close()
    assert {status for _, status, _ in answers} == {403}
    assert all(not any(n.startswith("access-control-") for n, _ in headers) for _, _, headers in answers)
    warnings = [record for record in handler.records if record.levelname == "WARNING"]
    assert len(warnings) == 1, [record.getMessage() for record in handler.records]
    assert len(handler.records) == 50
    raw.judge_log(warnings)
