"""Servers that misbehave for ``corsguard scan --input``: one that never
answers, a 10 MB body, a redirect loop. Loopback only, ports from issue
17's range (18700-18799), each stopped by its owner."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from tests.cli import misconfigured

SILENT_PORT = 0  # any free port: tox runs environments in parallel
BIG_BODY = 10 * 1024 * 1024


class Silent:
    """Accepts connections and never says a word (closed by ``stop``)."""

    def __init__(self, port: int = SILENT_PORT) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(connection)

    def stop(self) -> None:
        self.sock.close()
        for connection in self.held:
            connection.close()


def awkward(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """/big: 10 MB after correct CORS headers; /loop: redirects to itself; anything else: hand_written."""
    path = environ.get("PATH_INFO", "")
    if path == "/big":
        origin = environ.get("HTTP_ORIGIN")
        lines = [("Content-Length", str(BIG_BODY))]
        if origin == misconfigured.TRUSTED:
            lines += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        start_response("200 OK", lines)
        return (b"x" * (1 << 20) for _ in range(10))
    if path == "/loop":
        start_response("301 Moved Permanently", [("Location", "/loop"), ("Content-Length", "0")])
        return [b""]
    return misconfigured.hand_written(environ, start_response)
