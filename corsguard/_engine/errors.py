"""Configuration problems, reported all at once.

A CORS mistake usually shows up as a browser console error long after the
deploy that caused it. corsguard refuses a bad configuration while the
process starts instead, and lists *every* problem in one exception so the
user fixes them in one pass rather than one restart per typo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a configuration, as data.

    ``setting`` uses the upper-case vocabulary shared by Django settings,
    Flask config and environment variables, so the message points at the
    name the user actually typed, whichever of those they used.
    """

    setting: str
    value: object
    message: str
    hint: str = ""

    def within(self, prefix: str) -> Problem:
        """The same problem, located inside a larger structure (a path rule)."""
        return replace(self, setting=f"{prefix}.{self.setting}")

    def __str__(self) -> str:
        text = f"{self.setting}: {self.value!r}: {self.message}"
        if self.hint:
            text += f" Hint: {self.hint}"
        return text


class PolicyError(ValueError):
    """A configuration that corsguard refuses; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"corsguard: {count} problem{'s' if count != 1 else ''} in the CORS configuration:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))
