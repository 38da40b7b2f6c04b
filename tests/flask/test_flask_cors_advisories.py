"""flask-cors's advisories (peers.md), replayed through Flask's own test client."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from corsguard._engine import log as cors_log
from tests.flask.support import TRUSTED, UNTRUSTED, acao, guard, new_app, preflight

ACAPN = "Access-Control-Allow-Private-Network"


def catch_all(config: dict[str, object]) -> Flask:
    """An app that answers every path, so only CORS can differ."""
    app = new_app(config)

    @app.route("/", defaults={"rest": ""})
    @app.route("/<path:rest>")
    def anything(rest: str) -> str:
        return rest

    return guard(app)


def test_cve_2024_6839_first_rule_in_declaration_order_wins() -> None:
    app = catch_all(
        {
            "CORSGUARD_PATHS": [
                (r"/api/v1/users/.*", {"ALLOWED_ORIGINS": [TRUSTED]}),
                (r"/(api|static)/.*", {"ALLOWED_ORIGINS": ["*"]}),
            ]
        }
    )
    client = app.test_client()
    assert acao(client.get("/api/v1/users/42", headers={"Origin": UNTRUSTED})) == []
    assert acao(client.get("/api/v1/users/42", headers={"Origin": TRUSTED})) == [TRUSTED]
    assert acao(client.get("/static/app.js", headers={"Origin": UNTRUSTED})) == ["*"]


def test_cve_2024_6866_paths_are_case_sensitive() -> None:
    app = catch_all(
        {
            "CORSGUARD_ALLOWED_ORIGINS": [TRUSTED],
            "CORSGUARD_PATHS": [(r"/public/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {})],
        }
    )
    client = app.test_client()
    assert acao(client.get("/PUBLIC/secret", headers={"Origin": UNTRUSTED})) == []
    assert acao(client.get("/public/secret", headers={"Origin": UNTRUSTED})) == ["*"]


def test_cve_2024_6844_plus_is_not_a_space() -> None:
    app = catch_all(
        {
            "CORSGUARD_PATHS": [
                (r"/service\+path", {"ALLOWED_ORIGINS": ["https://a.example.com"]}),
                (r"/service path", {"ALLOWED_ORIGINS": ["https://b.example.com"]}),
            ]
        }
    )
    client = app.test_client()
    assert acao(client.get("/service+path", headers={"Origin": "https://b.example.com"})) == []
    assert acao(client.get("/service+path", headers={"Origin": "https://a.example.com"})) == ["https://a.example.com"]
    assert acao(client.get("/service%20path", headers={"Origin": "https://b.example.com"})) == ["https://b.example.com"]


def test_cve_2024_1681_no_log_line_carries_cr_or_lf(caplog: pytest.LogCaptureFixture) -> None:
    app = catch_all({})
    cors_log.forget()
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="corsguard"):
        app.test_client().get("/x%0d%0aINFO:forged", headers={"Origin": UNTRUSTED})
        app.test_client().options("/x%0d%0aINFO:forged", headers=preflight(UNTRUSTED))
    # Not a listed store's poller thread (testprojects.resolvers.listed_down).
    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name == "corsguard" and not record.threadName.startswith("corsguard-")
    ]
    assert len(messages) == 2
    for message in messages:
        assert "\r" not in message and "\n" not in message
        assert "\\r\\nINFO:forged" in message


def test_cve_2024_6221_no_private_network_access_by_default() -> None:
    app = catch_all({})
    answer = app.test_client().options(
        "/api/items", headers={**preflight(TRUSTED, "GET"), "Access-Control-Request-Private-Network": "true"}
    )
    assert answer.status_code == 204
    assert ACAPN not in answer.headers


def test_cve_2024_6221_private_network_access_when_switched_on() -> None:
    app = catch_all({"CORSGUARD_ALLOW_PRIVATE_NETWORK": True})
    headers = {**preflight(TRUSTED, "GET"), "Access-Control-Request-Private-Network": "true"}
    assert app.test_client().options("/api/items", headers=headers).headers[ACAPN] == "true"
    refused = app.test_client().options("/api/items", headers={**headers, "Origin": UNTRUSTED})
    assert ACAPN not in refused.headers


def test_cve_2020_25032_decided_on_the_routed_path_decoded_once() -> None:
    app = catch_all({"CORSGUARD_PATHS": [(r"/api/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {})]})
    client = app.test_client()
    # %2561 is "%61" after the one decoding a server does, not "a": no /api/ rule.
    double = client.get("/%2561pi/x", headers={"Origin": UNTRUSTED})
    assert double.get_data(as_text=True) == "%61pi/x"
    assert acao(double) == []
    # Dot-segments are not resolved by Flask; the rule sees the same path the router saw.
    dotted = client.get("/api/../private", headers={"Origin": UNTRUSTED})
    assert dotted.get_data(as_text=True) == "api/../private"
    assert acao(dotted) == ["*"]
    outside = client.get("/private", headers={"Origin": UNTRUSTED})
    assert acao(outside) == []
