"""One ASGI GET without any framework (tests/asgi's helpers need Starlette,
which Python 3.10's tox environment does not install)."""

from __future__ import annotations

import asyncio
from typing import Any


def get(app: Any, origin: str) -> dict[str, str]:
    """The response headers of ``GET /`` with ``Origin: origin``, names lower-cased."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"origin", origin.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    headers: dict[str, str] = {}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers.update({name.decode().lower(): value.decode() for name, value in message["headers"]})

    asyncio.run(app(scope, receive, send))
    return headers
