"""The README's recipes for Flask, plain ASGI and plain WSGI (docs/behaviour.md
B14), each served by a real multi-process server: Flask under gunicorn and
an ASGI app under uvicorn, both on SQLAlchemy and a real PostgreSQL
(``corsguard._origins.origin_sql``), and a WSGI app under gunicorn on a real Redis
(``corsguard._origins.origin_redis``). For each: a new origin reaches every worker,
a revocation reaches every worker within the bound, and the store going
down is refused without a 500 and comes back by itself.

Skips with one line without PostgreSQL or redis-server, unless
``CORSGUARD_REQUIRE_POSTGRES=1`` / ``CORSGUARD_REQUIRE_REDIS=1``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from corsguard._origins import origin_redis, origin_sql
from tests.proofs.databases import postgres, redis
from tests.proofs.fleet.harness import gunicorn_host, read_logs, uvicorn_host
from tests.proofs.fleet.measure import everywhere, percentile, workers

PG_PORT, REDIS_PORT = 18652, 18660
FLASK_PORT, ASGI_PORT, REDIS_WSGI_PORT = 18620, 18621, 18622
BOUND = 2.0
FIGURES: dict[str, object] = {}


class Stack:
    """The running servers, the stores, and how to change and stop each store."""

    def __init__(self, stack: ExitStack, workdir: Path) -> None:
        self.workdir = workdir
        self.postgres = stack.enter_context(postgres(PG_PORT))
        self.redis = stack.enter_context(redis(REDIS_PORT))
        import psycopg  # noqa: PLC0415
        import redis as redis_client  # noqa: PLC0415

        self.sql = psycopg.connect(self.postgres.dsn, autocommit=True)
        stack.callback(self.sql.close)
        for statement in origin_sql.schema("postgresql"):
            self.sql.execute(statement)
        self.kv = redis_client.Redis(host="127.0.0.1", port=REDIS_PORT)
        stack.callback(self.kv.close)
        url = {"FLEET_SQLALCHEMY_URL": f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/postgres"}
        sql_env = {"FLEET_RECIPE": "sql", **url}
        recipes = "tests.proofs.fleet.recipes"
        stack.enter_context(gunicorn_host(FLASK_PORT, workdir, app=f"{recipes}:flask_app()", extra=sql_env))
        stack.enter_context(uvicorn_host(ASGI_PORT, workdir, f"{recipes}:asgi_app", sql_env))
        redis_env = {"FLEET_RECIPE": "redis", "FLEET_REDIS_PORT": str(REDIS_PORT)}
        stack.enter_context(gunicorn_host(REDIS_WSGI_PORT, workdir, app=f"{recipes}:wsgi_app()", extra=redis_env))

    def changer(self, port: int) -> tuple[Callable[[str], None], Callable[[str], None]]:
        if port == REDIS_WSGI_PORT:
            return (lambda origin: origin_redis.add(self.kv, origin)), (lambda o: origin_redis.remove(self.kv, o))
        table = origin_sql.ORIGINS

        def add(origin: str) -> None:
            self.sql.execute(f"INSERT INTO {table} (origin) VALUES (%s)", [origin])

        def revoke(origin: str) -> None:
            self.sql.execute(f"UPDATE {table} SET is_active = false WHERE origin = %s", [origin])

        return add, revoke


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-recipes-"))
    with ExitStack() as exits:
        exits.callback(shutil.rmtree, workdir, True)
        yield Stack(exits, workdir)
    print("\nrecipe figures:", FIGURES)


PORTS = {"flask-sqlalchemy-postgres": FLASK_PORT, "asgi-sqlalchemy-postgres": ASGI_PORT, "wsgi-redis": REDIS_WSGI_PORT}


@pytest.mark.parametrize("recipe", list(PORTS))
def test_a_revocation_reaches_every_worker_within_the_bound(stack: Stack, recipe: str) -> None:
    port = PORTS[recipe]
    pids = workers(2, (port,))
    add, revoke = stack.changer(port)
    latencies: list[float] = []
    for number in range(4):
        origin = f"https://{recipe}-{number}.example.com"
        add(origin)
        everywhere(origin, True, pids, ports=(port,))
        committed = time.time()
        revoke(origin)
        latencies += [at - committed for at in everywhere(origin, False, pids, ports=(port,)).values()]
    FIGURES[recipe] = {"p50": round(percentile(latencies, 0.5), 3), "max": round(max(latencies), 3)}
    assert max(latencies) < BOUND, FIGURES[recipe]


@pytest.mark.parametrize("recipe", list(PORTS))
def test_the_store_going_down_is_refused_and_comes_back(stack: Stack, recipe: str) -> None:
    port = PORTS[recipe]
    pids = workers(2, (port,))
    add, _ = stack.changer(port)
    origin = f"https://{recipe}-outage.example.com"
    add(origin)
    everywhere(origin, True, pids, ports=(port,))
    server: Any = stack.redis if port == REDIS_WSGI_PORT else stack.postgres
    server.stop()
    try:
        everywhere(origin, False, pids, seconds=BOUND + 5, ports=(port,))
    finally:
        server.start()
    if port != REDIS_WSGI_PORT:
        import psycopg  # noqa: PLC0415

        stack.sql = psycopg.connect(stack.postgres.dsn, autocommit=True)
    try:
        everywhere(origin, True, pids, seconds=15, ports=(port,))
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{read_logs(stack.workdir)[-3000:]}") from None
    assert "Traceback" not in read_logs(stack.workdir)
