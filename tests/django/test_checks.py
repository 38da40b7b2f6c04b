"""Each system check fires with its id and a hint that says what to change,
and stays quiet on a correct configuration."""

from __future__ import annotations

import pytest
from corsheaders.middleware import CorsMiddleware as CorsHeadersMiddleware
from django.conf import settings
from django.core.checks import CheckMessage
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.middleware.common import CommonMiddleware
from django.test import override_settings

from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.answering import ANSWERING_MIDDLEWARE
from corsguard_django.checks.configuration import check_configuration
from corsguard_django.checks.cookies import check_cookies
from corsguard_django.checks.installation import check_installation

APP = "https://app.example.com"
CREDENTIALED = {"ALLOWED_ORIGINS": [APP], "ALLOW_CREDENTIALS": True, "MAX_AGE": 600}
COOKIE_SAFE = {
    "ALLOWED_HOSTS": ["api.example.com"],
    "CSRF_TRUSTED_ORIGINS": [APP],
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SAMESITE": "Lax",
}


class ProjectCommonMiddleware(CommonMiddleware):
    """A project's own subclass still counts as CommonMiddleware."""


class ProjectCorsMiddleware(CorsHeadersMiddleware):
    """A project's own subclass of django-cors-headers' middleware."""


def run_all() -> list[CheckMessage]:
    return [*check_configuration(), *check_installation(), *check_cookies()]


def ids(messages: list[CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def only(messages: list[CheckMessage], check_id: str) -> list[CheckMessage]:
    found = [message for message in messages if message.id == "corsguard_django." + check_id]
    assert found, f"no {check_id} in {ids(messages)}"
    for message in found:
        assert message.hint, f"{check_id} without a hint"
    return found


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os  # noqa: PLC0415

    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)


def test_project_configuration_is_quiet() -> None:
    with override_settings(DEBUG=True):
        assert run_all() == []


def test_correct_production_configuration_is_quiet() -> None:
    with override_settings(DEBUG=False, CORSGUARD=CREDENTIALED, **COOKIE_SAFE):
        assert run_all() == []


# -- errors ---------------------------------------------------------------------------------------


def test_e001_one_error_per_problem() -> None:
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": ["https://a.example.com/"], "MAX_AGE": -1}):
        errors = only(check_configuration(), "E001")
    by_setting = {error.msg.split(" = ")[0]: error for error in errors}
    assert sorted(by_setting) == ["CORSGUARD ALLOWED_ORIGINS[0]", "CORSGUARD MAX_AGE"]
    assert "'https://a.example.com'" in (by_setting["CORSGUARD ALLOWED_ORIGINS[0]"].hint or "")


def test_e001_not_a_dict() -> None:
    with override_settings(CORSGUARD=["https://a.example.com"]):
        (error,) = only(check_configuration(), "E001")
    assert "settings.CORSGUARD" in error.msg


def test_e001_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOW_CREDENTIALS", "ture")
    with override_settings(CORSGUARD=CREDENTIALED):
        (error,) = only(check_configuration(), "E001")
    assert "environment variable CORSGUARD_ALLOW_CREDENTIALS" in error.msg
    assert "true or false" in (error.hint or "")


def test_e001_in_paths() -> None:
    with override_settings(CORSGUARD={"ALLOWED_ORIGINS": [APP], "PATHS": {"/api/*": {}}}):
        (error,) = only(check_configuration(), "E001")
    assert "PATHS['/api/*']" in error.msg and "'/api/.*'" in (error.hint or "")


def test_e002_unknown_key_with_did_you_mean() -> None:
    with override_settings(CORSGUARD={"ALLOWED_ORIGIN": [APP]}):
        messages = check_configuration()
    (error,) = only(messages, "E002")
    assert "'ALLOWED_ORIGIN'" in error.msg and "ALLOWED_ORIGINS" in (error.hint or "")
    assert "corsguard_django.E001" not in ids(messages)


def test_e003_view_policy_clashes_with_settings() -> None:
    with override_settings(ROOT_URLCONF="tests.django.urls_bad", CORSGUARD=CREDENTIALED):
        (error,) = only(check_configuration(), "E003")
    assert "tests.django.urls_bad.open_view" in error.msg and "ALLOWED_ORIGINS[0]" in error.msg


def test_e004_middleware_missing() -> None:
    with override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware"]):
        (error,) = only(check_installation(), "E004")
    assert MIDDLEWARE_PATH in (error.hint or "")


CORSHEADERS = "corsheaders.middleware.CorsMiddleware"


@pytest.mark.parametrize("order", ["theirs-first", "ours-first"])
def test_e006_two_cors_libraries(order: str) -> None:
    middleware = [CORSHEADERS, MIDDLEWARE_PATH] if order == "theirs-first" else [MIDDLEWARE_PATH, CORSHEADERS]
    with override_settings(MIDDLEWARE=middleware):
        (error,) = only(check_installation(), "E006")
    assert CORSHEADERS in error.msg and "django-cors-headers" in error.msg
    assert f"Remove {CORSHEADERS!r} from MIDDLEWARE" in (error.hint or "")
    assert "corsguard migrate --from django-cors-headers" in (error.hint or "")


def test_e006_a_subclass_of_theirs_counts() -> None:
    subclass = f"{__name__}.ProjectCorsMiddleware"
    with override_settings(MIDDLEWARE=[MIDDLEWARE_PATH, subclass]):
        (error,) = only(check_installation(), "E006")
    assert subclass in error.msg


def test_e006_stops_manage_py_check() -> None:
    with override_settings(MIDDLEWARE=[CORSHEADERS, MIDDLEWARE_PATH]), pytest.raises(SystemCheckError) as raised:
        call_command("check", "--tag", "corsguard")
    assert "corsguard_django.E006" in str(raised.value)


# -- ordering -------------------------------------------------------------------------------------


@pytest.mark.parametrize("middleware", sorted(ANSWERING_MIDDLEWARE))
def test_w001_behind_answering_middleware(middleware: str) -> None:
    with override_settings(MIDDLEWARE=[middleware, MIDDLEWARE_PATH]):
        (warning,) = only(check_installation(), "W001")
    assert middleware in warning.msg and ANSWERING_MIDDLEWARE[middleware] in warning.msg
    assert f"above {middleware!r}" in (warning.hint or "")


def test_w001_subclass_and_project_setting() -> None:
    subclass = f"{__name__}.ProjectCommonMiddleware"
    custom = "myproject.middleware.ApiKeyMiddleware"
    with override_settings(
        MIDDLEWARE=[subclass, custom, MIDDLEWARE_PATH, "django.middleware.csrf.CsrfViewMiddleware"],
        CORSGUARD_ANSWERING_MIDDLEWARE=[custom],
    ):
        warnings = only(check_installation(), "W001")
    assert [subclass in warnings[0].msg, custom in warnings[1].msg] == [True, True]
    assert len(warnings) == 2


def test_w001_quiet_when_first_or_after_security() -> None:
    below = ["django.middleware.security.SecurityMiddleware", MIDDLEWARE_PATH, *sorted(ANSWERING_MIDDLEWARE)]
    with override_settings(MIDDLEWARE=below):
        assert check_installation() == []


# -- credentials traps ----------------------------------------------------------------------------


def test_w002_lax_cookies_cross_site() -> None:
    with override_settings(CORSGUARD=CREDENTIALED, **{**COOKIE_SAFE, "ALLOWED_HOSTS": ["api.example.net"]}):
        warnings = only(check_cookies(), "W002")
    assert {"SESSION_COOKIE_SAMESITE" in w.msg for w in warnings} == {True, False}
    assert all("'None'" in (w.hint or "") for w in warnings)


def test_w002_no_samesite_attribute() -> None:
    overrides = {**COOKIE_SAFE, "ALLOWED_HOSTS": ["api.example.net"], "SESSION_COOKIE_SAMESITE": False}
    with override_settings(CORSGUARD=CREDENTIALED, CSRF_USE_SESSIONS=True, **overrides):
        (warning,) = only(check_cookies(), "W002")
    assert "treat as Lax" in warning.msg


def test_w002_quiet_same_site_or_none_secure() -> None:
    with override_settings(CORSGUARD=CREDENTIALED, **COOKIE_SAFE):
        assert check_cookies() == []
    cross = {
        **COOKIE_SAFE,
        "ALLOWED_HOSTS": ["api.example.net"],
        "SESSION_COOKIE_SAMESITE": "None",
        "CSRF_COOKIE_SAMESITE": "None",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    with override_settings(CORSGUARD=CREDENTIALED, **cross):
        assert check_cookies() == []


def test_w003_missing_from_csrf_trusted_origins() -> None:
    with override_settings(CORSGUARD=CREDENTIALED, **{**COOKIE_SAFE, "CSRF_TRUSTED_ORIGINS": []}):
        (warning,) = only(check_cookies(), "W003")
    assert APP in warning.msg and f"Add {APP!r} to CSRF_TRUSTED_ORIGINS" in (warning.hint or "")


def test_w003_wildcards_and_port_patterns() -> None:
    config = {**CREDENTIALED, "ALLOWED_ORIGINS": [APP, "https://*.example.org", "http://localhost:*"]}
    trusted = ["https://*.example.com", "https://*.example.org"]
    cookies = {**COOKIE_SAFE, "ALLOWED_HOSTS": ["api.example.com", "api.example.org", "localhost"]}
    with override_settings(CORSGUARD=config, **{**cookies, "CSRF_TRUSTED_ORIGINS": trusted}):
        (warning,) = only(check_cookies(), "W003")
    assert "'http://localhost:*'" in warning.msg and "'http://localhost:3000'" in (warning.hint or "")


def test_w004_samesite_none_without_secure() -> None:
    with override_settings(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=False):
        (warning,) = only(check_cookies(), "W004")
    assert "SESSION_COOKIE_SECURE = True" in (warning.hint or "")


def test_w005_nothing_allowed() -> None:
    with override_settings(CORSGUARD={}, ROOT_URLCONF="tests.django.urls_plain"):
        (warning,) = only(check_configuration(), "W005")
    assert "CORSGUARD_ALLOWED_ORIGINS" in (warning.hint or "")


def test_w005_names_a_misnamed_settings_dict() -> None:
    """A newcomer's CORS_GUARD dict loads nothing; the warning says where it
    looked and what it found instead."""
    misnamed = {"ALLOWED_ORIGINS": ["https://app.example.com"]}
    with override_settings(CORSGUARD={}, CORS_GUARD=misnamed, ROOT_URLCONF="tests.django.urls_plain"):
        (warning,) = only(check_configuration(), "W005")
    assert "settings.CORSGUARD['ALLOWED_ORIGINS']" in warning.msg and "'CORS_GUARD'" in warning.msg


def test_w006_csrf_header_not_allowed() -> None:
    with override_settings(CORSGUARD={**CREDENTIALED, "ALLOW_HEADERS": ["content-type"]}, **COOKIE_SAFE):
        (warning,) = only(check_cookies(), "W006")
    assert "'x-csrftoken'" in warning.msg


# -- production hygiene (the core's lint findings) -------------------------------------------------


@pytest.mark.parametrize(
    ("config", "check_id"),
    [
        ({"ALLOWED_ORIGINS": ["*"]}, "W010"),
        ({"ALLOWED_ORIGINS": ["null"]}, "W011"),
        ({"ALLOWED_ORIGINS": ["http://app.example.com"]}, "W012"),
        ({"ALLOWED_ORIGINS": ["http://localhost:3000"]}, "W013"),
        ({"ORIGIN_REGEXES": [r"https://.*example\.com"]}, "W014"),
        ({"ALLOWED_ORIGINS": [APP], "ALLOW_METHODS": ["patch"]}, "W015"),
        ({"ALLOWED_ORIGINS": [APP], "MAX_AGE": 100_000}, "I001"),
    ],
)
def test_hygiene_in_production(config: dict[str, object], check_id: str) -> None:
    with override_settings(DEBUG=False, CORSGUARD={"MAX_AGE": 600, **config}):
        (message,) = only(check_configuration(), check_id)
    assert message.msg.startswith("CORSGUARD ")


def test_hygiene_localhost_allowed_in_development() -> None:
    with override_settings(DEBUG=True, CORSGUARD={"ALLOWED_ORIGINS": ["http://localhost:3000"], "MAX_AGE": 600}):
        assert check_configuration() == []


def test_hygiene_in_path_rules_said_once() -> None:
    paths = {r"/api/.*": {}, r"/x/.*": {"ALLOWED_ORIGINS": ["null"]}}
    config = {"ALLOWED_ORIGINS": ["*"], "MAX_AGE": 600, "PATHS": paths}
    with override_settings(DEBUG=False, CORSGUARD=config):
        messages = check_configuration()
    assert ids(messages) == ["corsguard_django.W010", "corsguard_django.W011"]
    assert messages[1].msg.startswith("CORSGUARD['PATHS']['/x/.*'] ALLOWED_ORIGINS[0] = 'null'")


def test_settings_are_the_test_projects() -> None:
    assert settings.ROOT_URLCONF == "testprojects.django_project.urls"
