"""A URLconf of decorated views in every supported form, for the unit tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View

from corsguard_django.decorators import cors_exempt, cors_policy

PARTNER = "https://partner.example"
CLASS_ORIGIN = "https://class.example"
METHOD_ORIGIN = "https://method.example"
ASYNC_ORIGIN = "https://async.example"


@cors_policy(allowed_origins=[PARTNER], max_age=5)
def function_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"function")


@cors_policy(allowed_origins=[ASYNC_ORIGIN])
async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"async")


@cors_policy(allowed_origins=[CLASS_ORIGIN])
class ClassView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"class")


@method_decorator(cors_policy(allowed_origins=[METHOD_ORIGIN]), name="dispatch")
class MethodDecoratedView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"method")


@cors_exempt
def exempt_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"exempt")


def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"plain")


urlpatterns = [
    path("function", function_view),
    path("async", async_view),
    path("class", ClassView.as_view()),
    path("method", MethodDecoratedView.as_view()),
    path("exempt", exempt_view),
    path("slashed/", function_view),
    path("plain", plain_view),
]
