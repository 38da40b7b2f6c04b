"""B13.2 and B13.3 in Django: an unreached declaration is a system check
error; i18n_patterns resolve under the path's language, not the thread's."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.utils import translation

from corsguard import PolicyError
from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.views import check_reach
from corsguard_django.decorators import cors_policy
from corsguard_flask import cors_policy as flask_cors_policy

BASE = "https://app.example.com"
PARTNER = "https://partner.example"
ACAO = "Access-Control-Allow-Origin"
SETTINGS = {"ALLOWED_ORIGINS": [BASE], "ALLOW_CREDENTIALS": True}


def test_a_declared_view_no_url_reaches_is_e007() -> None:
    with override_settings(ROOT_URLCONF="tests.django.unreached_urls", CORSGUARD=SETTINGS):
        messages = check_reach()
    assert [message.id for message in messages] == ["corsguard_django.E007"]
    assert "tests.django.unreached_urls.forgotten" in messages[0].msg
    assert "unreached_urls.py:" in messages[0].msg
    assert "outermost" in (messages[0].hint or "")


def test_every_declaration_of_the_api_urlconf_is_reached() -> None:
    with override_settings(ROOT_URLCONF="tests.django.api_urls", CORSGUARD=SETTINGS):
        assert check_reach() == []


def test_a_bound_method_cannot_carry_a_declaration() -> None:
    class Holder:
        def view(self) -> None: ...

    with pytest.raises(PolicyError, match="bound method"):
        flask_cors_policy(allowed_origins=[PARTNER])(Holder().view)
    with pytest.raises(PolicyError, match="bound method"):
        flask_cors_policy(allowed_origins=[PARTNER])(len)
    # Django's decorator wraps instead of marking, so a bound method is fine there.
    assert cors_policy(allowed_origins=[PARTNER])(Holder().view) is not None


@pytest.fixture
def i18n():  # type: ignore[no-untyped-def]
    with override_settings(
        ROOT_URLCONF="tests.django.i18n_urls",
        USE_I18N=True,
        LANGUAGE_CODE="en",
        LANGUAGES=[("en", "English"), ("fr", "French")],
        MIDDLEWARE=[MIDDLEWARE_PATH, "django.middleware.locale.LocaleMiddleware"],
        CORSGUARD=SETTINGS,
    ):
        yield


@pytest.mark.usefixtures("i18n")
@pytest.mark.parametrize("left_behind", ["en", "fr"])
def test_i18n_resolution_does_not_depend_on_the_previous_request(left_behind: str) -> None:
    for language in ("en", "fr"):
        translation.activate(left_behind)  # what a previous request on this thread left active
        internal = Client().get(f"/{language}/internal/", headers={"origin": BASE})
        assert internal.status_code == 200 and ACAO not in internal
        translation.activate(left_behind)
        options = Client().options(
            f"/{language}/internal/", headers={"origin": BASE, "access-control-request-method": "GET"}
        )
        assert options.status_code == 200 and ACAO not in options
        translation.activate(left_behind)
        answer = Client().options(
            f"/{language}/partner/", headers={"origin": PARTNER, "access-control-request-method": "GET"}
        )
        assert (answer.status_code, answer[ACAO]) == (204, PARTNER)
    translation.deactivate()


@pytest.mark.parametrize("script_name", ["", "/sub"])
def test_per_method_class_views_and_namespaced_includes(script_name: str) -> None:
    def preflight(path: str, origin: str, method: str) -> int:
        headers = {"origin": origin, "access-control-request-method": method}
        return Client().options(path, headers=headers, SCRIPT_NAME=script_name).status_code

    with override_settings(ROOT_URLCONF="tests.django.forms_urls", CORSGUARD=SETTINGS):
        assert check_reach() == []
        assert preflight("/orders/", PARTNER, "PUT") == 204
        assert preflight("/orders/", BASE, "PUT") == 403
        assert preflight("/orders/", BASE, "GET") == 204  # get declares nothing: the settings answer
        assert preflight("/partners/feed/", PARTNER, "GET") == 204
        answer = Client().put("/orders/", headers={"origin": PARTNER}, SCRIPT_NAME=script_name)
        assert answer[ACAO] == PARTNER
