"""The middleware itself: start-up errors, sync/async modes, settings changes."""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from corsguard import PolicyError
from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.middleware import CorsGuardMiddleware
from tests.matrix.django_adapter import run_coroutine

A = "https://a.example.com"
B = "https://b.example.com"
ACAO = "Access-Control-Allow-Origin"


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


class SyncOnlyMiddleware:
    """A sync-only middleware: Django must adapt around it in an async stack."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: object) -> None:
        self.get_response = get_response


async def async_ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


def test_bad_settings_raise_a_policy_error_that_django_recognises() -> None:
    bad = {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": True, "MAX_AGE": -1}
    with override_settings(CORSGUARD=bad), pytest.raises(PolicyError) as info:
        CorsGuardMiddleware(ok)
    assert isinstance(info.value, ImproperlyConfigured)
    assert sorted(p.setting for p in info.value.problems) == ["ALLOWED_ORIGINS[0]", "MAX_AGE"]


def test_e005_app_not_installed() -> None:
    apps = ["django.contrib.auth", "django.contrib.contenttypes"]
    with override_settings(INSTALLED_APPS=apps), pytest.raises(ImproperlyConfigured, match="E005"):
        CorsGuardMiddleware(ok)


def test_follows_the_mode_of_its_stack() -> None:
    assert not iscoroutinefunction(CorsGuardMiddleware(ok))
    assert iscoroutinefunction(CorsGuardMiddleware(async_ok))


@pytest.mark.parametrize("handler", [WSGIHandler, ASGIHandler])
def test_no_sync_async_adaptation(handler: type, caplog: pytest.LogCaptureFixture) -> None:
    """Django logs each adapter it inserts at DEBUG; none may be for corsguard."""
    caplog.set_level(logging.DEBUG, logger="django.request")
    # Django logs adaptations only with DEBUG on.
    with override_settings(DEBUG=True, MIDDLEWARE=[MIDDLEWARE_PATH, f"{__name__}.SyncOnlyMiddleware"]):
        handler()
    adapted = [record.getMessage() for record in caplog.records if "adapted" in record.getMessage()]
    assert not [message for message in adapted if "CorsGuardMiddleware" in message], adapted
    if handler is ASGIHandler:
        # Django does adapt around the sync-only middleware: the probe works.
        assert adapted


def test_setting_changed_reaches_a_running_middleware() -> None:
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A]}):
        middleware = CorsGuardMiddleware(ok)
        request = RequestFactory().get("/api/items", headers={"origin": B})
        assert ACAO not in middleware(request)
        with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [B]}):
            assert middleware(request)[ACAO] == B
        assert ACAO not in middleware(request)


def test_async_preflight_and_actual() -> None:
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A]}):
        middleware = CorsGuardMiddleware(async_ok)
        factory = RequestFactory()
        preflight = factory.options("/x", headers={"origin": A, "access-control-request-method": "PUT"})
        answer = run_coroutine(middleware(preflight))
        assert (answer.status_code, answer[ACAO], answer.content) == (204, A, b"")
        assert "Content-Type" not in answer
        actual = run_coroutine(middleware(factory.get("/x", headers={"origin": A})))
        assert (actual.content, actual[ACAO], actual["Vary"]) == (b"ok", A, "Origin")


def test_lower_case_method_is_not_a_preflight() -> None:
    """Methods are case-sensitive (B4): ``options`` is not OPTIONS, though
    Django upper-cases ``request.method``."""
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A]}):
        request = RequestFactory().generic(
            "options", "/x", headers={"origin": A, "access-control-request-method": "PUT"}
        )
        request.META["REQUEST_METHOD"] = "options"
        assert CorsGuardMiddleware(ok)(request).content == b"ok"


def test_environment_overrides_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", f"{B}, {A}")
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A]}):
        response = CorsGuardMiddleware(ok)(RequestFactory().get("/x", headers={"origin": B}))
    assert response[ACAO] == B
