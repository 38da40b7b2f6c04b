"""The Django app: installing it registers corsguard's system checks and
the ``request_refused`` signal."""

from __future__ import annotations

from django.apps import AppConfig


class CorsGuardConfig(AppConfig):
    name = "corsguard_django"
    verbose_name = "corsguard"

    def ready(self) -> None:
        # Imported here, not at module level: checks read settings and the
        # URLconf, which must not happen while the app registry is loading.
        from corsguard_django import checks, signals  # noqa: PLC0415

        checks.register()
        signals.connect()
