"""The fuzzing proof's ASGI driver: ``corsguard.asgi.CorsMiddleware`` around a
minimal ASGI app, driven directly with scope, receive and send.

A server hands the middleware the header lines as they came: names as bytes
(lower-cased by uvicorn and hypercorn, but ASGI does not promise it of every
server), values as raw bytes, a repeated line repeated. So the oracle's facts
are read from the scope here by the rule every adapter is held to, written
out again: names compared without case, repeated lines joined by ", ", bytes
read as latin-1 (what a WSGI server hands over), so the same request gets the
same answer through every adapter.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from corsguard import PathRules
from corsguard.asgi import CorsMiddleware
from tests.proofs import oracle
from tests.proofs.hostile import Hostile, Sent

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
_FACT_HEADERS = {
    b"origin": "HTTP_ORIGIN",
    b"access-control-request-method": "HTTP_ACCESS_CONTROL_REQUEST_METHOD",
    b"access-control-request-headers": "HTTP_ACCESS_CONTROL_REQUEST_HEADERS",
    b"access-control-request-private-network": "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK",
}


async def plain_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The application behind the ASGI middleware: 200, and a Vary of its own on ``?vary``."""
    vary = [(b"vary", b"Accept-Encoding")] if scope.get("query_string") == b"vary" else []
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain"), *vary]})
    await send({"type": "http.response.body", "body": b"ok"})


def meta(scope: Scope) -> dict[str, str]:
    """The oracle's reading of a scope, as a WSGI environ would hold it."""
    found: dict[str, str] = {"REQUEST_METHOD": scope["method"]}
    for name, value in scope["headers"]:
        key = _FACT_HEADERS.get(bytes(name).lower())
        if key is not None:
            text = bytes(value).decode("latin-1")
            found[key] = found[key] + ", " + text if key in found else text
    return found


def scope_facts(scope: Scope) -> oracle.Facts:
    """Facts and the routed path: the scope's ``path`` (already decoded once, as UTF-8)."""
    return oracle.facts(meta(scope), oracle.routed_path(scope["path"].encode("utf-8").decode("latin-1")))


def call(app: ASGIApp, scope: Scope, loop: asyncio.AbstractEventLoop) -> Sent:
    """One request through ``app`` on ``loop``, timed: status and header lines as text. A response
    that is not exactly one ``http.response.start`` followed by a final body raises: a server
    would close the connection, which a browser sees as a network error."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    start = time.perf_counter_ns()
    loop.run_until_complete(app(scope, receive, send))
    elapsed = time.perf_counter_ns() - start
    kinds = [message["type"] for message in sent]
    if kinds[:1] != ["http.response.start"] or kinds.count("http.response.start") != 1 or sent[-1].get("more_body"):
        raise AssertionError(f"malformed ASGI response: {kinds}")
    headers = [(bytes(name).decode("latin-1"), bytes(value).decode("latin-1")) for name, value in sent[0]["headers"]]
    return elapsed, int(sent[0]["status"]), headers


@contextmanager
def asgi_driver(
    config: dict[str, Any],
    middleware: Callable[[ASGIApp, PathRules], ASGIApp] | None = None,
    inner: ASGIApp = plain_app,
) -> Iterator[tuple[Callable[..., Any], Callable[[Any], Sent]]]:
    """The middleware (``middleware`` in its place, to show a count can fail) on ``config`` around
    ``inner``; one event loop for the whole batch (one step of it is in each request's time, ~20 µs)."""
    app = (middleware or CorsMiddleware)(inner, PathRules.from_mapping(config))
    loop = asyncio.new_event_loop()

    def prepare(request: Hostile) -> tuple[Scope, oracle.Facts]:
        scope = request.scope()
        return scope, scope_facts(scope)

    try:
        yield prepare, lambda scope: call(app, scope, loop)
    finally:
        loop.close()
