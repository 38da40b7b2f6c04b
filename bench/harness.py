"""Adapters under test, one ``Harness`` each: how to build an app for a shape
and a variant, and how to send it one request.

A variant is one of ``VARIANTS``: the bare app, the hand-written floor,
corsguard, or the adapter's usual peer. ``build`` is a context manager because
some frameworks (Django) read settings per request, so the app only exists
inside its block. ``prepare`` returns a zero-argument callable that sends one
request, with everything that can be built beforehand built, so the timed
loop measures the request and not the bench.

This module holds the WSGI family (plain WSGI, Django sync, Flask);
``bench.harness_asgi`` the ASGI family (Starlette, FastAPI, Django async).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from bench.common import wsgi_environ
from bench.shapes import ALLOWED_ORIGIN, ROUTE, Kind, Shape

VARIANTS = ("bare", "floor", "corsguard", "peer")
App = Any
Response = tuple[int, list[tuple[str, str]]]


@dataclass(frozen=True)
class Harness:
    """One adapter: its name, its peer's name (None: no peer), how to build and call it."""

    name: str
    peer: str | None
    build: Callable[[str, Shape], AbstractContextManager[App]]
    prepare: Callable[[App, Shape, Kind, bool], Callable[[], None]]
    inspect: Callable[[App, Shape, Kind], Response]
    # Whether this app waits on a request (then every variant of the row runs in an event loop).
    needs_loop: Callable[[App, Shape, Kind], bool] = lambda app, shape, kind: False


def environ_for(shape: Shape, kind: Kind) -> dict[str, Any]:
    headers = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in kind.headers}
    return wsgi_environ(kind.method, shape.path, **headers)


def _ignore(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    return None


def wsgi_prepare(app: App, shape: Shape, kind: Kind, loop: bool = False) -> Callable[[], None]:
    environ = environ_for(shape, kind)

    def one() -> None:
        body = app(environ.copy(), _ignore)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()

    return one


def wsgi_inspect(app: App, shape: Shape, kind: Kind) -> Response:
    seen: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen[:] = [int(status.split(maxsplit=1)[0]), list(headers)]

    body = app(environ_for(shape, kind), start_response)
    b"".join(body)
    getattr(body, "close", lambda: None)()
    return seen[0], seen[1]


def merged_vary(value: str | None) -> str:
    """The floor's Vary: Origin added to what the app sent, without repeating it."""
    if not value:
        return "Origin"
    if "origin" in value.lower():
        return value
    return value + ", Origin"


class WsgiFloor:
    """No CORS layer can do less: reflect the Origin (or "*") into ACAO and add
    Origin to Vary on every response, checking nothing."""

    def __init__(self, app: App) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN", "*")

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            vary = None
            for index, (name, value) in enumerate(headers):
                if name.lower() == "vary":
                    vary = value
                    del headers[index]
                    break
            headers += [("Access-Control-Allow-Origin", origin), ("Vary", merged_vary(vary))]
            return start_response(status, headers, exc_info)

        result: Iterable[bytes] = self.app(environ, start)
        return result


def plain_wsgi_app(shape: Shape) -> App:
    """The bare WSGI app: the shape's response on ROUTE, a plain 404 elsewhere."""
    headers = [("Content-Type", "application/json"), *shape.headers]
    chunks = shape.body_chunks()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] != ROUTE:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
            return [b"Not Found"]
        start_response("200 OK", list(headers))
        return iter(chunks) if shape.chunks > 1 else chunks

    return app


@contextmanager
def _plain_wsgi(variant: str, shape: Shape) -> Iterator[App]:
    from corsguard import Policy  # noqa: PLC0415
    from corsguard.wsgi import CorsMiddleware  # noqa: PLC0415

    app = plain_wsgi_app(shape)
    if variant == "floor":
        app = WsgiFloor(app)
    elif variant == "corsguard":
        app = CorsMiddleware(app, Policy(allowed_origins=[ALLOWED_ORIGIN]))
    elif variant == "peer":
        raise ValueError("plain WSGI has no peer")
    yield app


def _flask_app(shape: Shape) -> App:
    from flask import Flask, Response  # noqa: PLC0415

    app = Flask("bench_realistic")
    chunks = shape.body_chunks()

    @app.route(ROUTE, methods=["GET", "PUT"])
    def items() -> Any:
        body: Any = iter(chunks) if shape.chunks > 1 else chunks[0]
        return Response(body, mimetype="application/json", headers=list(shape.headers))

    return app


@contextmanager
def _flask(variant: str, shape: Shape) -> Iterator[App]:
    app = _flask_app(shape)
    if variant == "floor":
        app.wsgi_app = WsgiFloor(app.wsgi_app)
    elif variant == "corsguard":
        from corsguard_flask import CorsGuard  # noqa: PLC0415

        CorsGuard(app, env={}, allowed_origins=[ALLOWED_ORIGIN])
    elif variant == "peer":
        from flask_cors import CORS  # noqa: PLC0415

        CORS(app, origins=[ALLOWED_ORIGIN])
    yield app


@contextmanager
def _django_sync(variant: str, shape: Shape) -> Iterator[App]:
    from bench import django_shapes  # noqa: PLC0415

    with django_shapes.settings_for(variant, shape, asynchronous=False):
        from django.core.handlers.wsgi import WSGIHandler  # noqa: PLC0415

        yield WSGIHandler()


WSGI_HARNESSES = (
    Harness("WSGI", None, _plain_wsgi, wsgi_prepare, wsgi_inspect),
    Harness("Django sync", "django-cors-headers", _django_sync, wsgi_prepare, wsgi_inspect),
    Harness("Flask", "flask-cors", _flask, wsgi_prepare, wsgi_inspect),
)
