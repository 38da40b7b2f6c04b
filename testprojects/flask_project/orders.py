"""``/api/orders/<id>``: a flask-smorest blueprint whose ``MethodView``
declares a policy on its DELETE method only (B13.1); GET follows the settings."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from corsguard_flask import cors_policy
from testprojects import contract

orders = Blueprint("orders", __name__, url_prefix="/api/orders")


@orders.route("/<number>")
class Order(MethodView):
    def get(self, number: str) -> dict[str, Any]:
        contract.record("orders")
        return {"order": number}

    @cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], allow_credentials=False, max_age=0)
    def delete(self, number: str) -> dict[str, Any]:
        contract.record("orders.delete")
        return {"deleted": number}
