"""E003's fix applied: the open view opts out of the settings' credentials."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from corsguard_django.decorators import cors_policy


@cors_policy(allowed_origins=["*"], allow_credentials=False)
def open_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"open")


urlpatterns = [path("open", open_view)]
