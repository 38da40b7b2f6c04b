"""WebSocket handshakes as data (docs/behaviour.md B10), and their runner.

Each handshake opens a WebSocket on the FastAPI test project, behind
``corsguard._adapters.asgi.CorsMiddleware``, with Starlette's in-process test client.
An accepted one must reach the route and echo a message; a refused one must
be closed before it is accepted (the test client reports the close code;
a server answers the handshake 403) without the route running, and its
refusal must be logged with the browser's words.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from corsguard._adapters.asgi_layer import POLICY_VIOLATION
from corsguard._engine.messages import WEBSOCKET_REFUSED
from testprojects import contract
from tests.matrix import asgi_adapter
from tests.matrix.runner import captured_logs
from tests.matrix.scenarios import BASE, TENANT, TENANTS_ASYNC, TRUSTED, UNTRUSTED

with warnings.catch_warnings():
    # Starlette 1.10 prefers the httpx2 package for its test client; httpx works.
    warnings.filterwarnings("ignore", message=".*httpx2")
    from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

CHECKED: Mapping[str, object] = {**BASE, "CHECK_WEBSOCKET_ORIGIN": True}


@dataclass(frozen=True)
class Handshake:
    name: str
    covers: str
    config: Mapping[str, object]
    origin: str | None
    accepted: bool
    path: str = "/ws/echo"
    # Substrings some corsguard log line must contain (refusals only).
    log_contains: tuple[str, ...] = field(default=())


def refused(name: str, covers: str, config: Mapping[str, object], origin: str, path: str = "/ws/echo") -> Handshake:
    return Handshake(name, covers, config, origin, False, path, (WEBSOCKET_REFUSED, repr(origin)))


HANDSHAKES = [
    Handshake("ws-off-by-default", "B10.1 off by default", BASE, UNTRUSTED, True),
    Handshake("ws-allowed-origin", "B10.2", CHECKED, TRUSTED, True),
    refused("ws-foreign-origin-refused", "B10.1", CHECKED, UNTRUSTED),
    Handshake("ws-no-origin-passes", "B10.2 not a browser", CHECKED, None, True),
    Handshake("ws-subdomain-pattern", "B10.2 same allow-list", CHECKED, "https://a.example.org", True),
    refused("ws-lookalike-refused", "B10.2, B1.4", CHECKED, "https://a.example.org.evil.net"),
    refused("ws-malformed-refused", "B10.2, B1.3", CHECKED, TRUSTED + "/"),
    refused("ws-null-refused", "B10.2 null only when listed", CHECKED, "null"),
    Handshake("ws-null-listed", "B10.2", {"ALLOWED_ORIGINS": ["null"], "CHECK_WEBSOCKET_ORIGIN": True}, "null", True),
    Handshake("ws-any-origin", "B10.2 *", {"ALLOWED_ORIGINS": ["*"], "CHECK_WEBSOCKET_ORIGIN": True}, UNTRUSTED, True),
    refused(
        "ws-any-origin-not-malformed",
        "B10.2 * allows well-formed origins only",
        {"ALLOWED_ORIGINS": ["*"], "CHECK_WEBSOCKET_ORIGIN": True},
        UNTRUSTED + "/",
    ),
    refused("ws-any-origin-not-null", "B10.2", {"ALLOWED_ORIGINS": ["*"], "CHECK_WEBSOCKET_ORIGIN": True}, "null"),
    Handshake(
        "ws-path-rule-off-not-checked",
        "B10.2 CORS off",
        {**CHECKED, "PATHS": [(r"/ws/.*", None), (r".*", {})]},
        UNTRUSTED,
        True,
    ),
    refused(
        "ws-path-rule-governs",
        "B10.1, B3.4",
        {**CHECKED, "PATHS": [(r"/ws/.*", {"ALLOWED_ORIGINS": ["https://ws.example.com"]}), (r".*", {})]},
        TRUSTED,
    ),
    Handshake(
        "ws-path-rule-allows",
        "B10.1, B3.4",
        {**CHECKED, "PATHS": [(r"/ws/.*", {"ALLOWED_ORIGINS": ["https://ws.example.com"]}), (r".*", {})]},
        "https://ws.example.com",
        True,
    ),
    Handshake("ws-exempt-route-not-checked", "B10.2 @cors_exempt", CHECKED, UNTRUSTED, True, "/ws/exempt"),
    Handshake("ws-route-policy-allows", "B10.1, B3.5", CHECKED, contract.CUSTOM_ORIGIN, True, "/ws/custom"),
    refused("ws-route-policy-replaces-settings", "B10.1, B3.5", CHECKED, TRUSTED, "/ws/custom"),
    Handshake(
        "ws-resolver-allows-a-tenant",
        "B10.1, B9.1 async resolver",
        {**TENANTS_ASYNC, "CHECK_WEBSOCKET_ORIGIN": True},
        TENANT,
        True,
    ),
    refused(
        "ws-resolver-refuses-the-unknown",
        "B10.1, B9.1",
        {**TENANTS_ASYNC, "CHECK_WEBSOCKET_ORIGIN": True},
        UNTRUSTED,
    ),
    refused(
        "ws-failing-resolver-refuses",
        "B10.1, B9.4",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.raising", "CHECK_WEBSOCKET_ORIGIN": True},
        TENANT,
    ),
]


def run_handshake(handshake: Handshake) -> None:
    app = asgi_adapter.build(handshake.config)
    headers = {} if handshake.origin is None else {"origin": handshake.origin}
    contract.VIEW_CALLS.clear()
    with captured_logs() as messages, TestClient(app) as client:
        if handshake.accepted:
            with client.websocket_connect(handshake.path, headers=headers) as socket:
                socket.send_text("ping")
                assert socket.receive_text() == "ping"
            assert contract.VIEW_CALLS, "the route did not run"
        else:
            with (
                pytest.raises(WebSocketDisconnect) as closed,
                client.websocket_connect(handshake.path, headers=headers),
            ):
                pass
            assert closed.value.code == POLICY_VIOLATION
            assert not contract.VIEW_CALLS, f"the route ran: {contract.VIEW_CALLS}"
    for fragment in handshake.log_contains:
        assert any(fragment in line for line in messages), f"no corsguard log line contains {fragment!r}: {messages}"
    for line in messages:
        assert "\r" not in line and "\n" not in line, line
