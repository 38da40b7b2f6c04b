"""Per-route policies on Starlette and FastAPI routes (B3.5): a route's own
declaration governs its responses and the preflights for the requests it
will serve, found before routing by matching the app's routes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from corsguard import Policy, PolicyError
from corsguard._adapters.asgi import CorsMiddleware, cors_exempt, cors_policy
from tests.asgi.support import ACAO, ACEH, ACMA, CUSTOM, TRUSTED, TestClient, get, preflight, request
from tests.matrix.runner import captured_logs

POLICY = Policy(allowed_origins=[TRUSTED])
CALLS: list[str] = []


@pytest.fixture(autouse=True)
def _calls() -> None:
    CALLS.clear()


def reports() -> FastAPI:
    """One path, two routes: GET declares a policy, POST does not."""
    app = FastAPI()

    @app.get("/report")
    @cors_policy(allowed_origins=[CUSTOM], expose_headers=["x-custom"], max_age=0)
    def read() -> str:
        return "report"

    @app.post("/report")
    def write() -> str:
        return "written"

    @cors_policy(allowed_origins=[CUSTOM])  # above the route decorator works too
    @app.get("/slashed/")
    def slashed() -> str:
        return "slashed"

    @app.api_route("/hook", methods=["POST", "OPTIONS"])
    @cors_exempt
    def hook() -> str:
        CALLS.append("hook")
        return "hook"

    return app


def test_route_policy_governs_its_responses() -> None:
    app = CorsMiddleware(reports(), POLICY)
    answer = get(app, "/report", CUSTOM)
    assert answer.headers[ACAO] == CUSTOM and answer.headers[ACEH] == "x-custom"
    assert ACAO not in get(app, "/report", TRUSTED).headers
    written = request(app, "POST", "/report", {"Origin": TRUSTED})
    assert written.headers[ACAO] == TRUSTED, "the undeclared route follows the settings"


def test_a_preflight_is_governed_by_the_route_for_the_method_it_announces() -> None:
    app = CorsMiddleware(reports(), POLICY)
    for_get = preflight(app, "/report", CUSTOM, "GET", "x-requested-with")
    assert for_get.status_code == 204 and for_get.headers[ACAO] == CUSTOM and for_get.headers[ACMA] == "0"
    assert preflight(app, "/report", TRUSTED, "GET", "x-requested-with").status_code == 403
    for_post = preflight(app, "/report", TRUSTED, "POST", "content-type")
    assert for_post.status_code == 204 and for_post.headers[ACMA] == "86400"
    assert preflight(app, "/report", CUSTOM, "POST", "content-type").status_code == 403


def test_a_method_no_route_serves_is_governed_by_the_route_that_answers_405() -> None:
    app = CorsMiddleware(reports(), POLICY)
    assert preflight(app, "/slashed/", CUSTOM, "DELETE").headers[ACAO] == CUSTOM
    answer = request(app, "DELETE", "/slashed/", {"Origin": CUSTOM})
    assert answer.status_code == 405 and answer.headers[ACAO] == CUSTOM


def test_a_preflight_follows_redirect_slashes_to_the_route() -> None:
    app = CorsMiddleware(reports(), POLICY)
    assert preflight(app, "/slashed", CUSTOM, "GET", "x-requested-with").headers[ACAO] == CUSTOM
    # B13.1: the redirect is judged by the route it leads to, as its preflight
    # was, so the origin the route allows can follow it, and the settings' cannot.
    redirect = get(app, "/slashed", CUSTOM)
    assert redirect.status_code == 307 and redirect.headers[ACAO] == CUSTOM
    assert ACAO not in get(app, "/slashed", TRUSTED).headers


def test_an_exempt_route_answers_its_own_preflight() -> None:
    app = CorsMiddleware(reports(), POLICY)
    answer = preflight(app, "/hook", TRUSTED, "POST")
    assert answer.status_code == 200 and ACAO not in answer.headers and "vary" not in answer.headers
    assert CALLS == ["hook"]


def test_routes_of_included_and_nested_routers() -> None:
    inner = APIRouter(prefix="/inner")

    @inner.get("/deep")
    @cors_policy(allowed_origins=[CUSTOM])
    def deep() -> str:
        return "deep"

    outer = APIRouter(prefix="/outer")
    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer, prefix="/api")
    wrapped = CorsMiddleware(app, POLICY)
    assert get(wrapped, "/api/outer/inner/deep", CUSTOM).headers[ACAO] == CUSTOM
    assert preflight(wrapped, "/api/outer/inner/deep", CUSTOM, "GET", "x-requested-with").status_code == 204
    assert preflight(wrapped, "/api/outer/inner/deep", TRUSTED, "GET", "x-requested-with").status_code == 403


def test_starlette_function_and_class_endpoints_and_mounts() -> None:
    @cors_policy(allowed_origins=[CUSTOM])
    async def page(request: Request) -> PlainTextResponse:
        return PlainTextResponse("page")

    @cors_policy(allowed_origins=[CUSTOM], max_age=0)
    class Things(HTTPEndpoint):
        async def get(self, request: Request) -> PlainTextResponse:
            return PlainTextResponse("things")

    sub = Starlette(routes=[Route("/things", Things)])
    app = CorsMiddleware(Starlette(routes=[Route("/page", page), Mount("/sub", app=sub)]), POLICY)
    assert get(app, "/page", CUSTOM).headers[ACAO] == CUSTOM
    assert get(app, "/sub/things", CUSTOM).headers[ACAO] == CUSTOM
    things = preflight(app, "/sub/things", CUSTOM, "GET", "x-requested-with")
    assert things.status_code == 204 and things.headers[ACMA] == "0"
    assert preflight(app, "/sub/things", TRUSTED, "GET", "x-requested-with").status_code == 403


def test_routes_added_after_the_middleware_are_found() -> None:
    api = FastAPI()
    app = CorsMiddleware(api, POLICY)

    @api.get("/late")
    @cors_policy(allowed_origins=[CUSTOM])
    def late() -> str:
        return "late"

    assert preflight(app, "/late", CUSTOM, "GET", "x-requested-with").headers[ACAO] == CUSTOM


def test_a_declaration_that_clashes_with_the_settings_stops_start_up() -> None:
    api = FastAPI()

    @api.get("/open")
    @cors_policy(allowed_origins=["*"])
    def open_to_all() -> str:
        return "open"

    with pytest.raises(PolicyError) as error:
        CorsMiddleware(api, Policy(allowed_origins=[TRUSTED], allow_credentials=True))
    assert any("open_to_all" in problem.setting for problem in error.value.problems), error.value
    # add_middleware: Starlette builds the middleware when the app is first
    # called, which a server does for lifespan startup.
    api.add_middleware(CorsMiddleware, policy=Policy(allowed_origins=[TRUSTED], allow_credentials=True))
    with pytest.raises(PolicyError), TestClient(api):
        pass


def test_two_declarations_on_one_route_are_refused() -> None:
    with pytest.raises(PolicyError):

        @cors_policy(max_age=0)
        @cors_exempt
        def twice() -> str:
            return "twice"

    with pytest.raises(PolicyError):
        cors_policy(alowed_origins=[CUSTOM])


class Exploding:
    """A route whose matching raises: the preflight is refused, never a 500 (B3.6)."""

    def matches(self, scope: Any) -> Any:
        raise RuntimeError("router trouble")


def test_a_failing_route_lookup_refuses_the_preflight() -> None:
    api = reports()
    app = CorsMiddleware(api, POLICY)
    api.router.routes.insert(0, Exploding())  # type: ignore[arg-type]
    with captured_logs() as messages:
        answer = preflight(app, "/report", CUSTOM, "GET", "x-requested-with")
    assert answer.status_code == 403 and ACAO not in answer.headers
    assert any("could not decide" in line for line in messages), messages
