"""The three ways to install the middleware, and where each one sits.

``app = CorsMiddleware(app, policy)`` wraps everything; FastAPI's and
Starlette's ``add_middleware`` and ``Middleware(...)`` list put it inside
Starlette's ``ServerErrorMiddleware``, which Starlette always keeps
outermost. Every form answers preflights before routing and dependencies,
and puts headers on routed, 404, 405 and HTTPException responses; only the
wrapping form also sees the 500 that ``ServerErrorMiddleware`` sends for an
unhandled exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import Depends, FastAPI, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from corsguard import PathRules, Policy, PolicyError
from corsguard._adapters.asgi import CorsMiddleware
from tests.asgi.support import ACAC, ACAO, TRUSTED, UNTRUSTED, get, preflight, request

POLICY = Policy(allowed_origins=[TRUSTED], allow_credentials=True)
CALLS: list[str] = []


def deny() -> None:
    CALLS.append("dependency")
    raise HTTPException(status_code=401, detail="login required")


def fastapi_app(**options: Any) -> FastAPI:
    app = FastAPI(**options)

    @app.get("/items")
    def items() -> dict[str, int]:
        CALLS.append("items")
        return {"items": 3}

    @app.get("/private", dependencies=[Depends(deny)])
    def private() -> dict[str, str]:
        CALLS.append("private")
        return {"user": "alice"}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    return app


def starlette_routes() -> list[Route]:
    async def items(request: Request) -> PlainTextResponse:
        CALLS.append("items")
        return PlainTextResponse("items")

    async def private(request: Request) -> PlainTextResponse:
        CALLS.append("private")
        raise HTTPException(status_code=401)

    async def boom(request: Request) -> PlainTextResponse:
        raise RuntimeError("boom")

    return [Route("/items", items), Route("/private", private), Route("/boom", boom)]


def wrapped_fastapi() -> Any:
    return CorsMiddleware(fastapi_app(), POLICY)


def fastapi_add_middleware() -> Any:
    app = fastapi_app()
    app.add_middleware(CorsMiddleware, policy=POLICY)
    return app


def fastapi_middleware_list() -> Any:
    return fastapi_app(middleware=[Middleware(CorsMiddleware, policy=POLICY)])


def wrapped_starlette() -> Any:
    return CorsMiddleware(Starlette(routes=starlette_routes()), POLICY)


def starlette_add_middleware() -> Any:
    app = Starlette(routes=starlette_routes())
    app.add_middleware(CorsMiddleware, policy=POLICY)
    return app


def starlette_middleware_list() -> Any:
    return Starlette(routes=starlette_routes(), middleware=[Middleware(CorsMiddleware, policy=POLICY)])


WRAPPED: dict[str, Callable[[], Any]] = {"fastapi-wrapped": wrapped_fastapi, "starlette-wrapped": wrapped_starlette}
INSIDE: dict[str, Callable[[], Any]] = {
    "fastapi-add_middleware": fastapi_add_middleware,
    "fastapi-middleware-list": fastapi_middleware_list,
    "starlette-add_middleware": starlette_add_middleware,
    "starlette-middleware-list": starlette_middleware_list,
}
FORMS = {**WRAPPED, **INSIDE}


@pytest.fixture(autouse=True)
def _calls() -> None:
    CALLS.clear()


@pytest.mark.parametrize("form", FORMS)
def test_allowed_request_gets_headers(form: str) -> None:
    answer = get(FORMS[form](), "/items")
    assert answer.status_code == 200
    assert answer.headers[ACAO] == TRUSTED and answer.headers[ACAC] == "true"
    assert answer.headers["vary"] == "Origin"
    assert CALLS == ["items"]


@pytest.mark.parametrize("form", FORMS)
def test_refused_origin_gets_none(form: str) -> None:
    answer = get(FORMS[form](), "/items", UNTRUSTED)
    assert answer.status_code == 200 and ACAO not in answer.headers and answer.headers["vary"] == "Origin"


@pytest.mark.parametrize("form", FORMS)
def test_preflight_answered_before_routing_and_dependencies(form: str) -> None:
    app = FORMS[form]()
    for path in ("/private", "/items", "/no/such/route"):
        answer = preflight(app, path, method="GET", headers="authorization")
        assert answer.status_code == 204, path
        assert answer.headers[ACAO] == TRUSTED
    assert preflight(app, "/private", UNTRUSTED).status_code == 403
    assert CALLS == [], "a preflight reached the app"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("path", "status"), [("/private", 401), ("/no/such/route", 404)])
def test_errors_get_headers(form: str, path: str, status: int) -> None:
    answer = get(FORMS[form](), path)
    assert answer.status_code == status
    assert answer.headers[ACAO] == TRUSTED


@pytest.mark.parametrize("form", FORMS)
def test_405_gets_headers(form: str) -> None:
    answer = request(FORMS[form](), "DELETE", "/items", {"Origin": TRUSTED})
    assert answer.status_code == 405 and answer.headers[ACAO] == TRUSTED


@pytest.mark.parametrize("form", WRAPPED)
def test_wrapping_covers_the_500_of_an_unhandled_exception(form: str) -> None:
    answer = get(WRAPPED[form](), "/boom")
    assert answer.status_code == 500 and answer.headers[ACAO] == TRUSTED


@pytest.mark.parametrize("form", INSIDE)
def test_inside_starlette_the_500_of_an_unhandled_exception_passes_outside(form: str) -> None:
    """What the README says about add_middleware: Starlette sends this 500
    from ServerErrorMiddleware, which sits outside every added middleware."""
    answer = get(INSIDE[form](), "/boom")
    assert answer.status_code == 500 and ACAO not in answer.headers


def test_starlette_slash_redirect_gets_headers() -> None:
    app = FastAPI()

    @app.get("/slash/")
    def slash() -> str:
        return "slash"

    answer = get(CorsMiddleware(app, POLICY), "/slash")
    assert answer.status_code == 307 and answer.headers[ACAO] == TRUSTED
    assert preflight(CorsMiddleware(app, POLICY), "/slash").status_code == 204


def test_without_a_policy_the_environment_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", TRUSTED)
    monkeypatch.setenv("CORSGUARD_EXPOSE_HEADERS", "x-total-count")
    app = fastapi_app()
    app.add_middleware(CorsMiddleware)
    answer = get(app, "/items")
    assert answer.headers[ACAO] == TRUSTED and answer.headers["access-control-expose-headers"] == "x-total-count"
    assert ACAO not in get(app, "/items", UNTRUSTED).headers


def test_without_a_policy_paths_come_from_the_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", TRUSTED)
    app = CorsMiddleware(fastapi_app(), paths=[(r"/private", None), (r".*", {})])
    assert get(app, "/items").headers[ACAO] == TRUSTED
    assert "vary" not in get(app, "/private").headers


def test_a_bad_environment_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOW_CREDENTIALS", "ture")
    with pytest.raises(PolicyError) as error:
        CorsMiddleware(fastapi_app())
    assert "CORSGUARD_ALLOW_CREDENTIALS" in str(error.value)


def test_a_policy_in_code_ignores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", UNTRUSTED)
    app = CorsMiddleware(fastapi_app(), POLICY)
    assert get(app, "/items").headers[ACAO] == TRUSTED
    assert ACAO not in get(app, "/items", UNTRUSTED).headers


def test_check_websocket_origin_must_be_a_bool() -> None:
    with pytest.raises(PolicyError) as error:
        CorsMiddleware(fastapi_app(), POLICY, check_websocket_origin="yes")  # type: ignore[arg-type]
    assert error.value.problems[0].setting == "check_websocket_origin"


def test_paths_twice_is_refused() -> None:
    with pytest.raises(TypeError):
        CorsMiddleware(fastapi_app(), PathRules(POLICY), paths={r".*": {}})
