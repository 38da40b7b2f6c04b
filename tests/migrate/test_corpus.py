"""The contract on every corpus entry (``tests.migrate.contract``):

- exit 0: every header a browser sees from corsguard is the peer's, or the
  difference is explained by a coded report line; corsguard never allows an
  origin the peer refused;
- exit 1: every decision is a coded TODO, and the printed settings load once
  the TODOs are filled in as they say;
- never a traceback.
"""

from __future__ import annotations

import pytest

from corsguard._pipeline import config
from corsguard.cli.migrate.report import CODES, INSECURE_FLAG, Migration
from tests.migrate import contract, outcomes
from tests.migrate.apps import fill_placeholders
from tests.migrate.corpus import Entry

FRONT_END = "https://front-end.example"


def names(source: str) -> list[str]:
    entries: list[Entry] = {**outcomes.SOURCES, **outcomes.STARLETTE}[source]
    return sorted(entry.name for entry in entries)


def filled(migration: Migration) -> dict[str, object]:
    """The settings once the user did what each TODO says."""
    settings = fill_placeholders(migration.settings, FRONT_END)
    if "insecure-origin-credentials" in {item.code for item in migration.todos}:
        settings[INSECURE_FLAG] = True
    return settings


def holds(source: str, name: str) -> None:
    """The contract for one entry."""
    entries: list[Entry] = {**outcomes.SOURCES, **outcomes.STARLETTE}[source]
    outcome = outcomes.RUNNERS[source](next(entry for entry in entries if entry.name == name))
    migration = outcome.migration
    assert outcome.exit_code == (0 if outcome.entry.expect == "same" else 1), (migration.problems, migration.todos)
    assert migration.codes() <= set(CODES)
    if outcome.exit_code == 1:
        assert not migration.problems, f"refused without a TODO: {migration.problems}"
        assert migration.todos and all(item.code in CODES for item in migration.todos)
        config.load(filled(migration), environ=None)
        return
    assert outcome.replayed is not None
    missing = contract.unexplained(outcome.replayed, migration.codes())
    assert not missing, "differences the report does not explain:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("name", names("django-cors-headers"))
def test_django_cors_headers(name: str) -> None:
    holds("django-cors-headers", name)


@pytest.mark.parametrize("name", names("flask-cors"))
def test_flask_cors(name: str) -> None:
    holds("flask-cors", name)


def test_the_corpus_is_large_and_cited() -> None:
    entries = [entry for group in (*outcomes.SOURCES.values(), *outcomes.STARLETTE.values()) for entry in group]
    assert len(entries) >= 40
    assert len({entry.name for entry in entries}) == len(entries)
    assert all(entry.cite.startswith("https://github.com/") for entry in entries)
