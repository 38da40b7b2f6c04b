"""@cors_policy / @cors_exempt on function views, async views, class-based
views (class decorator and method_decorator), preflights included."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import AsyncClient, Client, override_settings

from corsguard import PolicyError
from corsguard._pipeline.declarations import ATTRIBUTE, declared
from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.conf import ConfigurationError
from corsguard_django.decorators import cors_exempt, cors_policy
from corsguard_django.middleware import CorsGuardMiddleware
from tests.django import urls
from tests.matrix.django_adapter import run_coroutine

BASE = "https://app.example.com"
ACAO = "Access-Control-Allow-Origin"


@pytest.fixture(autouse=True)
def _urlconf():  # type: ignore[no-untyped-def]
    middleware = [MIDDLEWARE_PATH, "django.middleware.common.CommonMiddleware"]
    with override_settings(
        ROOT_URLCONF="tests.django.urls", MIDDLEWARE=middleware, CORSGUARD={"ALLOWED_ORIGINS": [BASE]}
    ):
        yield


def preflight(client: Client, path: str, origin: str) -> HttpResponse:
    return client.options(path, headers={"origin": origin, "access-control-request-method": "PUT"})


@pytest.mark.parametrize(
    ("path", "origin"),
    [
        ("/function", urls.PARTNER),
        ("/class", urls.CLASS_ORIGIN),
        ("/method", urls.METHOD_ORIGIN),
        ("/async", urls.ASYNC_ORIGIN),
    ],
)
def test_view_policy_for_actual_and_preflight(path: str, origin: str) -> None:
    # On a thread of its own: the sync client runs the async view through
    # async_to_sync, which refuses a thread where an event loop already runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_actual_and_preflight, path, origin).result()


def _actual_and_preflight(path: str, origin: str) -> None:
    client = Client()
    assert client.get(path, headers={"origin": origin})[ACAO] == origin
    assert ACAO not in client.get(path, headers={"origin": BASE})
    answer = preflight(client, path, origin)
    assert (answer.status_code, answer[ACAO]) == (204, origin)
    refused = preflight(client, path, BASE)
    assert refused.status_code == 403 and ACAO not in refused


def test_view_policy_inherits_settings() -> None:
    answer = preflight(Client(), "/function", urls.PARTNER)
    assert answer["Access-Control-Max-Age"] == "5"
    assert "authorization" in answer["Access-Control-Allow-Headers"]


def test_undecorated_view_uses_settings() -> None:
    client = Client()
    assert client.get("/plain", headers={"origin": BASE})[ACAO] == BASE
    assert preflight(client, "/plain", BASE).status_code == 204
    assert preflight(client, "/plain", urls.PARTNER).status_code == 403


def test_preflight_without_slash_uses_the_slashed_views_policy() -> None:
    answer = preflight(Client(), "/slashed", urls.PARTNER)
    assert (answer.status_code, answer[ACAO]) == (204, urls.PARTNER)


def test_exempt_view_gets_nothing_and_sees_its_preflights() -> None:
    client = Client()
    response = client.get("/exempt", headers={"origin": BASE})
    assert ACAO not in response and "Origin" not in response.get("Vary", "")
    answer = preflight(client, "/exempt", BASE)
    assert (answer.status_code, answer.content) == (200, b"exempt")


def test_async_client() -> None:
    async def run() -> HttpResponse:
        return await AsyncClient().get("/method", headers={"origin": urls.METHOD_ORIGIN})

    assert run_coroutine(run())[ACAO] == urls.METHOD_ORIGIN


def test_bad_override_raises_at_decoration() -> None:
    with pytest.raises(PolicyError) as info:
        cors_policy(allowed_origins=["https://a.example.com/"], max_age=-1)
    assert sorted(p.setting for p in info.value.problems) == ["@cors_policy.ALLOWED_ORIGINS[0]", "@cors_policy.MAX_AGE"]


def test_unknown_argument_raises_at_decoration() -> None:
    with pytest.raises(PolicyError) as info:
        cors_policy(alowed_origins=[BASE])
    assert "allowed_origins" in info.value.problems[0].hint


def test_clash_with_settings_raises_when_middleware_is_built() -> None:
    credentialed = {"ALLOWED_ORIGINS": [BASE], "ALLOW_CREDENTIALS": True}
    with (
        override_settings(ROOT_URLCONF="tests.django.urls_bad", CORSGUARD=credentialed),
        pytest.raises(ConfigurationError) as info,
    ):
        CorsGuardMiddleware(lambda request: HttpResponse())
    assert "tests.django.urls_bad.open_view" in info.value.problems[0].setting


def test_function_is_wrapped_not_modified() -> None:
    def view(request: object) -> HttpResponse:
        return HttpResponse()

    decorated = cors_policy(max_age=1)(view)
    assert decorated is not view and not hasattr(view, ATTRIBUTE)
    assert declared(decorated) is not None and declared(view) is None


def test_a_second_different_declaration_is_refused_at_decoration() -> None:
    """The core's one stacking rule, as Flask's decorators apply it too."""

    def view(request: object) -> HttpResponse:
        return HttpResponse()

    same = cors_policy(max_age=1)
    assert declared(same(same(view))) is not None
    with pytest.raises(PolicyError, match="second, different declaration"):
        cors_policy(max_age=2)(cors_policy(max_age=1)(view))
    with pytest.raises(PolicyError, match="second, different declaration"):
        cors_exempt(cors_policy(max_age=1)(view))
