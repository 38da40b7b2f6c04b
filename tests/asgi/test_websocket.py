"""The opt-in WebSocket Origin check (B10), at the ASGI level: what the
server sees of a refused handshake, how the check is switched on, and what
is logged. The handshakes of tests/matrix/websocket.py cover the rules."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from corsguard import Policy
from corsguard._adapters.asgi import CorsMiddleware
from corsguard._adapters.asgi_layer import POLICY_VIOLATION
from corsguard._engine import log
from corsguard._engine.messages import WEBSOCKET_REFUSED
from tests.asgi.support import TRUSTED, UNTRUSTED, TestClient
from tests.matrix.django_adapter import run_coroutine
from tests.matrix.runner import captured_logs

POLICY = Policy(allowed_origins=[TRUSTED])


def handshake(app: Any, origin: str | None) -> list[dict[str, Any]]:
    """What the app sends the server for a handshake, driven message by message."""
    sent: list[dict[str, Any]] = []
    inbox = [{"type": "websocket.connect"}]
    headers = [(b"host", b"testserver")] + ([] if origin is None else [(b"origin", origin.encode())])
    scope = {"type": "websocket", "path": "/ws", "root_path": "", "headers": headers, "subprotocols": []}

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    run_coroutine(app(scope, receive, send))
    return sent


async def accepting(scope: Any, receive: Any, send: Any) -> None:
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": 1000})


def test_a_refused_handshake_is_closed_before_it_is_accepted_and_the_app_never_runs() -> None:
    called: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append(scope)

    assert handshake(CorsMiddleware(app, POLICY, check_websocket_origin=True), UNTRUSTED) == [
        {"type": "websocket.close", "code": POLICY_VIOLATION}
    ]
    assert called == []


def test_an_allowed_handshake_reaches_the_app_untouched() -> None:
    sent = handshake(CorsMiddleware(accepting, POLICY, check_websocket_origin=True), TRUSTED)
    assert sent == [{"type": "websocket.accept"}, {"type": "websocket.close", "code": 1000}]


def test_off_by_default() -> None:
    assert not CorsMiddleware(accepting, POLICY).check_websocket_origin
    assert handshake(CorsMiddleware(accepting, POLICY), UNTRUSTED)[0] == {"type": "websocket.accept"}


def test_switched_on_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", TRUSTED)
    monkeypatch.setenv("CORSGUARD_CHECK_WEBSOCKET_ORIGIN", "true")
    app = CorsMiddleware(accepting)
    assert app.check_websocket_origin
    assert handshake(app, UNTRUSTED)[0]["type"] == "websocket.close"
    monkeypatch.setenv("CORSGUARD_CHECK_WEBSOCKET_ORIGIN", "false")
    assert not CorsMiddleware(accepting, check_websocket_origin=True).check_websocket_origin, "the environment wins"


def test_the_refusal_is_logged_and_hooks_see_it() -> None:
    refusals: list[log.Refusal] = []
    remove = log.add_hook(refusals.append)
    try:
        with captured_logs() as messages:
            handshake(CorsMiddleware(accepting, POLICY, check_websocket_origin=True), UNTRUSTED + "\r\nX: 1")
    finally:
        remove()
    (refusal,) = refusals
    assert refusal.category == log.ORIGIN and refusal.reason == WEBSOCKET_REFUSED and refusal.path == "/ws"
    assert "CHECK_WEBSOCKET_ORIGIN" in refusal.detail
    (line,) = [message for message in messages if WEBSOCKET_REFUSED in message]
    assert "\r" not in line and "\n" not in line and "\\r\\n" in line


def test_a_starlette_websocket_route_under_the_test_client() -> None:
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    app = CorsMiddleware(Starlette(routes=[WebSocketRoute("/ws", echo)]), POLICY, check_websocket_origin=True)
    with TestClient(app) as client:
        with client.websocket_connect("/ws", headers={"Origin": TRUSTED}) as socket:
            socket.send_text("ping")
            assert socket.receive_text() == "ping"
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect("/ws", headers={"Origin": UNTRUSTED}),
        ):
            pass
        assert closed.value.code == POLICY_VIOLATION
        # HTTP requests are unaffected by the WebSocket setting.
        assert client.get("/ws", headers={"Origin": TRUSTED}).status_code == 404
