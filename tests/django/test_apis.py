"""Per-view declarations on Django REST Framework and Django Ninja, through
the real frameworks' request handling (B13.1): the declared origin is
answered, the settings' origin is refused, for actual requests and for the
preflight of the method each test names."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings

from corsguard_django import MIDDLEWARE_PATH
from tests.django import api_urls

BASE = "https://app.example.com"
PARTNER = api_urls.PARTNER
OTHER = api_urls.OTHER
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}


@pytest.fixture(autouse=True)
def _urlconf():  # type: ignore[no-untyped-def]
    with override_settings(
        ROOT_URLCONF="tests.django.api_urls",
        MIDDLEWARE=[MIDDLEWARE_PATH, "django.middleware.common.CommonMiddleware"],
        CORSGUARD={"ALLOWED_ORIGINS": [BASE], "ALLOW_CREDENTIALS": True},
        REST_FRAMEWORK=REST_FRAMEWORK,
    ):
        yield


def preflight(path: str, origin: str, method: str) -> HttpResponse:
    return Client().options(path, headers={"origin": origin, "access-control-request-method": method})


def get(path: str, origin: str, method: str = "GET") -> HttpResponse:
    return Client().generic(method, path, headers={"origin": origin})


def assert_governed_by(path: str, method: str, allowed: str) -> None:
    """``allowed`` gets ACAO on the preflight and on the actual response; the settings' origin does not."""
    answer = preflight(path, allowed, method)
    assert (answer.status_code, answer.get(ACAO)) == (204, allowed), answer
    refused = preflight(path, BASE, method)
    assert refused.status_code == 403 and ACAO not in refused
    actual = get(path, allowed, method)
    assert actual.status_code < 500 and actual[ACAO] == allowed
    assert ACAO not in get(path, BASE, method)


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [
        ("/orders/", "GET", PARTNER),  # ViewSet class, DefaultRouter, list
        ("/orders/7/", "GET", PARTNER),  # the same class, retrieve
        ("/orders/7/", "DELETE", OTHER),  # a per-action declaration on top of the class's
        ("/actions/publish/", "PUT", PARTNER),  # @action with @cors_policy, SimpleRouter
        ("/item/", "PUT", PARTNER),  # APIView, per-method
        ("/generic/", "GET", PARTNER),  # GenericAPIView class
        ("/api-view-outer/", "PUT", PARTNER),  # @api_view outermost
        ("/api-view-inner/", "PUT", PARTNER),  # @cors_policy outermost
        ("/ninja/below", "GET", PARTNER),  # Ninja, @cors_policy below @api.get
        ("/ninja/above", "GET", PARTNER),  # Ninja, @cors_policy above @api.get
        ("/ninja/above", "PUT", OTHER),  # Ninja, the other method of the same path
        ("/ninja/partners/feed", "GET", PARTNER),  # Ninja Router.add_decorator
        ("/attributes/", "GET", PARTNER),  # corsguard_policy = {...} on the ViewSet
    ],
)
def test_declaration_governs(path: str, method: str, allowed: str) -> None:
    assert_governed_by(path, method, allowed)


def test_viewset_policy_without_credentials_sends_none() -> None:
    answer = get("/orders/", PARTNER)
    assert answer[ACAO] == PARTNER and ACAC not in answer


def test_exempt_viewset_gets_no_cors_at_all() -> None:
    answer = get("/internal/", BASE)
    assert answer.status_code == 200 and ACAO not in answer and ACAC not in answer
    # The preflight reaches the viewset (DRF answers OPTIONS itself), not corsguard's 204.
    options = preflight("/internal/", BASE, "GET")
    assert options.status_code == 200 and ACAO not in options


def test_undeclared_methods_keep_the_settings_policy() -> None:
    # ItemView.get declares nothing: the settings' credentialed policy answers.
    answer = get("/item/", BASE)
    assert (answer[ACAO], answer[ACAC]) == (BASE, "true")
    assert preflight("/item/", PARTNER, "GET").status_code == 403
    # ActionViewSet.list declares nothing either.
    assert get("/actions/", BASE)[ACAO] == BASE
