"""corsguard for Flask: ``CorsGuard`` with the app-factory ``init_app``,
per-blueprint policies and per-route ``@cors_policy`` / ``@cors_exempt``.

Every CORS decision is made by the framework-agnostic core's pipeline
(``corsguard._pipeline.pipeline``); this package only finds what the view that will
serve a request declared, and puts the core's ``Decision`` on Flask's WSGI
traffic.
"""

from corsguard._engine.errors import PolicyError
from corsguard_flask.extension import EXTENSION_KEY, CorsGuard
from corsguard_flask.markings import cors_exempt, cors_policy
from corsguard_flask.state import AppState

__all__ = ["EXTENSION_KEY", "AppState", "CorsGuard", "PolicyError", "cors_exempt", "cors_policy"]
