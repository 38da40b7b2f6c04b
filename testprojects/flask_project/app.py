"""The Flask test project: ``create_app(config)`` builds one app.

It is what a Flask user following corsguard's README would write: the
extension created once, bound in the factory, an auth hook registered
*before* ``init_app`` (corsguard must still answer preflights first), JSON
error pages, a blueprint with its own policy, per-route policies.

Run it: ``python -m testprojects.flask_project`` (127.0.0.1:8000; reads
``CORSGUARD_*`` environment variables).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, jsonify, request, session
from flask_smorest import Api as SmorestApi
from werkzeug.exceptions import HTTPException, InternalServerError

from testprojects import contract
from testprojects.flask_project.api import PRIVATE_ENDPOINT, api
from testprojects.flask_project.extensions import cors
from testprojects.flask_project.orders import orders
from testprojects.flask_project.partners import partners

BASE_CONFIG: Mapping[str, object] = {
    "SECRET_KEY": "corsguard-flask-project-development-key",
    "SESSION_COOKIE_NAME": contract.LOGIN_COOKIE,
    "SESSION_COOKIE_HTTPONLY": True,
    # A front-end on http://localhost:3000 calling this app on
    # http://localhost:8000 is cross-origin but same-site (ports do not
    # count), so Lax cookies are sent with credentials: "include". Across
    # sites (127.0.0.1 vs localhost, or two domains) browsers need
    # SameSite=None, which requires Secure, i.e. HTTPS.
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    # flask-smorest, for the /api/orders blueprint.
    "API_TITLE": "corsguard Flask test project",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.2",
}

# CORS for local development when no config is given.
DEVELOPMENT_CORS: Mapping[str, object] = {
    "CORSGUARD_ALLOWED_ORIGINS": ["http://localhost:3000", "http://127.0.0.1:3000"],
    "CORSGUARD_ALLOW_CREDENTIALS": True,
    "CORSGUARD_EXPOSE_HEADERS": ["x-total-count"],
}


def create_app(config: Mapping[str, object] | None = None, *, env: Mapping[str, str] | None = None) -> Flask:
    """A new app. ``config`` is Flask config (``CORSGUARD_*`` keys included)
    and replaces the development CORS settings; ``CORSGUARD_*`` variables of
    ``env`` (default: ``os.environ``; ``{}`` for none) override both."""
    app = Flask(__name__)
    app.config.from_mapping(BASE_CONFIG)
    app.config.from_mapping(DEVELOPMENT_CORS if config is None else config)

    # Registered before init_app on purpose: corsguard answers preflights
    # before any hook, whatever the order.
    app.before_request(require_login)
    cors.init_app(app, env=env)

    app.register_blueprint(api)
    app.register_blueprint(partners)
    SmorestApi(app).register_blueprint(orders)
    app.add_url_rule("/public/<path:page>", view_func=public)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_error)
    return app


def require_login() -> tuple[Response, int] | None:
    """The auth layer: /api/private needs a session (401 JSON otherwise)."""
    if request.endpoint == PRIVATE_ENDPOINT and "user" not in session:
        return jsonify(error="login required"), 401
    return None


def public(page: str) -> str:
    contract.record("public")
    return page


def http_error(error: HTTPException) -> Response | HTTPException:
    """JSON error pages; corsguard adds its headers to these like to any response."""
    if error.code is None:
        return error
    response = jsonify(error=error.name, status=error.code)
    response.status_code = error.code
    return response


def server_error(error: InternalServerError) -> tuple[Response, int]:
    return jsonify(error="internal server error", status=500), 500
