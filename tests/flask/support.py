"""Small helpers shared by the Flask unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from corsguard_flask import CorsGuard

TRUSTED = "https://app.example.com"
UNTRUSTED = "https://evil.example.net"
PARTNER = "https://partner.example.net"
CUSTOM = "https://custom.example.com"

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACMA = "Access-Control-Max-Age"


def new_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A bare Flask app; ``config`` is Flask config (``CORSGUARD_*`` keys included)."""
    app = Flask(__name__)
    app.config.update({"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED], **(config or {})})
    return app


def guard(app: Flask, **settings: Any) -> Flask:
    """``init_app`` with the environment ignored, so the shell cannot change a test."""
    CorsGuard().init_app(app, env={}, **settings)
    return app


def preflight(origin: str = TRUSTED, method: str = "PUT", headers: str | None = None) -> dict[str, str]:
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        sent["Access-Control-Request-Headers"] = headers
    return sent


def acao(response: TestResponse) -> list[str]:
    return response.headers.getlist(ACAO)


def vary(response: TestResponse) -> list[str]:
    return [token.strip().lower() for line in response.headers.getlist("Vary") for token in line.split(",")]
