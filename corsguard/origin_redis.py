"""Allowed origins kept in a Redis set, polled and shared by every worker and host (B14).

Public entry point; the implementation lives in ``corsguard._origins.origin_redis``.
"""

from corsguard._origins.origin_redis import KEY, add, listed, remove

__all__ = ["KEY", "add", "listed", "remove"]
