"""Preflights are answered before every ``before_request`` hook (app or
blueprint, registered before or after ``init_app``), before
``strict_slashes`` redirects, whether or not the route lists OPTIONS."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, jsonify

from corsguard_flask import cors_policy
from tests.flask.support import ACAC, CUSTOM, TRUSTED, acao, guard, new_app, preflight, vary

CREDENTIALED = {"CORSGUARD_ALLOW_CREDENTIALS": True}


def _deny_all() -> tuple[object, int]:
    return jsonify(error="login required"), 401


def _explode() -> None:
    raise RuntimeError("a hook that would crash on a preflight")


def app_with_hook(where: str, when: str, hook: str) -> tuple[Flask, list[str]]:
    """An app whose hook (returning 401, or raising) sits on the app or a
    blueprint, registered before or after init_app."""
    app = new_app(CREDENTIALED)
    calls: list[str] = []
    bp = Blueprint("api", __name__, url_prefix="/api")

    @bp.route("/private", methods=["GET", "PUT"])
    def private() -> str:
        calls.append("view")
        return "secret"

    function = _deny_all if hook == "401" else _explode

    def counted() -> object:
        calls.append("hook")
        return function()

    target = app if where == "app" else bp
    if when == "before":
        target.before_request(counted)
        guard(app)
    else:
        guard(app)
        target.before_request(counted)
    app.register_blueprint(bp)
    return app, calls


@pytest.mark.parametrize("where", ["app", "blueprint"])
@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("hook", ["401", "raises"])
def test_preflight_never_reaches_a_hook(where: str, when: str, hook: str) -> None:
    app, calls = app_with_hook(where, when, hook)
    answer = app.test_client().options("/api/private", headers=preflight(TRUSTED, "PUT", "authorization"))
    assert answer.status_code == 204
    assert acao(answer) == [TRUSTED]
    assert answer.headers[ACAC] == "true"
    assert calls == []


@pytest.mark.parametrize("where", ["app", "blueprint"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_the_hooks_401_is_readable_by_the_allowed_origin(where: str, when: str) -> None:
    app, calls = app_with_hook(where, when, "401")
    response = app.test_client().get("/api/private", headers={"Origin": TRUSTED})
    assert response.status_code == 401
    assert acao(response) == [TRUSTED]
    assert response.headers[ACAC] == "true"
    assert calls == ["hook"]


def test_preflight_not_redirected_by_strict_slashes() -> None:
    app = new_app()

    @app.route("/folder/")
    @cors_policy(allowed_origins=[CUSTOM])
    def folder() -> str:
        return "folder"

    client = guard(app).test_client()
    answer = client.options("/folder", headers=preflight(CUSTOM, "PUT"))
    assert answer.status_code == 204
    # The redirect's target view decides: its policy, not the app's.
    assert acao(answer) == [CUSTOM]
    assert client.options("/folder", headers=preflight(TRUSTED, "GET", "x-requested-with")).status_code == 403


def test_redirect_response_carries_the_targets_headers() -> None:
    app = new_app()

    @app.route("/folder/")
    @cors_policy(allowed_origins=[CUSTOM])
    def folder() -> str:
        return "folder"

    response = guard(app).test_client().get("/folder", headers={"Origin": CUSTOM})
    assert response.status_code in (301, 308)
    assert acao(response) == [CUSTOM]
    assert "origin" in vary(response)


@pytest.mark.parametrize("automatic_options", [True, False])
def test_preflight_answered_whether_or_not_the_route_lists_options(automatic_options: bool) -> None:
    app = new_app()
    calls: list[str] = []

    @app.route("/upload", methods=["PUT"], provide_automatic_options=automatic_options)
    def upload() -> str:
        calls.append("view")
        return "ok"

    answer = guard(app).test_client().options("/upload", headers=preflight(TRUSTED, "PUT", "content-type"))
    assert answer.status_code == 204
    assert acao(answer) == [TRUSTED]
    assert calls == []


def test_preflight_opens_no_session() -> None:
    app = new_app({"SECRET_KEY": "x", **CREDENTIALED})

    @app.route("/counter", methods=["POST"])
    def counter() -> str:
        return "counted"

    answer = guard(app).test_client().options("/counter", headers=preflight(TRUSTED, "POST", "content-type"))
    assert answer.status_code == 204
    assert "Set-Cookie" not in answer.headers
    assert "cookie" not in vary(answer)
