"""W001's knowledge: which middleware answers before corsguard, and how it breaks.

Django runs every middleware's ``process_view`` (and the view, and
``process_exception``) inside the innermost layer, below all of
``MIDDLEWARE``: an answer given there passes out through corsguard wherever
it sits, and gets its CORS headers. Only what a middleware answers from its
own ``__call__`` or ``process_request``, or makes of the response on its
way out (a redirect from a 404), bypasses a corsguard placed below it. So
``AuthenticationMiddleware``, ``CsrfViewMiddleware`` and
``LoginRequiredMiddleware`` are harmless above corsguard; a project's
subclass that answers from ``process_request`` is not.
"""

from __future__ import annotations

from django.conf import settings

from corsguard_django import conf

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"

# Middleware that answers from its request or response phase, and what goes
# wrong for CORS when it sits above corsguard. Projects add theirs with the
# setting CORSGUARD_ANSWERING_MIDDLEWARE.
ANSWERING_MIDDLEWARE: dict[str, str] = {
    "django.contrib.auth.middleware.RemoteUserMiddleware": (
        "remote-user authentication then runs before corsguard, and a refusal it causes (401/403) reaches "
        "preflights, which never carry credentials"
    ),
    "django.middleware.common.CommonMiddleware": (
        "its APPEND_SLASH redirect (301, made from the 404 on the way out) goes out without "
        "Access-Control-Allow-Origin, so the browser refuses to follow it and the actual request fails with a "
        "CORS error; PREPEND_WWW redirects preflights as well"
    ),
    "django.middleware.locale.LocaleMiddleware": (
        "its redirects to language-prefixed URLs go out without CORS headers"
    ),
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware": (
        "the redirects it answers 404s with go out without CORS headers"
    ),
}
# The cache: entries stored above corsguard carry its headers and its
# ``Vary: Origin``, which keys them by origin, so serving them above
# corsguard is right (Django's documented order puts UpdateCacheMiddleware
# first). Only entries stored below corsguard, without either, go wrong
# when a fetch above it serves them.
CACHE_FETCHERS = ("django.middleware.cache.FetchFromCacheMiddleware", "django.middleware.cache.CacheMiddleware")
CACHE_UPDATERS = ("django.middleware.cache.UpdateCacheMiddleware", "django.middleware.cache.CacheMiddleware")
# Django's own classes that answer only from process_view: quiet above
# corsguard unless a subclass answers from an earlier phase.
VIEW_PHASE_ONLY = (
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)
EARLY_PHASES = ("__call__", "process_request")
_GENERIC = "whatever it answers itself goes out without CORS headers, preflights included"


def whitenoise_any_origin() -> bool:
    """WhiteNoise's own ``Access-Control-Allow-Origin: *`` (on by default)."""
    return getattr(settings, "WHITENOISE_ALLOW_ALL_ORIGINS", True) is not False


def whitenoise_problem() -> str:
    served = (
        "with Access-Control-Allow-Origin: * from WhiteNoise itself (WHITENOISE_ALLOW_ALL_ORIGINS), for refused "
        "origins too, and a credentialed fetch of them fails"
        if whitenoise_any_origin()
        else "without CORS headers"
    )
    return (
        f"the static files it serves skip corsguard's policy and go out {served}; preflights to them get 405 "
        "(WhiteNoise serves only GET and HEAD)"
    )


def why_it_answers(entry: str, imported: object, names: set[str], stored_below: str | None) -> str | None:
    """What goes wrong when ``entry`` sits above corsguard; None when nothing
    does. ``imported`` is what the entry names (None if it cannot load),
    ``names`` its dotted path and those of its bases, ``stored_below`` the
    cache-updating entry below corsguard, if any."""
    if WHITENOISE in names:
        return _as_subclass(entry, WHITENOISE) + whitenoise_problem()
    fetcher = entry if entry in CACHE_FETCHERS else next((name for name in CACHE_FETCHERS if name in names), None)
    if fetcher is not None:
        return None if stored_below is None else _as_subclass(entry, fetcher) + _cache_problem(stored_below)
    answering = dict(ANSWERING_MIDDLEWARE)
    answering.update(dict.fromkeys(_extra_answering(), _GENERIC))
    # The entry itself first: CacheMiddleware is also both of its bases.
    matched = entry if entry in answering else next((name for name in answering if name in names), None)
    if matched is not None:
        return _as_subclass(entry, matched) + answering[matched]
    base = next((name for name in VIEW_PHASE_ONLY if name in names), None)
    phase = None if base is None else _early_phase(imported, base)
    if base is None or phase is None:
        return None
    return (
        f"{entry} is a subclass of {base} that defines {phase}, so what it answers there (a redirect to the "
        "login page, a 401 or 403) bypasses corsguard and goes out without CORS headers, preflights included; "
        f"{base} itself answers only from process_view, which corsguard wraps"
    )


def _cache_problem(stored_below: str) -> str:
    return (
        f"the responses it serves from the cache were stored by {stored_below} below corsguard, without "
        "corsguard's CORS headers and without Vary: Origin, so they go out without CORS headers, to every origin"
    )


def dotted(klass: type) -> str:
    return f"{klass.__module__}.{klass.__qualname__}"


def _as_subclass(entry: str, matched: str) -> str:
    return "" if entry == matched else f"{entry} is a subclass of {matched}, and "


def _early_phase(imported: object, base: str) -> str | None:
    """The first request/response phase a class below ``base`` defines."""
    for ancestor in getattr(imported, "__mro__", ()):
        if dotted(ancestor) == base:
            return None
        phase = next((name for name in EARLY_PHASES if name in vars(ancestor)), None)
        if phase is not None:
            return f"{ancestor.__qualname__}.{phase}"
    return None


def _extra_answering() -> list[str]:
    value = getattr(settings, conf.ANSWERING_MIDDLEWARE_SETTING, ())
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, (list, tuple)) else []
