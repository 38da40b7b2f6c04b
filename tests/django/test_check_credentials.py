"""The credentials checks (W002, W003) for every way an origin is written,
every API host, and the texts they print; E003 and the admin's texts.

W003 is judged by Django's own CSRF middleware: a credentialed POST with a
valid token from the origin is refused with 403 exactly when the check says so.
"""

from __future__ import annotations

import os

import pytest
from django.core.checks import CheckMessage
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.configuration import check_configuration
from corsguard_django.checks.cookies import check_cookies
from corsguard_django.origins.validators import validate_origin, validate_under_settings

FRONT = "https://app.example.com"
REGEX = r"https://[a-z0-9-]+\.example\.com"
TOKEN = "a" * 32  # an unmasked CSRF secret, accepted as cookie and header alike


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)


def by_id(messages: list[CheckMessage], check_id: str) -> list[CheckMessage]:
    return [message for message in messages if message.id == "corsguard_django." + check_id]


def credentialed_post(trusted: list[str]) -> int:
    """A POST from FRONT to the API on api.example.net, with a valid token."""
    with override_settings(
        MIDDLEWARE=[MIDDLEWARE_PATH, "django.middleware.csrf.CsrfViewMiddleware"],
        ROOT_URLCONF="tests.django.stacks",
        CSRF_TRUSTED_ORIGINS=trusted,
    ):
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = TOKEN
        response = client.post(
            "/api/submit/", HTTP_ORIGIN=FRONT, HTTP_X_CSRFTOKEN=TOKEN, HTTP_HOST="api.example.net", secure=True
        )
    assert response["Access-Control-Allow-Origin"] == FRONT
    return response.status_code


@pytest.mark.parametrize(
    "origins", [{"ORIGIN_REGEXES": [REGEX]}, {"ALLOWED_ORIGINS": ["https://*.example.com"]}], ids=["regex", "entry"]
)
def test_regex_and_entry_get_the_same_warnings(origins: dict[str, list[str]]) -> None:
    config = {**origins, "ALLOW_CREDENTIALS": True}
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=["api.example.net"], CSRF_TRUSTED_ORIGINS=[]):
        messages = check_cookies()
        refused = credentialed_post([])
    assert [message.id.rsplit(".", 1)[1] for message in messages] == ["W002", "W002", "W003"]
    assert refused == 403
    (w003,) = by_id(messages, "W003")
    assert "Add 'https://*.example.com' to CSRF_TRUSTED_ORIGINS" in (w003.hint or "")
    if "ORIGIN_REGEXES" in origins:
        assert REGEX in w003.msg and REGEX in by_id(messages, "W002")[0].msg


def test_regex_trusted_by_csrf_wildcard_is_quiet() -> None:
    config = {"ORIGIN_REGEXES": [REGEX], "ALLOW_CREDENTIALS": True}
    trusted = ["https://*.example.com"]
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=["api.example.com"], CSRF_TRUSTED_ORIGINS=trusted):
        messages = check_cookies()
        accepted = credentialed_post(trusted)
    assert accepted == 200
    assert messages == []


def test_regex_of_whole_hosts() -> None:
    config = {"ORIGIN_REGEXES": [r"https://(app|admin)\.example\.com"], "ALLOW_CREDENTIALS": True}
    trusted = ["https://app.example.com"]
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=["api.example.com"], CSRF_TRUSTED_ORIGINS=trusted):
        (w003,) = check_cookies()
    assert "Add 'https://admin.example.com' to CSRF_TRUSTED_ORIGINS" in (w003.hint or "")


def test_extra_allowed_host_does_not_hide_a_cross_site_api() -> None:
    """www.example.com shares the front-end's site; api.example.net does not,
    and requests to it go without the Lax cookies."""
    config = {"ALLOWED_ORIGINS": [FRONT], "ALLOW_CREDENTIALS": True}
    hosts = ["api.example.net", "www.example.com"]
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=hosts, CSRF_TRUSTED_ORIGINS=[FRONT]):
        warnings = by_id(check_cookies(), "W002")
    assert len(warnings) == 2
    assert all("'api.example.net'" in warning.msg and "www.example.com" not in warning.msg for warning in warnings)


def test_health_check_hosts_are_not_api_hosts() -> None:
    config = {"ALLOWED_ORIGINS": [FRONT, "http://localhost:3000"], "ALLOW_CREDENTIALS": True}
    hosts = ["api.example.com", "localhost", "10.0.0.5", "internal"]
    trusted = [FRONT, "http://localhost:3000"]
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=hosts, CSRF_TRUSTED_ORIGINS=trusted):
        assert check_cookies() == []


def test_api_reached_by_address_only() -> None:
    config = {"ALLOWED_ORIGINS": [FRONT], "ALLOW_CREDENTIALS": True}
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=["10.0.0.5"], CSRF_TRUSTED_ORIGINS=[FRONT]):
        warnings = by_id(check_cookies(), "W002")
    assert len(warnings) == 2 and all("'10.0.0.5'" in warning.msg for warning in warnings)


def test_w002_lists_origins_as_a_list() -> None:
    origins = [FRONT, "https://*.example.com", "https://admin.example.org"]
    config = {"ALLOWED_ORIGINS": origins, "ALLOW_CREDENTIALS": True}
    with override_settings(CORSGUARD=config, ALLOWED_HOSTS=["api.example.net"], CSRF_TRUSTED_ORIGINS=origins):
        session, _ = by_id(check_cookies(), "W002")
    assert (
        "the credentialed origins 'https://app.example.com', 'https://*.example.com' and "
        "'https://admin.example.org' are cross-site to the API host 'api.example.net' (ALLOWED_HOSTS)"
    ) in session.msg
    with override_settings(CORSGUARD={**config, "ALLOWED_ORIGINS": [FRONT]}, ALLOWED_HOSTS=["api.example.net"]):
        one, _ = by_id(check_cookies(), "W002")
    assert "the credentialed origin 'https://app.example.com' is cross-site" in one.msg
    assert "that front-end's requests to that host" in one.msg


# -- E003 and the admin ---------------------------------------------------------------------------


def test_e003_says_the_value_once_and_the_views_fix() -> None:
    config = {"ALLOWED_ORIGINS": [FRONT], "ALLOW_CREDENTIALS": True}
    with override_settings(ROOT_URLCONF="tests.django.urls_bad", CORSGUARD=config):
        (error,) = by_id(check_configuration(), "E003")
    assert "'*' (any origin) cannot be combined" in error.msg and "'*' '*'" not in error.msg
    assert "allow_credentials=False" in (error.hint or "")
    assert (error.hint or "")[0].isupper()


def test_e003_fix_works() -> None:
    config = {"ALLOWED_ORIGINS": [FRONT], "ALLOW_CREDENTIALS": True}
    with override_settings(ROOT_URLCONF="tests.django.urls_open_no_credentials", CORSGUARD=config):
        assert by_id(check_configuration(), "E003") == []
        response = Client().get("/open", HTTP_ORIGIN="https://other.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    ("value", "expected"),
    [("https://app.example.com/", "ends with a slash. Write 'https://app.example.com'.")],
)
def test_admin_message_is_sentences(value: str, expected: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_origin(value)
    assert raised.value.messages[0].endswith(expected)


def test_admin_message_under_settings_is_sentences() -> None:
    config = {"ALLOWED_ORIGINS": [FRONT], "ALLOW_CREDENTIALS": True}
    with override_settings(CORSGUARD=config), pytest.raises(ValidationError) as raised:
        validate_under_settings("http://shop.example.com")
    message = raised.value.messages[0]
    assert ". Use https://" in message and ". use" not in message
