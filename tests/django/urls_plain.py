"""A URLconf without decorated views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"plain")


urlpatterns = [path("plain", plain_view)]
