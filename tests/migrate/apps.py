"""Each peer's app and the migrated corsguard app, as functions that answer a
``replay.Request`` in process: django-cors-headers' and corsguard's Django
middleware around one view, flask-cors' and corsguard's Flask extension on
one app shape, Starlette's and corsguard's ASGI middleware on one app."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from tests.migrate.replay import Answer, Request, Send

ROUTE_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


@contextlib.contextmanager
def django_pair(peer_settings: Mapping[str, Any], migrated: Mapping[str, Any]) -> Iterator[tuple[Send, Send]]:
    from corsheaders.middleware import CorsMiddleware  # noqa: PLC0415
    from django.http import HttpRequest, HttpResponse  # noqa: PLC0415
    from django.test import RequestFactory, override_settings  # noqa: PLC0415

    from corsguard_django.middleware import CorsGuardMiddleware  # noqa: PLC0415

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    factory = RequestFactory()

    def through(middleware: Any) -> Send:
        def send(request: Request) -> Answer:
            built = factory.generic(request.method, request.path, headers=dict(request.headers))
            response = middleware(built)
            return response.status_code, list(response.items())

        return send

    with override_settings(**peer_settings, CORSGUARD=dict(migrated)):
        yield through(CorsMiddleware(view)), through(CorsGuardMiddleware(view))


def _flask_app(name: str) -> Any:
    from flask import Flask  # noqa: PLC0415

    app = Flask(name)
    for path in ("/api/items", "/other"):
        app.add_url_rule(path, path, lambda: "ok", methods=ROUTE_METHODS)
    return app


def _flask_send(app: Any) -> Send:
    client = app.test_client()

    def send(request: Request) -> Answer:
        response = client.open(request.path, method=request.method, headers=dict(request.headers))
        return response.status_code, list(response.headers.items())

    return send


@contextlib.contextmanager
def flask_pair(arguments: Mapping[str, Any], migrated: Mapping[str, Any]) -> Iterator[tuple[Send, Send]]:
    from flask_cors import CORS  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    peer = _flask_app("peer")
    CORS(peer, **arguments)
    ours = _flask_app("ours")
    CorsGuard(ours, env={}, **{key.lower(): value for key, value in migrated.items()})
    yield _flask_send(peer), _flask_send(ours)


def flask_peer(arguments: Mapping[str, Any]) -> Any:
    from flask_cors import CORS  # noqa: PLC0415

    app = _flask_app("peer")
    CORS(app, **arguments)
    return app


def _asgi_send(app: Any) -> Send:
    import asyncio  # noqa: PLC0415

    import httpx  # noqa: PLC0415

    async def call(request: Request) -> Answer:
        transport = httpx.ASGITransport(app, raise_app_exceptions=True)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.request(request.method, request.path, headers=request.headers)
        return response.status_code, list(response.headers.multi_items())

    def send(request: Request) -> Answer:
        return asyncio.run(call(request))

    return send


def starlette_app(middleware: list[Any]) -> Any:
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.responses import PlainTextResponse  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    def endpoint(request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    routes = [Route(path, endpoint, methods=ROUTE_METHODS) for path in ("/api/items", "/other")]
    return Starlette(routes=routes, middleware=middleware)


@contextlib.contextmanager
def starlette_pair(arguments: Mapping[str, Any], migrated: Mapping[str, Any]) -> Iterator[tuple[Send, Send]]:
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

    from corsguard import Policy  # noqa: PLC0415
    from corsguard._adapters.asgi import CorsMiddleware  # noqa: PLC0415

    policy = Policy(**{key.lower(): value for key, value in migrated.items()})
    peer = starlette_app([Middleware(CORSMiddleware, **arguments)])
    ours = starlette_app([Middleware(CorsMiddleware, policy=policy)])
    yield _asgi_send(peer), _asgi_send(ours)


def fill_placeholders(settings: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """The migrated settings with the TODO origin replaced, as the user would."""
    filled = dict(settings)
    if "ALLOWED_ORIGINS" in filled:
        filled["ALLOWED_ORIGINS"] = [re.sub(r"^https://todo-.*$", origin, entry) for entry in filled["ALLOWED_ORIGINS"]]
    return filled
