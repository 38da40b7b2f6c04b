"""The app's extension objects, created once and bound to each app by the factory."""

from __future__ import annotations

from corsguard_flask import CorsGuard

cors = CorsGuard()
