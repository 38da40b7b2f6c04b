"""Edits take effect at once: saving or deleting a row drops the cached answers.

Only this process's caches can be dropped; other processes (gunicorn
workers, other servers) see the edit when their cached answer expires
(``RESOLVER_TTL``, ``RESOLVER_NEGATIVE_TTL``), or at once after
``corsguard_django.reconfigure()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from corsguard import dynamic
from corsguard_django.origins import resolver
from corsguard_django.origins.models import AllowedOrigin


def _forget(sender: type[AllowedOrigin], instance: AllowedOrigin, **kwargs: Any) -> None:
    # Every origin, not only this row's: an edit may have renamed it.
    for function in (resolver.allowed, resolver.allowed_async):
        dynamic.forget(function)


def connect() -> None:
    post_save.connect(_forget, sender=AllowedOrigin, dispatch_uid="corsguard_origins.forget.save")
    post_delete.connect(_forget, sender=AllowedOrigin, dispatch_uid="corsguard_origins.forget.delete")
