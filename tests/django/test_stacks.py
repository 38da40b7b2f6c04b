"""The installation checks judged by what requests through real stacks do.

Each stack is a real project's middleware (WhiteNoise, allauth,
debug-toolbar, django-csp, ``LoginRequiredMiddleware``) with corsguard in
the places a new user put it. Requests go through Django's test client; a
W001 must name exactly the middleware whose answers came out without
corsguard's headers, and no E004 may fire while responses carry them.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import CheckMessage
from django.core.management import call_command
from django.test import Client, override_settings

from corsguard._engine import log
from corsguard_django import MIDDLEWARE_PATH
from corsguard_django.checks.installation import check_installation
from tests.django import stacks

APP = "https://app.example.com"
EVIL = "https://evil.example.net"
ACAO = "Access-Control-Allow-Origin"
WRAPPER = "tests.django.stacks.CorsWrapper"
FACTORY = "tests.django.stacks.cors_factory"
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
LOGIN = "django.contrib.auth.middleware.LoginRequiredMiddleware"
STACK = [
    "django.middleware.security.SecurityMiddleware",
    WHITENOISE,
    "django.contrib.sessions.middleware.SessionMiddleware",
    COMMON,
    CSRF,
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    LOGIN,
    "csp.middleware.CSPMiddleware",
    "debug_toolbar.middleware.DebugToolbarMiddleware",
]
PLACES = {
    "first": (0, MIDDLEWARE_PATH),
    "after-whitenoise": (2, MIDDLEWARE_PATH),
    "after-common": (4, MIDDLEWARE_PATH),
    "last": (len(STACK), MIDDLEWARE_PATH),
    "wrapped-first": (0, WRAPPER),
    "wrapped-last": (len(STACK), WRAPPER),
    "factory-last": (len(STACK), FACTORY),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The project's settings: credentials for APP, a static file, the apps."""
    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)
    (tmp_path / "app.js").write_text("console.log(1)")
    apps = [*settings.INSTALLED_APPS, "django.contrib.staticfiles", "allauth", "allauth.account", "debug_toolbar"]
    # The apps load with the settings already in place: allauth refuses to
    # load unless its middleware is listed, debug-toolbar without STATIC_URL.
    with (
        override_settings(
            MIDDLEWARE=STACK,
            ROOT_URLCONF="tests.django.stacks",
            CORSGUARD={"ALLOWED_ORIGINS": [APP], "ALLOW_CREDENTIALS": True},
            CSRF_TRUSTED_ORIGINS=[APP],
            STATIC_URL="/static/",
            STATIC_ROOT=str(tmp_path),
            WHITENOISE_ALLOW_ALL_ORIGINS=False,
            APPEND_SLASH=True,
        ),
        override_settings(INSTALLED_APPS=apps),
    ):
        yield tmp_path


def w001_entries(messages: list[CheckMessage]) -> set[str]:
    """The middleware each W001 says corsguard comes after."""
    found = set()
    for message in messages:
        if message.id == "corsguard_django.W001":
            found.add(message.msg.split(" comes after ", 1)[1].split(" in MIDDLEWARE", 1)[0])
    return found


def ids(messages: list[CheckMessage]) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_checks_name_what_requests_show(project: Path, place: str) -> None:
    index, entry = PLACES[place]
    middleware = [*STACK[:index], entry, *STACK[index:]]
    with override_settings(MIDDLEWARE=middleware):
        client = Client(enforce_csrf_checks=True)
        preflight = client.options("/api/items/", HTTP_ORIGIN=APP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT")
        slash = client.get("/api/items", HTTP_ORIGIN=APP)
        refused_csrf = client.post("/api/submit/", HTTP_ORIGIN=APP)
        login = client.get("/api/private/", HTTP_ORIGIN=APP)
        static_preflight = client.options(
            "/static/app.js",
            HTTP_ORIGIN=APP,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-requested-with",
        )
        static = client.get("/static/app.js", HTTP_ORIGIN=APP)
        messages = check_installation()
    # What works wherever corsguard sits: its own preflights, and the answers
    # CSRF and LoginRequiredMiddleware give from process_view.
    assert preflight.status_code == 204 and preflight[ACAO] == APP
    assert (refused_csrf.status_code, refused_csrf.get(ACAO)) == (403, APP)
    assert (login.status_code, login.get(ACAO)) == (302, APP)
    assert slash.status_code == 301 and static.status_code == 200
    broken = set()
    if ACAO not in slash:
        broken.add(COMMON)
    if static_preflight.status_code != 204 or static.get(ACAO) != APP:
        broken.add(WHITENOISE)
    assert "corsguard_django.E004" not in ids(messages)
    assert w001_entries(messages) == broken, [message.msg for message in messages]
    assert bool(broken) == (place not in ("first", "wrapped-first")), broken


def test_wrapper_named_in_w001(project: Path) -> None:
    with override_settings(MIDDLEWARE=[COMMON, WRAPPER]):
        (warning,) = check_installation()
    assert warning.id == "corsguard_django.W001" and f"{WRAPPER} (corsguard) comes after {COMMON}" in warning.msg
    assert f"Move {WRAPPER!r} above {COMMON!r}" in (warning.hint or "")
    assert "301" in warning.msg and "actual request" in warning.msg


def test_wrapper_first_passes_manage_py_check(project: Path) -> None:
    """No false E004: `manage.py check` (and so `migrate`) succeeds."""
    with override_settings(MIDDLEWARE=[WRAPPER, *STACK]):
        call_command("check", "--tag", "corsguard", "--fail-level", "ERROR", stdout=io.StringIO())


def test_e004_still_fires_without_corsguard_anywhere(project: Path) -> None:
    with override_settings(MIDDLEWARE=STACK):
        response = Client().get("/api/items/", HTTP_ORIGIN=APP)
        messages = check_installation()
    assert ACAO not in response
    assert ids(messages) == ["corsguard_django.E004"]


# -- WhiteNoise's own Access-Control-Allow-Origin: * --------------------------------------------------


@pytest.mark.parametrize("order", ["corsguard-first", "whitenoise-first"])
def test_whitenoise_star_wins_over_the_policy(project: Path, order: str) -> None:
    middleware = [MIDDLEWARE_PATH, WHITENOISE] if order == "corsguard-first" else [WHITENOISE, MIDDLEWARE_PATH]
    with override_settings(MIDDLEWARE=middleware, WHITENOISE_ALLOW_ALL_ORIGINS=True):
        client = Client()
        refused = client.get("/static/app.js", HTTP_ORIGIN=EVIL)
        allowed = client.get("/static/app.js", HTTP_ORIGIN=APP)
        messages = check_installation()
    # A refused origin reads the file, and a credentialed fetch of it fails
    # (browsers refuse '*' with credentials).
    assert refused[ACAO] == "*" and allowed[ACAO] == "*"
    (warning,) = [message for message in messages if message.id == "corsguard_django.W007"]
    assert "WHITENOISE_ALLOW_ALL_ORIGINS = False" in (warning.hint or "")
    if order == "whitenoise-first":
        (w001,) = [message for message in messages if message.id == "corsguard_django.W001"]
        assert "Access-Control-Allow-Origin: *" in w001.msg and "without CORS headers" not in w001.msg


def test_whitenoise_without_star_under_corsguard_is_quiet(project: Path) -> None:
    with override_settings(MIDDLEWARE=[MIDDLEWARE_PATH, WHITENOISE]):
        client = Client()
        refused = client.get("/static/app.js", HTTP_ORIGIN=EVIL)
        allowed = client.get("/static/app.js", HTTP_ORIGIN=APP)
        messages = check_installation()
    assert ACAO not in refused and allowed[ACAO] == APP
    assert messages == []


def test_whitenoise_w001_text_without_star(project: Path) -> None:
    with override_settings(MIDDLEWARE=[WHITENOISE, MIDDLEWARE_PATH]):
        static = Client().get("/static/app.js", HTTP_ORIGIN=APP)
        (warning,) = check_installation()
    assert ACAO not in static
    assert "without CORS headers" in warning.msg and "405" in warning.msg


# -- the cache ------------------------------------------------------------------------------------


UPDATE = "django.middleware.cache.UpdateCacheMiddleware"
FETCH = "django.middleware.cache.FetchFromCacheMiddleware"
BOTH = "django.middleware.cache.CacheMiddleware"
CACHE_STACKS = {
    "documented": [UPDATE, MIDDLEWARE_PATH, COMMON, FETCH],
    "all-above": [UPDATE, FETCH, MIDDLEWARE_PATH],
    "cache-above": [BOTH, MIDDLEWARE_PATH],
    "cache-below": [MIDDLEWARE_PATH, BOTH],
    "stored-below": [FETCH, MIDDLEWARE_PATH, UPDATE],
}


@pytest.mark.parametrize("arrangement", sorted(CACHE_STACKS))
def test_cache_warned_exactly_when_origins_get_wrong_answers(
    project: Path, arrangement: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Entries stored above corsguard carry its Vary: Origin, which keys them
    by origin (Django's documented order puts UpdateCache first); entries
    stored below it and served above it have no CORS headers at all. An
    entry that comes back through corsguard with its own headers is not
    "the application's own CORS headers" (B5.5): no log line."""
    log.forget()
    caplog.set_level(logging.WARNING, logger="corsguard")
    cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": arrangement}}
    with override_settings(MIDDLEWARE=CACHE_STACKS[arrangement], CACHES=cache, CACHE_MIDDLEWARE_SECONDS=60):
        client = Client()
        before = stacks.HITS["items"]
        origins = (None, APP, EVIL, None, APP, EVIL)
        answers = [client.get("/api/items/", **({"HTTP_ORIGIN": origin} if origin else {})) for origin in origins]
        hits = stacks.HITS["items"] - before
        messages = check_installation()
    assert hits < len(origins), "the cache answered"
    wrong = [answer.get(ACAO) for answer in answers] != [None, APP, None, None, APP, None]
    assert wrong == (arrangement == "stored-below")
    assert ids(messages) == (["corsguard_django.W001"] if wrong else [])
    if wrong:
        assert f"stored by {UPDATE} below corsguard" in messages[0].msg
    assert not [record for record in caplog.records if "already set" in record.getMessage()]


# -- subclasses -----------------------------------------------------------------------------------


def test_subclass_answering_early_is_named(project: Path) -> None:
    early = "tests.django.stacks.EarlyCsrfMiddleware"
    with override_settings(MIDDLEWARE=[early, MIDDLEWARE_PATH]):
        refused = Client().post("/api/submit/", HTTP_ORIGIN=APP)
        (warning,) = check_installation()
    assert refused.status_code == 403 and ACAO not in refused
    assert f"{early} is a subclass of {CSRF} that defines EarlyCsrfMiddleware.process_request" in warning.msg
    assert f"above {early!r}" in (warning.hint or "")


def test_subclass_answering_from_process_view_is_quiet(project: Path) -> None:
    api_login = "tests.django.stacks.ApiLoginRequiredMiddleware"
    stack = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        api_login,
        MIDDLEWARE_PATH,
    ]
    with override_settings(MIDDLEWARE=stack):
        refused = Client().get("/api/private/", HTTP_ORIGIN=APP)
        messages = check_installation()
    assert (refused.status_code, refused.get(ACAO)) == (401, APP)
    assert messages == []


def test_subclass_of_common_names_both(project: Path) -> None:
    subclass = "tests.django.stacks.ProjectCommonMiddleware"
    with override_settings(MIDDLEWARE=[subclass, MIDDLEWARE_PATH]):
        slash = Client().get("/api/items", HTTP_ORIGIN=APP)
        (warning,) = check_installation()
    assert slash.status_code == 301 and ACAO not in slash
    assert f"after {subclass} in MIDDLEWARE" in warning.msg and f"{subclass} is a subclass of {COMMON}" in warning.msg
