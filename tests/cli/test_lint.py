"""``corsguard lint``: every source (environment, TOML and JSON files, Django
settings, a Flask app) loaded without a server; problems, findings and
``--origin`` reported; exit codes a CI can gate a deploy on. The entry that
``--origin`` names is held to the engine's own answer by a property test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corsguard import Policy
from corsguard.cli.lint import command as lint
from corsguard.cli.lint import matching
from corsguard.cli.lint.loaders import SourceError, read_file

TOML_SUPPORTED = sys.version_info >= (3, 11)
ROOT = Path(__file__).resolve().parents[2]
PAGE = "http://localhost:3000"


def run_lint(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="corsguard")
    lint.add_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = lint.run(parser.parse_args(["lint", *argv]))
    return code, out.getvalue()


def run_json(*argv: str) -> tuple[int, dict[str, Any]]:
    code, out = run_lint(*argv, "--json")
    return code, json.loads(out)


@pytest.fixture(autouse=True)
def _no_corsguard_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CORSGUARD_"):
            monkeypatch.delenv(name)


# (file name, content, problems' settings, findings' codes, exit code)
FILES = [
    (
        "good.json",
        {"corsguard": {"ALLOWED_ORIGINS": ["https://app.example.com"], "ALLOW_CREDENTIALS": True}},
        [],
        [],
        0,
    ),
    (
        "typos.json",
        {"ALLOWED_ORIGIN": ["https://app.example.com"], "ALLOWED_ORIGINS": ["https://app.example.com/"]},
        ["ALLOWED_ORIGIN", "ALLOWED_ORIGINS[0]"],
        [],
        1,
    ),
    (
        "credentials.json",
        {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": True},
        ["ALLOWED_ORIGINS[0]"],
        [],
        1,
    ),
    (
        "risky.json",
        {"ALLOWED_ORIGINS": ["http://localhost:3000", "*"], "MAX_AGE": 100000, "ALLOW_METHODS": ["patch"]},
        [],
        ["localhost-origin", "any-origin", "max-age-capped", "method-case"],
        0,
    ),
    (
        "paths.json",
        {
            "ALLOWED_ORIGINS": ["https://app.example.com"],
            "PATHS": [["/api/*", {}], ["/public/.*", {"ALLOWED_ORIGINS": ["*"]}], ["/admin/.*", None]],
        },
        ["PATHS['/api/*']"],
        [],
        1,
    ),
]


@pytest.mark.parametrize(("name", "content", "problems", "codes", "code"), FILES, ids=[f[0] for f in FILES])
def test_json_files(
    name: str, content: dict[str, Any], problems: list[str], codes: list[str], code: int, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    exit_code, document = run_json("--file", str(path))
    assert exit_code == code, document
    assert [problem["setting"] for problem in document["problems"]] == problems
    assert sorted(finding["code"] for finding in document["findings"]) == sorted(codes)


TOML = """
[corsguard]
ALLOWED_ORIGINS = ["https://app.example.com", "https://*.example.com", "http://localhost:*"]
ORIGIN_REGEXES = ['https://[a-z0-9-]+\\.preview\\.example\\.net']
ALLOW_CREDENTIALS = true
PATHS = [
  ["/public/.*", {ALLOWED_ORIGINS = ["*"], ALLOW_CREDENTIALS = false}],
  ["/admin/.*", false],
  [".*", {}],
]
"""


def test_toml_table_paths_and_origins(tmp_path: Path) -> None:
    path = tmp_path / "cors.toml"
    path.write_text(TOML)
    if not TOML_SUPPORTED:
        # Python 3.10 has no tomllib: the user is told, and JSON works.
        with pytest.raises(SourceError, match=r"Python 3\.11"):
            read_file(str(path))
        return
    origins = (
        "https://app.example.com",
        "https://a.example.com",
        "http://localhost:5173",
        "https://pr-7.preview.example.net",
        "https://example.com",
    )
    argv = [item for origin in origins for item in ("--origin", origin)]
    code, document = run_json("--file", str(path), "--development", *argv)
    assert document["policies"] == ["PATHS['/public/.*']", "PATHS['/admin/.*']", "PATHS['.*']"]
    by_origin = {entry["origin"]: {v["policy"]: v for v in entry["policies"]} for entry in document["origins"]}
    default = {origin: verdicts["PATHS['.*']"] for origin, verdicts in by_origin.items()}
    assert default["https://app.example.com"]["by"] == {
        "setting": "ALLOWED_ORIGINS[0]",
        "entry": "https://app.example.com",
        "how": "exact origin",
    }
    assert default["https://a.example.com"]["by"]["how"] == "subdomain pattern"
    assert default["http://localhost:5173"]["by"] == {
        "setting": "ALLOWED_ORIGINS[2]",
        "entry": "http://localhost:*",
        "how": "port pattern",
    }
    assert default["https://pr-7.preview.example.net"]["by"]["setting"] == "ORIGIN_REGEXES[0]"
    apex = default["https://example.com"]
    assert apex["allowed"] is False and "not in ALLOWED_ORIGINS" in apex["why_not"]
    assert apex["near"] == [
        "ALLOWED_ORIGINS[1] 'https://*.example.com' matches subdomains of example.com only, not example.com itself"
    ]
    assert by_origin["https://example.com"]["PATHS['/admin/.*']"]["why_not"] == "CORS is off here"
    assert by_origin["https://example.com"]["PATHS['/public/.*']"]["by"]["how"] == "any origin"
    assert code == 0  # every origin is allowed somewhere


def test_top_level_and_paths_pairs(tmp_path: Path) -> None:
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"ALLOWED_ORIGINS": ["https://a.example"], "PATHS": [["/x/.*", None], [".*", {}]]}))
    assert read_file(str(path)) == {"ALLOWED_ORIGINS": ["https://a.example"], "PATHS": [("/x/.*", None), (".*", {})]}


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", "https://app.example.com,http://b.example.com")
    monkeypatch.setenv("CORSGUARD_ALLOW_CREDENTIALS", "ture")
    code, out = run_lint("--env")
    assert code == 1
    assert "CORSGUARD_ALLOW_CREDENTIALS: 'ture': is not a boolean." in out
    monkeypatch.setenv("CORSGUARD_ALLOW_CREDENTIALS", "true")
    code, out = run_lint("--env")
    assert code == 1 and "ALLOWED_ORIGINS[1]: 'http://b.example.com'" in out


def test_environment_over_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"ALLOWED_ORIGINS": ["https://file.example"]}))
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", "https://env.example")
    _, alone = run_json("--file", str(path), "--origin", "https://env.example")
    _, layered = run_json("--file", str(path), "--env", "--origin", "https://env.example")
    assert alone["origins"][0]["allowed_anywhere"] is False
    assert layered["origins"][0]["policies"][0]["by"]["entry"] == "https://env.example"


def test_text_report(tmp_path: Path) -> None:
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"ALLOWED_ORIGINS": ["https://app.example.com", "http://localhost:3000"]}))
    code, out = run_lint(
        "--file", str(path), "--origin", "http://app.example.com", "--origin", "https://app.example.com"
    )
    assert code == 1  # http://app.example.com is allowed nowhere
    assert "Problems: none. Policies in force: the settings." in out
    assert "'http://localhost:3000': is a development origin" in out
    assert "Origin 'http://app.example.com': refused everywhere" in out
    assert "near miss: ALLOWED_ORIGINS[0] 'https://app.example.com' has the scheme https://" in out
    assert "the settings: allowed by ALLOWED_ORIGINS[0] 'https://app.example.com' (exact origin)" in out


def test_fail_on_warning(tmp_path: Path) -> None:
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"ALLOWED_ORIGINS": ["*"]}))
    assert run_lint("--file", str(path))[0] == 0
    assert run_lint("--file", str(path), "--development")[0] == 0
    assert run_lint("--file", str(path), "--fail-on", "warning")[0] == 1


def test_resolver_is_asked_after_the_list(tmp_path: Path) -> None:
    path = tmp_path / "cors.json"
    # Limits of its own: a resolver is shared by every policy with the same
    # callable and limits, and other tests spend the shared one's call budget.
    path.write_text(json.dumps({"ORIGIN_RESOLVER": "testprojects.resolvers.tenants", "RESOLVER_CACHE_SIZE": 17}))
    argv = ("--file", str(path), "--origin", "https://tenant1.example.net", "--origin", "https://x.net")
    # On a thread of its own: a resolver is never called synchronously where an
    # event loop runs, and the Chromium suite's Playwright keeps one running here.
    found: list[dict[str, Any]] = []
    worker = threading.Thread(target=lambda: found.append(run_json(*argv)[1]))
    worker.start()
    worker.join(timeout=30)
    (document,) = found
    allowed, refused = document["origins"]
    assert allowed["policies"][0]["by"] == {"setting": "ORIGIN_RESOLVER", "how": "run time"}
    assert refused["allowed_anywhere"] is False


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ([], "say where the configuration is"),
        (["--file", "a.json", "--flask-app", "x:y"], "give one of"),
        (["--file", "/nonexistent/cors.json"], "No such file"),
        (["--file", "cors.yaml"], "write the settings in a .toml or .json file"),
        (["--flask-app", "testprojects.no_such_module"], "cannot import"),
    ],
)
def test_usage_errors(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_lint(*argv)[0] == 2
    assert words in capsys.readouterr().err


def test_flask_app_views_and_blueprints() -> None:
    code, document = run_json(
        "--flask-app", "testprojects.flask_project.app:create_app", "--origin", "https://partner.example.net"
    )
    assert "view 'partners.report'" in document["policies"] and "view 'api.exempt'" in document["policies"]
    verdicts = {verdict["policy"]: verdict for verdict in document["origins"][0]["policies"]}
    assert verdicts["view 'partners.report'"]["allowed"] is True
    assert verdicts["view 'api.exempt'"]["why_not"] == "CORS is off here"
    assert verdicts["the settings"]["allowed"] is False
    assert code == 0


def test_flask_factory_refusing_its_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", "https://app.example.com/")
    code, document = run_json("--flask-app", "testprojects.flask_project.app:create_app")
    assert code == 1
    (problem,) = document["problems"]
    assert problem["setting"] == "ALLOWED_ORIGINS[0]" and "ends with a slash" in problem["message"]


def test_django_settings_and_views(tmp_path: Path) -> None:
    """In a fresh process, as from a shell: django.setup() and nothing more."""
    script = (
        "import sys; from corsguard.cli import frameworks; "
        "args = frameworks.parser('corsguard').parse_args(sys.argv[1:]); "
        "sys.exit(frameworks.run(args.command, args, lambda: None))"
    )
    argv = ["lint", "--django-settings", "testprojects.django_project.settings", "--origin", PAGE, "--json"]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_"))}
    env["DJANGO_PROJECT_DB"] = str(tmp_path / "db.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert document["source"] == "the Django settings 'testprojects.django_project.settings'"
    assert document["policies"][0] == "the settings"
    assert any(label.startswith("@cors_policy on ") for label in document["policies"])
    assert document["origins"][0]["policies"][0]["by"]["entry"] == PAGE


# -- The entry named agrees with the engine --------------------------------------------

_LABELS = st.sampled_from(["a", "b", "app", "x-1", "example"])
_HOSTS = st.lists(_LABELS, min_size=1, max_size=3).map(".".join)
_PORTS = st.sampled_from(["", ":3000", ":8443", ":0"])
_SCHEMES = st.sampled_from(["http", "https"])
_ORIGINS = st.builds(lambda s, h, p: f"{s}://{h}{p}", _SCHEMES, _HOSTS, _PORTS) | st.sampled_from(
    ["null", "https://a.example/", "HTTPS://a.example", "https://a.example:443", "https://a..example"]
)
_ENTRIES = st.one_of(
    st.builds(lambda s, h, p: f"{s}://{h}{p}", _SCHEMES, _HOSTS, _PORTS),
    st.builds(lambda s, h, p: f"{s}://*.{h}{p}", _SCHEMES, _HOSTS, st.sampled_from(["", ":3000", ":*"])),
    st.builds(lambda s, h: f"{s}://{h}:*", _SCHEMES, _HOSTS),
    st.sampled_from(["*", "null"]),
)
_REGEXES = st.sampled_from([r"https://[a-z]+\.example", r"http://app(:[0-9]+)?", r"https?://b\.a(\.b)?"])


def _near(entry: str) -> st.SearchStrategy[str]:
    """Origins built from an entry's host: another label in front, another
    scheme or port, so patterns are tried at their edges."""
    host = entry.split("://", 1)[-1].removeprefix("*.").rsplit(":", 1)[0] if "://" in entry else "example"
    prefix = st.sampled_from(["", "a.", "b.a."])
    return st.builds(lambda s, pre, p: f"{s}://{pre}{host}{p}", _SCHEMES, prefix, _PORTS)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ENTRIES, max_size=4), st.lists(_REGEXES, max_size=2), st.data())
def test_the_entry_named_is_the_engines_answer(entries: list[str], regexes: list[str], data: st.DataObject) -> None:
    try:
        policy = Policy(allowed_origins=entries, origin_regexes=regexes)
    except ValueError:
        return  # refused at start-up: nothing to match
    near = st.sampled_from(entries).flatmap(_near) if entries else _ORIGINS
    origin = data.draw(_ORIGINS | near)
    allowance = matching.allowing_entry(policy.settings, origin)
    assert (allowance is not None) == policy.allows_origin(origin), (entries, regexes, origin, allowance)
    if allowance is not None and allowance.setting.startswith("ALLOWED_ORIGINS"):
        index = int(allowance.setting.split("[")[1].rstrip("]"))
        assert policy.settings.allowed_origins[index] == allowance.entry
