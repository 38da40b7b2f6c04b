"""Frameworks plug into ``corsguard lint`` and ``migrate`` (issue 23), and the
first-hour CLI defects of issue 20: ``lint --asgi-app`` (item 7), ``lint
--env`` with nothing allowed (item 2), Django's command conventions under
``manage.py corsguard`` (item 3), and why ``check`` asks DNS (item 6).
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corsguard.cli import network, plugins
from corsguard.cli.lint.loaders import UNCONFIGURED
from tests.cli.test_lint import run_lint

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "testprojects" / "django_project" / "manage.py"
SETTINGS = "testprojects.django_project.settings"
FASTAPI = sys.version_info >= (3, 11)


def _env(tmp_path: Path, *path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_", "CORS_"))}
    env["DJANGO_PROJECT_DB"] = str(tmp_path / "db.sqlite3")
    env["PYTHONPATH"] = os.pathsep.join(str(item) for item in (ROOT, *path))
    return env


def _run(tmp_path: Path, argv: list[str], *path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=_env(tmp_path, *path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- the plug-in protocol ---------------------------------------------------------


def test_every_declared_framework_loads_and_keeps_the_protocol() -> None:
    """Each ``corsguard.frameworks`` entry point of pyproject.toml names a
    ``Framework`` whose option ``lint`` and ``migrate`` then offer."""
    # Python 3.10 has no tomllib to read the checkout's pyproject.toml; there
    # (tox installs a wheel) the installed metadata declares the group.
    declared = plugins.checkout_entry_points(ROOT) or {
        entry.name: entry.value for entry in importlib.metadata.entry_points(group=plugins.GROUP)
    }
    assert set(declared) == {"asgi", "django", "flask"}
    registry = plugins.registry()
    assert [framework.name for framework in registry.frameworks] == sorted(declared)
    assert registry.broken == ()
    assert registry.flags() == ["--asgi-app", "--django-settings", "--flask-app"]
    assert plugins.option_for("django-cors-headers") == registry.frameworks[1].option
    assert plugins.option_for("starlette") == registry.frameworks[0].option


def _code_names(path: Path) -> set[str]:
    """Module names imported, and string constants other than docstrings, in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node) is not None
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            names.add(node.value)
    return names


def test_lint_and_its_hosts_name_no_framework() -> None:
    """Only the entry points say which frameworks exist: the modules that
    find and run loaders neither import nor name a framework package (an
    ``import_module("corsguard_django...")`` would pass import-linter)."""
    modules = [*(ROOT / "corsguard" / "cli" / "lint").glob("*.py")]
    modules += [ROOT / "corsguard" / "cli" / name for name in ("plugins.py", "frameworks.py", "__init__.py")]
    named = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in _code_names(path)
        if "corsguard_django" in name or "corsguard_flask" in name
    }
    assert named == set()


TOY = """
import argparse

from corsguard._pipeline import config
from corsguard.cli.plugins import Loaded, Option


class Toy:
    name = "toy"
    option = Option("--toy-app", "NAME", "a toy framework's app")

    def load(self, args: argparse.Namespace) -> Loaded:
        rules = config.load({"ALLOWED_ORIGINS": ["https://toy.example"]}, environ=None).pipeline.rules
        return Loaded(f"the toy app {args.toy_app!r}", True, rules)


FRAMEWORK = Toy()
"""


def test_a_new_framework_is_one_package(tmp_path: Path) -> None:
    """A distribution that registers a loader in its metadata, installed
    next to corsguard, adds its option to ``lint`` with no change to the core."""
    site = tmp_path / "site"
    info = site / "toy_corsguard-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-corsguard\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[corsguard.frameworks]\ntoy = toy_framework:FRAMEWORK\n")
    (site / "toy_framework.py").write_text(TOY)
    done = _run(tmp_path, ["-m", "corsguard", "lint", "--toy-app", "demo", "--origin", "https://toy.example"], site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "corsguard lint: the toy app 'demo'" in done.stdout
    assert "the settings: allowed by ALLOWED_ORIGINS[0] 'https://toy.example'" in done.stdout
    helped = _run(tmp_path, ["-m", "corsguard", "lint", "--help"], site)
    assert "--toy-app NAME" in helped.stdout and "--django-settings MODULE" in helped.stdout


# -- lint --asgi-app (issue 20, item 7) ------------------------------------------------

FASTAPI_APP = """
from fastapi import FastAPI

from corsguard import Policy
from corsguard.asgi import CorsMiddleware, cors_exempt, cors_policy

api = FastAPI()


@api.get("/items")
def items() -> dict[str, int]:
    return {"items": 1}


@api.get("/embed")
@cors_policy(allowed_origins=["https://embed.example.com"])
def embed() -> dict[str, str]:
    return {"embed": "yes"}


@cors_exempt
@api.get("/health")
def health() -> dict[str, str]:
    return {"ok": "yes"}


{wiring}
"""
ADDED = 'api.add_middleware(CorsMiddleware, policy=Policy(allowed_origins=["https://app.example.com"]))\napp = api'
WRAPPED = 'app = CorsMiddleware(api, Policy(allowed_origins=["https://app.example.com"]))'
FACTORY = f"def create_app():\n    {ADDED.replace(chr(10), chr(10) + '    ')}\n    return app"


@pytest.mark.skipif(not FASTAPI, reason="FastAPI needs Python 3.11 here (pyproject's test extra)")
@pytest.mark.parametrize(
    ("name", "wiring", "spec"),
    [
        ("asgi_lint_added", ADDED, ":app"),
        ("asgi_lint_wrapped", WRAPPED, ":app"),
        ("asgi_lint_factory", FACTORY, ":create_app"),
        ("asgi_lint_module", ADDED, ""),
    ],
)
def test_lint_reads_fastapi_per_route_policies(
    name: str, wiring: str, spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / f"{name}.py").write_text(FASTAPI_APP.replace("{wiring}", wiring))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = run_lint("--asgi-app", name + spec, "--origin", "https://embed.example.com", "--json")
    document: dict[str, Any] = json.loads(out)
    assert code == 0, out
    assert document["source"] == f"the ASGI app {name + spec!r}"
    assert document["policies"] == ["the settings", "route 'embed'", "route 'health'"]
    verdicts = {verdict["policy"]: verdict for verdict in document["origins"][0]["policies"]}
    by = verdicts["route 'embed'"]["by"]
    assert (by["setting"], by["entry"]) == ("ALLOWED_ORIGINS[0]", "https://embed.example.com")
    assert not verdicts["the settings"]["allowed"] and verdicts["route 'health'"]["why_not"] == "CORS is off here"


@pytest.mark.skipif(not FASTAPI, reason="FastAPI needs Python 3.11 here (pyproject's test extra)")
def test_lint_says_when_an_asgi_app_has_no_corsguard_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "asgi_lint_bare"
    (tmp_path / f"{name}.py").write_text(FASTAPI_APP.replace("{wiring}", "app = api"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = run_lint("--asgi-app", f"{name}:app", "--fail-on", "warning")
    assert code == 1
    assert "asgi (warning): corsguard's CorsMiddleware is not on this app" in out


@pytest.mark.skipif(not FASTAPI, reason="FastAPI needs Python 3.11 here (pyproject's test extra)")
def test_lint_reports_a_route_policy_the_server_would_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "asgi_lint_refused"
    source = FASTAPI_APP.replace("{wiring}", ADDED.replace('"https://app.example.com"', '"*"'))
    source = source.replace(
        '@cors_policy(allowed_origins=["https://embed.example.com"])', "@cors_policy(allow_credentials=True)"
    )
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = run_lint("--asgi-app", f"{name}:app")
    assert code == 1, out
    assert "the server would refuse to start" in out and "ALLOW_CREDENTIALS" in out


@pytest.mark.skipif(not FASTAPI, reason="FastAPI needs Python 3.11 here (pyproject's test extra)")
def test_lint_names_a_declared_route_function_no_route_reaches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up error of B13.2, as an error of lint (the Flask loader's twin)."""
    forgotten = '\n\n@cors_policy(max_age=0)\ndef forgotten() -> str:\n    return ""\n'
    (tmp_path / "asgi_lint_forgotten.py").write_text(FASTAPI_APP.replace("{wiring}", ADDED) + forgotten)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = run_lint("--asgi-app", "asgi_lint_forgotten:app", "--json")
    notes = json.loads(out)["framework_checks"]
    assert code == 1 and [note["id"] for note in notes] == ["asgi-unreached"], out
    assert "asgi_lint_forgotten.forgotten" in notes[0]["message"] and "no route behind" in notes[0]["message"]


# -- lint --env with nothing set (issue 20, item 2) --------------------------------------------


def test_lint_env_with_nothing_allowed_says_what_it_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("CORSGUARD_", "CORS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")
    code, out = run_lint("--env", "--json")
    (finding,) = json.loads(out)["findings"]
    assert finding["code"] == UNCONFIGURED and finding["setting"] == "CORSGUARD_ALLOWED_ORIGINS"
    assert "Looked for CORSGUARD_* environment variables; found 'CORS_ALLOWED_ORIGINS'" in finding["message"]
    assert code == 0 and run_lint("--env", "--fail-on", "warning")[0] == 1
    # The same words as CorsMiddleware(app) logs at start-up with no policy.
    from corsguard._engine import log  # noqa: PLC0415
    from corsguard.wsgi import CorsMiddleware  # noqa: PLC0415

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    log.logger.addHandler(handler)
    log.forget()
    try:
        CorsMiddleware(lambda environ, start_response: [])
    finally:
        log.logger.removeHandler(handler)
    said = [record.getMessage() for record in records if "allows no origin" in record.getMessage()]
    assert said and finding["message"] in said[0]


def test_lint_env_with_an_origin_has_no_such_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", "https://app.example.com")
    code, out = run_lint("--env", "--json")
    assert code == 0 and json.loads(out)["findings"] == []


# -- manage.py corsguard (issue 20, item 3) ---------------------------------------------------


def test_manage_py_takes_djangos_options_after_the_subcommand(tmp_path: Path) -> None:
    done = _run(tmp_path, [str(MANAGE), "corsguard", "lint", "--settings", SETTINGS, "--verbosity", "2"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"corsguard lint: the Django settings {SETTINGS!r}" in done.stdout
    unknown = _run(tmp_path, [str(MANAGE), "corsguard", "lint", "--settings", "no_such_settings_module"])
    assert unknown.returncode != 0 and "no_such_settings_module" in unknown.stderr


def test_manage_py_migrate_reads_the_projects_own_settings(tmp_path: Path) -> None:
    done = _run(tmp_path, [str(MANAGE), "corsguard", "migrate", "--from", "django-cors-headers", "--json"])
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "needs --django-settings" not in done.stderr
    document = json.loads(done.stdout)
    assert document["from"] == "django-cors-headers" and "ALLOWED_ORIGINS" in document["settings"]


# -- check says why it asks DNS (issue 20, item 6) --------------------------------------------


def test_check_says_why_it_resolves_the_origins_host(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def resolve(name: str) -> tuple[str, ...]:
        asked.append(name)
        return ("203.0.113.7",)

    monkeypatch.setattr(network, "_resolve", resolve)
    from corsguard.cli.check import verdict  # noqa: PLC0415

    access = network.assess("https://app.example.com", "http://127.0.0.1:8000/api")
    assert asked == ["app.example.com"] and access.page.resolved
    lines = verdict._local_network_lines(access)
    why = "DNS: looked up the Origin's host app.example.com (203.0.113.7) because Local Network Access depends on"
    assert lines[0].startswith(why) and lines[1].startswith("Local Network Access (Chromium 142+)")
    given = network.assess("https://app.example.com", "http://127.0.0.1:8000/api", "public")
    assert asked == ["app.example.com"] and not given.page.resolved
    assert not verdict._local_network_lines(given)[0].startswith("DNS:")
