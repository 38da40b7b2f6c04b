"""``i18n_patterns`` with declared views, for the B13.3 tests."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from corsguard_django.decorators import cors_exempt, cors_policy

PARTNER = "https://partner.example"


@cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
def partner(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"partner")


@cors_exempt
def internal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"internal")


urlpatterns = i18n_patterns(path("partner/", partner), path("internal/", internal))
