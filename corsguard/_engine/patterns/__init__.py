"""User-written regular expressions, matched in linear time or refused (B12).

corsguard runs before authentication, so a pattern that a crafted Origin or
path can make ``re`` backtrack on for seconds would let one request pin a
worker. Every pattern a user gives (origin regexes, path rules, Flask
resources, per-view overrides, what ``migrate`` writes) is compiled here,
once, at start-up:

- a pattern a backtracking engine runs in linear time (each character has
  one way to be read) runs on ``re`` itself, at C speed;
- any other pattern runs on ``LinearMatcher``, which reads each character
  once, whatever the pattern;
- what needs backtracking to mean anything (backreferences, lookaround,
  conditionals, atomic groups) or is too large is refused, naming the
  construct and the rewrite.

Either way the answer is ``re.fullmatch``'s, flags and case rules included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from corsguard._engine.patterns.automaton import Automaton, backtracking_safe, build
from corsguard._engine.patterns.linear import LinearMatcher
from corsguard._engine.patterns.syntax import Unsupported, parse

Engine = Literal["re", "linear"]


class SafePattern:
    """A compiled user pattern whose ``fullmatch`` costs O(len(text))."""

    __slots__ = ("automaton", "engine", "fullmatch", "regex")

    def __init__(self, regex: re.Pattern[str], automaton: Automaton) -> None:
        self.regex = regex
        self.automaton = automaton
        self.engine: Engine = "re" if backtracking_safe(automaton) else "linear"
        # The bound method itself: no wrapper on the request path.
        self.fullmatch: Callable[[str], object | None] = (
            regex.fullmatch if self.engine == "re" else LinearMatcher(automaton).fullmatch
        )

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    @property
    def flags(self) -> int:
        return self.regex.flags

    @property
    def groups(self) -> int:
        return self.regex.groups

    def __repr__(self) -> str:
        return f"SafePattern({self.regex.pattern!r}, engine={self.engine!r})"


@dataclass(frozen=True)
class PatternFault:
    """Why a pattern is refused, and what to write instead."""

    message: str
    hint: str


def compile_pattern(source: str | re.Pattern[str]) -> SafePattern | PatternFault:
    """``source`` ready to match, or why it cannot be (B12.4)."""
    if isinstance(source, re.Pattern):
        if not isinstance(source.pattern, str):
            return PatternFault("is a bytes pattern.", "write it as a str pattern.")
        return _compile(source.pattern, source.flags)
    if not isinstance(source, str):
        return PatternFault("is not a string.", "write the regular expression as a string.")
    return _compile(source, 0)


@lru_cache(maxsize=1024)
def _compile(source: str, flags: int) -> SafePattern | PatternFault:
    try:
        regex = re.compile(source, flags)
        return SafePattern(regex, build(parse(source, flags)))
    except re.error as exc:
        return PatternFault(f"does not compile: {exc}.", "fix the regular expression.")
    except Unsupported as exc:
        return PatternFault(exc.message, exc.hint)
    except RecursionError:
        return PatternFault("nests groups too deeply.", "flatten the groups.")


__all__ = ["PatternFault", "SafePattern", "compile_pattern"]
