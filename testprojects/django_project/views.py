"""The JSON API: every route of ``testprojects.contract``, plus session login.

The contract's endpoints stand in for a token-authenticated API, so they
are ``csrf_exempt``; the session endpoints (login, logout, me) keep Django's
CSRF protection, as a real cookie-authenticated API must.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from corsguard_django.decorators import cors_exempt, cors_policy
from testprojects import contract


def _api(view):  # type: ignore[no-untyped-def]
    """A public contract endpoint: no login, no CSRF token."""
    return login_not_required(csrf_exempt(view))


@_api
def items(request: HttpRequest) -> HttpResponse:
    contract.record("items")
    response = HttpResponse(contract.ITEMS_JSON, content_type="application/json")
    response["X-Total-Count"] = contract.TOTAL_COUNT
    return response


@_api
def vary(request: HttpRequest) -> HttpResponse:
    contract.record("vary")
    response = HttpResponse(b"vary", content_type="text/plain")
    response["Vary"] = "Accept-Encoding"
    return response


@_api
def own_cors(request: HttpRequest) -> HttpResponse:
    contract.record("own-cors")
    response = HttpResponse(b"own", content_type="text/plain")
    response["Access-Control-Allow-Origin"] = contract.OWN_ACAO
    return response


@_api
def own_expose(request: HttpRequest) -> HttpResponse:
    contract.record("own-expose")
    response = HttpResponse(b"own", content_type="text/plain")
    response["Access-Control-Expose-Headers"] = contract.OWN_EXPOSE
    return response


def _chunks() -> Iterator[bytes]:
    yield from contract.STREAM_CHUNKS


async def _async_chunks() -> AsyncIterator[bytes]:
    for chunk in contract.STREAM_CHUNKS:
        yield chunk


@_api
def stream(request: HttpRequest) -> StreamingHttpResponse:
    """Streams in whichever mode the server runs: Django consumes an async
    iterator under ASGI and a sync one under WSGI, each without a thread hop."""
    contract.record("stream")
    content = _async_chunks() if isinstance(request, ASGIRequest) else _chunks()
    return StreamingHttpResponse(content, content_type="text/plain")


@_api
def cookies(request: HttpRequest) -> HttpResponse:
    contract.record("cookies")
    response = HttpResponse(b"cookies", content_type="text/plain")
    for cookie in contract.COOKIES:
        name, _, rest = cookie.partition("=")
        response.set_cookie(name, rest.split(";", 1)[0], path="/")
    return response


@_api
def missing(request: HttpRequest) -> HttpResponse:
    contract.record("missing")
    raise Http404("no such item")


@_api
def forbidden(request: HttpRequest) -> HttpResponse:
    contract.record("forbidden")
    raise PermissionDenied


@_api
def boom(request: HttpRequest) -> HttpResponse:
    contract.record("boom")
    raise RuntimeError("boom")


@csrf_exempt
def private(request: HttpRequest) -> JsonResponse:
    """Login required: ApiLoginRequiredMiddleware answers 401 before this runs."""
    contract.record("private")
    return JsonResponse({"user": request.user.get_username()})


def _plain(name: str):  # type: ignore[no-untyped-def]
    @_api
    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        contract.record(name)
        return HttpResponse(name.encode(), content_type="text/plain")

    view.__name__ = view.__qualname__ = name
    return view


slash = _plain("slash")
public = _plain("public")
user = _plain("user")


# A partner reads this one without cookies: the project's credentials are off here.
@cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], allow_credentials=False, expose_headers=["x-custom"], max_age=0)
@method_decorator(_api, name="dispatch")
class CustomView(View):
    """A class-based view with its own CORS policy (class decorator)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        contract.record("custom")
        response = HttpResponse(b"custom", content_type="text/plain")
        response["X-Custom"] = "1"
        return response


@_api
@cors_exempt
def exempt(request: HttpRequest) -> HttpResponse:
    """CORS off: every method answered by the view itself, OPTIONS included."""
    contract.record("exempt")
    return HttpResponse(b"exempt", content_type="text/plain")


# -- session login, for a browser front-end -----------------------------------


@login_not_required
@require_GET
def csrf(request: HttpRequest) -> JsonResponse:
    """The CSRF token for a cross-origin page, which cannot read our cookie."""
    return JsonResponse({"csrfToken": get_token(request)})


@login_not_required
@require_POST
def login_view(request: HttpRequest) -> JsonResponse:
    """POST JSON ``{"username": ..., "password": ...}`` with ``X-CSRFToken``."""
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "send JSON"}, status=400)
    user = authenticate(request, username=payload.get("username"), password=payload.get("password"))
    if user is None:
        return JsonResponse({"error": "wrong username or password"}, status=401)
    login(request, user)
    return JsonResponse({"user": user.get_username()})


@require_POST
def logout_view(request: HttpRequest) -> JsonResponse:
    logout(request)
    return JsonResponse({"user": None})
