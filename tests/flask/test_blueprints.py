"""Per-blueprint policies: actual requests and preflights, nesting, reuse, validation."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint, Flask

from corsguard import PolicyError
from corsguard._engine import log
from corsguard_flask import CorsGuard, cors_policy
from corsguard_flask.markings import blueprint_declaration
from tests.flask.support import ACAC, ACAH, ACMA, PARTNER, TRUSTED, UNTRUSTED, acao, guard, new_app, preflight


def partner_blueprint(name: str = "partners") -> Blueprint:
    bp = Blueprint(name, __name__, url_prefix="/partners")

    @bp.route("/report", methods=["GET", "PUT"])
    def report() -> str:
        return "report"

    return bp


def test_blueprint_policy_governs_its_actual_requests() -> None:
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER], max_age=600)
    app = guard(new_app())
    app.register_blueprint(bp)

    @app.route("/app")
    def app_view() -> str:
        return "app"

    client = app.test_client()
    assert acao(client.get("/partners/report", headers={"Origin": PARTNER})) == [PARTNER]
    assert acao(client.get("/partners/report", headers={"Origin": TRUSTED})) == []
    assert acao(client.get("/app", headers={"Origin": TRUSTED})) == [TRUSTED]
    assert acao(client.get("/app", headers={"Origin": PARTNER})) == []


def test_blueprint_policy_governs_its_preflights() -> None:
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER], allow_headers=["x-partner-key"], max_age=600)
    app = guard(new_app())
    app.register_blueprint(bp)
    client = app.test_client()

    allowed = client.options("/partners/report", headers=preflight(PARTNER, "PUT", "x-partner-key"))
    assert allowed.status_code == 204
    assert acao(allowed) == [PARTNER]
    assert allowed.headers[ACAH] == "x-partner-key"
    assert allowed.headers[ACMA] == "600"

    refused = client.options("/partners/report", headers=preflight(TRUSTED))
    assert refused.status_code == 403
    assert acao(refused) == []


def test_blueprint_inherits_app_settings() -> None:
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER])
    app = guard(new_app({"CORSGUARD_ALLOW_CREDENTIALS": True}))
    app.register_blueprint(bp)
    response = app.test_client().get("/partners/report", headers={"Origin": PARTNER})
    assert response.headers[ACAC] == "true"


def test_nested_blueprint_adds_to_its_parents_policy() -> None:
    parent = Blueprint("parent", __name__, url_prefix="/parent")
    child = Blueprint("child", __name__, url_prefix="/child")

    @parent.route("/here")
    def here() -> str:
        return "parent"

    @child.route("/there")
    def there() -> str:
        return "child"

    cors = CorsGuard()
    cors.init_blueprint(parent, allowed_origins=[PARTNER])
    cors.init_blueprint(child, max_age=5)
    parent.register_blueprint(child)
    app = guard(new_app())
    app.register_blueprint(parent)
    client = app.test_client()

    assert acao(client.get("/parent/here", headers={"Origin": PARTNER})) == [PARTNER]
    answer = client.options("/parent/child/there", headers=preflight(PARTNER, "GET"))
    assert acao(answer) == [PARTNER]
    assert answer.headers[ACMA] == "5"
    assert client.options("/parent/here", headers=preflight(PARTNER, "GET")).headers[ACMA] == "86400"


def test_one_blueprint_on_two_apps_and_under_two_names() -> None:
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER])
    first, second = guard(new_app()), guard(new_app({"CORSGUARD_ALLOW_CREDENTIALS": True}))
    first.register_blueprint(bp)
    second.register_blueprint(bp)
    second.register_blueprint(bp, name="v2", url_prefix="/v2")
    assert acao(first.test_client().get("/partners/report", headers={"Origin": PARTNER})) == [PARTNER]
    response = second.test_client().get("/v2/report", headers={"Origin": PARTNER})
    assert acao(response) == [PARTNER]
    assert response.headers[ACAC] == "true"


def test_blueprint_overrides_are_checked_when_written() -> None:
    with pytest.raises(PolicyError) as info:
        CorsGuard().init_blueprint(partner_blueprint(), allowed_origin=[PARTNER], max_age=-1)
    settings = [problem.setting for problem in info.value.problems]
    assert "init_blueprint.allowed_origin" in settings
    assert "init_blueprint.MAX_AGE" in settings


def test_blueprint_overrides_are_checked_against_the_app_at_registration() -> None:
    bp = partner_blueprint()
    # Valid alone; with the app's credentials, '*' is refused (B2).
    CorsGuard().init_blueprint(bp, allowed_origins=["*"])
    app = guard(new_app({"CORSGUARD_ALLOW_CREDENTIALS": True}))
    with pytest.raises(PolicyError) as info:
        app.register_blueprint(bp)
    assert [problem.setting for problem in info.value.problems] == ["init_blueprint(partners).ALLOWED_ORIGINS[0]"]


def test_blueprint_registered_before_init_app_is_checked_by_init_app() -> None:
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=["*"])
    app = new_app({"CORSGUARD_ALLOW_CREDENTIALS": True})
    app.register_blueprint(bp)
    with pytest.raises(PolicyError, match="init_blueprint"):
        guard(app)


def test_unmarked_blueprint_follows_the_app() -> None:
    app = guard(new_app())
    app.register_blueprint(partner_blueprint())
    client = app.test_client()
    assert acao(client.get("/partners/report", headers={"Origin": TRUSTED})) == [TRUSTED]
    assert client.options("/partners/report", headers=preflight(UNTRUSTED)).status_code == 403


def test_app_is_unaffected_by_blueprints_it_does_not_register() -> None:
    CorsGuard().init_blueprint(partner_blueprint("elsewhere"), allowed_origins=[PARTNER])
    app: Flask = guard(new_app())
    assert app.extensions["corsguard"].table == {}


def test_init_blueprint_after_registration_is_refused_and_changes_nothing() -> None:
    """Issue 20, item 8: Flask's own AssertionError, with the policy applied anyway, before."""
    bp = partner_blueprint()
    app = guard(new_app())
    app.register_blueprint(bp)
    client = app.test_client()
    before = client.get("/partners/report", headers={"Origin": PARTNER})
    assert acao(before) == []
    with pytest.raises(PolicyError) as info:
        CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER])
    text = str(info.value)
    assert "init_blueprint: 'partners': is already registered" in text
    assert "before app.register_blueprint(partners)" in text
    # No half-applied state: not on the blueprint, not in the app, not for a later app.
    assert blueprint_declaration(bp) is None
    assert acao(client.get("/partners/report", headers={"Origin": PARTNER})) == []
    state = app.extensions["corsguard"]
    state.refresh()  # what a route added later, or another blueprint's registration, triggers
    assert "partners.report" not in state.table
    assert acao(client.get("/partners/report", headers={"Origin": PARTNER})) == []


def test_a_blueprint_refusal_names_the_blueprints_list(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 20, item 5: the refusal said "not in ALLOWED_ORIGINS", sending the
    reader to the app's list, which was not the one that refused."""
    log.forget()  # the refusal log's budget, spent by earlier tests, would turn this line into DEBUG
    bp = partner_blueprint()
    CorsGuard().init_blueprint(bp, allowed_origins=[PARTNER])
    app = guard(new_app())
    app.register_blueprint(bp)
    origin = "https://blueprint-refused.example.net"
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        assert acao(app.test_client().get("/partners/report", headers={"Origin": origin})) == []
    refusals = [record.getMessage() for record in caplog.records if origin in record.getMessage()]
    assert len(refusals) == 1
    assert "not in blueprint 'partners''s ALLOWED_ORIGINS (init_blueprint)" in refusals[0]
    assert "add it to blueprint 'partners''s ALLOWED_ORIGINS (init_blueprint)" in refusals[0]


def test_a_nested_blueprint_refusal_names_the_list_that_refused(caplog: pytest.LogCaptureFixture) -> None:
    """The child inherits its parent's origins: the parent's list is named. A
    route's own allowed_origins, and the app's, keep the plain name."""
    log.forget()
    cors = CorsGuard()
    parent, child = Blueprint("parent", __name__), partner_blueprint("child")
    cors.init_blueprint(parent, allowed_origins=[PARTNER])
    cors.init_blueprint(child, max_age=5)
    parent.register_blueprint(child)

    @parent.route("/own")
    @cors_policy(allowed_origins=[TRUSTED])
    def own() -> str:
        return "own"

    app = guard(new_app())
    app.register_blueprint(parent)
    app.add_url_rule("/plain", "plain", lambda: "plain")
    client = app.test_client()
    said = {}
    for path in ("/partners/report", "/own", "/plain"):
        origin = f"https://nested-{path.strip('/').replace('/', '-')}.example.net"
        with caplog.at_level(logging.WARNING, logger="corsguard"):
            assert acao(client.get(path, headers={"Origin": origin})) == []
        said[path] = next(record.getMessage() for record in caplog.records if origin in record.getMessage())
    assert "not in blueprint 'parent''s ALLOWED_ORIGINS (init_blueprint)" in said["/partners/report"]
    assert "not in ALLOWED_ORIGINS" in said["/own"]
    assert "not in ALLOWED_ORIGINS" in said["/plain"]
