"""The project's authentication layer: login required, answered in JSON."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, JsonResponse


class ApiLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's ``LoginRequiredMiddleware``, answering 401 instead of a redirect.

    An API has no login page to redirect to, and a redirect would hide the
    real reason from the front-end.
    """

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> JsonResponse:
        return JsonResponse({"error": "login required"}, status=401)
