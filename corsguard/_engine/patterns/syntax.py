"""A regular expression read into the few shapes a linear matcher needs (B12.1).

Python's own parser reads the pattern, so the syntax, escapes and flags are
exactly ``re``'s. What comes out is a tree of single-character atoms,
sequences, alternatives and repeats. Captures and greediness disappear: a
boolean full match does not depend on them. What has no meaning without
backtracking (backreferences, lookaround, conditionals, atomic groups,
possessive repeats) is refused with the construct named, and so are anchors
anywhere but the ends, where under full matching they mean nothing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any, Union

if sys.version_info >= (3, 11):
    from re import _constants as sre
    from re import _parser as sre_parse
else:  # pragma: no cover - the 3.10 names of the same modules
    import sre_constants as sre
    import sre_parse

# B12.4: the longest pattern source accepted. Real allow-list and path
# patterns are a few dozen characters; a bound keeps start-up work bounded.
MAX_SOURCE_LENGTH = 1000

# The flags that change which characters an atom matches; the others either
# act at parse time (VERBOSE) or only on anchors, which are resolved here.
ATOM_FLAGS = re.IGNORECASE | re.DOTALL | re.ASCII
_SUPPORTED_FLAGS = ATOM_FLAGS | re.MULTILINE | re.VERBOSE | re.UNICODE


@dataclass(frozen=True)
class Atom:
    """One character: ``source`` is a regex matching exactly the characters
    this atom matches, under ``flags``."""

    source: str
    flags: int


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[Node, ...]


@dataclass(frozen=True)
class Repeat:
    low: int
    high: int | None  # None: unbounded
    body: Node


Node = Union[Atom, Seq, Alt, Repeat]
EMPTY = Seq(())


class Unsupported(Exception):
    """Why the pattern is refused (``message``), and what to write instead."""

    def __init__(self, construct: str, hint: str, message: str | None = None) -> None:
        self.message = message or f"cannot be matched in linear time: it uses {construct}."
        super().__init__(self.message)
        self.construct = construct
        self.hint = hint


_REFUSED: dict[Any, tuple[str, str]] = {
    sre.GROUPREF: ("a backreference (\\1 or (?P=name))", "repeat the sub-pattern itself instead of referring to it."),
    sre.GROUPREF_EXISTS: ("a conditional group (?(1)...|...)", "write the alternatives out with |."),
    sre.ASSERT: ("a lookahead or lookbehind (?=...) / (?<=...)", "match the text itself; the whole value is matched."),
    sre.ASSERT_NOT: (
        "a negative lookahead or lookbehind (?!...) / (?<!...)",
        "write the characters that are allowed as a class, e.g. [^/]+ instead of (?!/).+",
    ),
}
if sys.version_info >= (3, 11):
    _REFUSED[sre.ATOMIC_GROUP] = ("an atomic group (?>...)", "remove the ?> : corsguard never backtracks.")
    _REFUSED[sre.POSSESSIVE_REPEAT] = ("a possessive quantifier (*+, ++, ?+)", "drop the extra +.")

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_STARTS = frozenset({sre.AT_BEGINNING, sre.AT_BEGINNING_STRING})
_ENDS = frozenset({sre.AT_END, sre.AT_END_STRING})


def parse(source: str, flags: int = 0) -> Node:
    """``source`` as a tree, or ``Unsupported``/``re.error`` saying why not."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise Unsupported(
            "a long source",
            "list the alternatives as separate entries, or shorten the pattern.",
            f"is {len(source)} characters long; at most {MAX_SOURCE_LENGTH} are accepted.",
        )
    parsed = sre_parse.parse(source, flags)
    everywhere = parsed.state.flags
    unsupported = everywhere & ~_SUPPORTED_FLAGS
    if unsupported:
        raise Unsupported(
            "an unsupported flag",
            "remove it; only the flags i, s, m, x, a and u are supported.",
            f"uses the flag {re.RegexFlag(unsupported)!r}.",
        )
    return _sequence(list(parsed.data), everywhere & ATOM_FLAGS, at_start=True, at_end=True)


def _sequence(items: list[tuple[Any, Any]], flags: int, *, at_start: bool, at_end: bool) -> Node:
    real = [index for index, (op, _) in enumerate(items) if op is not sre.AT]
    first, last = (real[0], real[-1]) if real else (len(items), -1)
    nodes: list[Node] = []
    for index, (op, value) in enumerate(items):
        if op is sre.AT:
            _anchor(value, at_start=at_start and index < first, at_end=at_end and index > last)
            continue
        nodes.append(_node(op, value, flags, at_start=at_start and index == first, at_end=at_end and index == last))
    return nodes[0] if len(nodes) == 1 else Seq(tuple(nodes))


def _anchor(kind: Any, *, at_start: bool, at_end: bool) -> None:
    """B12.1: under full matching ``^``/``\\A`` at the start and ``$``/``\\Z``
    at the end always hold, so they are dropped; elsewhere they are refused."""
    if (kind in _STARTS and at_start) or (kind in _ENDS and at_end):
        return
    if kind in _STARTS or kind in _ENDS:
        raise Unsupported(
            "an anchor (^, $, \\A or \\Z) in the middle of the pattern",
            "remove it: the whole value is always matched, so anchors are only meaningful at the ends.",
        )
    raise Unsupported("a word boundary (\\b or \\B)", "match the characters themselves, e.g. [a-z0-9-]+.")


def _node(op: Any, value: Any, flags: int, *, at_start: bool, at_end: bool) -> Node:
    if op in _REFUSED:
        raise Unsupported(*_REFUSED[op])
    if op is sre.LITERAL:
        return Atom(_char(value), flags)
    if op is sre.NOT_LITERAL:
        return Atom(f"[^{_char(value)}]", flags)
    if op is sre.ANY:
        return Atom(".", flags)
    if op is sre.IN:
        return Atom(_class(value), flags)
    if op is sre.BRANCH:
        return Alt(tuple(_sequence(list(branch), flags, at_start=at_start, at_end=at_end) for branch in value[1]))
    if op is sre.SUBPATTERN:
        _, add, remove, inner = value
        scoped = ((flags | add) & ~remove) & ATOM_FLAGS
        return _sequence(list(inner), scoped, at_start=at_start, at_end=at_end)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        # Greedy or lazy, a full match either exists or not: the same node.
        low, high, inner = value
        high = None if high == sre.MAXREPEAT else int(high)
        if high == 0:
            return EMPTY
        optional = high is not None and high <= 1
        body = _sequence(list(inner), flags, at_start=at_start and optional, at_end=at_end and optional)
        return Repeat(int(low), high, body)
    raise Unsupported(f"the construct {op}", "rewrite the pattern without it.")


def _char(code: int) -> str:
    """One character as an escape valid inside and outside a class."""
    return f"\\U{code:08x}"


def _class(items: list[tuple[Any, Any]]) -> str:
    parts = []
    negate = ""
    for op, value in items:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            parts.append(_char(value))
        elif op is sre.RANGE:
            parts.append(f"{_char(value[0])}-{_char(value[1])}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            raise Unsupported(f"the class item {op} {value}", "list the characters or ranges instead.")
    return f"[{negate}{''.join(parts)}]"
