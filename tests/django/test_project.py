"""The test project's session login, as a cross-origin front-end uses it:
CSRF token, login with credentials, the protected endpoint, logout."""

from __future__ import annotations

import json

from django.test import Client

FRONTEND = "http://localhost:3000"


def test_login_round_trip_from_the_frontend() -> None:
    client = Client(enforce_csrf_checks=True, headers={"origin": FRONTEND})
    assert client.get("/api/private").status_code == 401

    token = client.get("/api/csrf").json()["csrfToken"]
    body = json.dumps({"username": "alice", "password": "wonderland"})
    login = client.post("/api/login", body, content_type="application/json", headers={"x-csrftoken": token})
    assert (login.status_code, login["Access-Control-Allow-Origin"], login["Access-Control-Allow-Credentials"]) == (
        200,
        FRONTEND,
        "true",
    )

    private = client.get("/api/private")
    assert (private.status_code, private.json()) == (200, {"user": "alice"})

    token = client.get("/api/csrf").json()["csrfToken"]
    assert client.post("/api/logout", headers={"x-csrftoken": token}).status_code == 200
    assert client.get("/api/private").status_code == 401


def test_wrong_password_and_missing_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True, headers={"origin": FRONTEND})
    token = client.get("/api/csrf").json()["csrfToken"]
    wrong = json.dumps({"username": "alice", "password": "nope"})
    assert (
        client.post("/api/login", wrong, content_type="application/json", headers={"x-csrftoken": token}).status_code
        == 401
    )
    assert client.post("/api/login", wrong, content_type="application/json").status_code == 403
