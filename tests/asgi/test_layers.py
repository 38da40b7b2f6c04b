"""Wrapped, mounted and layered ASGI apps (B13.2, B13.4): declarations behind
a middleware that keeps its app as ``._app`` are honoured; a mounted app with
its own corsguard layer decides its own requests, and the outer layer never
adds headers over its refusal."""

from __future__ import annotations

import logging
import warnings
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from flask import Flask
from starlette.routing import Mount

from corsguard import Policy
from corsguard._adapters.asgi import CorsMiddleware, cors_exempt, cors_policy
from corsguard_flask import CorsGuard
from tests.asgi.support import ACAO, TestClient

BASE = "https://app.example.com"
PARTNER = "https://partner.example.com"
ADMIN = "https://admin.example.com"
ACAC = "Access-Control-Allow-Credentials"
CREDENTIALED = Policy(allowed_origins=[BASE], allow_credentials=True)


class Hidden:
    """A plain ASGI middleware that keeps its inner app as ``self._app``."""

    def __init__(self, app: Any) -> None:
        self._app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self._app(scope, receive, send)


def partner_app() -> FastAPI:
    app = FastAPI()

    @app.put("/orders/{number}")
    @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
    def update(number: int) -> dict[str, int]:
        return {"updated": number}

    return app


def preflight(client: TestClient, path: str, origin: str, method: str = "GET") -> Any:
    return client.options(path, headers={"origin": origin, "access-control-request-method": method})


def test_a_router_behind_a_private_attribute_is_found() -> None:
    client = TestClient(CorsMiddleware(Hidden(partner_app()), CREDENTIALED))
    answer = preflight(client, "/orders/7", PARTNER, "PUT")
    assert (answer.status_code, answer.headers.get(ACAO)) == (204, PARTNER)
    refused = preflight(client, "/orders/7", BASE, "PUT")
    assert refused.status_code == 403 and ACAO not in refused.headers
    actual = client.put("/orders/7", headers={"origin": BASE})
    assert ACAO not in actual.headers and ACAC not in actual.headers


def test_no_router_at_all_is_reported_at_start_up(caplog: pytest.LogCaptureFixture) -> None:
    partner_app()  # a declared route exists in this process

    async def opaque(scope: Any, receive: Any, send: Any) -> None: ...

    with caplog.at_level(logging.ERROR, logger="corsguard"):
        CorsMiddleware(opaque, CREDENTIALED)
    assert "found no Starlette/FastAPI router" in caplog.text and "update" in caplog.text


def admin_fastapi() -> FastAPI:
    admin = FastAPI()

    @admin.get("/users/1")
    def user() -> dict[str, str]:
        return {"secret": "admin data"}

    admin.add_middleware(CorsMiddleware, policy=Policy(allowed_origins=[ADMIN]))
    return admin


def admin_flask() -> Any:
    admin = Flask(__name__)
    admin.add_url_rule("/users/1", "user", lambda: {"secret": "admin data"})
    CorsGuard(admin, env={}, allowed_origins=[ADMIN])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette points to a2wsgi; the shape is the same
        from starlette.middleware.wsgi import WSGIMiddleware  # noqa: PLC0415
    return WSGIMiddleware(admin)


@pytest.mark.parametrize("mounted", [admin_fastapi, admin_flask])
def test_the_inner_layers_refusal_stands(mounted: Any) -> None:
    root = FastAPI()

    @root.get("/public")
    @cors_policy(allowed_origins=[BASE, PARTNER])
    def public() -> str:
        return "public"

    root.router.routes.append(Mount("/admin", app=mounted()))
    root.add_middleware(CorsMiddleware, policy=CREDENTIALED)
    client = TestClient(root)
    refused = client.get("/admin/users/1", headers={"origin": BASE})
    assert refused.status_code == 200 and ACAO not in refused.headers and ACAC not in refused.headers
    own = client.get("/admin/users/1", headers={"origin": ADMIN})
    assert own.headers[ACAO] == ADMIN and ACAC not in own.headers
    answered = preflight(client, "/admin/users/1", ADMIN)
    assert (answered.status_code, answered.headers.get(ACAO)) == (204, ADMIN)
    assert preflight(client, "/admin/users/1", BASE).status_code == 403
    # The outer layer still governs its own routes.
    assert client.get("/public", headers={"origin": PARTNER}).headers[ACAO] == PARTNER


class Unauthorized:
    """An auth middleware between corsguard and the router: 401 before routing."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 401, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def test_an_answer_before_routing_is_judged_by_the_routes_declaration() -> None:
    client = TestClient(CorsMiddleware(Unauthorized(partner_app()), CREDENTIALED))
    partner = client.put("/orders/7", headers={"origin": PARTNER})
    assert (partner.status_code, partner.headers.get(ACAO)) == (401, PARTNER)
    base = client.put("/orders/7", headers={"origin": BASE})
    assert base.status_code == 401 and ACAO not in base.headers and ACAC not in base.headers
    # Its preflight was judged the same way.
    assert preflight(client, "/orders/7", PARTNER, "PUT").status_code == 204


def test_routes_added_to_a_mounted_router_after_start_are_seen() -> None:
    root = FastAPI()
    late = FastAPI()
    root.router.routes.append(Mount("/late", app=late))
    client = TestClient(CorsMiddleware(root, CREDENTIALED))
    assert client.get("/late/feed", headers={"origin": PARTNER}).status_code == 404

    @late.get("/feed")
    @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
    def feed() -> str:
        return "feed"

    answer = preflight(client, "/late/feed", PARTNER)
    assert (answer.status_code, answer.headers.get(ACAO)) == (204, PARTNER)
    assert ACAO not in client.get("/late/feed", headers={"origin": BASE}).headers


def test_the_websocket_check_is_read_from_the_environment_with_a_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None: ...

    assert not CorsMiddleware(app, CREDENTIALED).check_websocket_origin
    monkeypatch.setenv("CORSGUARD_CHECK_WEBSOCKET_ORIGIN", "1")
    assert CorsMiddleware(app, CREDENTIALED).check_websocket_origin
    assert not CorsMiddleware(app, CREDENTIALED, check_websocket_origin=False).check_websocket_origin


def test_a_declared_function_no_route_reaches_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    from tests.asgi import unreached_app  # noqa: PLC0415

    with caplog.at_level(logging.ERROR, logger="corsguard"):
        CorsMiddleware(unreached_app.app, CREDENTIALED)
    assert "tests.asgi.unreached_app.forgotten" in caplog.text and "unreached_app.py:" in caplog.text
    assert "unreached_app.routed " not in caplog.text


def test_a_wrapped_fastapi_with_its_own_root_path_is_judged_on_its_routed_path() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FastAPI deprecates root_path=...; apps still use it
        app = FastAPI(root_path="/api")

    @app.get("/items")
    def items() -> str:
        return "items"

    @app.put("/orders/{number}")
    @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
    def update(number: int) -> dict[str, int]:
        return {"updated": number}

    client = TestClient(CorsMiddleware(app, CREDENTIALED, paths=[(r"/items", {}), (r".*", None)]))
    assert client.get("/api/items", headers={"origin": BASE}).headers[ACAO] == BASE
    answer = preflight(client, "/api/orders/7", PARTNER, "PUT")
    assert (answer.status_code, answer.headers.get(ACAO)) == (204, PARTNER)


def test_routes_added_to_an_included_router_after_start_are_seen() -> None:
    app = FastAPI()
    router = APIRouter(prefix="/r")

    @router.get("/first")
    def first() -> str:
        return "first"

    app.include_router(router)
    client = TestClient(CorsMiddleware(app, CREDENTIALED))
    assert client.get("/r/first", headers={"origin": BASE}).headers[ACAO] == BASE

    @router.get("/later")
    @cors_exempt
    def later() -> str:
        return "later"

    answer = client.get("/r/later", headers={"origin": BASE})
    if hasattr(app.router.routes[-1], "original_router"):
        # FastAPI keeps the included router: its later route is served, and its declaration honoured.
        assert answer.status_code == 200 and ACAO not in answer.headers
    else:
        # FastAPI copied the routes at include time: the later route is not served at all.
        assert answer.status_code == 404


def test_an_endpoint_class_declares_per_method() -> None:
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.endpoints import HTTPEndpoint  # noqa: PLC0415
    from starlette.responses import PlainTextResponse  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    class Orders(HTTPEndpoint):
        async def get(self, request: Any) -> PlainTextResponse:
            return PlainTextResponse("orders")

        @cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
        async def put(self, request: Any) -> PlainTextResponse:
            return PlainTextResponse("updated")

    client = TestClient(CorsMiddleware(Starlette(routes=[Route("/orders", Orders)]), CREDENTIALED))
    answer = preflight(client, "/orders", PARTNER, "PUT")
    assert (answer.status_code, answer.headers.get(ACAO)) == (204, PARTNER)
    assert preflight(client, "/orders", BASE, "PUT").status_code == 403
    assert client.put("/orders", headers={"origin": PARTNER}).headers[ACAO] == PARTNER
    assert ACAO not in client.put("/orders", headers={"origin": BASE}).headers
    assert client.get("/orders", headers={"origin": BASE}).headers[ACAO] == BASE  # get declares nothing
