"""What a policy allows that production should not: the findings ``corsguard
lint`` and Django's checks print.

Public entry point; the implementation lives in ``corsguard._engine.lint``.
"""

from corsguard._engine.lint import Finding, findings

__all__ = ["Finding", "findings"]
