"""Django routing forms for the B13 tests: ``include()`` with a namespace
and a class-based view declared per method with ``method_decorator``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.decorators import method_decorator
from django.views import View

from corsguard_django.decorators import cors_policy

PARTNER = "https://partner.example"


@method_decorator(cors_policy(allowed_origins=[PARTNER]), name="put")
class Orders(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"orders")

    def put(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"updated")


@cors_policy(allowed_origins=[PARTNER])
def feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"feed")


partner_patterns = ([path("feed/", feed, name="feed")], "partners")

urlpatterns = [
    path("orders/", Orders.as_view()),
    path("partners/", include(partner_patterns, namespace="partners")),
]
