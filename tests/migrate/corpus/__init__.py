"""Real projects' CORS configurations, shaped as their authors wrote them.

Each entry cites the public file it imitates (``cite``). Only the CORS
settings are kept, never other code; environment lookups are replaced by a
plausible literal and ``shaped`` says so. ``expect`` is the outcome the
contract test holds migrate to: ``"same"`` (exit 0, and every header the
browser sees is the peer's or a coded report line explains it) or
``"todo"`` (exit 1: a decision the user must make, each one named).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Expect = Literal["same", "todo"]


def github(repo: str, path: str) -> str:
    """The file's address on GitHub (the default branch)."""
    return f"https://github.com/{repo}/blob/HEAD/{path}"


@dataclass(frozen=True)
class Entry:
    """One configuration: ``settings`` are django-cors-headers' ``CORS_*``
    settings, flask-cors' ``CORS(app, ...)`` keyword arguments, or
    Starlette's ``CORSMiddleware`` keyword arguments."""

    name: str
    cite: str
    settings: dict[str, Any]
    expect: Expect
    shaped: str = ""
    # flask-cors only: app.config keys, and @cross_origin(**kwargs) per route.
    config: dict[str, Any] = field(default_factory=dict)
    cross_origin: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Origins the configuration is meant for, beyond its literal ones (what
    # its regexes are written to accept); the request set uses them.
    meant_for: tuple[str, ...] = ()
