"""Origins decided at run time by the application's own resolver (B9): its
limits, and ``forget`` to drop cached answers when the data changes.

Public entry point; the implementation lives in ``corsguard._engine.dynamic``.
"""

from corsguard._engine.dynamic import Limits, ResolverFunction, forget

__all__ = ["Limits", "ResolverFunction", "forget"]
