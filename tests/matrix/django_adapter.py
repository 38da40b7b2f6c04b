"""The matrix's Django adapter: the test project behind Django's own handlers.

Sync requests go through ``WSGIHandler`` with the environ a WSGI server
builds (``wsgi_adapter.environ_for``: PATH_INFO percent-decoded once as
latin-1 text of the bytes, repeated headers joined by ", "). Async requests
go through ``ASGIHandler`` with the scope an ASGI server builds: ``path``
percent-decoded once as UTF-8, ``raw_path`` as sent, headers as a list of
byte pairs, a repeated header as repeated entries (Django joins them).

Build each app inside ``override_settings(CORSGUARD=scenario.config)``;
``build_*`` makes a fresh handler, so middleware is loaded (and the
configuration compiled) anew for every scenario.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import unquote

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler

from testprojects import contract
from tests.matrix import wsgi_adapter
from tests.matrix.model import Request, Result

ASGIMessage = dict[str, Any]
T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own, like a server's event loop: the
    test process's main thread may already run a loop (a browser driver's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def build_wsgi(config: object) -> WSGIHandler:
    """What ``testprojects.django_project.wsgi:application`` is, built anew."""
    return WSGIHandler()


def send_wsgi(app: WSGIHandler, request: Request) -> Result:
    return wsgi_adapter.call(app, wsgi_adapter.environ_for(request))


def build_asgi(config: object) -> ASGIHandler:
    """What ``testprojects.django_project.asgi:application`` is, built anew."""
    return ASGIHandler()


def scope_for(request: Request) -> dict[str, Any]:
    raw_path, _, query = request.path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    # Header values are the bytes on the wire; latin-1 maps them one to one.
    headers.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers)
    if request.cookies:
        cookie = "; ".join(f"{name}={value}" for name, value in request.cookies.items())
        headers.append((b"cookie", cookie.encode("latin-1")))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


async def call_asgi(app: ASGIHandler, scope: dict[str, Any]) -> Result:
    sent: list[ASGIMessage] = []
    received = False
    never = asyncio.get_running_loop().create_future()

    async def receive() -> ASGIMessage:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        # The client stays connected; Django cancels this wait when done.
        await never
        return {"type": "http.disconnect"}

    async def send(message: ASGIMessage) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in start["headers"]]
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return Result(start["status"], headers, body, bool(contract.VIEW_CALLS))


def send_asgi(app: ASGIHandler, request: Request) -> Result:
    return run_coroutine(call_asgi(app, scope_for(request)))
