"""Deliberately misconfigured servers for ``corsguard scan``, each on loopback.

Hand-written CORS code as people write it (one WSGI app, one path per
mistake), the real peers set up the common wrong way (django-cors-headers
with CORS_ALLOW_ALL_ORIGINS and credentials under gunicorn, flask-cors with
supports_credentials and its default origins), and nginx adding its own ACAO
in front of a correct corsguard app. Every server is stopped by its owner:
threads by ``Running.stop``, processes by pid (tests/proofs/servers.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

TRUSTED = "https://app.example.com"
Headers = list[tuple[str, str]]
# (origin or None, method) -> (status, CORS headers); the body is always "{}".
Behaviour = Callable[[str | None, str], tuple[int, Headers]]

_UNESCAPED = re.compile(r"^https://app.example.com$")  # the mistake: "." is any character
_GITHUB_PAGES = re.compile(r"^https://[a-z0-9-]+\.github\.io$")


def _echo(origin: str | None, ok: bool, *extra: tuple[str, str], vary: bool = True) -> Headers:
    lines: Headers = [("Vary", "Origin")] if vary else []
    if origin is not None and ok:
        lines += [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), *extra]
    return lines


def _host(origin: str | None) -> str:
    try:
        return urlsplit(origin or "").hostname or ""
    except ValueError:
        return ""


def _preflight_then(answer: tuple[int, Headers]) -> Behaviour:
    """A server whose GETs are right for TRUSTED and whose preflight answer is ``answer``."""

    def behaviour(origin: str | None, method: str) -> tuple[int, Headers]:
        if method == "OPTIONS":
            return answer
        return 200, _echo(origin, origin == TRUSTED)

    return behaviour


_PREFLIGHT_OK = (("Access-Control-Allow-Methods", "GET, PUT"),)
_LOCAL = ("http://localhost:3000", "http://127.0.0.1:8080", "http://192.168.1.10")


def _any_preflight(origin: str | None, method: str) -> tuple[int, Headers]:
    """B15: the actual response is checked, the preflight echoes anyone: the PUT is sent with cookies."""
    if method == "OPTIONS":
        return 204, _echo(origin, True, *_PREFLIGHT_OK, ("Access-Control-Allow-Headers", "authorization, content-type"))
    return 200, _echo(origin, origin == TRUSTED)


# path -> behaviour; tests/cli/test_scan_misconfigured.py says which code each must produce.
BEHAVIOURS: dict[str, Behaviour] = {
    # A hand-written middleware: echo whatever Origin says, credentials on, no Vary.
    "/reflect-no-vary": lambda o, m: (200, _echo(o, True, vary=False)),
    # Vary written only next to the ACAO it explains, on a cacheable answer: a shared cache stores the refusal.
    "/vary-when-allowed": lambda o, m: (
        200,
        [("Cache-Control", "public, max-age=300"), *_echo(o, o == TRUSTED, ("Vary", "Origin"), vary=False)],
    ),
    "/unescaped-dot": lambda o, m: (200, _echo(o, bool(o and _UNESCAPED.match(o)))),
    "/null": lambda o, m: (200, _echo(o, o in (TRUSTED, "null"))),
    "/ends-with": lambda o, m: (200, _echo(o, bool(o and o.endswith("app.example.com")))),
    "/starts-with": lambda o, m: (200, _echo(o, bool(o and o.startswith(TRUSTED)))),
    "/subdomains": lambda o, m: (200, _echo(o, o == TRUSTED or _host(o).endswith(".app.example.com"))),
    "/host-in": lambda o, m: (200, _echo(o, bool(_host(o)) and _host(o) in "app.example.com")),
    "/http-twin": lambda o, m: (200, _echo(o, o in (TRUSTED, "http://app.example.com"))),
    "/github-pages": lambda o, m: (200, _echo(o, o == TRUSTED or bool(o and _GITHUB_PAGES.match(o)))),
    "/decoded": lambda o, m: (200, _echo(unquote(o or ""), (o or "").startswith("https://evil.example"))),
    "/star-credentials": lambda o, m: (
        200,
        [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")],
    ),
    "/two-layers": lambda o, m: (200, [*_echo(o, o == TRUSTED), ("Access-Control-Allow-Origin", "*")]),
    "/preflight-redirect": _preflight_then((301, [("Location", "/preflight-redirect/")])),
    "/preflight-405": _preflight_then((405, [("Allow", "GET")])),
    "/preflight-401": _preflight_then((401, _echo(TRUSTED, True, *_PREFLIGHT_OK))),
    "/star-headers": _preflight_then(
        (204, _echo(TRUSTED, True, *_PREFLIGHT_OK, ("Access-Control-Allow-Headers", "*")))
    ),
    # B15: the new probes' holes.
    "/preflight-any-origin": _any_preflight,
    "/localhost-allowed": lambda o, m: (200, _echo(o, o == TRUSTED or o in _LOCAL)),
    # Reflection without credentials: readable, but only what a cookie-less request gets anyway (info).
    "/reflect-without-credentials": lambda o, m: (200, [("Vary", "Origin"), ("Access-Control-Allow-Origin", o or "")]),
    # Correct, and must scan clean (B15 precision): one fixed front-end for every caller needs no Vary;
    # Vary only on allowed answers is harmless when no shared cache stores the refusal.
    "/fixed-acao": lambda o, m: (
        200,
        [
            ("Access-Control-Allow-Origin", TRUSTED),
            ("Access-Control-Allow-Credentials", "true"),
            *_PREFLIGHT_OK,
            ("Access-Control-Allow-Headers", "authorization"),
        ],
    ),
    "/vary-when-allowed-uncached": lambda o, m: (
        200,
        [("Cache-Control", "no-store"), *_echo(o, o == TRUSTED, ("Vary", "Origin"), vary=False)],
    ),
    "/max-age": _preflight_then(
        (
            204,
            _echo(
                TRUSTED,
                True,
                *_PREFLIGHT_OK,
                ("Access-Control-Allow-Headers", "authorization"),
                ("Access-Control-Max-Age", "31536000"),
            ),
        )
    ),
}

_REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 401: "Unauthorized", 405: "Method Not Allowed"}


def hand_written(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Every hand-written mistake, one per path; headers go out as the behaviour wrote them."""
    behaviour = BEHAVIOURS.get(environ.get("PATH_INFO", ""))
    if behaviour is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    status, lines = behaviour(environ.get("HTTP_ORIGIN"), environ.get("REQUEST_METHOD", "GET"))
    body = b"" if status == 204 else b"{}"
    start_response(f"{status} {_REASONS[status]}", [*lines, ("Content-Length", str(len(body)))])
    return [body]


def flask_cors_app() -> Any:
    """flask-cors as its README starts it, with credentials: default origins ("*")."""
    from flask import Flask  # noqa: PLC0415
    from flask_cors import CORS  # noqa: PLC0415

    app = Flask("misconfigured_flask_cors")

    @app.get("/api/items")
    def items() -> dict[str, list[int]]:
        return {"items": [1, 2, 3]}

    CORS(app, supports_credentials=True)
    return app


def django_cors_headers_app() -> Any:
    """django-cors-headers with CORS_ALLOW_ALL_ORIGINS and credentials, for
    gunicorn in a process of its own (Django's settings are per process):
    ``tests.cli.misconfigured:django_cors_headers_app()``."""
    import django  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415

    settings.configure(
        DEBUG=False,
        SECRET_KEY="misconfigured-for-corsguard-scan",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["corsheaders"],
        MIDDLEWARE=["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"],
        CORS_ALLOW_ALL_ORIGINS=True,
        CORS_ALLOW_CREDENTIALS=True,
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415

    return get_wsgi_application()


def _items(request: Any) -> Any:
    from django.http import JsonResponse  # noqa: PLC0415

    return JsonResponse({"items": [1, 2, 3]})


def __getattr__(name: str) -> Any:
    """Django reads ``urlpatterns`` from ROOT_URLCONF only inside the gunicorn process."""
    if name == "urlpatterns":
        from django.urls import path  # noqa: PLC0415

        return [path("api/items", _items)]
    raise AttributeError(name)
