"""The ASGI family of harnesses: Starlette, FastAPI and Django async.

A request is driven without a server. Where the app never waits (Starlette
and FastAPI answering from memory) the coroutine is stepped with
``send(None)``: no event loop, so the figure is the app's own cost. Where it
does wait (Django's ASGIHandler always starts tasks) one event loop, made
once, runs it; every variant of a row is driven the same way, so the loop's
own cost cancels in "added".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.harness import Harness, Response, merged_vary
from bench.shapes import ALLOWED_ORIGIN, ROUTE, Kind, Shape

App = Any
REQUEST = {"type": "http.request", "body": b"", "more_body": False}
_LOOP = asyncio.new_event_loop()


def scope_for(shape: Shape, kind: Kind) -> dict[str, Any]:
    return http_scope(kind.method, shape.path, kind.headers)


def http_scope(method: str, path: str, headers: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """An HTTP scope as a server sends it: three ordinary lines, then ``headers`` (names lower-cased)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"accept", b"*/*"),
            (b"user-agent", b"bench"),
            *((name.lower().encode(), value.encode("latin-1")) for name, value in headers),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def _receive() -> dict[str, Any]:
    return REQUEST


def _receiver() -> Callable[[], Any]:
    """A receive for a loop-driven request: the body once, then (as a real
    server does until the client goes) nothing, forever."""
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return REQUEST
        await asyncio.Future()
        raise AssertionError("unreachable")

    return receive


async def _discard(message: Any) -> None:
    return None


def _direct(app: App, scope: dict[str, Any], send: Callable[..., Any]) -> None:
    coroutine = app(scope, _receive, send)
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise _Suspended


class _Suspended(Exception):
    """The app waited: it needs an event loop."""


def needs_loop(app: App, shape: Shape, kind: Kind) -> bool:
    try:
        _direct(app, scope_for(shape, kind), _discard)
    except _Suspended:
        return True
    return False


def asgi_prepare(app: App, shape: Shape, kind: Kind, loop: bool) -> Callable[[], None]:
    scope = scope_for(shape, kind)
    if loop:
        return lambda: _LOOP.run_until_complete(app(dict(scope), _receiver(), _discard))
    return lambda: _direct(app, dict(scope), _discard)


def asgi_inspect(app: App, shape: Shape, kind: Kind) -> Response:
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    _LOOP.run_until_complete(app(scope_for(shape, kind), _receiver(), send))
    start = next(message for message in sent if message["type"] == "http.response.start")
    return start["status"], [(name.decode("latin-1"), value.decode("latin-1")) for name, value in start["headers"]]


class AsgiFloor:
    """No CORS layer can do less: reflect the Origin into ACAO and add Origin to Vary, checking nothing."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        origin = b"*"
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value

        async def send_with_cors(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers, vary = [], None
                for name, value in message["headers"]:
                    if name.lower() == b"vary":
                        vary = value.decode("latin-1")
                    else:
                        headers.append((name, value))
                headers += [(b"access-control-allow-origin", origin), (b"vary", merged_vary(vary).encode())]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _endpoint_response(shape: Shape) -> Callable[[], Any]:
    from starlette.responses import Response as StarletteResponse  # noqa: PLC0415
    from starlette.responses import StreamingResponse  # noqa: PLC0415

    chunks, headers = shape.body_chunks(), dict(shape.headers)

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    def make() -> Any:
        if shape.chunks > 1:
            return StreamingResponse(stream(), media_type="application/json", headers=headers)
        return StarletteResponse(chunks[0], media_type="application/json", headers=headers)

    return make


def _wrap(app: Any, variant: str) -> None:
    """The variant's middleware, added the way each project documents it."""
    if variant == "floor":
        app.add_middleware(AsgiFloor)
    elif variant == "corsguard":
        from corsguard import Policy  # noqa: PLC0415
        from corsguard.asgi import CorsMiddleware  # noqa: PLC0415

        app.add_middleware(CorsMiddleware, policy=Policy(allowed_origins=[ALLOWED_ORIGIN]))
    elif variant == "peer":
        from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

        from corsguard import DEFAULT_HEADERS, DEFAULT_METHODS  # noqa: PLC0415

        app.add_middleware(
            CORSMiddleware,
            allow_origins=[ALLOWED_ORIGIN],
            allow_methods=list(DEFAULT_METHODS),
            allow_headers=list(DEFAULT_HEADERS),
        )


@contextmanager
def _starlette(variant: str, shape: Shape) -> Iterator[App]:
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    make = _endpoint_response(shape)

    async def items(request: Any) -> Any:
        return make()

    app = Starlette(routes=[Route(ROUTE, items, methods=["GET", "PUT"])])
    _wrap(app, variant)
    yield app


@contextmanager
def _fastapi(variant: str, shape: Shape) -> Iterator[App]:
    from fastapi import FastAPI  # noqa: PLC0415

    make = _endpoint_response(shape)
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get(ROUTE)
    async def items() -> Any:
        return make()

    _wrap(app, variant)
    yield app


@contextmanager
def _django_async(variant: str, shape: Shape) -> Iterator[App]:
    from bench import django_shapes  # noqa: PLC0415

    with django_shapes.settings_for(variant, shape, asynchronous=True):
        from django.core.handlers.asgi import ASGIHandler  # noqa: PLC0415

        yield ASGIHandler()


def _always(app: App, shape: Shape, kind: Kind) -> bool:
    return True


ASGI_HARNESSES = (
    Harness("Django async", "django-cors-headers", _django_async, asgi_prepare, asgi_inspect, _always),
    Harness("Starlette", "Starlette CORSMiddleware", _starlette, asgi_prepare, asgi_inspect, needs_loop),
    Harness("FastAPI", "Starlette CORSMiddleware", _fastapi, asgi_prepare, asgi_inspect, needs_loop),
)
