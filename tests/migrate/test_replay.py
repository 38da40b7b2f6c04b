"""Every peer example through the peer's app and the migrated corsguard app:
each header difference must be explained by a line of the migration report."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from corsguard.cli.migrate import from_django as migrate_django
from corsguard.cli.migrate import from_flask as migrate_flask
from corsguard.cli.migrate.report import Migration
from tests.migrate import examples
from tests.migrate.apps import django_pair, fill_placeholders, flask_pair, flask_peer
from tests.migrate.replay import Difference, differences, unexplained

FRONT_END = "https://example.com"


def check(migration: Migration, found: list[Difference]) -> None:
    missing = unexplained(found, migration.codes())
    assert not missing, "differences the report does not explain:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", sorted(examples.DJANGO))
def test_django_cors_headers_examples(name: str) -> None:
    settings: dict[str, Any] = examples.DJANGO[name]
    migration = migrate_django.translate(SimpleNamespace(**settings))
    with django_pair(settings, fill_placeholders(migration.settings, FRONT_END)) as (peer, ours):
        check(migration, differences(peer, ours))


@pytest.mark.parametrize("name", sorted(examples.FLASK))
def test_flask_cors_examples(name: str) -> None:
    arguments: dict[str, Any] = examples.FLASK[name]
    migration = migrate_flask.translate(flask_peer(arguments))
    with flask_pair(arguments, fill_placeholders(migration.settings, FRONT_END)) as (peer, ours):
        check(migration, differences(peer, ours))


def test_the_replay_sees_the_bypass_a_prefix_regex_allowed() -> None:
    """The replay is not blind: django-cors-headers' re.match let the bypass
    origin through; corsguard refuses it, and the report says why."""
    settings = examples.DJANGO["unanchored-regex"]
    migration = migrate_django.translate(SimpleNamespace(**settings))
    with django_pair(settings, migration.settings) as (peer, ours):
        found = differences(peer, ours)
    bypass = [d for d in found if d.request.origin == "https://api.example.com.evil.net" and d.request.method == "GET"]
    assert {d.header for d in bypass} >= {"access-control-allow-origin"}
    assert unexplained(found, migration.codes() - {"fullmatch-regex"})
    check(migration, found)


def test_the_replay_sees_flask_cors_reflecting_every_origin() -> None:
    migration = migrate_flask.translate(flask_peer({}))
    with flask_pair({}, migration.settings) as (peer, ours):
        found = differences(peer, ours)
    evil = [
        d for d in found if d.request.origin == "https://evil.example" and d.header == "access-control-allow-origin"
    ]
    assert evil and evil[0].peer == "https://evil.example" and evil[0].ours == "*"
    check(migration, found)
