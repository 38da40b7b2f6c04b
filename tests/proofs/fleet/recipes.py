"""The documented recipes, as the README gives them, served by real servers
in tests/proofs/test_fleet_recipes.py: Flask and plain ASGI on SQLAlchemy
and PostgreSQL (``corsguard._origins.origin_sql``), plain WSGI on Redis
(``corsguard._origins.origin_redis``). ``FLEET_RECIPE`` picks one per process."""

from __future__ import annotations

import os
from typing import Any

from corsguard import Policy

APP = "https://app.example.com"


def _origins() -> Any:
    if os.environ["FLEET_RECIPE"] == "redis":
        import redis  # noqa: PLC0415

        from corsguard import origin_redis  # noqa: PLC0415

        port = int(os.environ["FLEET_REDIS_PORT"])
        # Timeouts: a call never outlasts the bound (B14.3), even on a dead connection.
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
        return origin_redis.listed(client)
    from sqlalchemy import create_engine  # noqa: PLC0415

    from corsguard import origin_sql  # noqa: PLC0415

    engine = create_engine(os.environ["FLEET_SQLALCHEMY_URL"], pool_pre_ping=True)
    return origin_sql.listed(engine.raw_connection)


def flask_app() -> Any:
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    app = Flask(__name__)
    CorsGuard(app, allowed_origins=[APP], allow_credentials=True, origin_resolver=_origins())
    app.add_url_rule("/", "whoami", lambda: str(os.getpid()))
    return app


def asgi_app() -> Any:
    from corsguard._adapters.asgi import CorsMiddleware  # noqa: PLC0415

    async def whoami(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": str(os.getpid()).encode()})

    policy = Policy(allowed_origins=[APP], allow_credentials=True, origin_resolver=_origins())
    return CorsMiddleware(whoami, policy)


def wsgi_app() -> Any:
    from corsguard._adapters.wsgi import CorsMiddleware  # noqa: PLC0415

    def whoami(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(os.getpid()).encode()]

    policy = Policy(allowed_origins=[APP], allow_credentials=True, origin_resolver=_origins())
    return CorsMiddleware(whoami, policy)
