"""corsguard: CORS for Python web applications, correct in every browser.

Build a ``Policy`` once at start-up (it refuses unsafe or malformed
configurations, listing every problem), then let an adapter ask it about
each request: ``corsguard._adapters.wsgi.CorsMiddleware`` for any WSGI app,
``corsguard_django`` for Django, ``corsguard_flask`` for Flask.

The request pipeline every adapter runs: ``RequestFacts`` read once from
the server's data, ``Pipeline.decide`` (path rules, per-view
``Declaration``, the ``Policy``'s ``evaluate``), then ``corsguard._engine.response``
to put the ``Decision`` on the response. docs/behaviour.md is the
specification the code cites (B-sections).
"""

from corsguard._engine.decision import Decision, Kind, classify
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.facts import RequestFacts
from corsguard._engine.names import DEFAULT_HEADERS, DEFAULT_METHODS
from corsguard._engine.policy import Policy
from corsguard._engine.settings import Settings
from corsguard._pipeline.declarations import EXEMPT, Declaration, declare
from corsguard._pipeline.paths import PathRules
from corsguard._pipeline.pipeline import Pipeline

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_METHODS",
    "EXEMPT",
    "Decision",
    "Declaration",
    "Kind",
    "PathRules",
    "Pipeline",
    "Policy",
    "PolicyError",
    "Problem",
    "RequestFacts",
    "Settings",
    "classify",
    "declare",
]
__version__ = "0.2.0"
