"""Helpers shared by the ASGI unit tests: requests through httpx's in-process
ASGI transport, Starlette's test client (for WebSockets and lifespan), and
the values the tests use."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import httpx

from tests.matrix.django_adapter import run_coroutine

with warnings.catch_warnings():
    # Starlette 1.10 prefers the httpx2 package for its test client; httpx works.
    warnings.filterwarnings("ignore", message=".*httpx2")
    from starlette.testclient import TestClient

__all__ = ["TestClient"]

TRUSTED = "https://app.example.com"
UNTRUSTED = "https://evil.example.net"
CUSTOM = "https://custom.example.com"

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAM = "access-control-allow-methods"
ACAH = "access-control-allow-headers"
ACEH = "access-control-expose-headers"
ACMA = "access-control-max-age"


def request(
    app: Any,
    method: str = "GET",
    path: str = "/",
    headers: Mapping[str, str] | None = None,
    *,
    root_path: str = "",
) -> httpx.Response:
    """One request through ``app`` in-process; an unhandled exception is
    answered 500, as a server answers it."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app, raise_app_exceptions=False, root_path=root_path)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, headers=dict(headers or {}))

    return run_coroutine(go())


def get(app: Any, path: str = "/", origin: str | None = TRUSTED, **kw: Any) -> httpx.Response:
    return request(app, "GET", path, {} if origin is None else {"Origin": origin}, **kw)


def preflight(
    app: Any, path: str = "/", origin: str = TRUSTED, method: str = "PUT", headers: str | None = None, **kw: Any
) -> httpx.Response:
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        sent["Access-Control-Request-Headers"] = headers
    return request(app, "OPTIONS", path, sent, **kw)
