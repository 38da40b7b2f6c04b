"""Origin resolvers (docs/behaviour.md B9) for the test applications and the
scenario matrix, named by dotted path in a configuration
(``"ORIGIN_RESOLVER": "testprojects.resolvers.tenants"``).

``tenants`` stands for a SaaS's database of customer front-ends; the others
misbehave on purpose, or say yes to everything, to show what corsguard
never lets a resolver decide.
"""

from __future__ import annotations

import asyncio
import time

from corsguard._engine.origin_store import ListedOrigins

TENANT_ORIGINS = frozenset({"https://tenant1.example.net", "https://tenant2.example.net", "http://localhost:4000"})
# Every origin a resolver here was asked about, in order.
CALLS: list[str] = []
SLOW_SECONDS = 0.3


def tenants(origin: str) -> bool:
    CALLS.append(origin)
    return origin in TENANT_ORIGINS


async def tenants_async(origin: str) -> bool:
    CALLS.append(origin)
    await asyncio.sleep(0)
    return origin in TENANT_ORIGINS


def everything(origin: str) -> bool:
    """Says yes to anything it is asked: what it is never asked is refused."""
    CALLS.append(origin)
    return True


def raising(origin: str) -> bool:
    CALLS.append(origin)
    raise ConnectionError("the tenants database is down")


def slow(origin: str) -> bool:
    CALLS.append(origin)
    time.sleep(SLOW_SECONDS)
    return True


def not_a_bool(origin: str) -> object:
    CALLS.append(origin)
    return "yes"


# Listed stores (B14): the whole set in memory, polled by version.
def _listed_tenants() -> list[str]:
    return sorted(TENANT_ORIGINS)


def _revoked_tenants() -> list[str]:
    """tenant2 was revoked: the version moved on and the set no longer has it."""
    return sorted(TENANT_ORIGINS - {"https://tenant2.example.net"})


def _down() -> int:
    raise ConnectionError("the tenants database is down")


listed = ListedOrigins(_listed_tenants, lambda: 1, name="testprojects listed")
listed_revoked = ListedOrigins(_revoked_tenants, lambda: 2, name="testprojects listed, tenant2 revoked")
# Never fresh (it never answers). Its bound is short because a first request
# waits up to the bound for a first load; its poller's failure line comes
# from its own thread, which log-counting tests leave out.
listed_down = ListedOrigins(_listed_tenants, _down, poll=0.05, bound=0.2, name="testprojects listed, store down")
