"""A listed store (docs/behaviour.md B14) that counts its reads, for the lint tests."""

from __future__ import annotations

from corsguard._engine.origin_store import ListedOrigins

READS: list[str] = []


def _version() -> int:
    READS.append("version")
    return 1


def _load() -> list[str]:
    READS.append("load")
    return ["https://tenant1.example.net"]


store = ListedOrigins(_load, _version, name="testprojects.listed_store")
