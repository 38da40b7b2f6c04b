"""Listed origins in Redis: a set plus a version key, for services that
already run Redis (B14). The client is any redis-py compatible one
(``redis.Redis(...)``), passed in: corsguard does not depend on it.

Changes go through ``add`` and ``remove``, which change the set and bump the
version in one MULTI/EXEC transaction; a script of your own must do the
same (``SADD``/``SREM`` then ``INCR <key>:version`` in one transaction), or
other processes will not see it. Every process runs one ``GET`` per poll and
one ``SMEMBERS`` per change; none on the request path.
"""

from __future__ import annotations

from typing import Any

from corsguard._engine.origin_store import ListedOrigins

KEY = "corsguard:origins"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def listed(client: Any, key: str = KEY, *, poll: float = 0.5, bound: float = 2.0) -> ListedOrigins:
    """A ``ListedOrigins`` for ``ORIGIN_RESOLVER``, reading ``key`` and ``key:version``."""

    def version() -> object:
        value = client.get(f"{key}:version")
        if value is not None and not isinstance(value, (bytes, str)):
            raise TypeError(f"GET {key}:version answered {type(value).__name__}: not a version")
        return value

    def load() -> list[str]:
        members = client.smembers(key)
        if not isinstance(members, (set, frozenset, list)):
            raise TypeError(f"SMEMBERS {key} answered {type(members).__name__}: not a set")
        return [_text(member) for member in members]

    return ListedOrigins(load, version, poll=poll, bound=bound, name=f"redis {key}")


def add(client: Any, *origins: str, key: str = KEY) -> None:
    """Allow ``origins``: the set and the version change together."""
    _change(client, "sadd", origins, key)


def remove(client: Any, *origins: str, key: str = KEY) -> None:
    """Revoke ``origins``: every process refuses them within the poll interval."""
    _change(client, "srem", origins, key)


def _change(client: Any, command: str, origins: tuple[str, ...], key: str) -> None:
    pipeline = client.pipeline(transaction=True)
    if origins:
        getattr(pipeline, command)(key, *origins)
    pipeline.incr(f"{key}:version")
    pipeline.execute()
