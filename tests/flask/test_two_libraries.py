"""init_app warns when flask-cors is hooked into the same app, and says which to remove."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint, Flask
from flask_cors import CORS, cross_origin

from corsguard_flask import CorsGuard

APP = "https://app.example.com"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "flask-cors" in r.getMessage()]


def test_cors_app_wide_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask("two_layers")
    app.get("/api")(lambda: "ok")
    CORS(app)
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        CorsGuard(app, allowed_origins=[APP])
    (message,) = warnings_of(caplog)
    assert "after_request hook (app-wide)" in message and "'two_layers'" in message
    assert "remove flask-cors from this app" in message
    assert "corsguard migrate --from flask-cors" in message
    # What the warning is about: flask-cors' allow-everything default wins.
    response = app.test_client().get("/api", headers={"Origin": "https://evil.example"})
    assert response.headers.get("Access-Control-Allow-Origin") in {"*", "https://evil.example"}


def test_cross_origin_views_and_blueprints_are_reported(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask("decorated")
    blueprint = Blueprint("partners", __name__)
    blueprint.get("/partners")(lambda: "ok")
    CORS(blueprint)

    @app.get("/open")
    @cross_origin()
    def open_view() -> str:
        return "ok"

    app.register_blueprint(blueprint)
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        CorsGuard(app, allowed_origins=[APP])
    messages = warnings_of(caplog)
    assert len(messages) == 2
    assert any("the view 'open_view', wrapped by @cross_origin" in m for m in messages)
    assert any("blueprint 'partners'" in m for m in messages)


def test_an_app_without_flask_cors_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask("alone")

    @app.get("/api")
    def api() -> str:
        return "ok"

    @app.after_request
    def own_hook(response: object) -> object:
        return response

    with caplog.at_level(logging.WARNING, logger="corsguard"):
        CorsGuard(app, allowed_origins=[APP])
    assert warnings_of(caplog) == []
