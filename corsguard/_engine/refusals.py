"""One refusal, as the log and the application's hooks see it (B6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from corsguard._engine.decision import Kind

if TYPE_CHECKING:
    from corsguard._engine.facts import RequestFacts

_QUOTED_LENGTH = 120


def quote(value: str | None) -> str:
    """A bounded, escaped rendering of request input for a log line (B6.1)."""
    if value is None:
        return "(absent)"
    if not isinstance(value, str):
        value = repr(value)
    if len(value) <= _QUOTED_LENGTH:
        return repr(value)
    return f"{value[:_QUOTED_LENGTH]!r}...({len(value)} characters)"


def bounded(origin: str | None) -> str:
    """An origin as the log remembers and counts it: bounded in length."""
    return origin[:_QUOTED_LENGTH] if isinstance(origin, str) else ""


class Refusal:
    """What was refused and why. ``detail`` is worked out on first use, so
    a flood of refusals nobody reads costs no explanations."""

    __slots__ = ("_detail", "category", "facts", "reason")

    def __init__(self, facts: RequestFacts, category: str, reason: str, detail: str | Callable[[], str]) -> None:
        self.facts = facts
        # One of corsguard._engine.log's kinds: "origin", "method", "header", ...
        self.category = category
        # The browser console's words for what the page will see.
        self.reason = reason
        self._detail = detail

    @property
    def kind(self) -> str:
        """ "preflight" or "request"."""
        return "preflight" if self.facts.kind is Kind.PREFLIGHT else "request"

    @property
    def origin(self) -> str | None:
        return self.facts.origin

    @property
    def origin_key(self) -> str:
        """The origin as remembered and counted: bounded in length."""
        return bounded(self.facts.origin)

    @property
    def method(self) -> str:
        """The method a preflight asks for, or the request's own."""
        facts = self.facts
        return (facts.acrm or "") if facts.kind is Kind.PREFLIGHT else facts.method

    @property
    def path(self) -> str:
        return self.facts.path

    @property
    def detail(self) -> str:
        """corsguard's explanation: which rule refused it and what to change."""
        if callable(self._detail):
            self._detail = self._detail()
        return self._detail

    def __repr__(self) -> str:
        return f"Refusal({self.kind}, {self.category}, origin={quote(self.origin)}, path={quote(self.path)})"
