"""E004, E006 and W001: is the middleware installed, alone, and high enough?

Middleware above ``CorsGuardMiddleware`` sees each request first. Whatever
it answers itself never reaches corsguard: a preflight gets that answer
(a redirect, 401/403, 405) instead of corsguard's, and the response carries
no CORS headers, so the browser reports a CORS error instead of the real one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.utils.module_loading import import_string

from corsguard_django import MIDDLEWARE_PATH, conf
from corsguard_django.checks.common import PREFIX, error

# Middleware that can answer before the view, and what goes wrong for CORS
# when it sits above corsguard. Projects add theirs with the setting
# CORSGUARD_ANSWERING_MIDDLEWARE.
ANSWERING_MIDDLEWARE: dict[str, str] = {
    "django.contrib.auth.middleware.AuthenticationMiddleware": (
        "authentication then runs before corsguard on every preflight, and an authentication layer that refuses "
        "a request (401/403) refuses preflights too, which never carry cookies or Authorization"
    ),
    # LoginRequiredMiddleware and CsrfViewMiddleware answer from process_view,
    # which Django runs inside every middleware, so their answers do pass
    # through corsguard wherever it sits; a subclass that answers from its
    # request phase would not.
    "django.contrib.auth.middleware.LoginRequiredMiddleware": (
        "it sends anonymous requests to the login page (302) and browsers fail a redirected preflight; Django's "
        "own class answers from process_view, which corsguard still wraps, but a subclass that answers earlier "
        "escapes it"
    ),
    "django.contrib.auth.middleware.RemoteUserMiddleware": (
        "remote-user authentication then runs before corsguard, and a refusal it causes (401/403) reaches "
        "preflights, which never carry credentials"
    ),
    "django.middleware.csrf.CsrfViewMiddleware": (
        "its 403 'CSRF verification failed' answers must carry CORS headers, or the browser shows a CORS error "
        "instead of the 403; Django's own class answers from process_view, which corsguard still wraps, but a "
        "subclass that answers earlier escapes it"
    ),
    "django.middleware.common.CommonMiddleware": (
        "its APPEND_SLASH and PREPEND_WWW redirects (301) go out without CORS headers, and a redirected "
        "preflight fails in every browser"
    ),
    "django.middleware.locale.LocaleMiddleware": (
        "its redirects to language-prefixed URLs go out without CORS headers"
    ),
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware": (
        "the redirects it answers 404s with go out without CORS headers"
    ),
    "whitenoise.middleware.WhiteNoiseMiddleware": (
        "static files it serves (fonts, JSON, images for canvas) go out without CORS headers, and preflights "
        "to them get 405"
    ),
    "django.middleware.cache.UpdateCacheMiddleware": (
        "it caches responses after corsguard has added one origin's CORS headers, so they can be replayed"
    ),
    "django.middleware.cache.FetchFromCacheMiddleware": (
        "responses it serves from the cache skip corsguard and go out with missing or stale CORS headers"
    ),
    "django.middleware.cache.CacheMiddleware": (
        "responses it serves from the cache skip corsguard and go out with missing or stale CORS headers"
    ),
}
_GENERIC = "whatever it answers itself goes out without CORS headers, preflights included"

# Other CORS middleware: with corsguard in the same MIDDLEWARE, two layers
# write Access-Control-* headers on one response (B5.4 leaves the outer
# layer's lines alone), so which one the browser obeys depends on order.
OTHER_CORS_MIDDLEWARE: dict[str, str] = {
    "corsheaders.middleware.CorsMiddleware": "django-cors-headers",
}


def check_installation(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    position = next((index for index, entry in enumerate(middleware) if MIDDLEWARE_PATH in _names(entry)), None)
    if position is None:
        return [
            error(
                "E004",
                "'corsguard_django' is in INSTALLED_APPS but CorsGuardMiddleware is not in MIDDLEWARE, so no "
                "response gets CORS headers.",
                f"Add {MIDDLEWARE_PATH!r} at the top of MIDDLEWARE (or right after SecurityMiddleware).",
            )
        ]
    messages = _two_libraries(middleware)
    answering = dict(ANSWERING_MIDDLEWARE)
    answering.update(dict.fromkeys(_extra_answering(), _GENERIC))
    for entry in middleware[:position]:
        # The entry itself first: CacheMiddleware is also both of its bases.
        matched = entry if entry in answering else next((name for name in answering if name in _names(entry)), None)
        if matched is None:
            continue
        messages.append(
            Warning(
                f"CorsGuardMiddleware comes after {entry} in MIDDLEWARE. Requests that {entry} answers itself "
                f"never reach corsguard: {answering[matched]}.",
                hint=f"Move {MIDDLEWARE_PATH!r} above {entry!r}: first in MIDDLEWARE, or right after "
                "SecurityMiddleware.",
                id=PREFIX + "W001",
            )
        )
    return messages


def _two_libraries(middleware: list[str]) -> list[CheckMessage]:
    """E006: another CORS library's middleware next to corsguard's."""
    found: list[CheckMessage] = []
    for entry in middleware:
        names = _names(entry)
        library = next((OTHER_CORS_MIDDLEWARE[name] for name in OTHER_CORS_MIDDLEWARE if name in names), None)
        if library is None:
            continue
        found.append(
            error(
                "E006",
                f"MIDDLEWARE has both {entry} ({library}) and CorsGuardMiddleware: two CORS layers answer the "
                "same requests, so a response can carry two different Access-Control-Allow-Origin values (which "
                "browsers reject) or the laxer layer's answer.",
                f"Remove {entry!r} from MIDDLEWARE, 'corsheaders' from INSTALLED_APPS and the CORS_* settings; "
                "`corsguard migrate --from django-cors-headers --django-settings <your settings module>` "
                "prints the CORSGUARD equivalent of those settings.",
            )
        )
    return found


def _extra_answering() -> list[str]:
    value = getattr(settings, conf.ANSWERING_MIDDLEWARE_SETTING, ())
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, (list, tuple)) else []


def _names(entry: str) -> set[str]:
    """The entry's dotted path and those of its base classes, so a project's
    subclass of CommonMiddleware counts as CommonMiddleware."""
    names = {entry}
    try:
        imported = import_string(entry)
    except Exception:  # an entry that cannot load (missing app, bad path) is judged by its name
        return names
    for klass in getattr(imported, "__mro__", ()):
        names.add(f"{klass.__module__}.{klass.__qualname__}")
    return names
