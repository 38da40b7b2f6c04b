"""Allowed origins kept in a SQL table, polled and shared by every worker and host (B14).

Public entry point; the implementation lives in ``corsguard._origins.origin_sql``.
"""

from corsguard._origins.origin_sql import ORIGINS, VERSION, listed, schema

__all__ = ["ORIGINS", "VERSION", "listed", "schema"]
