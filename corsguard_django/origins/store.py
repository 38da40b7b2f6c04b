"""``ORIGIN_RESOLVER = "corsguard_django.origins.store.listed"``: every active
row in memory, refreshed when the version row changes (B14).

The version row is bumped by database triggers on PostgreSQL and SQLite
(migration 0002), so a change made by any process, on any host, through any
path (admin, ``QuerySet.update()``, ``bulk_create``, a data migration, raw
SQL) is seen by every process within ``POLL`` seconds; other databases get
the bump from this app's save and delete signals only (check W002). Each
process runs one version query every ``POLL`` seconds on a thread of its
own and none on the request path; past ``BOUND`` seconds without an answer
the listed origins are refused (B14.3).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router

from corsguard._engine.origin_store import ListedOrigins
from corsguard_django.origins.models import AllowedOrigin, OriginsVersion

TRIGGER_VENDORS = frozenset({"postgresql", "sqlite"})


def _alias() -> str:
    return router.db_for_read(AllowedOrigin) or "default"


def version() -> int:
    """The version row; a broken connection is closed so the next poll reconnects."""
    connection = connections[_alias()]
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {OriginsVersion._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
    except Exception:
        connection.close()
        raise
    if row is None:
        raise LookupError("the version row is missing: run manage.py migrate corsguard_origins")
    return int(row[0])


def load() -> list[str]:
    connection = connections[_alias()]
    try:
        return list(
            AllowedOrigin.objects.using(_alias()).filter(is_active=True).values_list("origin", flat=True).iterator()
        )
    except Exception:
        connection.close()
        raise


def _timing(name: str, default: float) -> float:
    """``CORSGUARD_ORIGINS["POLL"]`` / ``["BOUND"]``: seconds, checked at start-up."""
    value = getattr(settings, "CORSGUARD_ORIGINS", {}).get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ImproperlyConfigured(
            f"CORSGUARD_ORIGINS[{name!r}] = {value!r} must be a number of seconds above 0; the default is {default:g}."
        )
    return float(value)


listed = ListedOrigins(
    load, version, poll=_timing("POLL", 0.5), bound=_timing("BOUND", 2.0), name="corsguard_django.origins"
)
