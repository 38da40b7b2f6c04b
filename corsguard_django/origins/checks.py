"""``manage.py check`` for the origins app: rows nobody reads, and changes
other processes cannot see (B14)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.db import connections, router

PREFIX = "corsguard_origins."
LISTED = "corsguard_django.origins.store.listed"
PER_ORIGIN = ("corsguard_django.origins.resolver.allowed", "corsguard_django.origins.resolver.allowed_async")


def _resolvers(value: object) -> Iterator[object]:
    """Every ORIGIN_RESOLVER in CORSGUARD, its PATHS included, and the environment's."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "ORIGIN_RESOLVER":
                yield item
            else:
                yield from _resolvers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _resolvers(item)


def _dotted(value: object) -> str:
    if isinstance(value, str):
        return value
    module = getattr(value, "__module__", None) or type(value).__module__
    name = getattr(value, "__qualname__", None)
    if name is None and module == "corsguard._engine.origin_store":
        from corsguard_django.origins import store  # noqa: PLC0415

        return LISTED if value is store.listed else "another ListedOrigins"
    return f"{module}.{name}"


def check_origins(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found = [_dotted(value) for value in _resolvers(getattr(settings, "CORSGUARD", {}))]
    if os.environ.get("CORSGUARD_ORIGIN_RESOLVER"):
        found.append(os.environ["CORSGUARD_ORIGIN_RESOLVER"])
    ours = [name for name in found if name == LISTED or name in PER_ORIGIN]
    if not ours:
        return [
            Warning(
                "corsguard_django.origins is installed but no ORIGIN_RESOLVER reads its table: "
                "its AllowedOrigin rows are never allowed.",
                hint=f'Set CORSGUARD["ORIGIN_RESOLVER"] = {LISTED!r}, or remove the app from INSTALLED_APPS.',
                id=PREFIX + "W001",
            )
        ]
    messages: list[CheckMessage] = []
    vendor = connections[router.db_for_read(_model()) or "default"].vendor
    if LISTED in ours and vendor not in ("postgresql", "sqlite"):
        messages.append(
            Warning(
                f"The {vendor} database has no corsguard triggers: other processes see admin saves and deletes "
                "only, not QuerySet.update(), bulk_create or raw SQL.",
                hint="Use PostgreSQL or SQLite, or bump corsguard_origins_version.version in your own writes.",
                id=PREFIX + "W002",
            )
        )
    if any(name in PER_ORIGIN for name in ours):
        messages.append(
            Warning(
                "ORIGIN_RESOLVER asks the database per origin: other processes see an edit only when "
                "RESOLVER_TTL runs out, and a flood of random origins spends the call budget.",
                hint=f"Use {LISTED!r}: every process sees every change within 0.5 s and a flood costs no query.",
                id=PREFIX + "W003",
            )
        )
    return messages


def _model() -> Any:
    from corsguard_django.origins.models import AllowedOrigin  # noqa: PLC0415

    return AllowedOrigin
