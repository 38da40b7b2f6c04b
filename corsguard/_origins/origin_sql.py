"""Listed origins from any SQL database reached through DB-API: the recipe
for Flask, plain WSGI and ASGI services (SQLAlchemy included), on the same
tables as ``corsguard_django.origins`` (B14).

``schema(dialect)`` is the DDL: the origins table, a one-row version table
and the triggers that bump the version on every INSERT, UPDATE, DELETE (and
TRUNCATE on PostgreSQL), whatever makes them: an ORM, a migration, raw SQL.
``listed(connect)`` is the store: one connection for the poller thread,
opened by ``connect()`` (``engine.raw_connection`` with SQLAlchemy,
``lambda: psycopg.connect(dsn)`` without), closed and reopened after any
error, so the service comes back by itself when the database does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from corsguard._engine.origin_store import ListedOrigins

ORIGINS = "corsguard_origins_allowedorigin"
VERSION = "corsguard_origins_version"
VERSION_QUERY = f"SELECT version FROM {VERSION} WHERE id = 1"
LOAD_QUERY = f"SELECT origin FROM {ORIGINS} WHERE is_active"
_BUMP = f"UPDATE {VERSION} SET version = version + 1 WHERE id = 1"

_TABLES = {
    "postgresql": [
        f"CREATE TABLE IF NOT EXISTS {ORIGINS} (id bigserial PRIMARY KEY, origin varchar(300) NOT NULL UNIQUE, "
        "is_active boolean NOT NULL DEFAULT true, note varchar(200) NOT NULL DEFAULT '', "
        "created timestamptz NOT NULL DEFAULT now())",
        f"CREATE TABLE IF NOT EXISTS {VERSION} (id bigint PRIMARY KEY, version bigint NOT NULL)",
        f"INSERT INTO {VERSION} (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
        f"CREATE OR REPLACE FUNCTION corsguard_origins_bump() RETURNS trigger AS $$ BEGIN {_BUMP}; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        f"DROP TRIGGER IF EXISTS corsguard_origins_changed ON {ORIGINS}",
        f"CREATE TRIGGER corsguard_origins_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {ORIGINS} "
        "FOR EACH STATEMENT EXECUTE PROCEDURE corsguard_origins_bump()",
    ],
    "sqlite": [
        f"CREATE TABLE IF NOT EXISTS {ORIGINS} (id integer PRIMARY KEY AUTOINCREMENT, "
        "origin varchar(300) NOT NULL UNIQUE, is_active bool NOT NULL DEFAULT 1, "
        "note varchar(200) NOT NULL DEFAULT '', created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        f"CREATE TABLE IF NOT EXISTS {VERSION} (id integer PRIMARY KEY, version bigint NOT NULL)",
        f"INSERT OR IGNORE INTO {VERSION} (id, version) VALUES (1, 1)",
        *(
            f"CREATE TRIGGER IF NOT EXISTS corsguard_origins_{event.lower()} AFTER {event} ON {ORIGINS} "
            f"BEGIN {_BUMP}; END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
    ],
}


def schema(dialect: str) -> list[str]:
    """The DDL for ``"postgresql"`` or ``"sqlite"``; safe to run again."""
    if dialect not in _TABLES:
        raise ValueError(f"no triggers for {dialect!r}: use 'postgresql' or 'sqlite', or bump {VERSION} yourself")
    return list(_TABLES[dialect])


class _Connection:
    """The poller's one connection: opened on demand, dropped on any error."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self.connect = connect
        self.current: Any = None
        self.lock = threading.Lock()

    def rows(self, query: str) -> list[Any]:
        with self.lock:
            try:
                if self.current is None:
                    self.current = self.connect()
                cursor = self.current.cursor()
                try:
                    cursor.execute(query)
                    rows = list(cursor.fetchall())
                finally:
                    cursor.close()
                self.current.commit()  # end the read, so the next one sees new commits
                return rows
            except Exception:
                self._drop()
                raise

    def _drop(self) -> None:
        current, self.current = self.current, None
        try:
            if current is not None:
                # A SQLAlchemy pool's connection is invalidated rather than
                # returned (a reset on a dead connection logs a traceback).
                getattr(current, "invalidate", current.close)()
        except Exception:  # already broken; a new one is opened next time
            pass


def listed(connect: Callable[[], Any], *, poll: float = 0.5, bound: float = 2.0) -> ListedOrigins:
    """A ``ListedOrigins`` for ``ORIGIN_RESOLVER``, reading the tables of ``schema``."""
    connection = _Connection(connect)

    def version() -> object:
        rows = connection.rows(VERSION_QUERY)
        if not rows:
            raise LookupError(f"{VERSION} has no row 1: run corsguard._origins.origin_sql.schema()")
        return rows[0][0]

    def load() -> list[str]:
        return [row[0] for row in connection.rows(LOAD_QUERY)]

    return ListedOrigins(load, version, poll=poll, bound=bound, name="corsguard._origins.origin_sql")
