"""Start-up advice for Flask apps that load cleanly and still break (issue 20, items 2 and 9).

Each warning is shown next to the request it is about: the refused origin,
the CSRF refusal, the cookie the browser keeps back (that one needs a
browser: tests/browser/test_flask_cookies.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Blueprint, Flask, session
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect, generate_csrf

from corsguard_flask import CorsGuard
from corsguard_flask.advice import advice
from tests.flask.support import ACAH, TRUSTED, acao

CREDENTIALED = {"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED], "CORSGUARD_ALLOW_CREDENTIALS": True, "SECRET_KEY": "test"}


def started(config: dict[str, Any], caplog: pytest.LogCaptureFixture, *extensions: Any) -> tuple[Flask, str]:
    """An app with ``config``, corsguard, then ``extensions``; what was logged by its first request."""
    app = Flask(__name__)
    app.config.update(config)

    @app.route("/api/me", methods=["GET", "POST"])
    def me() -> dict[str, Any]:
        session["seen"] = True
        return {"token": generate_csrf()} if "WTF_CSRF_ENABLED" in app.config else {}

    with caplog.at_level(logging.WARNING, logger="corsguard"):
        CorsGuard(app, env={})
        for extension in extensions:
            extension(app)
        app.test_client().get("/api/me")
    return app, caplog.text


def ids(app: Flask) -> list[str]:
    state = app.extensions["corsguard"]
    return sorted(item.id.rpartition(".")[2] for item in advice(app, state.pipeline))


def test_flask_cors_keys_are_named_at_start_up_and_the_origin_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    """Item 2: the start-up line says what was looked for, what was found, and the fix."""
    app, said = started({"CORS_ORIGINS": [TRUSTED], "CORS_SUPPORTS_CREDENTIALS": True}, caplog)
    assert acao(app.test_client().get("/api/me", headers={"Origin": TRUSTED})) == []
    assert said.count("corsguard_flask.W005") == 1
    assert "Looked for CORSGUARD_* keys in app.config" in said
    assert "found 'CORS_ORIGINS', 'CORS_SUPPORTS_CREDENTIALS', which corsguard does not read" in said
    assert "`corsguard migrate --from flask-cors --flask-app MODULE:APP`" in said
    assert "CORS_ORIGINS -> CORSGUARD_ALLOWED_ORIGINS" in said


def test_nothing_configured_names_the_flask_key(caplog: pytest.LogCaptureFixture) -> None:
    _, said = started({}, caplog)
    assert "corsguard_flask.W005" in said and "app.config['CORSGUARD_ALLOWED_ORIGINS']" in said
    assert "found" not in said


def test_session_cookie_of_a_cross_site_front_end(caplog: pytest.LogCaptureFixture) -> None:
    """Item 9, W002: Django's wording, Flask's settings; SERVER_NAME says where the API is."""
    app, said = started({**CREDENTIALED, "SERVER_NAME": "api.example.net"}, caplog)
    assert ids(app) == ["W002"]
    assert (
        f"ALLOW_CREDENTIALS is on and the credentialed origin {TRUSTED!r} is cross-site to the API host "
        "'api.example.net' (SERVER_NAME), but SESSION_COOKIE_SAMESITE is None (no SameSite attribute, which "
        "browsers treat as Lax): the browser will not send the session cookie with that front-end's requests to "
        "that host. Hint: Set SESSION_COOKIE_SAMESITE = 'None' and SESSION_COOKIE_SECURE = True (HTTPS), or serve "
        "the front-end from the same site as the API."
    ) in said
    response = app.test_client().get("/api/me", base_url="http://api.example.net", headers={"Origin": TRUSTED})
    assert "SameSite" not in response.headers["Set-Cookie"]  # what Chromium then treats as Lax


def test_same_site_or_samesite_none_is_not_warned(caplog: pytest.LogCaptureFixture) -> None:
    same_site, _ = started({**CREDENTIALED, "SERVER_NAME": "api.example.com"}, caplog)
    assert ids(same_site) == []
    fixed = {**CREDENTIALED, "SERVER_NAME": "api.example.net", "SESSION_COOKIE_SAMESITE": "None"}
    app, _ = started({**fixed, "SESSION_COOKIE_SECURE": True}, caplog)
    assert ids(app) == []
    insecure, said = started(fixed, caplog)
    assert ids(insecure) == ["W004"]
    assert "SESSION_COOKIE_SAMESITE is 'None' but SESSION_COOKIE_SECURE is False" in said


def test_unknown_api_site_is_said_and_loopback_front_ends_are_left_out(caplog: pytest.LogCaptureFixture) -> None:
    app, said = started(CREDENTIALED, caplog)
    assert ids(app) == ["W002"]
    assert "is cross-site to this API unless the API is served on their site (SERVER_NAME is not set" in said
    local, _ = started({**CREDENTIALED, "CORSGUARD_ALLOWED_ORIGINS": ["http://localhost:3000"]}, caplog)
    assert ids(local) == []


def test_flask_login_remember_cookie_is_checked_when_set_up_after_init_app(caplog: pytest.LogCaptureFixture) -> None:
    """Flask-Login set up after corsguard: said at the first request, once."""
    config = {**CREDENTIALED, "SERVER_NAME": "api.example.net", "SESSION_COOKIE_SAMESITE": "None"}
    app, said = started({**config, "SESSION_COOKIE_SECURE": True}, caplog, LoginManager)
    assert ids(app) == ["W002"]
    assert said.count("REMEMBER_COOKIE_SAMESITE is None") == 1
    assert "the browser will not send the Flask-Login remember cookie" in said
    assert "Set REMEMBER_COOKIE_SAMESITE = 'None' and REMEMBER_COOKIE_SECURE = True (HTTPS)" in said


def test_no_credentials_no_cookie_advice(caplog: pytest.LogCaptureFixture) -> None:
    app, said = started({"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED], "SERVER_NAME": "api.example.net"}, caplog)
    assert ids(app) == [] and "corsguard_flask" not in said


def csrf_post(app: Flask) -> Any:
    """The front-end's credentialed POST: session cookie and token from a GET, then the POST."""
    client = app.test_client()
    base = "https://api.example.net"
    token = client.get("/api/me", base_url=base, headers={"Origin": TRUSTED}).get_json()["token"]
    headers = {"Origin": TRUSTED, "Referer": f"{TRUSTED}/page", "X-CSRFToken": token}
    return client.post("/api/me", base_url=base, headers=headers)


def test_flask_wtf_strict_referrer_check_refuses_the_front_end(caplog: pytest.LogCaptureFixture) -> None:
    """Item 9, W003: the warning, and the 400 the front-end's POST gets."""
    config = {**CREDENTIALED, "WTF_CSRF_ENABLED": True, "SERVER_NAME": "api.example.net"}
    app, said = started(config, caplog, CSRFProtect)
    assert ids(app) == ["W002", "W003"]
    assert f"Credentialed origin {TRUSTED!r} fails Flask-WTF's CSRF check" in said
    assert "Hint: Set WTF_CSRF_SSL_STRICT = False" in said
    refused = csrf_post(app)
    assert refused.status_code == 400 and b"The referrer does not match the host." in refused.data
    assert acao(refused) == [TRUSTED]  # CORS is fine: the page reads the 400

    relaxed, _ = started({**config, "WTF_CSRF_SSL_STRICT": False}, caplog, CSRFProtect)
    assert ids(relaxed) == ["W002"]
    assert csrf_post(relaxed).status_code == 200


def test_flask_wtf_token_header_must_be_allowed(caplog: pytest.LogCaptureFixture) -> None:
    config = {**CREDENTIALED, "WTF_CSRF_ENABLED": True, "WTF_CSRF_SSL_STRICT": False, "SERVER_NAME": "api.example.com"}
    app, said = started({**config, "CORSGUARD_ALLOW_HEADERS": ["content-type"]}, caplog, CSRFProtect)
    assert ids(app) == ["W006"]
    assert re.search(r"none of the request headers 'x-csrftoken', 'x-csrf-token' \(WTF_CSRF_HEADERS\)", said)
    preflight = {
        "Origin": TRUSTED,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-csrftoken",
    }
    response = app.test_client().options("/api/me", base_url="https://api.example.com", headers=preflight)
    # The browser fails the preflight: the header it asked for is not allowed back.
    assert "x-csrftoken" not in response.headers.get(ACAH, "").lower()


def test_a_blueprint_registered_after_init_app_that_allows_origins_is_not_warned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The factory layout: the app's settings allow nothing, its blueprint does."""
    cors = CorsGuard()
    api = Blueprint("api", __name__, url_prefix="/api")
    cors.init_blueprint(api, allowed_origins=[TRUSTED])

    @api.route("/items")
    def items() -> str:
        return "items"

    app = Flask(__name__)
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        cors.init_app(app, env={})
        app.register_blueprint(api)
        response = app.test_client().get("/api/items", headers={"Origin": TRUSTED})
    assert acao(response) == [TRUSTED]
    assert "allows no origin" not in caplog.text
    assert ids(app) == []


def test_regex_origins_with_credentials_are_front_ends_too(caplog: pytest.LogCaptureFixture) -> None:
    """Their literal host tails stand for them, as in Django's checks."""
    config = {**CREDENTIALED, "CORSGUARD_ALLOWED_ORIGINS": [], "SERVER_NAME": "api.example.net"}
    app, said = started({**config, "CORSGUARD_ORIGIN_REGEXES": [r"https://[a-z]+\.example\.com"]}, caplog)
    assert ids(app) == ["W002"]
    assert (
        "the credentialed origin ORIGIN_REGEXES r'https://[a-z]+\\.example\\.com' (hosts 'https://*.example.com')"
        in said
    )
    same_site, _ = started(
        {**config, "SERVER_NAME": "api.example.com", "CORSGUARD_ORIGIN_REGEXES": [r"https://[a-z]+\.example\.com"]},
        caplog,
    )
    assert ids(same_site) == []
