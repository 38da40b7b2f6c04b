"""Chromium keeps Flask's default session cookie from a cross-site front-end (issue 20, item 9).

Why ``corsguard_flask.W002`` exists: with ``ALLOW_CREDENTIALS`` on and CORS
answered correctly, a page on another site still gets no session, because
Flask sets its cookie without a SameSite attribute and Chromium treats that
as Lax. A page on the API's own site (another port, same registrable
domain) gets it. ``*.test`` names map to loopback (tests/browser/chromium.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, session

from corsguard_flask import CorsGuard
from testprojects import serve
from tests.proofs.servers import free_port


def api_app(port: int, frontend_port: int) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="browser-test",
        SERVER_NAME=f"api.test:{port}",
        CORSGUARD_ALLOWED_ORIGINS=[f"http://front.test:{frontend_port}", f"http://www.api.test:{frontend_port}"],
        CORSGUARD_ALLOW_CREDENTIALS=True,
        # *.test is loopback here; plain http is the only scheme the suite serves.
        CORSGUARD_DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS=True,
    )

    @app.route("/login")
    def login() -> str:
        session["user"] = "ada"
        return "logged in"

    @app.route("/me")
    def me() -> str:
        return str(session.get("user", "anonymous"))

    return app


@pytest.fixture
def api(frontend: serve.Running) -> Iterator[tuple[serve.Running, str]]:
    """The API on ``api.test``, and what corsguard said when it started."""
    port = free_port()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("corsguard")
    logger.addHandler(handler)
    try:
        app = api_app(port, frontend.port)
        CorsGuard(app, env={})
    finally:
        logger.removeHandler(handler)
    running = serve.serve_wsgi("flask-cookies", app, port=port)
    yield running, "\n".join(record.getMessage() for record in records)
    running.stop()


def whoami(page: Any, url: str) -> Any:
    return page.evaluate("url => cg(url, {credentials: 'include'})", url)


def test_chromium_keeps_the_session_from_a_cross_site_page(
    context: Any, frontend: serve.Running, api: tuple[serve.Running, str]
) -> None:
    running, said = api
    warned = [line for line in said.splitlines() if "corsguard_flask.W002" in line]
    assert len(warned) == 1
    assert f"'http://front.test:{frontend.port}' is cross-site to the API host 'api.test' (SERVER_NAME)" in warned[0]
    assert "www.api.test" not in warned[0]  # same site: not warned

    page = context.new_page()
    page.goto(f"http://api.test:{running.port}/login")  # top level: the cookie is stored, first-party
    me = f"http://api.test:{running.port}/me"

    page.goto(f"http://front.test:{frontend.port}/")
    cross_site = whoami(page, me)
    assert cross_site["ok"] and cross_site["status"] == 200  # CORS is answered...
    assert cross_site["body"] == "anonymous"  # ...but the session cookie was not sent

    page.goto(f"http://www.api.test:{frontend.port}/")
    same_site = whoami(page, me)
    assert same_site["ok"] and same_site["body"] == "ada"
