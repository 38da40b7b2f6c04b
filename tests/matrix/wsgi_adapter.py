"""The matrix's WSGI adapter: a request becomes a PEP 3333 environ."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from wsgiref.util import setup_testing_defaults

from corsguard import RequestFacts
from corsguard._engine.facts import wsgi_routed_path
from testprojects import contract, wsgi_app
from tests.matrix.model import Request, Result

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


def environ_for(request: Request) -> dict[str, Any]:
    """What a WSGI server hands the app: PATH_INFO percent-decoded once, as
    latin-1 text of the bytes; repeated headers joined by ", "."""
    path, _, query = request.path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": unquote(path, encoding="latin-1"),
        "QUERY_STRING": query,
    }
    setup_testing_defaults(environ)
    names = {name.lower() for name, _ in request.headers}
    for name in names:
        value = request.header(name)
        assert value is not None
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    if request.cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in request.cookies.items())
    return environ


def facts_for(request: Request) -> RequestFacts:
    """The facts the WSGI middleware would read from this request's environ."""
    environ = environ_for(request)
    return RequestFacts.from_environ(environ, wsgi_routed_path(environ))


def call(app: WSGIApplication, environ: dict[str, Any]) -> Result:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = headers
        return lambda data: None

    body_iter: Iterable[bytes] = app(environ, start_response)
    try:
        body = b"".join(body_iter)
    finally:
        close = getattr(body_iter, "close", None)
        if close is not None:
            close()
    return Result(captured["status"], list(captured["headers"]), body, bool(contract.VIEW_CALLS))


def build(config: object) -> WSGIApplication:
    assert isinstance(config, dict)
    return wsgi_app.create_app(config)


def send(app: WSGIApplication, request: Request) -> Result:
    return call(app, environ_for(request))
