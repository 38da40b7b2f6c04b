"""URLs for the django-cors-headers entries (ROOT_URLCONF of their process)."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.urls import path


def items(request: Any) -> JsonResponse:
    return JsonResponse({"items": [1, 2, 3]})


urlpatterns = [path("api/items", items)]
