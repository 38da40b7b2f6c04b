"""Run applications on loopback, in threads, recording every exchange.

The Chromium suite and the demo both need the same thing: the test projects
served on 127.0.0.1, and a record of each request and response as it crossed
the wire, so that corsguard's browser model can be fed exactly what the
browser received and compared with what the browser concluded.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

WSGIApplicationType = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]

_RECORDED_REQUEST_HEADERS = (
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-request-private-network",
    "cookie",
)


@dataclass
class Exchange:
    """One request and its response, as they crossed the wire."""

    method: str
    path: str
    query: str
    request_headers: dict[str, str]
    status: int = 0
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "request_headers": self.request_headers,
            "status": self.status,
            "response_headers": self.response_headers,
            "at": self.at,
        }


class Recorder:
    """A thread-safe log of exchanges, for one server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    def all(self) -> list[Exchange]:
        with self._lock:
            return list(self._exchanges)

    def clear(self) -> None:
        with self._lock:
            self._exchanges.clear()

    def matching(self, method: str, path: str, query: str = "") -> list[Exchange]:
        return [e for e in self.all() if e.method == method and e.path == path and (not query or e.query == query)]


def recording_wsgi(app: WSGIApplication, recorder: Recorder) -> WSGIApplication:
    """Wrap a WSGI app so each exchange lands in ``recorder``."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        exchange = Exchange(
            environ.get("REQUEST_METHOD", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            {
                name: environ["HTTP_" + name.upper().replace("-", "_")]
                for name in _RECORDED_REQUEST_HEADERS
                if "HTTP_" + name.upper().replace("-", "_") in environ
            },
        )

        def recording_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            exchange.status = int(status.split(" ", 1)[0])
            exchange.response_headers = list(headers)
            # Filed before the response leaves, so whoever received it can
            # already find it here.
            recorder.add(exchange)
            return start_response(status, headers, exc_info)

        return app(environ, recording_start)

    return wrapped


def recording_asgi(app: ASGIApp, recorder: Recorder) -> ASGIApp:
    """Wrap an ASGI app so each HTTP exchange lands in ``recorder``."""

    async def wrapped(
        scope: MutableMapping[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        exchange = Exchange(
            scope["method"],
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            {name: headers[name] for name in _RECORDED_REQUEST_HEADERS if name in headers},
        )

        async def recording_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.response_headers = [
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])
                ]
                recorder.add(exchange)
            await send(message)

        await app(scope, receive, recording_send)

    return wrapped


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Running:
    """A server running in a background thread."""

    name: str
    port: int
    recorder: Recorder
    stop: Callable[[], None]

    def url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}"


def serve_wsgi(name: str, app: WSGIApplication, port: int = 0, host: str = "127.0.0.1") -> Running:
    recorder = Recorder()
    server = make_server(
        host, port, recording_wsgi(app, recorder), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{name}", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return Running(name, server.server_port, recorder, stop)


def serve_asgi(name: str, app: ASGIApp, port: int = 0, host: str = "127.0.0.1") -> Running:
    """Serve an ASGI app with uvicorn in a thread (the 'browser' extra)."""
    import socket  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    recorder = Recorder()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(recording_asgi(app, recorder), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])), name=f"serve-{name}", daemon=True
    )
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.01)
    if not server.started:
        raise RuntimeError(f"uvicorn did not start for {name}")

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()

    return Running(name, sock.getsockname()[1], recorder, stop)
