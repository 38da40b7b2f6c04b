"""Flask: fail closed (B3.6) and the environment rule (B2.4)."""

from __future__ import annotations

import pytest

from corsguard_flask import CorsGuard, cors_policy, routing
from tests.flask.support import TRUSTED, UNTRUSTED, acao, new_app, preflight, vary


def test_a_route_lookup_that_raises_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    app = new_app()

    @app.get("/declared")
    @cors_policy(max_age=0)
    def declared() -> str:
        return "declared"

    @app.get("/plain")
    def plain() -> str:
        return "plain"

    CorsGuard(app, env={})

    def broken(*args: object) -> str:
        raise RuntimeError("routing with a bug")

    monkeypatch.setattr(routing, "endpoint_for", broken)
    client = app.test_client()
    answer = client.options("/plain", headers=preflight(TRUSTED))
    assert answer.status_code == 403 and acao(answer) == []
    missing = client.get("/nowhere", headers={"Origin": TRUSTED})  # routed by corsguard itself: 404
    assert missing.status_code == 404 and acao(missing) == [] and "origin" in vary(missing)
    served = client.get("/plain", headers={"Origin": TRUSTED})  # Flask's own routing: no lookup needed
    assert acao(served) == [TRUSTED]


def test_environment_overrides_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", UNTRUSTED)
    for switch_off in ({"CORSGUARD_USE_ENVIRONMENT": False}, {}):
        app = new_app(switch_off)

        @app.get("/x")
        def view() -> str:
            return "x"

        if switch_off:
            CorsGuard(app)
        else:
            CorsGuard(app, use_environment=False)
        assert acao(app.test_client().get("/x", headers={"Origin": TRUSTED})) == [TRUSTED]
    app = new_app()
    app.add_url_rule("/x", "x", lambda: "x")
    CorsGuard(app)
    assert acao(app.test_client().get("/x", headers={"Origin": UNTRUSTED})) == [UNTRUSTED]
