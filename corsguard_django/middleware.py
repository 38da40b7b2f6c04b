"""``CorsGuardMiddleware``: the engine's decisions applied to Django responses.

Place it first in ``MIDDLEWARE`` (or right after ``SecurityMiddleware``). It
asks the compiled configuration about each request, answers preflights
itself before any other middleware, URL resolution side effects,
authentication, CSRF or ``APPEND_SLASH`` can see them (C§3), and adds the
decided headers to every other response on its way out: error pages built
from ``Http404``, ``PermissionDenied`` or a crash included, because Django
turns those into responses before they reach this layer. Bodies are never
touched, so streaming and file responses stay streamed.

It is sync- and async-capable and follows the mode of the stack it is in,
so Django never has to insert a thread hop around it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Union, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from corsguard import Decision, Kind
from corsguard.policy import ACAO
from corsguard_django import APP_NAME, conf

# Django ships no type information; its response classes are plain ``Any`` to mypy.
Response = Any
GetResponse = Callable[[HttpRequest], Union[Response, Awaitable[Response]]]


class CorsGuardMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
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
        # Start-up: compile the settings and the decorated views now, so a bad
        # configuration stops the server instead of failing the first request.
        conf.compiled()

    def __call__(self, request: HttpRequest) -> Response | Awaitable[Response]:
        if self._async:
            return self.__acall__(request)
        decision = _decide(request)
        if decision.kind is Kind.PREFLIGHT:
            return preflight_response(decision)
        return apply(self.get_response(request), decision, request)

    async def __acall__(self, request: HttpRequest) -> Response:
        decision = _decide(request)
        if decision.kind is Kind.PREFLIGHT:
            return preflight_response(decision)
        response = await cast(Awaitable[Response], self.get_response(request))
        return apply(response, decision, request)


def _decide(request: HttpRequest) -> Decision:
    """The engine's decision, from ``request.META`` as the server sent it.

    ``REQUEST_METHOD`` rather than ``request.method``: Django upper-cases the
    latter, and methods are case-sensitive (C§4). The path is ``path_info``,
    the one Django routes on (C§3).
    """
    get = request.META.get
    return conf.compiled().evaluate(
        request.path_info,
        get("REQUEST_METHOD", "GET"),
        get("HTTP_ORIGIN"),
        get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
        get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
        get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
    )


def preflight_response(decision: Decision) -> HttpResponse:
    """The engine's preflight answer as a Django response, nothing added."""
    response = HttpResponse(decision.body, status=decision.status)
    # The decision lists the body's own headers; Django's default HTML
    # content type would be wrong for a 204 and for the plain-text refusal.
    del response["Content-Type"]
    for name, value in decision.response_headers():
        response[name] = value
    return response


def apply(response: Response, decision: Decision, request: HttpRequest) -> Response:
    """``response`` with the decision's headers set and its Vary merged."""
    if decision.headers:
        # C§5, one ACAO line: the core leaves a view's own CORS headers alone.
        for name, value in decision.headers_to_add(ACAO in response, request.path_info):
            response[name] = value
    if decision.vary:
        patch_vary_headers(response, decision.vary)
    return response
