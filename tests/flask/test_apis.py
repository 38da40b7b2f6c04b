"""Per-view declarations on Flask's MethodView, flask-smorest and
Flask-RESTX, through the real frameworks (B13.1), and the arrangements that
would hide routing from corsguard, refused at ``init_app`` (B13.4)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import pytest
from flask import Flask
from flask.views import MethodView
from flask_restx import Api, Namespace, Resource
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from corsguard import PolicyError
from corsguard_flask import cors_exempt, cors_policy
from tests.flask.support import ACAC, ACAO, PARTNER, TRUSTED, guard, new_app

OTHER = "https://other.example.net"


def assert_governed_by(app: Flask, path: str, method: str, allowed: str) -> None:
    """``allowed`` gets ACAO on the preflight and the actual response; the app's origin does not."""
    client = app.test_client()
    answer = client.options(path, headers={"Origin": allowed, "Access-Control-Request-Method": method})
    assert (answer.status_code, answer.headers.get(ACAO)) == (204, allowed)
    refused = client.options(path, headers={"Origin": TRUSTED, "Access-Control-Request-Method": method})
    assert refused.status_code == 403 and ACAO not in refused.headers
    actual = client.open(path, method=method, headers={"Origin": allowed})
    assert actual.status_code < 500 and actual.headers[ACAO] == allowed
    assert ACAO not in client.open(path, method=method, headers={"Origin": TRUSTED}).headers


def credentialed() -> Flask:
    return new_app({"CORSGUARD_ALLOW_CREDENTIALS": True})


def test_method_view_per_method() -> None:
    class Orders(MethodView):
        def get(self) -> str:
            return "orders"

        @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
        def put(self) -> str:
            return "updated"

    app = guard(credentialed())
    app.add_url_rule("/orders", view_func=Orders.as_view("orders"))
    assert_governed_by(app, "/orders", "PUT", PARTNER)
    answer = app.test_client().get("/orders", headers={"Origin": TRUSTED})
    assert (answer.headers[ACAO], answer.headers[ACAC]) == (TRUSTED, "true")


def smorest_app() -> Flask:
    app = credentialed()
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.2")
    api = SmorestApi(app)
    blueprint = SmorestBlueprint("orders", __name__, url_prefix="/orders")

    @blueprint.route("/")
    class Orders(MethodView):
        def get(self) -> dict[str, Any]:
            return {"orders": []}

        @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
        @blueprint.response(200)
        def put(self) -> dict[str, Any]:
            return {"updated": True}

        @blueprint.response(204)
        @cors_policy(allowed_origins=[OTHER])
        def delete(self) -> None:
            return None

    @blueprint.route("/feed")
    @cors_policy(allowed_origins=[PARTNER])
    def feed() -> dict[str, Any]:
        return {"feed": []}

    api.register_blueprint(blueprint)
    return guard(app)


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [("/orders/", "PUT", PARTNER), ("/orders/", "DELETE", OTHER), ("/orders/feed", "GET", PARTNER)],
)
def test_flask_smorest(path: str, method: str, allowed: str) -> None:
    assert_governed_by(smorest_app(), path, method, allowed)


def restx_app() -> Flask:
    app = credentialed()
    api = Api(app)
    namespace = Namespace("partners", path="/partners")

    @namespace.route("/listed")
    class Listed(Resource):  # type: ignore[misc]
        method_decorators: ClassVar[list[Any]] = [cors_policy(allowed_origins=[PARTNER], allow_credentials=False)]

        def get(self) -> dict[str, Any]:
            return {"listed": True}

    @namespace.route("/by-method")
    class ByMethod(Resource):  # type: ignore[misc]
        def get(self) -> dict[str, Any]:
            return {"get": True}

        @cors_policy(allowed_origins=[OTHER])
        def put(self) -> dict[str, Any]:
            return {"put": True}

    @namespace.route("/class")
    @cors_policy(allowed_origins=[PARTNER])
    class Declared(Resource):  # type: ignore[misc]
        def get(self) -> dict[str, Any]:
            return {"class": True}

    @namespace.route("/exempt")
    class Exempt(Resource):  # type: ignore[misc]
        method_decorators: ClassVar[list[Any]] = [cors_exempt]

        def get(self) -> dict[str, Any]:
            return {"exempt": True}

    api.add_namespace(namespace)
    return guard(app)


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [("/partners/listed", "GET", PARTNER), ("/partners/by-method", "PUT", OTHER), ("/partners/class", "GET", PARTNER)],
)
def test_flask_restx(path: str, method: str, allowed: str) -> None:
    assert_governed_by(restx_app(), path, method, allowed)


def test_flask_restx_undeclared_method_and_exempt() -> None:
    client = restx_app().test_client()
    answer = client.get("/partners/by-method", headers={"Origin": TRUSTED})
    assert (answer.status_code, answer.headers[ACAO]) == (200, TRUSTED)
    exempt = client.get("/partners/exempt", headers={"Origin": TRUSTED})
    assert exempt.status_code == 200 and ACAO not in exempt.headers


def test_proxy_fix_installed_first_is_refused_with_the_order_that_works() -> None:
    app = credentialed()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_host=1)  # type: ignore[method-assign]
    with pytest.raises(PolicyError, match="ProxyFix") as refused:
        guard(app)
    assert "init_app(app) first, then app.wsgi_app = ProxyFix" in str(refused.value)
    fixed = guard(credentialed())
    fixed.wsgi_app = ProxyFix(fixed.wsgi_app, x_host=1)  # type: ignore[method-assign]
    assert fixed.test_client().get("/", headers={"Origin": TRUSTED}).status_code == 404


def test_dispatcher_installed_first_is_refused() -> None:
    root = credentialed()
    admin = guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": ["https://admin.example.com"]}))
    root.wsgi_app = DispatcherMiddleware(root.wsgi_app, {"/admin": admin})  # type: ignore[method-assign]
    with pytest.raises(PolicyError, match="DispatcherMiddleware"):
        guard(root)


def test_the_order_that_works_keeps_the_mounted_apps_refusal() -> None:
    root = guard(credentialed())
    admin = guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": ["https://admin.example.com"]}))
    admin.add_url_rule("/users/1", view_func=lambda: {"secret": "admin data"})
    root.wsgi_app = DispatcherMiddleware(root.wsgi_app, {"/admin": admin})  # type: ignore[method-assign]
    answer = root.test_client().get("/admin/users/1", headers={"Origin": TRUSTED})
    assert answer.status_code == 200 and ACAO not in answer.headers
    own = root.test_client().get("/admin/users/1", headers={"Origin": "https://admin.example.com"})
    assert own.headers[ACAO] == "https://admin.example.com"


def test_a_route_added_after_init_app_that_clashes_fails_when_added() -> None:
    app = guard(credentialed())
    with pytest.raises(PolicyError, match="late"):

        @app.route("/late")
        @cors_policy(allowed_origins=["*"])
        def late() -> str:
            return "late"

    assert app.test_client().get("/", headers={"Origin": TRUSTED}).status_code == 404


def test_a_declared_view_no_route_reaches_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    from corsguard_flask.lint_loader import from_flask_app  # noqa: PLC0415
    from tests.flask import unreached_app  # noqa: PLC0415

    with caplog.at_level(logging.ERROR, logger="corsguard"):
        unreached_app.app.test_client().get("/routed")
    assert "tests.flask.unreached_app.forgotten" in caplog.text and "unreached_app.py:" in caplog.text
    assert "unreached_app.routed " not in caplog.text
    notes = from_flask_app(unreached_app.app, "the test app").notes
    assert [note.level for note in notes if "forgotten" in note.message] == ["error"]


def test_the_class_attribute_form() -> None:
    class Exempt(MethodView):
        corsguard_exempt = True

        def get(self) -> str:
            return "exempt"

    class Partner(MethodView):
        corsguard_policy: ClassVar[dict[str, Any]] = {"allowed_origins": [PARTNER]}

        def put(self) -> str:
            return "put"

    app = guard(credentialed())
    app.add_url_rule("/exempt", view_func=Exempt.as_view("exempt"))
    app.add_url_rule("/partner", view_func=Partner.as_view("partner"))
    assert ACAO not in app.test_client().get("/exempt", headers={"Origin": TRUSTED}).headers
    assert_governed_by(app, "/partner", "PUT", PARTNER)


def test_a_class_declared_twice_or_wrongly_is_refused() -> None:
    @cors_policy(allowed_origins=[OTHER])
    class Twice(MethodView):
        corsguard_policy: ClassVar[dict[str, Any]] = {"allowed_origins": [PARTNER]}

        def get(self) -> str:
            return "twice"

    class Wrong(MethodView):
        corsguard_policy = "https://partner.example.net"

        def get(self) -> str:
            return "wrong"

    for view, match in ((Twice, "declared twice"), (Wrong, "must be a dict")):
        with pytest.raises(PolicyError, match=match):
            guard(credentialed()).add_url_rule("/x", view_func=view.as_view("x"))
