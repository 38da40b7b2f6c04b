"""The corpus entries as running apps: the peer's, as the entry's authors
set it up, and corsguard's, from what migrate printed. Every app has the
same routes (``contract.PATHS``), each answering every method."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from corsguard.cli.migrate import from_flask
from corsguard.cli.migrate.report import Migration
from tests.migrate.apps import ROUTE_METHODS, _asgi_send, _flask_send
from tests.migrate.contract import PATHS
from tests.migrate.corpus import Entry
from tests.migrate.replay import Send


def _view() -> str:
    return "ok"


def _flask(name: str, decorate: Mapping[str, Any]) -> Any:
    """A Flask app with every path routed; ``decorate[path]`` wraps that view."""
    from flask import Flask  # noqa: PLC0415

    app = Flask(name)
    for path in PATHS:
        view = decorate[path](_view) if path in decorate else _view
        app.add_url_rule(path, path, view, methods=ROUTE_METHODS)
    return app


def flask_peer(entry: Entry) -> tuple[Any, list[str]]:
    """The peer app, and the unknown options flask-cors logged while it was set up."""
    from flask_cors import CORS, cross_origin  # noqa: PLC0415

    with from_flask.unknown_options() as unknown:
        decorate = {path: cross_origin(**kwargs) for path, kwargs in entry.cross_origin.items()}
        app = _flask("peer", decorate)
        app.config.update(entry.config)
        CORS(app, **entry.settings)
    return app, unknown


@contextlib.contextmanager
def flask_pair(entry: Entry, peer: Any, migration: Migration) -> Iterator[tuple[Send, Send]]:
    from corsguard_flask import CorsGuard, cors_policy  # noqa: PLC0415

    decorate = {
        path: cors_policy(**{key.lower(): value for key, value in overrides.items()})
        for path, overrides in migration.views.items()
    }
    ours = _flask("ours", decorate)
    CorsGuard(ours, env={}, **{key.lower(): value for key, value in migration.settings.items()})
    yield _flask_send(peer), _flask_send(ours)


def starlette_app(middleware: list[Any]) -> Any:
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.responses import PlainTextResponse  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    def endpoint(request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, endpoint, methods=ROUTE_METHODS) for path in PATHS], middleware=middleware)


@contextlib.contextmanager
def starlette_pair(entry: Entry, migration: Migration) -> Iterator[tuple[Send, Send]]:
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

    from corsguard import Policy  # noqa: PLC0415
    from corsguard._adapters.asgi import CorsMiddleware  # noqa: PLC0415

    policy = Policy(**{key.lower(): value for key, value in migration.settings.items()})
    peer = starlette_app([Middleware(CORSMiddleware, **entry.settings)])
    ours = starlette_app([Middleware(CorsMiddleware, policy=policy)])
    yield _asgi_send(peer), _asgi_send(ours)
