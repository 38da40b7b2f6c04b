"""Each corpus entry migrated and, when migrate says it is ready (exit 0),
replayed through the peer's app and the migrated one: shared by the
contract test and the README's figure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from corsguard.cli.migrate import from_django, from_flask, from_starlette
from corsguard.cli.migrate.report import Migration
from tests.migrate import contract
from tests.migrate.apps import django_pair
from tests.migrate.corpus import Entry
from tests.migrate.corpus import django as django_corpus
from tests.migrate.corpus import flask as flask_corpus
from tests.migrate.corpus import starlette as starlette_corpus
from tests.migrate.corpus_apps import flask_pair, flask_peer, starlette_app, starlette_pair

SOURCES = {"django-cors-headers": django_corpus.ENTRIES, "flask-cors": flask_corpus.ENTRIES}
STARLETTE = {"starlette": starlette_corpus.ENTRIES}


@dataclass
class Outcome:
    entry: Entry
    migration: Migration
    # The replay's answers that differ; None when migrate exits 1 (nothing to compare).
    replayed: list[contract.Replayed] | None

    @property
    def exit_code(self) -> int:
        return 0 if self.migration.ok else 1


def django(entry: Entry) -> Outcome:
    migration = from_django.translate(SimpleNamespace(**entry.settings))
    if not migration.ok:
        return Outcome(entry, migration, None)
    with django_pair(entry.settings, migration.settings) as (peer, ours):
        return Outcome(entry, migration, contract.replay(entry, peer, ours))


def flask(entry: Entry) -> Outcome:
    peer, unknown = flask_peer(entry)
    migration = from_flask.translate(peer, unknown_options=unknown)
    if not migration.ok:
        return Outcome(entry, migration, None)
    with flask_pair(entry, peer, migration) as (theirs, ours):
        return Outcome(entry, migration, contract.replay(entry, theirs, ours))


def starlette(entry: Entry) -> Outcome:
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

    migration = from_starlette.translate(starlette_app([Middleware(CORSMiddleware, **entry.settings)]))
    if not migration.ok:
        return Outcome(entry, migration, None)
    with starlette_pair(entry, migration) as (peer, ours):
        return Outcome(entry, migration, contract.replay(entry, peer, ours))


RUNNERS = {"django-cors-headers": django, "flask-cors": flask, "starlette": starlette}


def every(*, with_starlette: bool = True) -> Iterator[tuple[str, Outcome]]:
    for source, entries in {**SOURCES, **(STARLETTE if with_starlette else {})}.items():
        for entry in entries:
            yield source, RUNNERS[source](entry)
