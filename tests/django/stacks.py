"""Real middleware stacks for judging the system checks by what requests do.

The URLconf is a small JSON API behind Django's ``LoginRequiredMiddleware``:
``api/items/`` is public, ``api/private/`` needs a login (302 to the login
page), ``api/submit/`` takes a CSRF-protected POST. The project wraps
corsguard two ways a new user did: in its own middleware class, and in a
factory function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import path

from corsguard_django.middleware import CorsGuardMiddleware

HITS = {"items": 0}


@login_not_required
def items(request: HttpRequest) -> HttpResponse:
    HITS["items"] += 1
    return JsonResponse({"items": [1, 2, 3]})


def private(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"secret": True})


@login_not_required
def submit(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"saved": True})


urlpatterns = [
    path("api/items/", items),
    path("api/private/", private),
    path("api/submit/", submit),
]


class CorsWrapper:
    """A project's own middleware that builds corsguard inside it."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.inner = CorsGuardMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> Any:
        return self.inner(request)


def cors_factory(get_response: Callable[[HttpRequest], Any]) -> Callable[[HttpRequest], Any]:
    """A factory function returning corsguard, as Django allows."""
    inner = CorsGuardMiddleware(get_response)

    def middleware(request: HttpRequest) -> Any:
        return inner(request)

    return middleware


class ProjectCommonMiddleware(CommonMiddleware):
    """A subclass that changes nothing: still CommonMiddleware's 301."""


class EarlyCsrfMiddleware(CsrfViewMiddleware):
    """A subclass that refuses foreign POSTs from ``process_request``, before
    any view is resolved: outside corsguard when placed above it."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.method == "POST" and "HTTP_X_CSRFTOKEN" not in request.META:
            return HttpResponseForbidden(b"no token")
        return super().process_request(request)


class ApiLoginRequiredMiddleware(LoginRequiredMiddleware):
    """A subclass that only changes the answer, still from process_view."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:
        return JsonResponse({"error": "login required"}, status=401)
