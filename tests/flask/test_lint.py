"""``flask corsguard lint`` on a factory app, run as a person runs it (issue 20, items 1 and 2).

The app is a module written to a temporary directory and loaded by
``flask --app``; lint must read the finished app (routes added after
``init_app`` included) and say why nothing is allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LATE_ROUTES = """
from flask import Blueprint, Flask

from corsguard_flask import CorsGuard, cors_policy

cors = CorsGuard()
api = Blueprint("api", __name__, url_prefix="/api")
cors.init_blueprint(api, allowed_origins=["https://partner.example.net"])


@api.route("/items")
def items() -> str:
    return "items"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["CORSGUARD_ALLOWED_ORIGINS"] = ["https://app.example.com"]
    cors.init_app(app)
    app.register_blueprint(api)

    @app.route("/embed")
    @cors_policy(allowed_origins=["https://embed.example.com"])
    def embed() -> str:
        return "embed"

    return app
"""

FLASK_CORS_KEYS = """
from flask import Flask

from corsguard_flask import CorsGuard


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["CORS_ORIGINS"] = ["https://app.example.com"]
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    CorsGuard(app)

    @app.route("/api/items")
    def items() -> str:
        return "items"

    return app
"""


def flask_lint(tmp_path: Path, source: str, *argv: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "factory_app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "FLASK_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "factory_app:create_app", "corsguard", "lint", *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_lint_reads_routes_added_after_init_app(tmp_path: Path) -> None:
    """Item 1: a @cors_policy route added after init_app is in force and allows its origin."""
    done = flask_lint(tmp_path, LATE_ROUTES, "--origin", "https://embed.example.com")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Policies in force: the settings; view 'api.items'; view 'embed'." in done.stdout
    assert "Origin 'https://embed.example.com': allowed by 1 of 3 policies" in done.stdout
    assert "view 'embed': allowed by ALLOWED_ORIGINS[0] 'https://embed.example.com'" in done.stdout
    assert "refused everywhere" not in done.stdout


def test_lint_names_flask_cors_keys_when_nothing_is_allowed(tmp_path: Path) -> None:
    """Item 2: what was looked for, what was found, and the fix, as a finding."""
    done = flask_lint(tmp_path, FLASK_CORS_KEYS, "--fail-on", "warning")
    assert done.returncode == 1, done.stdout + done.stderr
    finding = next(line for line in done.stdout.splitlines() if "corsguard_flask.W005" in line)
    assert "corsguard allows no origin" in finding
    assert "Looked for CORSGUARD_* keys in app.config (CORSGUARD_ALLOWED_ORIGINS ...)" in finding
    assert "found 'CORS_ORIGINS', 'CORS_SUPPORTS_CREDENTIALS', which corsguard does not read" in finding
    assert "corsguard migrate --from flask-cors --flask-app MODULE:APP" in finding
    assert "CORS_ORIGINS -> CORSGUARD_ALLOWED_ORIGINS" in finding
    assert "CORS_SUPPORTS_CREDENTIALS -> CORSGUARD_ALLOW_CREDENTIALS" in finding


CREDENTIALS_TRAP = """
from flask import Flask
from flask_login import LoginManager

from corsguard_flask import CorsGuard


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="lint",
        SERVER_NAME="api.example.net",
        CORSGUARD_ALLOWED_ORIGINS=["https://app.example.com"],
        CORSGUARD_ALLOW_CREDENTIALS=True,
    )
    CorsGuard(app)
    LoginManager(app)  # after corsguard: lint still reads it
    return app
"""


def test_lint_reports_the_credentials_traps(tmp_path: Path) -> None:
    """Item 9: the same checks as init_app's log, on the finished app."""
    done = flask_lint(tmp_path, CREDENTIALS_TRAP)
    assert done.returncode == 0, done.stdout + done.stderr  # warnings: exit 1 only with --fail-on warning
    found = [line for line in done.stdout.splitlines() if "corsguard_flask.W002 (warning)" in line]
    assert len(found) == 2
    assert "SESSION_COOKIE_SAMESITE is None" in found[0] and "REMEMBER_COOKIE_SAMESITE is None" in found[1]
    assert "cross-site to the API host 'api.example.net' (SERVER_NAME)" in found[0]
