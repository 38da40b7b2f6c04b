"""A forward HTTP proxy for the peers: they build their crafted origins from
the URL's host, so each is given ``http://app.example.com/<entry>/api/items``
(the host the corpus trusts, no port) with ``HTTP_PROXY`` pointing here, and
this proxy sends the request, header lines untouched, to the entry's port
with ``/<entry>`` taken off the path. Every response header line is relayed
as received. Any other host gets a 502 (nothing leaves the machine)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOST = "app.example.com"
PORT = 18795
_HOP = {"proxy-connection", "connection", "keep-alive", "transfer-encoding"}


def _handler(ports: dict[str, int]) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:
            return

        def forward(self) -> None:
            parts = urlsplit(self.path)
            name, _, rest = parts.path.lstrip("/").partition("/")
            if (parts.hostname or "").lower() != HOST or name not in ports:
                self.send_error(502, "not a corpus entry")
                return
            target = "/" + rest + (f"?{parts.query}" if parts.query else "")
            upstream = http.client.HTTPConnection("127.0.0.1", ports[name], timeout=10)
            try:
                upstream.putrequest(self.command, target, skip_host=True, skip_accept_encoding=True)
                for key, value in self.headers.items():
                    if key.lower() not in _HOP:
                        upstream.putheader(key, value)
                upstream.endheaders()
                response = upstream.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.send_error(502, "the entry did not answer")
                return
            finally:
                upstream.close()
            self.send_response_only(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = do_PATCH = forward

    return Forward


@contextmanager
def running(ports: dict[str, int], port: int = PORT) -> Iterator[str]:
    """The proxy's URL, for HTTP_PROXY; stopped after."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(ports))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
