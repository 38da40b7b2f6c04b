"""Django views and settings for each response shape, sync and async.

Django reads its settings per request (django-cors-headers reads its own
per request too), so a variant is a block of ``override_settings`` rather
than an object: ``settings_for`` is entered for as long as the app is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from bench import django_bench
from bench.harness import merged_vary
from bench.shapes import ALLOWED_ORIGIN, ROUTE, Shape

FLOOR = "bench.django_shapes.FloorMiddleware"
MIDDLEWARE = {
    "bare": [],
    "floor": [FLOOR],
    "corsguard": [django_bench.CORSGUARD_MIDDLEWARE],
    "peer": [django_bench.CORS_HEADERS_MIDDLEWARE],
}


def _finish(request: Any, response: Any) -> Any:
    response["Access-Control-Allow-Origin"] = request.META.get("HTTP_ORIGIN", "*")
    response["Vary"] = merged_vary(response.get("Vary"))
    return response


class FloorMiddleware:
    """The floor in Django's own terms, sync and async: ACAO and a merged Vary
    on every response, no checks (async-capable, so an async stack pays no
    thread hop for it)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        return _finish(request, self.get_response(request))

    async def _acall(self, request: Any) -> Any:
        return _finish(request, await self.get_response(request))


def _response(shape: Shape, chunks: list[bytes], streamed: Callable[[], Any]) -> Any:
    """The shape's response: streamed from ``streamed()`` when it has several
    chunks, else one body; with the shape's headers either way."""
    from django.http import HttpResponse, StreamingHttpResponse  # noqa: PLC0415

    if shape.chunks > 1:
        response: Any = StreamingHttpResponse(streamed(), content_type="application/json")
    else:
        response = HttpResponse(chunks[0], content_type="application/json")
    for name, value in shape.headers:
        response[name] = value
    return response


def _sync_view(shape: Shape) -> Callable[..., Any]:
    chunks = shape.body_chunks()

    def view(request: Any) -> Any:
        return _response(shape, chunks, lambda: iter(chunks))

    return view


def _async_view(shape: Shape) -> Callable[..., Any]:
    chunks = shape.body_chunks()

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def view(request: Any) -> Any:
        return _response(shape, chunks, stream)

    return view


@cache
def urlconf(shape: Shape, asynchronous: bool) -> Any:
    """One URLconf per shape and flavour, cached: Django caches resolvers by URLconf."""
    from django.urls import path  # noqa: PLC0415

    view = _async_view(shape) if asynchronous else _sync_view(shape)
    return django_bench.urlconf(path(ROUTE.lstrip("/"), view))


@contextmanager
def settings_for(variant: str, shape: Shape, *, asynchronous: bool) -> Iterator[None]:
    """Django configured for ``variant`` answering ``shape``, for the block."""
    django_bench._configure()
    from django.test import override_settings  # noqa: PLC0415

    extra: dict[str, Any] = {}
    if variant == "corsguard":
        extra["CORSGUARD"] = {"ALLOWED_ORIGINS": [ALLOWED_ORIGIN]}
    elif variant == "peer":
        extra["CORS_ALLOWED_ORIGINS"] = [ALLOWED_ORIGIN]
    with override_settings(MIDDLEWARE=MIDDLEWARE[variant], ROOT_URLCONF=urlconf(shape, asynchronous), **extra):
        yield
