"""Every error response is readable by an allowed page: abort(4xx),
unhandled exceptions, custom error handlers, 404/405 from routing, with
PROPAGATE_EXCEPTIONS off and, as far as a response exists, on."""

from __future__ import annotations

import pytest
from flask import Flask, abort, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from corsguard_flask import cors_policy
from tests.flask.support import CUSTOM, TRUSTED, UNTRUSTED, acao, guard, new_app, vary


class Boom(Exception):
    pass


def error_app(propagate: bool) -> Flask:
    app = new_app({"PROPAGATE_EXCEPTIONS": propagate})

    @app.route("/abort/<int:code>")
    def aborting(code: int) -> str:
        abort(code)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    @app.route("/handled")
    def handled() -> str:
        raise Boom

    @app.errorhandler(Boom)
    def on_boom(error: Boom) -> tuple[object, int]:
        return jsonify(error="boom handled"), 409

    @app.route("/only-get")
    @cors_policy(allowed_origins=[CUSTOM])
    def only_get() -> str:
        return "x"

    return guard(app)


@pytest.mark.parametrize("propagate", [False, True])
@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 418, 429])
def test_abort_has_headers(propagate: bool, code: int) -> None:
    response = error_app(propagate).test_client().get(f"/abort/{code}", headers={"Origin": TRUSTED})
    assert response.status_code == code
    assert acao(response) == [TRUSTED]


@pytest.mark.parametrize("propagate", [False, True])
def test_routing_404_and_405_have_headers(propagate: bool) -> None:
    client = error_app(propagate).test_client()
    missing = client.get("/nowhere", headers={"Origin": TRUSTED})
    assert missing.status_code == 404
    assert acao(missing) == [TRUSTED]
    # The 405 is answered with the policy of the view at that URL.
    wrong_method = client.post("/only-get", headers={"Origin": CUSTOM})
    assert wrong_method.status_code == 405
    assert acao(wrong_method) == [CUSTOM]


@pytest.mark.parametrize("propagate", [False, True])
def test_exception_handler_response_has_headers(propagate: bool) -> None:
    response = error_app(propagate).test_client().get("/handled", headers={"Origin": TRUSTED})
    assert response.status_code == 409
    assert response.json == {"error": "boom handled"}
    assert acao(response) == [TRUSTED]


def test_unhandled_exception_500_has_headers_when_not_propagating() -> None:
    response = error_app(False).test_client().get("/boom", headers={"Origin": TRUSTED})
    assert response.status_code == 500
    assert acao(response) == [TRUSTED]
    assert "origin" in vary(response)


def test_refused_origin_gets_the_500_without_cors_headers() -> None:
    response = error_app(False).test_client().get("/boom", headers={"Origin": UNTRUSTED})
    assert response.status_code == 500
    assert acao(response) == []
    assert "origin" in vary(response)


def test_unhandled_exception_propagates_unchanged_when_propagating() -> None:
    """With PROPAGATE_EXCEPTIONS (TESTING, DEBUG) Flask makes no response: the
    exception leaves the app, and corsguard does not swallow or alter it."""
    client = error_app(True).test_client()
    with pytest.raises(RuntimeError, match="boom"):
        client.get("/boom", headers={"Origin": TRUSTED})


@pytest.mark.parametrize("register", ["code", "class", "http-exception"])
def test_custom_500_and_404_handlers_have_headers(register: str) -> None:
    app = new_app({"PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    def page(error: HTTPException) -> tuple[object, int]:
        return jsonify(error=error.name), error.code or 500

    if register == "code":
        app.register_error_handler(500, page)
        app.register_error_handler(404, page)
    elif register == "class":
        app.register_error_handler(InternalServerError, page)
        app.register_error_handler(404, page)
    else:
        app.register_error_handler(HTTPException, page)
    client = guard(app).test_client()
    for path, status in (("/boom", 500), ("/nowhere", 404)):
        response = client.get(path, headers={"Origin": TRUSTED})
        assert response.status_code == status
        assert response.is_json
        assert acao(response) == [TRUSTED]


def test_after_request_hook_that_raises_still_gets_headers_on_the_500() -> None:
    app = new_app({"PROPAGATE_EXCEPTIONS": False})

    @app.route("/ok")
    def ok() -> str:
        return "ok"

    @app.after_request
    def broken(response: object) -> object:
        raise RuntimeError("after_request bug")

    response = guard(app).test_client().get("/ok", headers={"Origin": TRUSTED})
    assert response.status_code == 500
    assert acao(response) == [TRUSTED]
