"""corsguard: CORS for Python web applications, correct in every browser.

Build a ``Policy`` once at start-up (it refuses unsafe or malformed
configurations, listing every problem), then let an adapter ask it about
each request: ``corsguard.wsgi.CorsMiddleware`` for any WSGI app,
``corsguard_django`` for Django, ``corsguard_flask`` for Flask.

The request pipeline every adapter runs: ``RequestFacts`` read once from
the server's data, ``Pipeline.decide`` (path rules, per-view
``Declaration``, the ``Policy``'s ``evaluate``), then ``corsguard.response``
to put the ``Decision`` on the response. docs/behaviour.md is the
specification the code cites (B-sections).
"""

from corsguard.decision import Decision, Kind, classify
from corsguard.declarations import EXEMPT, Declaration, declare
from corsguard.errors import PolicyError, Problem
from corsguard.facts import RequestFacts
from corsguard.names import DEFAULT_HEADERS, DEFAULT_METHODS
from corsguard.paths import PathRules
from corsguard.pipeline import Pipeline
from corsguard.policy import Policy
from corsguard.settings import Settings

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
