"""``reconfigure`` (B9.5): one assignment swaps the policy; a request under
way finishes under the policy it started with; a refused configuration
leaves the old one in place; concurrent requests on one event loop never
see a mixed answer while the policy flips."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from corsguard import PathRules, Policy, PolicyError
from corsguard._adapters.asgi import CorsMiddleware, cors_policy
from tests.asgi.support import ACAO, get, preflight
from tests.matrix.django_adapter import run_coroutine

X = "https://x.example.com"
Y = "https://y.example.com"
Z = "https://z.example.com"


def api(gate: asyncio.Event | None = None, entered: asyncio.Event | None = None, declared: bool = False) -> FastAPI:
    app = FastAPI()

    @app.get("/items")
    async def items() -> str:
        if gate is not None and entered is not None:
            entered.set()
            await asyncio.wait_for(gate.wait(), 10)
        return "items"

    if declared:

        @app.get("/declared")
        @cors_policy(max_age=0)
        def declared_route() -> str:
            return "declared"

    return app


def test_reconfigure_swaps_the_policy() -> None:
    app = CorsMiddleware(api(), Policy(allowed_origins=[X]))
    assert get(app, "/items", X).headers[ACAO] == X
    app.reconfigure(Policy(allowed_origins=[Y]))
    assert ACAO not in get(app, "/items", X).headers
    assert get(app, "/items", Y).headers[ACAO] == Y
    assert preflight(app, "/items", Y).status_code == 204
    app.reconfigure(PathRules(Policy(allowed_origins=[X]), [(r"/items", None)]))
    assert "vary" not in get(app, "/items", X).headers


def test_reconfigure_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    app = CorsMiddleware(api(), Policy(allowed_origins=[X]))
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", Y)
    monkeypatch.setenv("CORSGUARD_CHECK_WEBSOCKET_ORIGIN", "true")
    app.reconfigure()
    assert get(app, "/items", Y).headers[ACAO] == Y
    assert app.check_websocket_origin


def test_a_refused_configuration_keeps_the_old_one() -> None:
    app = CorsMiddleware(api(declared=True), Policy(allowed_origins=[X]))
    with pytest.raises(PolicyError):
        # The route's max_age=0 is fine, but "*" with credentials is refused for every route.
        app.reconfigure(Policy(allowed_origins=["*"], allow_credentials=True))
    with pytest.raises(PolicyError):
        app.reconfigure(check_websocket_origin="on")  # type: ignore[arg-type]
    assert get(app, "/items", X).headers[ACAO] == X
    assert get(app, "/declared", X).headers[ACAO] == X


@pytest.mark.parametrize("declared", [False, True], ids=["decided-before", "decided-at-start"])
def test_a_request_under_way_keeps_its_policy(declared: bool) -> None:
    """Both paths: decided before the app runs, and (when a route declares a
    policy) decided as the response starts, after the swap."""

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        gate, entered = asyncio.Event(), asyncio.Event()
        app = CorsMiddleware(api(gate, entered, declared), Policy(allowed_origins=[X]))
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            under_way = asyncio.ensure_future(client.get("/items", headers={"Origin": X}))
            await asyncio.wait_for(entered.wait(), 10)
            app.reconfigure(Policy(allowed_origins=[Y]))
            gate.set()
            first = await under_way
            entered.clear()
            gate.clear()
            later = asyncio.ensure_future(client.get("/items", headers={"Origin": X}))
            await asyncio.wait_for(entered.wait(), 10)
            gate.set()
            return first, await later

    first, later = run_coroutine(scenario())
    assert first.headers[ACAO] == X, "the request in flight was answered under the new policy"
    assert ACAO not in later.headers


def test_concurrent_requests_never_see_a_foreign_answer_while_the_policy_flips() -> None:
    async def scenario() -> dict[str, set[str | None]]:
        app = CorsMiddleware(api(declared=True), Policy(allowed_origins=[X]))
        policies = [Policy(allowed_origins=[Y]), Policy(allowed_origins=[X])]
        # Seeded, so a failure repeats; random, so the flips cannot fall into
        # step with the requests' own awaits.
        chooser = random.Random(10)
        seen: dict[str, set[str | None]] = {X: set(), Y: set(), Z: set()}

        async def flipper(stop: asyncio.Event) -> None:
            while not stop.is_set():
                app.reconfigure(chooser.choice(policies))
                await asyncio.sleep(0)

        async def client(origin: str, http: Any) -> None:
            for _ in range(150):
                answer = await http.get("/items", headers={"Origin": origin})
                seen[origin].add(answer.headers.get(ACAO))
                await asyncio.sleep(0)  # the app never waits here: let the flipper run

        stop = asyncio.Event()
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            flipping = asyncio.ensure_future(flipper(stop))
            await asyncio.gather(*(client(origin, http) for origin in seen for _ in range(2)))
            stop.set()
            await flipping
        return seen

    seen = run_coroutine(scenario())
    assert seen[X] <= {X, None} and seen[Y] <= {Y, None} and seen[Z] == {None}
    assert X in seen[X] and Y in seen[Y], "both policies should have answered some requests"
