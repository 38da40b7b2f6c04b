"""Property: whatever a client sends, the middleware never raises and never
puts CR or LF into a response header, sync or async."""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from corsguard_django.middleware import CorsGuardMiddleware
from tests.matrix.django_adapter import run_coroutine
from tests.matrix.model import Request
from tests.matrix.wsgi_adapter import environ_for

CONFIG = {
    "ALLOWED_ORIGINS": ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
    "ORIGIN_REGEXES": [r"https://[a-z0-9-]+\.preview\.example\.com"],
    "ALLOW_CREDENTIALS": True,
    "EXPOSE_HEADERS": ["x-total-count"],
    "PATHS": [(r"/api/.*", {}), (r"/public/.*", {"ALLOW_CREDENTIALS": False, "ALLOWED_ORIGINS": ["*"]})],
}

# Header values and paths as a WSGI server hands them over: latin-1 text of
# arbitrary bytes, so CR, LF, NUL and non-ASCII all occur.
wire_text = st.binary(max_size=300).map(lambda raw: raw.decode("latin-1"))
maybe = st.one_of(st.none(), wire_text, st.sampled_from(["https://app.example.com", "null", "PUT", "true"]))
paths = st.one_of(wire_text.map(lambda text: "/" + text), st.sampled_from(["/api/items", "/public/x", "/%2561pi"]))
methods = st.sampled_from(["GET", "POST", "OPTIONS", "options", "PUT", "PROPFIND"])


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


async def async_ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


def request_for(
    path: str, method: str, origin: str | None, acrm: str | None, acrh: str | None, acrpn: str | None
) -> WSGIRequest:
    sent = (
        ("Origin", origin),
        ("Access-Control-Request-Method", acrm),
        ("Access-Control-Request-Headers", acrh),
        ("Access-Control-Request-Private-Network", acrpn),
    )
    environ = environ_for(Request(method=method, headers=tuple((k, v) for k, v in sent if v is not None)))
    environ["PATH_INFO"] = path  # as a server hands it over: already decoded, any text
    return WSGIRequest(environ)


def assert_clean(response: HttpResponse) -> None:
    for name, value in response.items():
        assert "\r" not in value and "\n" not in value, (name, value)


@settings(max_examples=300, deadline=None)
@given(paths, methods, maybe, maybe, maybe, maybe)
def test_never_raises_never_crlf(
    path: str, method: str, origin: str | None, acrm: str | None, acrh: str | None, acrpn: str | None
) -> None:
    with override_settings(CORSGUARD=CONFIG):
        sync_middleware = CorsGuardMiddleware(ok)
        async_middleware = CorsGuardMiddleware(async_ok)
        assert_clean(sync_middleware(request_for(path, method, origin, acrm, acrh, acrpn)))
        assert_clean(run_coroutine(async_middleware(request_for(path, method, origin, acrm, acrh, acrpn))))
