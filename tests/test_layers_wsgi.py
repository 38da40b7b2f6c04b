"""Two corsguard layers in WSGI (B13.4): a mounted app's own layer decides
its responses, and a layer put directly around an app that has one is refused."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from corsguard import Policy, PolicyError
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard_flask import CorsGuard

BASE = "https://app.example.com"
ADMIN = "https://admin.example.com"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"


def admin_app() -> Flask:
    admin = Flask(__name__)
    admin.add_url_rule("/users/1", "user", lambda: {"secret": "admin data"})
    CorsGuard(admin, env={}, allowed_origins=[ADMIN])
    return admin


def root(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"root"]


def test_the_mounted_apps_refusal_stands() -> None:
    outer = CorsMiddleware(
        DispatcherMiddleware(root, {"/admin": admin_app()}), Policy(allowed_origins=[BASE], allow_credentials=True)
    )
    client = Client(outer)
    refused = client.get("/admin/users/1", headers={"Origin": BASE})
    assert refused.status_code == 200 and ACAO not in refused.headers and ACAC not in refused.headers
    own = client.get("/admin/users/1", headers={"Origin": ADMIN})
    assert own.headers[ACAO] == ADMIN and ACAC not in own.headers
    # The mounted app's preflights are its own layer's to answer.
    asked = {"Access-Control-Request-Method": "DELETE"}
    answered = client.options("/admin/users/1", headers={"Origin": ADMIN, **asked})
    assert (answered.status_code, answered.headers.get(ACAO)) == (204, ADMIN)
    assert client.options("/admin/users/1", headers={"Origin": BASE, **asked}).status_code == 403
    # The outer layer still answers for its own app, preflights included.
    assert client.get("/", headers={"Origin": BASE}).headers[ACAO] == BASE
    own_preflight = client.options("/", headers={"Origin": BASE, **asked})
    assert (own_preflight.status_code, own_preflight.headers.get(ACAC)) == (204, "true")


def test_a_layer_around_an_app_with_its_own_is_refused() -> None:
    with pytest.raises(PolicyError, match="already has a corsguard layer"):
        CorsMiddleware(admin_app(), Policy(allowed_origins=[BASE]))
