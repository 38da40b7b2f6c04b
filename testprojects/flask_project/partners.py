"""A blueprint with its own CORS policy and its own ``before_request`` hook.

Partners call from their own origin with an API key header; the key check
is a blueprint hook, and their preflights (which never carry the key) must
still be answered, by this blueprint's policy.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from testprojects import contract
from testprojects.flask_project.extensions import cors

PARTNER_ORIGIN = "https://partner.example.net"
PARTNER_KEY = "partner-secret"

partners = Blueprint("partners", __name__, url_prefix="/partners")


@partners.before_request
def require_key() -> tuple[Response, int] | None:
    if request.headers.get("X-Partner-Key") != PARTNER_KEY:
        return jsonify(error="partner key required"), 401
    return None


@partners.route("/report", methods=["GET", "PUT"])
def report() -> Response:
    contract.record("partners.report")
    return jsonify(report="ok", method=request.method)


# After the routes, so registering the blueprint compiles all of it at once.
cors.init_blueprint(
    partners,
    allowed_origins=[PARTNER_ORIGIN],
    allow_headers=["content-type", "x-partner-key"],
    expose_headers=["x-request-id"],
    max_age=600,
)
