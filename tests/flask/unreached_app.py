"""A Flask app whose module declares a view no route reaches (B13.2)."""

from __future__ import annotations

from flask import Flask

from corsguard_flask import CorsGuard, cors_policy

app = Flask(__name__)
CorsGuard(app, env={}, allowed_origins=["https://app.example.com"])


@app.route("/routed")
@cors_policy(allowed_origins=["https://partner.example.net"])
def routed() -> str:
    return "routed"


@cors_policy(allowed_origins=["https://partner.example.net"])
def forgotten() -> str:
    return "never routed"
