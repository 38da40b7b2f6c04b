"""E004, E006, W001 and W007: is the middleware installed, alone, and high enough?

Middleware above ``CorsGuardMiddleware`` sees each request first. Whatever
it answers itself never reaches corsguard: a preflight gets that answer
(a redirect, 401/403, 405) instead of corsguard's, and the response carries
no CORS headers, so the browser reports a CORS error instead of the real one.
Which middleware does that, and how, is in ``answering``.

corsguard may sit in ``MIDDLEWARE`` under its own path, or inside a
project's wrapper class or factory function: an entry that builds a
``CorsGuardMiddleware`` when Django builds it is where corsguard is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.utils.module_loading import import_string

from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.answering import CACHE_UPDATERS, WHITENOISE, dotted, whitenoise_any_origin, why_it_answers
from corsguard_django.checks.common import PREFIX, error

# Other CORS middleware: with corsguard in the same MIDDLEWARE, two layers
# write Access-Control-* headers on one response (B5.4 leaves the outer
# layer's lines alone), so which one the browser obeys depends on order.
OTHER_CORS_MIDDLEWARE: dict[str, str] = {
    "corsheaders.middleware.CorsMiddleware": "django-cors-headers",
}


def check_installation(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    position = locate(middleware)
    if position is None:
        return [
            error(
                "E004",
                "'corsguard_django' is in INSTALLED_APPS but CorsGuardMiddleware is not in MIDDLEWARE (under its "
                "own path, or built by a wrapper or factory listed there), so no response gets CORS headers.",
                f"Add {MIDDLEWARE_PATH!r} at the top of MIDDLEWARE (or right after SecurityMiddleware).",
            )
        ]
    messages = _two_libraries(middleware)
    place = "CorsGuardMiddleware" if middleware[position] == MIDDLEWARE_PATH else f"{middleware[position]} (corsguard)"
    stored_below = next((entry for entry in middleware[position + 1 :] if _names(entry) & set(CACHE_UPDATERS)), None)
    for entry in middleware[:position]:
        why = why_it_answers(entry, *_imported(entry), stored_below)
        if why is None:
            continue
        messages.append(
            Warning(
                f"{place} comes after {entry} in MIDDLEWARE, so the responses {entry} makes itself do not pass "
                f"through corsguard: {why}.",
                hint=f"Move {middleware[position]!r} above {entry!r}: first in MIDDLEWARE, or right after "
                "SecurityMiddleware.",
                id=PREFIX + "W001",
            )
        )
    messages.extend(_whitenoise_any_origin(middleware))
    return messages


def locate(middleware: list[str]) -> int | None:
    """Where corsguard is: its own entry, or the first entry that builds it."""
    for index, entry in enumerate(middleware):
        if MIDDLEWARE_PATH in _imported(entry)[1]:
            return index
    return next((index for index, entry in enumerate(middleware) if _builds_corsguard(entry)), None)


def _builds_corsguard(entry: str) -> bool:
    """Build ``entry`` as Django would and see whether a CorsGuardMiddleware
    came to be inside it. A middleware that refuses to build (its own
    MiddlewareNotUsed, a missing setting) is judged not to."""
    from corsguard_django.middleware import CorsGuardMiddleware  # noqa: PLC0415

    factory = _imported(entry)[0]
    if not callable(factory):
        return False
    before = CorsGuardMiddleware.built
    # Any failure to build means "not a corsguard wrapper we can see".
    with contextlib.suppress(Exception):
        factory(_no_response)
    return CorsGuardMiddleware.built > before


def _no_response(request: object) -> None:
    """The inner layer a probed middleware is built around; never called."""


def _whitenoise_any_origin(middleware: list[str]) -> list[CheckMessage]:
    """W007: WhiteNoise's own ``*`` on static files, whatever the policy says."""
    entry = next((entry for entry in middleware if WHITENOISE in _imported(entry)[1]), None)
    if entry is None or not whitenoise_any_origin():
        return []
    return [
        Warning(
            f"{entry} sends Access-Control-Allow-Origin: * on every static file (WHITENOISE_ALLOW_ALL_ORIGINS is "
            "on, its default), and corsguard leaves a response's own CORS headers in place (B5.4): an origin the "
            "CORSGUARD policy refuses still reads static files, and a credentialed fetch of one fails, since "
            "browsers refuse * with credentials.",
            hint=f"Set WHITENOISE_ALLOW_ALL_ORIGINS = False and put {MIDDLEWARE_PATH!r} above {entry!r}, so the "
            "CORSGUARD policy answers for static files too.",
            id=PREFIX + "W007",
        )
    ]


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


def _names(entry: str) -> set[str]:
    return _imported(entry)[1]


def _imported(entry: str) -> tuple[object, set[str]]:
    """What the entry names (None if it cannot load) and the dotted paths of
    it and its base classes, so a project's subclass of CommonMiddleware
    counts as CommonMiddleware."""
    names = {entry}
    try:
        imported: object = import_string(entry)
    except Exception:  # an entry that cannot load (missing app, bad path) is judged by its name
        return None, names
    names.update(dotted(klass) for klass in getattr(imported, "__mro__", ()))
    return imported, names
