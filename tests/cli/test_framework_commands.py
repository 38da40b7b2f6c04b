"""The same commands as each framework hosts them: ``python manage.py
corsguard ...`` (a Django management command) and ``flask corsguard ...``
(the ``flask.commands`` entry point), run as a person runs them, in a
subprocess. ``lint`` reads the project it runs in; ``check`` is the console
script's, against a live server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from corsguard._engine import messages
from testprojects import serve, wsgi_app

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "testprojects" / "django_project" / "manage.py"
FLASK_APP = "testprojects.flask_project.app:create_app"
PAGE = "http://localhost:3000"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_", "FLASK_"))}
    env["DJANGO_PROJECT_DB"] = str(tmp_path / "db.sqlite3")
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def manage(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE), "corsguard", *argv],
        cwd=ROOT,
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def flask(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", FLASK_APP, "corsguard", *argv],
        cwd=ROOT,
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    running = serve.serve_wsgi("api", wsgi_app.create_app({"ALLOWED_ORIGINS": [PAGE]}))
    yield running.url("localhost")
    running.stop()


def test_manage_py_lint_reads_the_project(tmp_path: Path) -> None:
    done = manage(tmp_path, "lint", "--origin", PAGE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "corsguard lint: the Django settings 'testprojects.django_project.settings'" in done.stdout
    assert "the settings: allowed by ALLOWED_ORIGINS[0] 'http://localhost:3000' (exact origin)" in done.stdout
    assert "@cors_policy on testprojects.django_project.views.exempt (route 'api/exempt'): refused: CORS is off" in (
        done.stdout
    )


def test_manage_py_lint_reports_a_configuration_django_would_refuse(tmp_path: Path) -> None:
    """Django's own system checks would stop the command; lint runs anyway and says why."""
    done = manage(tmp_path, "lint", CORSGUARD_ALLOW_CREDENTIALS="ture")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "CORSGUARD_ALLOW_CREDENTIALS: 'ture': is not a boolean." in done.stdout


def test_manage_py_check(tmp_path: Path, api: str) -> None:
    done = manage(tmp_path, "check", f"{api}/api/items", "--origin", PAGE, "--header", "X-Custom:1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert messages.header_not_allowed("x-custom") in done.stdout
    assert "Fix: add 'x-custom' to ALLOW_HEADERS." in done.stdout


def test_manage_py_help_lists_the_subcommands(tmp_path: Path) -> None:
    done = manage(tmp_path, "--help")
    assert done.returncode == 0 and "{check,scan,lint" in done.stdout.replace(" ", "")


def test_flask_corsguard_lint_reads_the_app(tmp_path: Path) -> None:
    done = flask(tmp_path, "lint", "--origin", "https://partner.example.net")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "corsguard lint: the Flask app 'testprojects.flask_project.app'" in done.stdout
    assert "view 'partners.report': allowed by ALLOWED_ORIGINS[0] 'https://partner.example.net'" in done.stdout


def test_flask_corsguard_lint_when_the_factory_refuses(tmp_path: Path) -> None:
    done = flask(tmp_path, "lint", CORSGUARD_ALLOWED_ORIGINS="https://app.example.com/")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ALLOWED_ORIGINS[0]: 'https://app.example.com/': is not a serialized origin" in done.stdout


def test_flask_corsguard_check(tmp_path: Path, api: str) -> None:
    done = flask(tmp_path, "check", f"{api}/api/items", "--origin", "http://127.0.0.1:3000", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert messages.NO_ACAO in done.stdout and '"corsguard": true' in done.stdout


def test_flask_corsguard_help_is_corsguards(tmp_path: Path) -> None:
    done = flask(tmp_path, "lint", "--help")
    assert done.returncode == 0
    assert "usage: flask corsguard lint" in done.stdout and "--django-settings" in done.stdout


def test_manage_py_lint_heads_the_framework_checks_apart_from_the_findings(tmp_path: Path) -> None:
    """'Findings: none.' followed by warnings with no heading read as a
    contradiction (issue: a newcomer's first hour, item 5)."""
    done = manage(tmp_path, "lint")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    findings = next(index for index, line in enumerate(lines) if line.startswith("Findings:"))
    checks = [line for line in lines[findings + 1 :] if line.startswith("  - corsguard_")]
    assert checks, done.stdout
    assert f"Framework checks: {len(checks)}" in lines, done.stdout
