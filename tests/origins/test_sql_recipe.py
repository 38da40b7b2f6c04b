"""corsguard._origins.origin_sql (docs/behaviour.md B14) on SQLite through SQLAlchemy,
as the README's recipe sets it up: Flask and ASGI apps answer from the
listed set, and raw SQL from another connection is seen within the poll."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine

from corsguard import Policy
from corsguard._adapters.asgi import CorsMiddleware
from corsguard._engine.origin_store import ListedOrigins
from corsguard._origins import origin_sql
from corsguard_flask import CorsGuard
from tests.origins.asgi_call import get

TENANT = "https://tenant.example.com"
ACAO = "Access-Control-Allow-Origin"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "origins.sqlite3"
    with sqlite3.connect(path) as connection:
        for statement in origin_sql.schema("sqlite"):
            connection.execute(statement)
        connection.execute(f"INSERT INTO {origin_sql.ORIGINS} (origin) VALUES (?)", [TENANT])
    yield path


def execute(path: Path, sql: str, *arguments: object) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(sql, arguments)


def seen(condition: Callable[[], bool], limit: float = 2.0) -> None:
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, "not seen in time"
        time.sleep(0.01)


@pytest.fixture
def store(database: Path) -> Iterator[ListedOrigins]:
    engine = create_engine(f"sqlite:///{database}")
    listed = origin_sql.listed(engine.raw_connection, poll=0.05, bound=1.0)
    yield listed
    listed.stop()


def test_the_flask_recipe_answers_from_the_table_and_sees_raw_sql(database: Path, store: ListedOrigins) -> None:
    app = Flask(__name__)
    CorsGuard(app, allowed_origins=["https://app.example.com"], allow_credentials=True, origin_resolver=store)
    app.add_url_rule("/", "index", lambda: "ok")
    client = app.test_client()

    def acao(origin: str) -> str | None:
        return client.get("/", headers={"Origin": origin}).headers.get(ACAO)

    assert acao(TENANT) == TENANT
    assert acao("https://random.example.org") is None
    execute(database, f"UPDATE {origin_sql.ORIGINS} SET is_active = 0 WHERE origin = ?", TENANT)
    seen(lambda: acao(TENANT) is None)
    execute(database, f"INSERT INTO {origin_sql.ORIGINS} (origin) VALUES (?)", "https://new.example.com")
    seen(lambda: acao("https://new.example.com") == "https://new.example.com")
    execute(database, f"DELETE FROM {origin_sql.ORIGINS} WHERE origin = ?", "https://new.example.com")
    seen(lambda: acao("https://new.example.com") is None)


def test_the_asgi_recipe_answers_from_the_table(database: Path, store: ListedOrigins) -> None:
    async def app(scope: object, receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    asgi = CorsMiddleware(app, Policy(allowed_origins=[], origin_resolver=store))
    assert get(asgi, TENANT).get(ACAO.lower()) == TENANT
    execute(database, f"DELETE FROM {origin_sql.ORIGINS} WHERE origin = ?", TENANT)
    seen(lambda: get(asgi, TENANT).get(ACAO.lower()) is None)


def test_a_dialect_without_triggers_is_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match="bump corsguard_origins_version yourself"):
        origin_sql.schema("mysql")
