"""The FastAPI test project: ``create_app(settings)`` builds one app.

It is what a FastAPI user following corsguard's README would write: routers
included with a prefix, an auth dependency, per-route policies, WebSockets,
and the whole app wrapped by ``CorsMiddleware``, so even the 500 that
Starlette's ``ServerErrorMiddleware`` sends for an unhandled exception passes
corsguard (``add_middleware`` puts it inside that layer).

Run it: ``python -m testprojects.fastapi_app`` (serves on 127.0.0.1:8000 with
uvicorn; reads ``CORSGUARD_*`` environment variables).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from corsguard._adapters.asgi import CorsMiddleware
from corsguard._pipeline import config
from testprojects import contract
from testprojects.fastapi_app.api import api
from testprojects.fastapi_app.orders import orders
from testprojects.fastapi_app.sockets import sockets

# CORS for local development when no settings are given.
DEVELOPMENT_CORS: Mapping[str, object] = {
    "ALLOWED_ORIGINS": ["http://localhost:3000", "http://127.0.0.1:3000"],
    "ALLOW_CREDENTIALS": True,
    "EXPOSE_HEADERS": ["x-total-count"],
    "CHECK_WEBSOCKET_ORIGIN": True,
}


def build_api() -> FastAPI:
    """The application without corsguard."""
    app = FastAPI(title="corsguard FastAPI test project")
    app.include_router(api)
    app.include_router(sockets)
    app.include_router(orders)

    @app.get("/public/{page:path}")
    def public(page: str) -> PlainTextResponse:
        contract.record("public")
        return PlainTextResponse(page)

    return app


def create_app(
    settings: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> CorsMiddleware:
    """The application behind corsguard; settings in the shared vocabulary
    (``CHECK_WEBSOCKET_ORIGIN`` included), ``CORSGUARD_*`` variables of
    ``environ`` over them (None: none)."""
    configuration = config.load(DEVELOPMENT_CORS if settings is None else settings, environ=environ)
    return CorsMiddleware(
        build_api(),
        configuration.pipeline.rules,
        check_websocket_origin=configuration.check_websocket_origin,
    )
