"""Django: fail closed (B3.6), the environment rule (B2.4), the refusal signal (B6.3)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

from corsguard._engine import log
from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.middleware import CorsGuardMiddleware
from corsguard_django.signals import request_refused

A = "https://a.example.com"
B = "https://b.example.com"
ACAO = "Access-Control-Allow-Origin"


def test_a_resolver_that_raises_refuses() -> None:
    with override_settings(
        ROOT_URLCONF="tests.django.urls_exploding",
        MIDDLEWARE=[MIDDLEWARE_PATH],
        CORSGUARD={"ALLOWED_ORIGINS": [A]},
        DEBUG_PROPAGATE_EXCEPTIONS=False,
    ):
        client = Client(raise_request_exception=False)
        actual = client.get("/item/boom-1", headers={"origin": A})
        preflight = client.options("/item/boom-1", headers={"origin": A, "access-control-request-method": "PUT"})
    assert actual.status_code == 500 and ACAO not in actual  # Django's own 500, and no allow
    assert preflight.status_code == 403 and ACAO not in preflight


def test_use_environment_false_ignores_corsguard_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", B)
    with override_settings(ROOT_URLCONF="tests.django.urls_plain", MIDDLEWARE=[MIDDLEWARE_PATH]):
        with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A]}):
            assert Client().get("/plain", headers={"origin": B})[ACAO] == B  # the environment wins by default
        with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [A], "USE_ENVIRONMENT": False}):
            client = Client()
            assert client.get("/plain", headers={"origin": A})[ACAO] == A
            assert ACAO not in client.get("/plain", headers={"origin": B})


def test_request_refused_signal_sees_every_refusal() -> None:
    received: list[log.Refusal] = []

    def receiver(sender: object, refusal: log.Refusal, **kwargs: object) -> None:
        received.append(refusal)

    request_refused.connect(receiver)
    try:
        with override_settings(ROOT_URLCONF="tests.django.urls_plain", CORSGUARD={"ALLOWED_ORIGINS": [A]}):
            middleware = CorsGuardMiddleware(lambda request: HttpResponse(b"ok"))
            for index in range(30):
                request = HttpRequest()
                request.META = {"REQUEST_METHOD": "GET", "HTTP_ORIGIN": f"https://x{index}.example.net"}
                request.path_info = "/plain"
                middleware(request)
    finally:
        request_refused.disconnect(receiver)
    assert len(received) == 30
    assert received[0].origin == "https://x0.example.net" and received[0].category == log.ORIGIN
