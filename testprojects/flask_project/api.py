"""The JSON API: every route of ``testprojects.contract`` plus a session login.

Views record themselves (``contract.record``) so the shared matrix can tell
whether the application ran; preflights must never get here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from flask import Blueprint, Response, abort, jsonify, request, send_file, session

from corsguard_flask import cors_exempt, cors_policy
from testprojects import contract

api = Blueprint("api", __name__, url_prefix="/api")

# Every method, OPTIONS included, reaches these views (contract: "any
# method"), so Flask's automatic OPTIONS answer is turned off for them.
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FILE_BODY = b"corsguard send_file body\n" * 64

# The view that the auth hook in app.py protects.
PRIVATE_ENDPOINT = "api.private"


@api.route("/items", methods=ANY_METHOD, provide_automatic_options=False)
def items() -> Response:
    contract.record("items")
    response = Response(contract.ITEMS_JSON, mimetype="application/json")
    response.headers["X-Total-Count"] = contract.TOTAL_COUNT
    return response


@api.route("/vary")
def vary() -> Response:
    contract.record("vary")
    response = Response(b"vary", mimetype="text/plain")
    response.headers["Vary"] = "Accept-Encoding"
    return response


@api.route("/own-cors")
def own_cors() -> Response:
    contract.record("own-cors")
    response = Response(b"own", mimetype="text/plain")
    response.headers["Access-Control-Allow-Origin"] = contract.OWN_ACAO
    return response


@api.route("/own-expose")
def own_expose() -> Response:
    contract.record("own-expose")
    response = Response(b"own", mimetype="text/plain")
    response.headers["Access-Control-Expose-Headers"] = contract.OWN_EXPOSE
    return response


@api.route("/stream")
def stream() -> Response:
    contract.record("stream")

    def chunks() -> Iterator[bytes]:
        yield from contract.STREAM_CHUNKS

    return Response(chunks(), mimetype="text/plain")


@api.route("/file")
def file() -> Response:
    contract.record("file")
    return send_file(io.BytesIO(FILE_BODY), mimetype="text/plain", download_name="corsguard.txt")


@api.route("/cookies")
def cookies() -> Response:
    contract.record("cookies")
    response = Response(b"cookies", mimetype="text/plain")
    for cookie in contract.COOKIES:
        response.headers.add("Set-Cookie", cookie)
    return response


@api.route("/missing")
def missing() -> Response:
    contract.record("missing")
    abort(404)


@api.route("/forbidden")
def forbidden() -> Response:
    contract.record("forbidden")
    abort(403)


@api.route("/boom")
def boom() -> Response:
    contract.record("boom")
    raise RuntimeError("boom")


@api.route("/private")
def private() -> Response:
    contract.record("private")
    return jsonify(user=session["user"])


@api.route("/slash/")
def slash() -> str:
    contract.record("slash")
    return "slash"


@api.route("/v1/users/<user_id>")
def user(user_id: str) -> Response:
    contract.record("user")
    return jsonify(id=user_id)


@api.route("/custom")
@cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], expose_headers=["x-custom"], max_age=0)
def custom() -> Response:
    contract.record("custom")
    response = Response(b"custom", mimetype="text/plain")
    response.headers["X-Custom"] = "1"
    return response


@api.route("/exempt", methods=ANY_METHOD, provide_automatic_options=False)
@cors_exempt
def exempt() -> str:
    contract.record("exempt")
    return "exempt"


@api.post("/login")
def login() -> Response | tuple[Response, int]:
    """Start a session. JSON only: a cross-origin JSON POST needs a preflight,
    so only allowed origins can log a browser in (a form post cannot)."""
    payload = request.get_json(silent=True)
    if not request.is_json or not isinstance(payload, dict) or not isinstance(payload.get("user"), str):
        return jsonify(error='send JSON {"user": "<name>"}'), 400
    contract.record("login")
    session.clear()
    session["user"] = payload["user"]
    return jsonify(user=payload["user"])


@api.post("/logout")
def logout() -> Response:
    contract.record("logout")
    session.clear()
    return jsonify(user=None)
