"""WebSocket routes: what CHECK_WEBSOCKET_ORIGIN guards (docs/behaviour.md B10).

``/ws/echo`` follows the app's settings, ``/ws/custom`` declares its own
policy and ``/ws/exempt`` is exempt, so a check that ignored the governing
policy would show.
"""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from corsguard._adapters.asgi import cors_exempt, cors_policy
from testprojects import contract

sockets = APIRouter(prefix="/ws")


async def _echo_once(websocket: WebSocket, name: str) -> None:
    contract.record(name)
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


@sockets.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    await _echo_once(websocket, "ws-echo")


@sockets.websocket("/custom")
@cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN])
async def custom(websocket: WebSocket) -> None:
    await _echo_once(websocket, "ws-custom")


@sockets.websocket("/exempt")
@cors_exempt
async def exempt(websocket: WebSocket) -> None:
    await _echo_once(websocket, "ws-exempt")
