"""The matrix's ASGI adapter: the FastAPI test project wrapped by
``corsguard._adapters.asgi.CorsMiddleware``, called in-process through httpx's
``ASGITransport``.

httpx builds the scope a server would (``path`` percent-decoded once as
UTF-8, ``raw_path`` as sent, header values as the bytes given, a repeated
header as repeated entries). Where it refuses or rewrites a path (no leading
slash; dot-segments, which it removes), the transport still carries the
request, and the scope's path fields are set to what a server builds from
the bytes on the wire (``django_adapter.scope_for``) before the app sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from corsguard._adapters.asgi import CorsMiddleware
from testprojects import contract
from testprojects.fastapi_app.app import create_app
from tests.matrix import django_adapter
from tests.matrix.model import Request, Result

FEATURES = ("view-policies", "plain-routing")
BASE_URL = "http://testserver"


def build(config: object) -> CorsMiddleware:
    assert isinstance(config, Mapping)
    # environ=None: the scenario's settings only, whatever CORSGUARD_* variables the shell has.
    return create_app(config, environ=None)


def _with_path_of(app: Any, scope_fields: Mapping[str, Any]) -> Any:
    """``app`` seeing the path fields a server would have built."""

    async def as_sent(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scope.update(scope_fields)
        await app(scope, receive, send)

    return as_sent


def _url(request: Request) -> httpx.URL | None:
    """The request's URL as httpx builds it, or None if httpx refuses or rewrites its path."""
    try:
        url = httpx.URL(BASE_URL).copy_with(raw_path=request.path.encode("latin-1"))
    except httpx.InvalidURL:
        return None
    return url if url.raw_path == request.path.encode("latin-1") else None


async def call(app: Any, request: Request) -> Result:
    url = _url(request)
    if url is None:
        scope = django_adapter.scope_for(request)
        app = _with_path_of(app, {key: scope[key] for key in ("path", "raw_path", "query_string")})
        url = httpx.URL(BASE_URL + "/")
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in request.headers]
    if request.cookies:
        cookie = "; ".join(f"{name}={value}" for name, value in request.cookies.items())
        headers.append((b"cookie", cookie.encode("latin-1")))
    # raise_app_exceptions=False: an unhandled exception is answered 500, as a server answers it.
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport) as client:
        answer = await client.send(client.build_request(request.method, url, headers=headers))
    pairs = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in answer.headers.raw]
    return Result(answer.status_code, pairs, answer.content, bool(contract.VIEW_CALLS))


def send(app: CorsMiddleware, request: Request) -> Result:
    return django_adapter.run_coroutine(call(app, request))
