"""The applications the proofs serve under gunicorn (``tests.proofs.apps:<name>``).

Each is built on first use (PEP 562 ``__getattr__``), so gunicorn importing
one never builds another (Django's set-up, say). The configuration comes from
the environment the proof starts gunicorn with: ``PROOF_CORSGUARD`` holds the
settings as JSON, in corsguard's upper-case vocabulary.

Two are broken on purpose, to show that each proof's counts can fail:
``leaky`` sends the previous request's origin (shared state under threads),
and ``no_vary`` reflects the Origin but forgets ``Vary: Origin``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

Start = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], Start], Iterable[bytes]]
BODY = b'{"items": [1, 2, 3]}'
CACHEABLE = [("Content-Type", "application/json"), ("Cache-Control", "public, max-age=600")]


def settings() -> dict[str, Any]:
    return dict(json.loads(os.environ.get("PROOF_CORSGUARD", "{}")))


def _flask() -> WSGIApp:
    from testprojects.flask_project.app import create_app  # noqa: PLC0415

    return create_app({f"CORSGUARD_{key}": value for key, value in settings().items()}, env={})


def _django() -> WSGIApp:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testprojects.django_project.settings")
    import django  # noqa: PLC0415
    from django.core.handlers.wsgi import WSGIHandler  # noqa: PLC0415

    django.setup()
    return WSGIHandler()  # its settings come from CORSGUARD_* variables (the one environment rule)


def _cached_items(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
    """A public, cacheable JSON answer, the same for everyone."""
    start_response("200 OK", [*CACHEABLE, ("Content-Length", str(len(BODY)))])
    return [BODY]


def _cacheable() -> WSGIApp:
    from corsguard import PathRules  # noqa: PLC0415
    from corsguard._adapters.wsgi import CorsMiddleware  # noqa: PLC0415

    return CorsMiddleware(_cached_items, PathRules.from_mapping(settings()))


SEEN = ("REQUEST_METHOD", "PATH_INFO", "HTTP_ORIGIN", "HTTP_ACCESS_CONTROL_REQUEST_METHOD",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK")  # fmt: skip


def _seen() -> WSGIApp:
    """corsguard's WSGI middleware with, outside it, what the server handed over (the environ's
    CORS values) sent back as ``X-Seen``, JSON in ASCII: the raw-byte proof judges on that."""
    inner = _cacheable()

    def app(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        seen = json.dumps({key: environ[key] for key in SEEN if key in environ})

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("X-Seen", seen)], exc_info)

        return inner(environ, start)

    return app


def _no_vary() -> WSGIApp:
    """A hand-written CORS layer that reflects allowed origins and forgets Vary."""
    allowed = set(settings().get("ALLOWED_ORIGINS", []))

    def app(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        headers = [*CACHEABLE, ("Content-Length", str(len(BODY)))]
        if origin in allowed:
            headers += [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
        start_response("200 OK", headers)
        return [BODY]

    return app


def _leaky() -> WSGIApp:
    """A CORS layer with shared state: it answers with the previous request's origin."""
    last: list[str | None] = [None]

    def app(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        origin, last[0] = last[0], environ.get("HTTP_ORIGIN")
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY))), ("Vary", "Origin")]
        if origin is not None:
            headers.append(("Access-Control-Allow-Origin", origin))
        start_response("200 OK", headers)
        return [BODY]

    return app


def _raising() -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        raise RuntimeError("an application that fails every request")

    return app


_FACTORIES: dict[str, Callable[[], WSGIApp]] = {
    "flask": _flask,
    "django": _django,
    "cacheable": _cacheable,
    "seen": _seen,
    "no_vary": _no_vary,
    "leaky": _leaky,
    "raising": _raising,
}
_built: dict[str, WSGIApp] = {}


def __getattr__(name: str) -> WSGIApp:
    if name not in _FACTORIES:
        raise AttributeError(name)
    if name not in _built:
        _built[name] = _FACTORIES[name]()
    return _built[name]
