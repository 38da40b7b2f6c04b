"""Raw bytes through real servers: uvicorn in front of the ASGI middleware,
gunicorn in front of the WSGI one, each on 127.0.0.1 and a free port.

The request is written byte for byte on a socket: invalid UTF-8 in Origin,
Access-Control-Request-Method, -Headers and -Private-Network, two ``Origin``
lines, names in odd case. What the server handed the adapter is sent back
by a layer outside corsguard (``X-Seen``), and the answer is judged on that
by the oracle: so whatever a server does with such bytes (joins repeats,
lowers names, refuses the request itself), the adapter is held to the rules
for what it was actually given. A request the server refuses before the
application runs never reaches corsguard, and is counted as such.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from corsguard import PathRules
from corsguard.asgi import CorsMiddleware
from testprojects import serve
from tests.proofs import oracle, raw
from tests.proofs.fuzz_asgi import ASGIApp, plain_app, scope_facts
from tests.proofs.hostile import Hostile, Sent
from tests.proofs.servers import HOST, gunicorn

CONFIG = raw.CONFIGS[0]
OK = raw.ALLOWED.encode()
# (id, method, header lines as sent)
CASES: list[tuple[str, str, list[tuple[bytes, bytes]]]] = [
    ("allowed", "OPTIONS", [(b"Origin", OK)]),
    ("origin-invalid-utf8", "OPTIONS", [(b"Origin", OK + b"\xff")]),
    ("origin-invalid-utf8-inside", "GET", [(b"Origin", b"https://app.\xc3\x28example.com")]),
    ("origin-twice", "OPTIONS", [(b"Origin", OK), (b"Origin", OK)]),
    ("origin-twice-get", "GET", [(b"Origin", OK), (b"origin", b"https://evil.example")]),
    ("origin-upper-case", "OPTIONS", [(b"ORIGIN", OK)]),
    ("origin-odd-case-twice", "OPTIONS", [(b"oRiGiN", OK), (b"ORIGIN", b"https://evil.example")]),
    ("acrm-invalid-utf8", "OPTIONS", [(b"Origin", OK), (b"Access-Control-Request-Method", b"P\xffT")]),
    ("acrh-invalid-utf8", "OPTIONS", [(b"Origin", OK), (b"Access-Control-Request-Headers", b"x-custom,\xc3\x28")]),
    ("acrpn-invalid-utf8", "OPTIONS", [(b"Origin", OK), (b"Access-Control-Request-Private-Network", b"tr\xe9ue")]),
    ("acrm-twice", "OPTIONS", [(b"Origin", OK), (b"ACCESS-CONTROL-REQUEST-METHOD", b"GET"), (b"acrm", b"PUT")]),
]


def _request(method: str, lines: list[tuple[bytes, bytes]]) -> bytes:
    """The bytes on the wire; a preflight announces PUT unless the case sends its own ACRM."""
    lines = [(b"access-control-request-method" if name == b"acrm" else name, value) for name, value in lines]
    if method == "OPTIONS" and b"access-control-request-method" not in {name.lower() for name, _ in lines}:
        lines = [*lines, (b"Access-Control-Request-Method", b"PUT")]
    head = [f"{method} /api/items HTTP/1.1".encode(), b"Host: 127.0.0.1", *(n + b": " + v for n, v in lines)]
    return b"\r\n".join([*head, b"Connection: close", b"", b""])


def _exchange(port: int, data: bytes) -> tuple[int, list[tuple[str, str]]]:
    """Status and header lines (latin-1) of the server's answer, read to the end."""
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(data)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    head = b"".join(chunks).split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split(" ")[1])
    return status, [(name, value.strip()) for name, _, value in (line.partition(":") for line in head[1:])]


def _hostile(method: str, data: bytes) -> Hostile:
    """The request as sent, for the judge's own reading of its Origin lines."""
    lines = data.split(b"\r\n")[2:-3]
    pairs = [line.partition(b": ") for line in lines]
    return Hostile(method, "/api/items", "", tuple((n.decode(), v.decode("latin-1")) for n, _, v in pairs))


def _judged(sent: Sent, facts: oracle.Facts | None, method: str, data: bytes) -> str:
    """What happened: the server refused the request itself, or corsguard's answer passed judgement."""
    _, status, headers = sent
    if facts is None:
        assert status is not None and 400 <= status < 500, f"the server answered {status} without the app"
        assert not any(name.lower().startswith("access-control-") for name, _ in headers)
        return f"refused by the server ({status})"
    raw.judge(CONFIG, _hostile(method, data), facts, sent, [])
    acao = next((value for name, value in headers if name.lower() == "access-control-allow-origin"), None)
    return f"{status}, ACAO {acao!r}"


def _seen_layer(app: ASGIApp) -> ASGIApp:
    """Outside corsguard: the scope's method, path and header lines, sent back as ``x-seen``."""

    async def seen(scope: Any, receive: Any, send: Any) -> None:
        lines = [[bytes(n).decode("latin-1"), bytes(v).decode("latin-1")] for n, v in scope.get("headers", [])]
        text = json.dumps({"method": scope.get("method"), "path": scope.get("path"), "headers": lines}).encode()

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"x-seen", text)]}
            await send(message)

        await app(scope, receive, sending)

    return seen


@pytest.fixture(scope="module")
def uvicorn_port() -> Iterator[int]:
    running = serve.serve_asgi("raw-bytes", _seen_layer(CorsMiddleware(plain_app, PathRules.from_mapping(CONFIG))))
    yield running.port
    running.stop()


def _asgi_facts(headers: list[tuple[str, str]]) -> oracle.Facts | None:
    seen = next((json.loads(value) for name, value in headers if name.lower() == "x-seen"), None)
    if seen is None:
        return None
    lines = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in seen["headers"]]
    return scope_facts({"method": seen["method"], "path": seen["path"], "headers": lines})


@pytest.mark.parametrize(("name", "method", "lines"), CASES, ids=[case[0] for case in CASES])
def test_uvicorn_hands_raw_bytes_to_the_asgi_middleware(
    name: str, method: str, lines: list[tuple[bytes, bytes]], uvicorn_port: int
) -> None:
    data = _request(method, lines)
    with raw.captured() as handler:
        status, headers = _exchange(uvicorn_port, data)
    print(name, _judged((0, status, headers), _asgi_facts(headers), method, data))
    raw.judge_log(handler.records)


@pytest.fixture(scope="module")
def gunicorn_port() -> Iterator[int]:
    with gunicorn("tests.proofs.apps:seen", {"PROOF_CORSGUARD": json.dumps(CONFIG)}, workers=1, threads=2) as server:
        yield server.port


def _wsgi_facts(headers: list[tuple[str, str]]) -> oracle.Facts | None:
    seen = next((json.loads(value) for name, value in headers if name.lower() == "x-seen"), None)
    return None if seen is None else oracle.facts(seen, oracle.routed_path(seen["PATH_INFO"]))


@pytest.mark.parametrize(("name", "method", "lines"), CASES, ids=[case[0] for case in CASES])
def test_gunicorn_hands_raw_bytes_to_the_wsgi_middleware(
    name: str, method: str, lines: list[tuple[bytes, bytes]], gunicorn_port: int
) -> None:
    """gunicorn's log lines are its own process's; the in-process proof holds them to B6."""
    data = _request(method, lines)
    status, headers = _exchange(gunicorn_port, data)
    print(name, _judged((0, status, headers), _wsgi_facts(headers), method, data))
