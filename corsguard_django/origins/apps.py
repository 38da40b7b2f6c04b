"""The origins app; its ``ready`` connects the cache invalidation."""

from __future__ import annotations

from django.apps import AppConfig


class OriginsConfig(AppConfig):
    name = "corsguard_django.origins"
    label = "corsguard_origins"
    verbose_name = "CORS allowed origins"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from corsguard_django.origins import signals  # noqa: PLC0415 - models must be loaded first

        signals.connect()
        from django.core import checks  # noqa: PLC0415

        from corsguard_django.origins.checks import check_origins  # noqa: PLC0415

        checks.register(check_origins, "corsguard")
