"""``@cors_policy`` and ``@cors_exempt``: validation when written and at
registration, order of decorators, routing of preflights by the method they
announce, views added after ``init_app``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from corsguard import PolicyError
from corsguard_flask import cors_exempt, cors_policy
from tests.flask.support import ACAM, ACMA, CUSTOM, TRUSTED, UNTRUSTED, acao, guard, new_app, preflight, vary


def test_unknown_argument_and_bad_value_refused_at_decoration() -> None:
    with pytest.raises(PolicyError) as info:
        cors_policy(allowed_origin=[CUSTOM], max_age=-1, allow_methods=["TRACE"])
    settings = [problem.setting for problem in info.value.problems]
    assert set(settings) == {"@cors_policy.allowed_origin", "@cors_policy.ALLOW_METHODS[0]", "@cors_policy.MAX_AGE"}


def test_combination_with_app_settings_refused_at_init_app() -> None:
    app = new_app({"CORSGUARD_ALLOW_CREDENTIALS": True})

    @app.route("/open")
    @cors_policy(allowed_origins=["*"])
    def open_view() -> str:
        return "open"

    @app.route("/null")
    @cors_policy(allowed_origins=["null"])
    def null_view() -> str:
        return "null"

    with pytest.raises(PolicyError) as info:
        guard(app)
    assert sorted(problem.setting for problem in info.value.problems) == [
        "@cors_policy(null_view).ALLOWED_ORIGINS[0]",
        "@cors_policy(open_view).ALLOWED_ORIGINS[0]",
    ]


def test_decorator_works_above_and_below_route() -> None:
    app = new_app()

    @app.route("/below")
    @cors_policy(allowed_origins=[CUSTOM])
    def below() -> str:
        return "below"

    @cors_policy(allowed_origins=[CUSTOM])
    @app.route("/above")
    def above() -> str:
        return "above"

    client = guard(app).test_client()
    for path in ("/below", "/above"):
        assert acao(client.get(path, headers={"Origin": CUSTOM})) == [CUSTOM]
        assert acao(client.get(path, headers={"Origin": TRUSTED})) == []


def test_mark_survives_functools_wraps() -> None:
    def logged(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        return wrapper

    app = new_app()

    @app.route("/wrapped")
    @logged
    @cors_exempt
    def wrapped() -> str:
        return "wrapped"

    response = guard(app).test_client().get("/wrapped", headers={"Origin": TRUSTED})
    assert acao(response) == []
    assert "origin" not in vary(response)


def test_two_different_marks_on_one_view_refused() -> None:
    """The core's one stacking rule (corsguard._pipeline.declarations), as in Django."""
    with pytest.raises(PolicyError, match="second, different declaration"):

        @cors_policy(max_age=0)
        @cors_exempt
        def view() -> str:
            return "x"


def test_preflight_routed_by_the_method_it_announces() -> None:
    """GET and PUT on one URL are two views; a PUT preflight is the PUT view's business."""
    app = new_app({"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED, CUSTOM]})

    @app.get("/thing")
    def read_thing() -> str:
        return "read"

    @app.put("/thing")
    @cors_policy(allowed_origins=[TRUSTED], max_age=0)
    def write_thing() -> str:
        return "written"

    client = guard(app).test_client()
    refused = client.options("/thing", headers=preflight(CUSTOM, "PUT"))
    assert refused.status_code == 403
    allowed = client.options("/thing", headers=preflight(TRUSTED, "PUT"))
    assert allowed.status_code == 204
    assert allowed.headers[ACMA] == "0"
    # The GET view follows the app: its preflight (GET + a custom header) is the app's.
    assert client.options("/thing", headers=preflight(CUSTOM, "GET", "x-requested-with")).status_code == 204
    assert acao(client.put("/thing", headers={"Origin": CUSTOM})) == []
    assert acao(client.get("/thing", headers={"Origin": CUSTOM})) == [CUSTOM]


def test_preflight_for_a_method_no_view_handles_uses_the_urls_view() -> None:
    app = new_app()

    @app.get("/only-get")
    @cors_policy(allowed_origins=[CUSTOM])
    def only_get() -> str:
        return "x"

    client = guard(app).test_client()
    answer = client.options("/only-get", headers=preflight(CUSTOM, "DELETE"))
    assert answer.status_code == 204
    assert acao(answer) == [CUSTOM]
    # ...and the 405 the DELETE then gets is readable by that origin.
    assert acao(client.delete("/only-get", headers={"Origin": CUSTOM})) == [CUSTOM]


def test_exempt_view_receives_its_preflights() -> None:
    app = new_app()
    seen: list[str] = []

    @app.route("/hook", methods=["POST", "OPTIONS"], provide_automatic_options=False)
    @cors_exempt
    def hook() -> tuple[str, int]:
        seen.append("hook")
        return "handled by the view", 200

    answer = guard(app).test_client().options("/hook", headers=preflight(TRUSTED, "POST"))
    assert answer.status_code == 200
    assert answer.data == b"handled by the view"
    assert acao(answer) == [] and ACAM not in answer.headers
    assert seen == ["hook"]


def test_view_added_after_init_app_gets_its_policy() -> None:
    app = guard(new_app())

    @app.route("/late")
    @cors_policy(allowed_origins=[CUSTOM])
    def late() -> str:
        return "late"

    client = app.test_client()
    assert acao(client.get("/late", headers={"Origin": CUSTOM})) == [CUSTOM]
    assert client.options("/late", headers=preflight(UNTRUSTED)).status_code == 403
    assert "late" in app.extensions["corsguard"].table


def test_policy_for_one_view_does_not_leak_to_others() -> None:
    app = new_app()

    @app.route("/special")
    @cors_policy(allowed_origins=[CUSTOM])
    def special() -> str:
        return "x"

    @app.route("/plain")
    def plain() -> str:
        return "y"

    client = guard(app).test_client()
    assert acao(client.get("/plain", headers={"Origin": CUSTOM})) == []
    assert acao(client.get("/plain", headers={"Origin": TRUSTED})) == [TRUSTED]
    assert acao(client.get("/no-such-page", headers={"Origin": TRUSTED})) == [TRUSTED]
