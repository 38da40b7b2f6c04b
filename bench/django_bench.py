"""Django: what corsguard_django and django-cors-headers add to the same minimal app.

One JSON view, called directly through Django's ``WSGIHandler`` (no server,
no test client), bare, with corsguard and with django-cors-headers 4.9, in
the same run. "Added" is the time for a request minus the time the bare app
takes for the *same* request (for a preflight, the view answering OPTIONS),
so a negative figure means the CORS layer answered faster than the app.

Targets (issue 3): at most 10 µs added for an allowed GET and for a
preflight, flat as the origin list grows.

Run: ``python -m bench.django_bench`` (or ``python -m bench.run --only django_bench``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any
from unittest import mock

import django
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path

from bench.common import (
    CASE_NAMES,
    Table,
    added_us,
    call_wsgi,
    origins,
    per_call_us,
    standard_requests,
    us,
    wsgi_environ,
)

CORSGUARD_MIDDLEWARE = "corsguard_django.middleware.CorsGuardMiddleware"
CORS_HEADERS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
# One floor for every Django bench: the realistic shapes' (sync and async, Vary merged).
FLOOR_MIDDLEWARE = "bench.django_shapes.FloorMiddleware"


def items(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"items": [1, 2, 3]})


def urlconf(*patterns: Any) -> ModuleType:
    """A URLconf defined here rather than in a file of its own (Django caches
    resolvers by URLconf, so it must be hashable: a module object is)."""
    module = ModuleType("bench_urls")
    module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return module


def _configure() -> None:
    """Django is configured once per process; cases differ by override_settings."""
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["corsguard_django", "corsheaders"],
        MIDDLEWARE=[],
        ROOT_URLCONF=urlconf(path("api/items", items)),
        USE_TZ=True,
    )
    django.setup()


def _regexes(count: int) -> list[str]:
    return [rf"https://[a-z0-9-]+\.r{i}\.example\.com" for i in range(count)]


# (label, corsguard's CORSGUARD, django-cors-headers' settings, the origin the last entry allows)
CONFIGS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "1 exact origin",
        {"ALLOWED_ORIGINS": origins(1)},
        {"CORS_ALLOWED_ORIGINS": origins(1)},
        origins(1)[-1],
    ),
    (
        "1,000 exact origins",
        {"ALLOWED_ORIGINS": origins(1000)},
        {"CORS_ALLOWED_ORIGINS": origins(1000)},
        origins(1000)[-1],
    ),
    (
        "10,000 exact origins",
        {"ALLOWED_ORIGINS": origins(10_000)},
        {"CORS_ALLOWED_ORIGINS": origins(10_000)},
        origins(10_000)[-1],
    ),
    (
        "1,000 regexes",
        {"ORIGIN_REGEXES": _regexes(1000)},
        {"CORS_ALLOWED_ORIGIN_REGEXES": [rf"^{regex}$" for regex in _regexes(1000)]},
        "https://app.r999.example.com",
    ),
]


def requests(origin: str) -> list[tuple[str, dict[str, Any], str]]:
    """(label, environ, what the CORS layer must answer) for each request kind."""
    expected = (origin, origin, "", "")
    return list(zip(CASE_NAMES, standard_requests(origin), expected, strict=True))


@contextmanager
def handler(middleware: list[str], **overrides: Any) -> Iterator[Callable[..., Any]]:
    """A fresh WSGIHandler with ``middleware``, under ``overrides``, for the
    duration of the block (django-cors-headers reads settings per request)."""
    from django.core.handlers.wsgi import WSGIHandler  # noqa: PLC0415
    from django.test import override_settings  # noqa: PLC0415

    with override_settings(MIDDLEWARE=middleware, **overrides):
        yield WSGIHandler()


def acao(app: Callable[..., Any], environ: dict[str, Any]) -> str:
    """The ACAO the app answers with ("" if none): each case is checked once
    before it is timed, so a misconfigured case cannot produce a figure."""
    found: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        found.extend(value for name, value in headers if name.lower() == "access-control-allow-origin")

    body = app(dict(environ), start_response)
    close = getattr(body, "close", None)
    if close is not None:
        close()
    return found[0] if found else ""


def _measure(cors: Callable[..., Any], bare: Callable[..., Any], environ: dict[str, Any], repeat: int) -> float:
    added, _ = added_us(lambda: call_wsgi(cors, environ), lambda: call_wsgi(bare, environ), repeat=repeat)
    return added


def floor_table(repeat: int) -> Table:
    """corsguard against the floor on an allowed GET, measured directly in
    alternating rounds (corsguard minus floor), so the difference is not the
    difference of two noisy figures. Target (issue 9): within 3 µs."""
    table = Table(
        "Django: corsguard against the floor, allowed GET (direct WSGI calls)",
        ["floor over bare", "corsguard over bare", "corsguard over floor"],
    )
    for label, corsguard_settings, _, origin in CONFIGS:
        environ = wsgi_environ(HTTP_ORIGIN=origin)
        with (
            handler([]) as bare,
            handler([FLOOR_MIDDLEWARE]) as floor,
            handler([CORSGUARD_MIDDLEWARE], CORSGUARD=corsguard_settings) as guarded,
        ):
            assert acao(floor, environ) == acao(guarded, environ) == origin
            floor_added = _measure(floor, bare, environ, repeat)
            guarded_added = _measure(guarded, bare, environ, repeat)
            over_floor = _measure(guarded, floor, environ, repeat)
        table.add(label, signed(floor_added), signed(guarded_added), signed(over_floor))
    table.notes.append(
        "The floor sets Access-Control-Allow-Origin and Vary with Django's own response[...] = ... and checks "
        "nothing. Each column is a median of alternating rounds of the two apps it compares."
    )
    return table


def run(quick: bool = False) -> list[Table]:
    _configure()
    repeat = 1 if quick else 9
    clean_env = {name: value for name, value in os.environ.items() if not name.startswith("CORSGUARD_")}
    with mock.patch.dict(os.environ, clean_env, clear=True):
        return [floor_table(repeat), peers_table(repeat)]


def peers_table(repeat: int) -> Table:
    table = Table(
        "Django 5.2: added per request over the bare app (direct WSGI calls)",
        ["bare app", "corsguard_django", "django-cors-headers 4.9"],
    )
    for label, corsguard_settings, cors_headers_settings, origin in CONFIGS:
        for kind, environ, wanted in requests(origin):
            with handler([]) as bare:
                with handler([CORSGUARD_MIDDLEWARE], CORSGUARD=corsguard_settings) as guarded:
                    assert acao(guarded, environ) == wanted, (label, kind, "corsguard")
                    guarded_added = _measure(guarded, bare, environ, repeat)
                with handler([CORS_HEADERS_MIDDLEWARE], **cors_headers_settings) as peer:
                    assert acao(peer, environ) == wanted, (label, kind, "django-cors-headers")
                    peer_added = _measure(peer, bare, environ, repeat)
                table.add(f"{label}, {kind}", _bare(bare, environ), signed(guarded_added), signed(peer_added))
    table.add(*_decorated_row(repeat))
    table.notes.append(
        "Medians of alternating bare/with-CORS rounds. The last row has a @cors_policy view in the URLconf, "
        "which makes corsguard resolve each path (cached per path)."
    )
    return table


def signed(value: float) -> str:
    return ("+" if value >= 0 else "−") + us(abs(value))


def _bare(bare: Callable[..., Any], environ: dict[str, Any]) -> str:
    return us(per_call_us(lambda: call_wsgi(bare, environ), repeat=3))


def _decorated_row(repeat: int) -> tuple[str, str, str, str]:
    from corsguard_django.decorators import cors_policy  # noqa: PLC0415

    other = cors_policy(max_age=0)(items)
    routes = urlconf(path("api/items", items), path("api/other", other))
    origin = origins(1)[-1]
    environ = wsgi_environ(HTTP_ORIGIN=origin)
    with (
        handler([], ROOT_URLCONF=routes) as bare,
        handler([CORSGUARD_MIDDLEWARE], ROOT_URLCONF=routes, CORSGUARD={"ALLOWED_ORIGINS": [origin]}) as guarded,
    ):
        assert acao(guarded, environ) == origin
        added = _measure(guarded, bare, environ, repeat)
        return ("1 exact origin + a @cors_policy view, allowed GET", _bare(bare, environ), signed(added), "n/a")


if __name__ == "__main__":
    for table in run():
        print(table.markdown(), end="\n\n")
