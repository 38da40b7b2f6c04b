"""Issue 21's eight failure classes, each on the corpus entry (or the
shape) that showed it, plus a regex corsguard's loader refuses: what migrate
prints for each, and that the contract test would catch the old output."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from corsguard.cli.migrate import from_django, from_flask
from corsguard.cli.migrate.report import PLACEHOLDER, Migration
from tests.migrate import contract
from tests.migrate.corpus import Entry
from tests.migrate.corpus import django as django_corpus
from tests.migrate.corpus import flask as flask_corpus
from tests.migrate.corpus_apps import flask_pair, flask_peer
from tests.migrate.test_migrate import project, run

__all__ = ["project"]  # the fixture, shared with test_migrate


def entry(entries: list[Entry], name: str) -> Entry:
    return next(item for item in entries if item.name == name)


def flask(name: str) -> tuple[Entry, Migration]:
    found = entry(flask_corpus.ENTRIES, name)
    peer, unknown = flask_peer(found)
    return found, from_flask.translate(peer, unknown_options=unknown)


def django(settings: dict[str, object]) -> Migration:
    return from_django.translate(SimpleNamespace(**settings))


def test_1_a_regex_matching_the_empty_prefix_means_any_origin() -> None:
    _found, migration = flask("rmf-demos-slash-star-origins")
    assert migration.ok and migration.settings["ALLOWED_ORIGINS"] == ["*"]
    assert "ORIGIN_REGEXES" not in migration.settings and "any-origin-regex" in migration.codes()


def test_1_the_old_translation_is_caught_by_the_contract() -> None:
    """What migrate printed before (the regex kept as written) refuses every
    origin the peer allowed; the replay reports it unexplained."""
    found, migration = flask("rmf-demos-slash-star-origins")
    migration.settings["ALLOWED_ORIGINS"] = []
    migration.settings["ORIGIN_REGEXES"] = ["/*"]
    migration.note("fullmatch-regex", "as before")
    with flask_pair(found, flask_peer(found)[0], migration) as (peer, ours):
        missing = contract.unexplained(contract.replay(found, peer, ours), migration.codes())
    assert any("https://evil.example" in line for line in missing)


def test_2_a_literal_resource_is_that_path_only() -> None:
    _found, migration = flask("ta-literal-resource")
    assert migration.ok and migration.settings["PATHS"][0][0] == "/predict"
    assert "literal-resource" in migration.codes()


def test_2_the_old_translation_is_caught_by_the_contract() -> None:
    found, migration = flask("ta-literal-resource")
    migration.settings["PATHS"] = [("/predict.*", migration.settings["PATHS"][0][1]), (".*", None)]
    with flask_pair(found, flask_peer(found)[0], migration) as (peer, ours):
        missing = contract.unexplained(contract.replay(found, peer, ours), migration.codes())
    assert any("GET /predictions" in line and "access-control-allow-origin" in line for line in missing)
    assert any("GET /predict/batch" in line for line in missing)


def test_3_browser_controlled_headers_are_dropped_with_a_line() -> None:
    migration = django(entry(django_corpus.ENTRIES, "banker-both-names").settings)
    assert migration.ok, migration.problems
    assert not {"accept-encoding", "dnt", "origin"} & set(migration.settings["ALLOW_HEADERS"])
    assert "browser-header" in migration.codes()
    starlette_shape = django({"CORS_ALLOWED_ORIGINS": ["https://a.example"], "CORS_EXPOSE_HEADERS": ["Set-Cookie"]})
    assert starlette_shape.ok and "EXPOSE_HEADERS" not in starlette_shape.settings


def test_4_a_scheme_less_origin_is_asked_not_guessed() -> None:
    migration = django(entry(django_corpus.ENTRIES, "projecttheta-schemeless").settings)
    assert not migration.ok and [item.code for item in migration.todos] == ["not-a-list", "scheme-less-origin"]
    assert migration.settings["ALLOWED_ORIGINS"] == [PLACEHOLDER]
    assert "'http://localhost:4200' or 'https://localhost:4200'" in migration.todos[1].message


def test_5_star_headers_say_authorization_is_now_allowed() -> None:
    migration = django(entry(django_corpus.ENTRIES, "newtonx-star-headers").settings)
    assert migration.ok and migration.settings["ALLOW_HEADERS"] == ["*"]
    assert "star-headers" in migration.codes()
    with_credentials = django({"CORS_ALLOWED_ORIGINS": ["https://a.example"], "CORS_ALLOW_CREDENTIALS": True,
                               "CORS_ALLOW_HEADERS": "*"})  # fmt: skip
    assert any("literal name '*'" in item.message for item in with_credentials.differences)


def test_6_a_misspelled_flask_cors_option_is_reported() -> None:
    _found, migration = flask("covid19-misspelled-credentials")
    assert migration.ok
    line = next(item for item in migration.differences if item.code == "unknown-option")
    assert "'support_credentials'" in line.message and "did you mean 'supports_credentials'" in line.message


def test_7_any_regex_with_credentials_is_a_todo() -> None:
    migration = django({"CORS_ALLOWED_ORIGIN_REGEXES": [r"^.*$"], "CORS_ALLOW_CREDENTIALS": True})
    assert not migration.ok and not migration.problems
    assert {item.code for item in migration.todos} == {"credentials-any-origin"}
    assert migration.settings["ALLOWED_ORIGINS"] == [PLACEHOLDER] and "ORIGIN_REGEXES" not in migration.settings


def test_8_no_redundant_rules_and_no_fake_origin() -> None:
    _found, bare = flask("mlab-bare")
    assert "PATHS" not in bare.settings and bare.settings["ALLOWED_ORIGINS"] == ["*"]
    empty = django({"CORS_ALLOWED_ORIGINS": ["https://a.example"], "CORS_URLS_REGEX": ""})
    assert "PATHS" not in empty.settings and "path-matches-all" in empty.codes()
    hostname = django({"CORS_ALLOWED_ORIGIN_REGEXES": [r"realfullstack\.com"]})
    assert not any("evil.example" in item.message for item in hostname.differences)


@pytest.mark.parametrize(
    "settings",
    [
        {"CORS_ALLOWED_ORIGINS": None},
        {"CORS_ALLOW_HEADERS": None},
        {"CORS_ALLOW_METHODS": "GET"},
        {"CORS_PREFLIGHT_MAX_AGE": "abc"},
        {"CORS_EXPOSE_HEADERS": None},
        {"CORS_ORIGIN_WHITELIST": True},
        {"CORS_ALLOWED_ORIGIN_REGEXES": ["("]},
        {"CORS_ALLOWED_ORIGINS": ["https://a.example/path", "ftp://x", "https://*.example.com", 5]},
    ],
)
def test_never_a_traceback_and_every_todo_coded(settings: dict[str, object]) -> None:
    migration = django(settings)
    assert not migration.ok and migration.todos and not migration.problems


def test_a_regex_the_loader_refuses_is_a_todo_naming_why() -> None:
    migration = django({"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://.*"], "CORS_ALLOW_CREDENTIALS": True})
    assert not migration.problems and [item.code for item in migration.todos] == ["regex-refused"]
    assert "accepts hosts on any domain" in migration.todos[0].message and "ORIGIN_REGEXES" not in migration.settings
    broken = django({"CORS_ALLOWED_ORIGINS": ["https://a.example"], "CORS_URLS_REGEX": "[api"})
    assert not broken.problems and [item.code for item in broken.todos] == ["regex-refused"]
    assert "does not compile" in broken.todos[0].message


def test_unknown_options_through_the_command(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "from flask import Flask\nfrom flask_cors import CORS\n"
    source += "app = Flask(__name__)\nCORS(app, support_credentials=True)\n"
    code, out = run(project, capsys, "typoapp", source, "--from", "flask-cors", "--flask-app", "typoapp:app")
    assert code == 0 and "[unknown-option]" in out and "supports_credentials" in out


def test_the_replay_of_a_faithful_migration_is_clean() -> None:
    """The contract is not satisfied by an empty replay: the TA app answers its front-end."""
    found, migration = flask("ta-literal-resource")
    with flask_pair(found, flask_peer(found)[0], migration) as (peer, ours):
        replayed = contract.replay(found, peer, ours)
        request = contract.Request("GET", "/predict", (("Origin", "http://localhost:5173"),))
        assert dict(ours(request)[1]).get("Access-Control-Allow-Origin") == "http://localhost:5173"
    assert not contract.unexplained(replayed, migration.codes())


def test_todos_in_text_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "CORS_ORIGIN_WHITELIST = ('localhost:4200', 'https://app.example')\n"
    args = ("--from", "django-cors-headers", "--django-settings", "todosettings")
    code, out = run(project, capsys, "todosettings", source, *args)
    assert code == 1 and "TODO [scheme-less-origin] 'localhost:4200' has no scheme" in out
    code, out = run(project, capsys, "todosettings", source, *args, "--json")
    document = json.loads(out)
    assert code == 1 and [item["code"] for item in document["todos"]] == ["scheme-less-origin"]
    assert document["settings"]["ALLOWED_ORIGINS"] == [PLACEHOLDER, "https://app.example"]
