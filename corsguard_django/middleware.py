"""``CorsGuardMiddleware``: the core's pipeline on Django's request and response.

Place it first in ``MIDDLEWARE`` (or right after ``SecurityMiddleware``). It
reads the request facts from ``request.META``, answers preflights itself
before any other middleware, authentication, CSRF or ``APPEND_SLASH`` can see
them (B3.2), and puts the decision on every other response on its way out:
error pages built from ``Http404``, ``PermissionDenied`` or a crash
included, because Django turns those into responses before they reach this
layer. Bodies are never touched, so streaming and file responses stay
streamed. It is sync- and async-capable and follows the stack it is in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Union, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from corsguard import Decision, Kind
from corsguard._engine import response
from corsguard_django import APP_NAME, conf

# Read on every request: a module global, not the enum attribute (slower on CPython 3.11).
PREFLIGHT = Kind.PREFLIGHT

# Django ships no type information; its response classes are plain ``Any`` to mypy.
Response = Any
GetResponse = Callable[[HttpRequest], Union[Response, Awaitable[Response]]]


class CorsGuardMiddleware:
    sync_capable = True
    async_capable = True
    # How many were built in this process: the installation check builds each
    # MIDDLEWARE entry it cannot name and sees whether one of them wraps
    # corsguard (a project's wrapper class or factory function).
    built: ClassVar[int] = 0

    def __init__(self, get_response: GetResponse) -> None:
        CorsGuardMiddleware.built += 1
        if not apps.is_installed(APP_NAME):
            # corsguard_django.E005: without the app, `manage.py check` cannot
            # run corsguard's checks, so the traps they catch would ship.
            raise ImproperlyConfigured(
                "corsguard_django.E005: CorsGuardMiddleware is in MIDDLEWARE but 'corsguard_django' is not in "
                "INSTALLED_APPS. Add 'corsguard_django' to INSTALLED_APPS so `manage.py check` verifies the "
                "CORS configuration."
            )
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)
        # Start-up: compile the settings and the declared views now, so a bad
        # configuration stops the server instead of failing the first request.
        conf.compiled()

    def __call__(self, request: HttpRequest) -> Response | Awaitable[Response]:
        if self._async:
            return self.__acall__(request)
        decision = conf.compiled().decide(request.META, request.path_info)
        if decision.kind is PREFLIGHT:
            return preflight_response(decision)
        return apply(self.get_response(request), decision, request.path_info)

    async def __acall__(self, request: HttpRequest) -> Response:
        decision = await conf.compiled().decide_async(request.META, request.path_info)
        if decision.kind is PREFLIGHT:
            return preflight_response(decision)
        result = await cast(Awaitable[Response], self.get_response(request))
        return apply(result, decision, request.path_info)


def preflight_response(decision: Decision) -> HttpResponse:
    """The engine's preflight answer as a Django response, nothing added."""
    answer = HttpResponse(decision.body, status=decision.status)
    # The decision lists the body's own headers; Django's default HTML
    # content type would be wrong for a 204 and for the plain-text refusal.
    del answer["Content-Type"]
    for name, value in decision.response_headers():
        answer[name] = value
    return answer


def apply(result: Response, decision: Decision, path: str) -> Response:
    """``result`` with the decision's headers set by the core's one merge rule."""
    if not decision.headers and not decision.vary:
        return result
    store = getattr(getattr(result, "headers", None), "_store", None)
    if type(store) is not dict:
        for name, value in response.edits(result.items(), decision, path):
            result[name] = value
        return result
    # Django keeps one (name, value) per lower-cased name in ``headers._store``;
    # reading it directly skips the per-key lookups of its mapping view, and
    # writing it skips Django's re-encoding of values that were validated when
    # the policy was compiled or, for an echoed Origin, by the origin grammar
    # (ASCII, no CR/LF); Vary was validated by Django when the view set it.
    for name, value in response.edits(store.values(), decision, path):
        store[name.lower()] = (name, value)
    return result
