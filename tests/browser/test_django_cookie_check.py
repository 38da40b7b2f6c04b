"""W002 judged by Chromium: a front-end cross-site to the API host gets no
``SameSite=Lax`` session cookie, whatever other host in ``ALLOWED_HOSTS``
shares its site; a front-end on the API's own site gets it.

The API runs on ``api.api-site.test``; ``ALLOWED_HOSTS`` also lists
``www.front-site.test`` (the project serves its marketing site too). A
page on ``app.front-site.test`` shares a site with that extra host but
not with the API, and that is what the browser goes by.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import override_settings
from django.urls import path

from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.cookies import check_cookies
from testprojects import serve

CROSS_PAGE = "app.front-site.test"
SAME_PAGE = "app.api-site.test"
API = "api.api-site.test"


def login(request: HttpRequest) -> HttpResponse:
    request.session["user"] = "ada"
    return HttpResponse(b"logged in")


def whoami(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"user": request.session.get("user")})


urlpatterns = [path("login/", login), path("whoami/", whoami)]


@pytest.fixture
def api(frontend: serve.Running) -> Iterator[serve.Running]:
    origins = [f"http://{CROSS_PAGE}:{frontend.port}", f"http://{SAME_PAGE}:{frontend.port}"]
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[MIDDLEWARE_PATH, "django.contrib.sessions.middleware.SessionMiddleware"],
        # Plain http on loopback names the browser maps to 127.0.0.1.
        CORSGUARD={
            "ALLOWED_ORIGINS": origins,
            "ALLOW_CREDENTIALS": True,
            "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS": True,
        },
        CSRF_TRUSTED_ORIGINS=origins,
        ALLOWED_HOSTS=[API, "www.front-site.test"],
        SESSION_COOKIE_SAMESITE="Lax",
        CSRF_COOKIE_SAMESITE="Lax",
    ):
        running = serve.serve_wsgi("cookie-check-api", WSGIHandler())
        try:
            yield running
        finally:
            running.stop()


def whoami_from(context: Any, page_host: str, frontend: serve.Running, api: serve.Running) -> object:
    page = context.new_page()
    page.goto(f"http://{page_host}:{frontend.port}/")
    result = page.evaluate("url => cg(url, {credentials: 'include'})", f"http://{API}:{api.port}/whoami/")
    page.close()
    assert result["ok"] and result["status"] == 200, result
    return __import__("json").loads(result["body"])["user"]


def test_w002_says_what_chromium_does(context: Any, frontend: serve.Running, api: serve.Running) -> None:
    first_party = context.new_page()
    first_party.goto(f"http://{API}:{api.port}/login/")
    first_party.close()
    assert whoami_from(context, SAME_PAGE, frontend, api) == "ada"
    assert whoami_from(context, CROSS_PAGE, frontend, api) is None
    warnings = [message for message in check_cookies() if message.id == "corsguard_django.W002"]
    # Each front-end is named with the API hosts it is cross-site to: the
    # page on the API's site only with the extra host, which it never calls.
    session = {warning.msg for warning in warnings if "SESSION_COOKIE_SAMESITE" in warning.msg}
    assert len(warnings) == 4 and len(session) == 2
    cross_page = f"origin 'http://{CROSS_PAGE}:{frontend.port}' is cross-site to the API host '{API}' (ALLOWED_HOSTS)"
    same_page = f"origin 'http://{SAME_PAGE}:{frontend.port}' is cross-site to the API host 'www.front-site.test'"
    assert any(cross_page in message for message in session) and any(same_page in message for message in session)
