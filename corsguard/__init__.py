"""corsguard: CORS for Python web applications, correct in every browser.

Build a ``Policy`` once at start-up (it refuses unsafe or malformed
configurations, listing every problem), then let an adapter ask it about
each request: ``corsguard.wsgi.CorsMiddleware`` for any WSGI app,
``corsguard_django`` for Django, ``corsguard_flask`` for Flask.
"""

from corsguard.decision import Decision, Kind, classify
from corsguard.errors import PolicyError, Problem
from corsguard.paths import PathRules
from corsguard.policy import DEFAULT_HEADERS, DEFAULT_METHODS, Policy

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_METHODS",
    "Decision",
    "Kind",
    "PathRules",
    "Policy",
    "PolicyError",
    "Problem",
    "classify",
]
__version__ = "0.1.0"
