"""The load proof in the test command (tests/proofs/load.py), at full size:
100,000 requests per app under gunicorn gthread 2x8, no response with
another request's CORS headers, no error; the counts shown to fail on broken
apps; and the routed-path rule (B3.4) under the real server.
"""

from __future__ import annotations

import os
import socket

import pytest

from tests.proofs.load import hammer, served
from tests.proofs.servers import HOST, gunicorn

REQUESTS = int(os.environ.get("CORSGUARD_PROOF_REQUESTS", "100000"))


@pytest.mark.parametrize("app", ["flask", "django"])
def test_no_leak_and_no_error_under_a_threaded_server(app: str) -> None:
    with served(app) as server:
        outcome = hammer(server, REQUESTS)
    print(outcome.line(app))
    assert outcome.requests == REQUESTS, outcome.line(app)
    assert outcome.leaks == 0, outcome.first_leak
    assert outcome.errors == 0, outcome.first_error


def test_leaks_are_caught() -> None:
    with served("leaky", {}) as server:
        outcome = hammer(server, 2_000)
    assert outcome.leaks > 0 and outcome.errors == 0


def test_errors_are_caught() -> None:
    with served("raising", {}) as server:
        outcome = hammer(server, 200)
    assert outcome.errors == 200 and outcome.leaks == 0


PATHS_SETTINGS = (
    '{"ALLOWED_ORIGINS": ["https://app.example.com"], '
    '"PATHS": [["/api/v1/users/.*", {}], [".*", {"ALLOWED_ORIGINS": ["*"]}]]}'
)


def raw_get(port: int, target: str, origin: str) -> tuple[int, str, bytes]:
    """A request line sent as written: no client library normalises it."""
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    acao = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("access-control-allow-origin:")]
    return int(lines[0].split()[1]), ",".join(acao), body


@pytest.mark.parametrize(
    "target",
    ["/api/v1/users/42", "//api/v1/users/42", "///api/v1/users/42", "/api/v1//users/42", "/api%2Fv1/users/42"],
)
def test_the_strict_rule_governs_whatever_serves_the_users_view(target: str) -> None:
    """B3.4 under gunicorn: whenever Flask serves the users' view, the strict
    rule applied (the CVE-2020-25032 class: //private served under .*)."""
    with gunicorn("tests.proofs.apps:flask", {"PROOF_CORSGUARD": PATHS_SETTINGS}) as server:
        status, acao, body = raw_get(server.port, target, "https://evil.example.net")
    assert acao == "", (target, status, acao)
    assert status in (200, 308), (target, status)  # served, or redirected to the merged path
    if status == 200:
        assert b'"id": "42"' in body or b'"id":"42"' in body, body  # the users' view answered
