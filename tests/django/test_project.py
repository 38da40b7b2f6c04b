"""The test project's session login, as a cross-origin front-end uses it:
CSRF token, login with credentials, the protected endpoint, logout."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from testprojects.django_project import settings as project

FRONTEND = project.FRONTEND_ORIGINS[0]


@pytest.fixture(autouse=True)
def _project_settings():  # type: ignore[no-untyped-def]
    """The project's own CORS and CSRF settings, whatever ran before."""
    with override_settings(CORSGUARD=project.CORSGUARD, CSRF_TRUSTED_ORIGINS=project.CSRF_TRUSTED_ORIGINS):
        yield


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


@pytest.mark.django_db  # a wrong password falls through to the admin's ModelBackend
def test_wrong_password_and_missing_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True, headers={"origin": FRONTEND})
    token = client.get("/api/csrf").json()["csrfToken"]
    wrong = json.dumps({"username": "alice", "password": "nope"})
    assert (
        client.post("/api/login", wrong, content_type="application/json", headers={"x-csrftoken": token}).status_code
        == 401
    )
    assert client.post("/api/login", wrong, content_type="application/json").status_code == 403
