"""A plain WSGI application implementing ``testprojects.contract``, wrapped
by ``corsguard._adapters.wsgi.CorsMiddleware``: the WSGI adapter's test subject and
the smallest real example of using corsguard.

Run it: ``python -m testprojects.wsgi_app`` (serves on 127.0.0.1:8000).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING
from wsgiref.simple_server import make_server

from corsguard import PathRules
from corsguard._adapters.wsgi import CorsMiddleware
from testprojects import contract

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Headers = list[tuple[str, str]]

_STATUS = {
    200: "200 OK",
    301: "301 Moved Permanently",
    308: "308 Permanent Redirect",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    500: "500 Internal Server Error",
}


def _respond(start_response: StartResponse, status: int, body: bytes, headers: Headers | None = None) -> list[bytes]:
    extra = headers or []
    all_headers = [("Content-Length", str(len(body))), *extra]
    if not any(name.lower() == "content-type" for name, _ in extra):
        all_headers.insert(0, ("Content-Type", "text/plain; charset=utf-8"))
    start_response(_STATUS[status], all_headers)
    return [body]


def _stream() -> Iterator[bytes]:
    yield from contract.STREAM_CHUNKS


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


def _items(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("items")
    return _respond(
        start_response,
        200,
        contract.ITEMS_JSON,
        [("Content-Type", "application/json"), ("X-Total-Count", contract.TOTAL_COUNT)],
    )


def _vary(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("vary")
    return _respond(start_response, 200, b"vary", [("Vary", "Accept-Encoding")])


def _own_cors(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("own-cors")
    return _respond(start_response, 200, b"own", [("Access-Control-Allow-Origin", contract.OWN_ACAO)])


def _own_expose(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("own-expose")
    return _respond(start_response, 200, b"own", [("Access-Control-Expose-Headers", contract.OWN_EXPOSE)])


def _streaming(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("stream")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return _stream()


def _cookies(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("cookies")
    return _respond(start_response, 200, b"cookies", [("Set-Cookie", cookie) for cookie in contract.COOKIES])


def _missing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("missing")
    raise NotFound


def _forbidden(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("forbidden")
    raise Forbidden


def _boom(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("boom")
    raise RuntimeError("boom")


def _private(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    contract.record("private")
    return _respond(start_response, 200, json.dumps({"user": "alice"}).encode())


def _plain(name: str) -> WSGIApplication:
    def view(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        contract.record(name)
        return _respond(start_response, 200, name.encode())

    return view


ROUTES: list[tuple[re.Pattern[str], WSGIApplication]] = [
    (re.compile(r"/api/items"), _items),
    (re.compile(r"/api/vary"), _vary),
    (re.compile(r"/api/own-cors"), _own_cors),
    (re.compile(r"/api/own-expose"), _own_expose),
    (re.compile(r"/api/stream"), _streaming),
    (re.compile(r"/api/cookies"), _cookies),
    (re.compile(r"/api/missing"), _missing),
    (re.compile(r"/api/forbidden"), _forbidden),
    (re.compile(r"/api/boom"), _boom),
    (re.compile(r"/api/private"), _private),
    (re.compile(r"/api/slash/"), _plain("slash")),
    (re.compile(r"/public/.+"), _plain("public")),
    (re.compile(r"/api/v1/users/[^/]+"), _plain("user")),
]


def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A tiny framework: routing, a redirect to the slashed path, an auth
    gate on /api/private, and exceptions turned into error responses."""
    path = environ.get("PATH_INFO", "")
    if path == "/api/login" and environ.get("REQUEST_METHOD") == "POST":
        # A session of sorts: the cookie the auth gate below looks for.
        cookie = f"{contract.LOGIN_COOKIE}=1; Path=/; HttpOnly; SameSite=Lax"
        return _respond(start_response, 200, b'{"user": "alice"}', [("Set-Cookie", cookie)])
    if path == "/api/slash":
        return _respond(start_response, 308, b"", [("Location", "/api/slash/")])
    if path == "/api/private" and contract.LOGIN_COOKIE not in environ.get("HTTP_COOKIE", ""):
        return _respond(start_response, 401, b"login required")
    for pattern, view in ROUTES:
        if pattern.fullmatch(path):
            try:
                return view(environ, start_response)
            except NotFound:
                return _respond(start_response, 404, b"not found")
            except Forbidden:
                return _respond(start_response, 403, b"forbidden")
            except Exception:
                return _respond(start_response, 500, b"server error")
    return _respond(start_response, 404, b"not found")


def create_app(
    settings: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> WSGIApplication:
    """The application behind corsguard; settings in the shared vocabulary."""
    rules = PathRules.from_mapping(settings or {}, env=environ)
    return CorsMiddleware(application, rules)


def main() -> None:
    host, port = "127.0.0.1", int(os.environ.get("PORT", "8000"))
    settings = {
        "ALLOWED_ORIGINS": ["http://localhost:3000", "http://127.0.0.1:3000"],
        "EXPOSE_HEADERS": ["x-total-count"],
    }
    app = create_app(settings, environ=os.environ)
    print(f"corsguard WSGI example on http://{host}:{port}/api/items", file=sys.stderr)
    print(f"try: curl -i -H 'Origin: http://localhost:3000' http://{host}:{port}/api/items", file=sys.stderr)
    with make_server(host, port, app) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
