"""A URLconf whose module also declares a view no URL reaches (E007, B13.2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from corsguard_django.decorators import cors_policy


@cors_policy(allowed_origins=["https://partner.example"])
def routed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"routed")


@cors_policy(allowed_origins=["https://partner.example"])
def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"never routed")


urlpatterns = [path("routed/", routed)]
