"""The contract on every corpus entry (``tests.migrate.contract``):

- exit 0: every header a browser sees from corsguard is the peer's, or the
  difference is explained by a coded report line; corsguard never allows an
  origin the peer refused;
- exit 1: every decision is a coded TODO, and the printed settings load once
  the TODOs are filled in;
- never a traceback.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from corsguard import config
from corsguard.cli.migrate import from_django, from_flask
from corsguard.cli.migrate.report import CODES, INSECURE_FLAG, Migration
from tests.migrate import contract
from tests.migrate.apps import django_pair, fill_placeholders
from tests.migrate.corpus import Entry
from tests.migrate.corpus import django as django_corpus
from tests.migrate.corpus import flask as flask_corpus
from tests.migrate.corpus import starlette as starlette_corpus
from tests.migrate.corpus_apps import flask_pair, flask_peer

FRONT_END = "https://front-end.example"


def by_name(entries: list[Entry]) -> dict[str, Entry]:
    return {entry.name: entry for entry in entries}


def filled(migration: Migration) -> dict[str, object]:
    """The settings once the user did what each TODO says."""
    settings = fill_placeholders(migration.settings, FRONT_END)
    if "insecure-origin-credentials" in {item.code for item in migration.todos}:
        settings[INSECURE_FLAG] = True
    return settings


def holds(entry: Entry, migration: Migration, found: list[contract.Replayed] | None) -> None:
    """The contract for one entry; ``found`` the replay's differences (exit 0 only)."""
    exit_code = 0 if migration.ok else 1
    assert exit_code == (0 if entry.expect == "same" else 1), (migration.problems, migration.todos)
    assert migration.codes() <= set(CODES)
    if exit_code == 1:
        assert not migration.problems, f"refused without a TODO: {migration.problems}"
        assert migration.todos and all(item.code in CODES for item in migration.todos)
        config.load(filled(migration), environ=None)
        return
    assert found is not None
    missing = contract.unexplained(found, migration.codes())
    assert not missing, "differences the report does not explain:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("name", sorted(by_name(django_corpus.ENTRIES)))
def test_django_cors_headers(name: str) -> None:
    entry = by_name(django_corpus.ENTRIES)[name]
    migration = from_django.translate(SimpleNamespace(**entry.settings))
    found = None
    if migration.ok:
        with django_pair(entry.settings, migration.settings) as (peer, ours):
            found = contract.replay(entry, peer, ours)
    holds(entry, migration, found)


@pytest.mark.parametrize("name", sorted(by_name(flask_corpus.ENTRIES)))
def test_flask_cors(name: str) -> None:
    entry = by_name(flask_corpus.ENTRIES)[name]
    peer, unknown = flask_peer(entry)
    migration = from_flask.translate(peer, unknown_options=unknown)
    found = None
    if migration.ok:
        with flask_pair(entry, peer, migration) as (theirs, ours):
            found = contract.replay(entry, theirs, ours)
    holds(entry, migration, found)


def test_the_corpus_is_large_and_cited() -> None:
    entries = [*django_corpus.ENTRIES, *flask_corpus.ENTRIES, *starlette_corpus.ENTRIES]
    assert len(entries) >= 40
    assert len({entry.name for entry in entries}) == len(entries)
    assert all(entry.cite.startswith("https://") for entry in entries)
