"""Hand-made CORS code, one mistake (or one correct idiom) per entry, built
for a trusted front-end given at start: the way people write it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

Headers = list[tuple[str, str]]
Behaviour = Callable[[str | None, str], tuple[int, Headers]]
_REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 401: "Unauthorized", 405: "Method Not Allowed"}
_METHODS = ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
_HEADERS = ("Access-Control-Allow-Headers", "authorization, content-type")
_LOCAL = ("http://localhost:3000", "http://127.0.0.1:8080")
_PRIVATE = re.compile(r"^http://(192\.168|10)\.\d+\.\d+(\.\d+)?(:\d+)?$")


def _host(origin: str | None) -> str:
    try:
        return urlsplit(origin or "").hostname or ""
    except ValueError:
        return ""


def _allow(origin: str | None, ok: bool, *extra: tuple[str, str], vary: bool = True, creds: bool = True) -> Headers:
    lines: Headers = [("Vary", "Origin")] if vary else []
    if origin is not None and ok:
        lines.append(("Access-Control-Allow-Origin", origin))
        lines += [("Access-Control-Allow-Credentials", "true")] if creds else []
        lines += list(extra)
    return lines


def _simple(accepts: Callable[[str | None], bool], **options: Any) -> Behaviour:
    """GETs and preflights alike: the origin's check decides, preflights get methods and headers."""

    def behaviour(origin: str | None, method: str) -> tuple[int, Headers]:
        extra = (_METHODS, _HEADERS) if method == "OPTIONS" else ()
        return (204 if method == "OPTIONS" else 200), _allow(origin, accepts(origin), *extra, **options)

    return behaviour


def _preflight(trusted: str, answer: tuple[int, Headers]) -> Behaviour:
    def behaviour(origin: str | None, method: str) -> tuple[int, Headers]:
        return answer if method == "OPTIONS" else (200, _allow(origin, origin == trusted))

    return behaviour


def behaviours(t: str) -> dict[str, Behaviour]:
    """name -> behaviour for the trusted origin ``t``."""
    host = _host(t)
    unescaped = re.compile("^" + t + "$")  # the mistake: "." is any character
    ok_preflight = (204, _allow(t, True, _METHODS, ("Access-Control-Allow-Headers", "authorization")))
    return {
        "reflect-any": _simple(lambda o: True, vary=False),
        "null-allowed": _simple(lambda o: o in (t, "null")),
        "ends-with": _simple(lambda o: bool(o) and str(o).endswith(host)),
        "starts-with": _simple(lambda o: bool(o) and str(o).startswith(t)),
        "unescaped-dot": _simple(lambda o: bool(o and unescaped.match(o))),
        "host-in": _simple(lambda o: bool(_host(o)) and _host(o) in host),
        "denylist-dot": _simple(lambda o: o == t or bool(o and re.match(re.escape(t) + r"[^a-z0-9.:/]", o))),
        "subdomains": _simple(lambda o: o == t or _host(o).endswith("." + host)),
        "github-pages": _simple(lambda o: o == t or bool(o and re.match(r"^https://[a-z0-9-]+\.github\.io$", o))),
        "localhost-allowed": _simple(lambda o: o in (t, *_LOCAL)),
        "private-network-allowed": _simple(lambda o: o == t or bool(o and _PRIVATE.match(o))),
        "decoded-origin": lambda o, m: (200, _allow(unquote(o or ""), o == t or "evil" in (o or ""))),
        "star-credentials": lambda o, m: (
            200, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")]
        ),
        "two-layers": lambda o, m: (200, [*_allow(o, o == t), ("Access-Control-Allow-Origin", "*")]),
        "no-vary-cached": lambda o, m: (
            200, [("Cache-Control", "max-age=600"), *_allow(o, o == t, vary=False)]
        ),
        "any-scheme": _simple(lambda o: _host(o) == host),
        # Correct (flask-cors's way with one origin): no Vary, but nothing a shared cache stores.
        "no-vary-uncached": _simple(lambda o: o == t, vary=False),
        "vary-only-when-allowed-cached": lambda o, m: (
            200, [("Cache-Control", "public, max-age=300"), *_allow(o, o == t, ("Vary", "Origin"), vary=False)]
        ),
        "preflight-echoes-anyone": lambda o, m: (
            (204, _allow(o, True, _METHODS, _HEADERS)) if m == "OPTIONS" else (200, _allow(o, o == t))
        ),
        "preflight-redirect": _preflight(t, (301, [("Location", "/elsewhere/")])),
        "preflight-405": _preflight(t, (405, [("Allow", "GET")])),
        "preflight-401": _preflight(t, (401, _allow(t, True, _METHODS))),
        "star-headers": _preflight(t, (204, _allow(t, True, _METHODS, ("Access-Control-Allow-Headers", "*")))),
        "max-age-year": _preflight(t, (204, [*ok_preflight[1], ("Access-Control-Max-Age", "31536000")])),
        "no-credentials-header": _simple(lambda o: o == t, creds=False),
        # Correct: must scan clean.
        "exact-allowlist": _simple(lambda o: o == t),
        "fixed-acao": lambda o, m: (
            200, [("Access-Control-Allow-Origin", t), ("Access-Control-Allow-Credentials", "true"), _METHODS,
                  ("Access-Control-Allow-Headers", "authorization")]
        ),
        "vary-only-when-allowed-uncached": lambda o, m: (
            200, [("Cache-Control", "no-store"), *_allow(o, o == t, ("Vary", "Origin"), vary=False)]
        ),
        "two-front-ends": _simple(lambda o: o in (t, "https://admin.example.com")),
        "public-wildcard": lambda o, m: (200, [("Access-Control-Allow-Origin", "*")]),
    }  # fmt: skip


def app(behaviour: Behaviour) -> Callable[..., Iterable[bytes]]:
    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status, lines = behaviour(environ.get("HTTP_ORIGIN"), environ.get("REQUEST_METHOD", "GET"))
        body = b"" if status == 204 else b"{}"
        start_response(f"{status} {_REASONS[status]}", [*lines, ("Content-Length", str(len(body)))])
        return [body]

    return wsgi
