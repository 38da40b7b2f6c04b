"""``corsguard migrate`` as a user runs it: on a settings module, a Flask
app and a Starlette app on disk; what it prints can be pasted and builds."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from corsguard._pipeline import config
from corsguard.cli import main
from corsguard.cli.migrate.report import CODES
from corsguard.cli.migrate.values import path_regex

DJANGO_SETTINGS = """
INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]
CORS_ALLOWED_ORIGINS = ["https://example.com", "https://App.Example.com/", "file://"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.org"]
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOWED_ORIGIN = ["https://typo.example"]
"""

FLASK_APP = """
from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, resources={r"/api/*": {"origins": ["https://example.com"]}}, allow_headers=["Content-Type", "X-COMPANY-.*"])


@app.get("/widget")
@cross_origin(origins=["https://partner.example"])
def widget():
    return "ok"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def run(project: Path, capsys: pytest.CaptureFixture[str], name: str, source: str, *args: str) -> tuple[int, str]:
    (project / f"{name}.py").write_text(textwrap.dedent(source))
    code = main(["migrate", *args])
    return code, capsys.readouterr().out


def pasted(output: str, start: str) -> str:
    """The Python block the command printed, from ``start`` to its closing line."""
    block = output[output.index(start) :]
    return block[: block.index("\n)" if start.endswith("(") else "\n}") + 2]


def test_django_cors_headers(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(project, capsys, "mysettings", DJANGO_SETTINGS, "--from", "django-cors-headers",
                    "--django-settings", "mysettings")  # fmt: skip
    assert code == 0, out
    namespace: dict[str, object] = {}
    exec(pasted(out, "CORSGUARD = {"), namespace)
    settings = namespace["CORSGUARD"]
    assert isinstance(settings, dict)
    config.load(settings, environ=None)  # builds as corsguard would at start-up
    assert settings["ALLOWED_ORIGINS"] == ["https://example.com", "https://app.example.com"]
    assert settings["ORIGIN_REGEXES"] == [r"https://\w+\.example\.org"]
    assert settings["PATHS"] == [("/api/.*", {}), (".*", None)]
    assert "replace 'corsheaders.middleware.CorsMiddleware' (position 2)" in out
    assert "INSTALLED_APPS: replace 'corsheaders' with 'corsguard_django'" in out
    for code_ in ("fullmatch-regex", "file-scheme", "origin-rewritten", "urls-regex-to-paths", "unknown-setting"):
        assert f"[{code_}]" in out
    assert "https://x.example.org.evil.example" in out  # what re.match let through


def test_any_origin_with_credentials_must_be_filled_in(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"
    code, out = run(project, capsys, "opensettings", source, "--from", "django-cors-headers",
                    "--django-settings", "opensettings")  # fmt: skip
    assert code == 1
    assert "[credentials-any-origin]" in out and "Fill in the values marked TODO" in out


def test_flask_cors_says_its_default_first(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(project, capsys, "myapp", FLASK_APP, "--from", "flask-cors", "--flask-app", "myapp:app")
    assert code == 0, out
    assert out.splitlines()[2].startswith("READ FIRST: flask-cors allows EVERY origin")
    assert "[regex-header] header 'X-COMPANY-.*'" in out
    assert "view 'widget': replace @cross_origin(...) with @cors_policy(allowed_origins=" in out
    assert "['https://partner.example'], allow_headers=['*'])" in out
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    block = pasted(out, "CorsGuard(")
    exec(block, {"CorsGuard": CorsGuard, "app": Flask("pasted")})


def test_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(project, capsys, "jsonsettings", "CORS_ALLOWED_ORIGINS = ['https://example.com']\n",
                    "--from", "django-cors-headers", "--django-settings", "jsonsettings", "--json")  # fmt: skip
    document = json.loads(out)
    assert code == 0 and document["from"] == "django-cors-headers" and document["problems"] == []
    assert document["settings"]["ALLOWED_ORIGINS"] == ["https://example.com"]
    assert {item["code"] for item in document["differences"]} <= set(CODES)


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "django-cors-headers"],
        ["--from", "django-cors-headers", "--django-settings", "no_such_settings_module"],
        ["--from", "flask-cors", "--flask-app", "no_such_module:app"],
        ["--from", "express"],
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    assert main(["migrate", *args]) == 2


PATH_PATTERNS = [r"^/api/.*$", r"/api/", r"^/api/*", r"/v[0-9]+/", r"\A/static", r"^/exact$", r"/a|/b", r"^/a$|^/b$"]


@example(r"/a|/b", "/ax")
@example(r"^/a$|^/b$", "/b")
@given(st.sampled_from(PATH_PATTERNS), st.text(alphabet="/apiv0123staticexb.", max_size=12))
def test_path_regexes_keep_their_meaning(pattern: str, path: str) -> None:
    """A PATHS rule (full-matched) accepts exactly the paths re.match accepted."""
    from corsguard.cli.migrate.report import Migration  # noqa: PLC0415

    translated = path_regex(pattern, Migration("test", {}))
    assert bool(re.fullmatch(translated, path, re.DOTALL)) == bool(re.match(pattern, path))


def test_the_readme_lists_every_code() -> None:
    readme = (Path(__file__).resolve().parents[2] / "docs" / "migrating.md").read_text()
    missing = [code for code in CODES if f"| `{code}` |" not in readme]
    assert not missing, f"add these migrate codes to the table in docs/migrating.md: {missing}"
