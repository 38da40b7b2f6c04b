"""``lifespan`` (and any scope type the middleware does not know) passes
through untouched: the same scope, receive and send objects, every message
as the server and the app sent it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request

from corsguard import Policy
from corsguard._adapters.asgi import CorsMiddleware
from tests.asgi.support import ACAO, TRUSTED, TestClient
from tests.matrix.django_adapter import run_coroutine

POLICY = Policy(allowed_origins=[TRUSTED])


def test_lifespan_objects_and_messages_are_passed_as_they_are() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.extend((scope, receive, send))
        message = await receive()
        seen.append(message)
        await send({"type": "lifespan.startup.complete"})

    sent: list[Any] = []
    startup = {"type": "lifespan.startup"}
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}

    async def receive() -> Any:
        return startup

    async def send(message: Any) -> None:
        sent.append(message)

    run_coroutine(CorsMiddleware(app, POLICY)(scope, receive, send))
    assert seen[0] is scope and seen[1] is receive and seen[2] is send
    assert seen[3] is startup
    assert sent == [{"type": "lifespan.startup.complete"}]
    assert scope == {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}


def test_unknown_scope_types_pass_through() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    scope = {"type": "some.extension"}
    run_coroutine(CorsMiddleware(app, POLICY)(scope, None, None))  # type: ignore[arg-type]
    assert seen == [scope]


def _api(events: list[str]) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, str]]:
        events.append("startup")
        yield {"greeting": "hello"}
        events.append("shutdown")

    api = FastAPI(lifespan=lifespan)

    @api.get("/items")
    def items(request: Request) -> dict[str, str]:
        return {"greeting": request.state.greeting}

    return api


@pytest.mark.parametrize("form", ["wrapped", "add_middleware"])
def test_a_fastapi_lifespan_runs_behind_the_middleware(form: str) -> None:
    events: list[str] = []
    api = _api(events)
    if form == "add_middleware":
        api.add_middleware(CorsMiddleware, policy=POLICY)
    app = CorsMiddleware(api, POLICY) if form == "wrapped" else api
    with TestClient(app) as client:
        assert events == ["startup"]
        answer = client.get("/items", headers={"Origin": TRUSTED})
        assert answer.headers[ACAO] == TRUSTED
        assert answer.json() == {"greeting": "hello"}, "the lifespan state did not reach the request"
    assert events == ["startup", "shutdown"]
