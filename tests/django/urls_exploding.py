"""A URLconf whose resolver raises for some paths: a converter with a bug.

Django itself answers such a request with 500; corsguard, which resolves the
path first to find a declared view, must refuse rather than guess (B3.6).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path, register_converter

from corsguard_django.decorators import cors_exempt


class Exploding:
    regex = "boom-[0-9]+"

    def to_python(self, value: str) -> str:
        raise RuntimeError("a converter with a bug")

    def to_url(self, value: str) -> str:
        return value


register_converter(Exploding, "exploding")


def view(request: HttpRequest, value: str = "") -> HttpResponse:
    return HttpResponse(b"view")


urlpatterns = [path("declared", cors_exempt(view)), path("item/<exploding:value>", view)]
