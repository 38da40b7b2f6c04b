"""The refusal log (B6): one rate-limited line per refused request, and hooks
to count refusals in your own metrics.

Public entry point; the implementation lives in ``corsguard._engine.log``.
"""

from corsguard._engine.log import Refusal, add_hook, configure, logger

__all__ = ["Refusal", "add_hook", "configure", "logger"]
