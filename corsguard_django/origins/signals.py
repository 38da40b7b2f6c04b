"""Edits made through the ORM reach this process at once.

Every process sees every change through the version row (B14; the
triggers of migration 0002 bump it on PostgreSQL and SQLite). These signals
add two things: the process that saved polls at once rather than within
``POLL``, and on databases without the triggers the version row is bumped
here, so saves and deletes (not ``QuerySet.update()`` or raw SQL: check
W002) still reach the other processes. The per-origin resolvers
(``resolver.allowed``) drop this process's cache, as before.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from corsguard._engine import dynamic
from corsguard_django.origins import resolver
from corsguard_django.origins.models import AllowedOrigin, OriginsVersion


def _changed(sender: type[AllowedOrigin], instance: AllowedOrigin, using: str = "default", **kwargs: Any) -> None:
    from corsguard_django.origins import store  # noqa: PLC0415 - reads settings when first used

    if connections[using].vendor not in store.TRIGGER_VENDORS:
        OriginsVersion.objects.using(using).filter(id=1).update(version=F("version") + 1)
    store.listed.changed()
    # Every origin, not only this row's: an edit may have renamed it.
    for function in (resolver.allowed, resolver.allowed_async):
        dynamic.forget(function)


def connect() -> None:
    post_save.connect(_changed, sender=AllowedOrigin, dispatch_uid="corsguard_origins.forget.save")
    post_delete.connect(_changed, sender=AllowedOrigin, dispatch_uid="corsguard_origins.forget.delete")
