"""A pattern's position automaton (Glushkov): one state per character atom.

Sets of positions are Python ints used as bit sets, so the whole matcher
steps with ``|`` and ``&``. Position ``size`` is a virtual start whose
followers are the pattern's first positions. The automaton has no empty
moves, which makes it both the linear matcher's NFA and the object the
start-up proofs reason about (B12.2, B12.3).

While building, it also records whether a backtracking engine could run
the pattern in linear time: every step deterministic (no two followers of a
position share a character) and no empty string matched two ways (a
repeated or optional body that can match nothing). Such a pattern runs on
``re`` itself; any other one on the linear matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from corsguard._engine.patterns.syntax import Alt, Atom, Node, Repeat, Seq, Unsupported

# B12.4: the largest automaton accepted, after bounded repeats are written
# out ({1,63} is 63 positions). It bounds the work per input character.
MAX_POSITIONS = 1024
Part = tuple[int, int, bool]  # first positions, last positions, nullable

# Above this many followers of one position, determinism is not checked
# pairwise; the pattern simply runs on the linear matcher.
_MAX_CHECKED_FOLLOWERS = 64


@dataclass
class Automaton:
    atoms: list[Atom] = field(default_factory=list)
    follow: list[int] = field(default_factory=list)
    first: int = 0
    last: int = 0
    nullable: bool = False
    # False once some sub-pattern can match the empty string two ways.
    unambiguous_empty: bool = True

    @property
    def size(self) -> int:
        return len(self.atoms)

    @property
    def start(self) -> int:
        """The virtual start position's bit."""
        return 1 << self.size

    def followers(self, states: int) -> int:
        """Every position that may come after one of ``states``."""
        found = 0
        size = self.size
        follow = self.follow
        while states:
            low = states & -states
            index = low.bit_length() - 1
            found |= self.first if index == size else follow[index]
            states ^= low
        return found

    def accepting(self, states: int) -> bool:
        return bool(states & self.last) or bool(states & self.start and self.nullable)


def build(node: Node) -> Automaton:
    """The automaton of ``node``; ``Unsupported`` when it is too large."""
    automaton = Automaton()
    first, last, nullable = _build(node, automaton)
    automaton.first, automaton.last, automaton.nullable = first, last, nullable
    return automaton


def _build(node: Node, automaton: Automaton) -> Part:
    if isinstance(node, Atom):
        if automaton.size >= MAX_POSITIONS:
            raise Unsupported(
                "a large repeat",
                "use + or * instead of a large {m,n} bound, or split the pattern.",
                f"is too large: more than {MAX_POSITIONS} character positions once its repeats are written out.",
            )
        automaton.atoms.append(node)
        automaton.follow.append(0)
        bit = 1 << (automaton.size - 1)
        return bit, bit, False
    if isinstance(node, Seq):
        return _sequence([_build(item, automaton) for item in node.items], automaton)
    if isinstance(node, Alt):
        parts = [_build(option, automaton) for option in node.options]
        if sum(1 for part in parts if part[2]) > 1:
            automaton.unambiguous_empty = False
        return _union(parts)
    return _repeat(node, automaton)


def _sequence(parts: list[Part], automaton: Automaton) -> Part:
    """Parts built in order, each linked to the next; positions are only
    numbers, so building first and linking after is the same."""
    first, last, nullable = 0, 0, True
    for part_first, part_last, part_nullable in parts:
        _link(automaton, last, part_first)
        first |= part_first if nullable else 0
        last = part_last | (last if part_nullable else 0)
        nullable = nullable and part_nullable
    return first, last, nullable


def _union(parts: list[Part]) -> Part:
    first = last = 0
    for part_first, part_last, _ in parts:
        first |= part_first
        last |= part_last
    return first, last, any(part[2] for part in parts)


def _repeat(node: Repeat, automaton: Automaton) -> Part:
    """``x{m,n}`` as m copies then nested optional copies, ``x(x(x)?)?``,
    which stays deterministic; ``x{m,}`` as m copies then ``x*``."""
    parts = [_build(node.body, automaton) for _ in range(node.low)]
    if node.high is None:
        parts.append(_star(node.body, automaton))
    elif node.high > node.low:
        parts.append(_optional_chain(node.body, node.high - node.low, automaton))
    return _sequence(parts, automaton)


def _star(body: Node, automaton: Automaton) -> Part:
    first, last, nullable = _build(body, automaton)
    if nullable:
        automaton.unambiguous_empty = False
    _link(automaton, last, first)
    return first, last, True


def _optional_chain(body: Node, count: int, automaton: Automaton) -> Part:
    """``count`` optional copies, each allowed only after the one before."""
    first = last = previous = 0
    for index in range(count):
        part_first, part_last, part_nullable = _build(body, automaton)
        if part_nullable:
            automaton.unambiguous_empty = False
        if index == 0:
            first = part_first
        else:
            _link(automaton, previous, part_first)
        previous = part_last
        last |= part_last
    return first, last, True


def _link(automaton: Automaton, sources: int, targets: int) -> None:
    if not targets:
        return
    follow = automaton.follow
    while sources:
        low = sources & -sources
        follow[low.bit_length() - 1] |= targets
        sources ^= low


def positions(states: int) -> list[int]:
    found = []
    while states:
        low = states & -states
        found.append(low.bit_length() - 1)
        states ^= low
    return found


def backtracking_safe(automaton: Automaton) -> bool:
    """B12.2: whether ``re`` runs this pattern in time linear in the input.

    Each input character then has one position that can take it, and an
    empty stretch one way to be matched, so a backtracking search never
    retries a character under another reading.
    """
    if not automaton.unambiguous_empty:
        return False
    atoms = automaton.atoms
    for group in (automaton.first, *automaton.follow):
        members = positions(group)
        if len(members) > _MAX_CHECKED_FOLLOWERS:
            return False
        for index, one in enumerate(members):
            for other in members[index + 1 :]:
                if overlap(atoms[one], atoms[other]):
                    return False
    return True


@lru_cache(maxsize=4096)
def compiled_atom(atom: Atom) -> re.Pattern[str]:
    return re.compile(atom.source, atom.flags)


@lru_cache(maxsize=4096)
def _ascii_profile(atom: Atom) -> tuple[int, bool]:
    """The ASCII characters ``atom`` matches, as bits, and whether it may
    match anything beyond ASCII (decided conservatively)."""
    matcher = compiled_atom(atom).fullmatch
    ascii_bits = sum(1 << code for code in range(128) if matcher(chr(code)))
    source = atom.source
    plain = source.startswith("\\U") or (source.startswith("[") and not source.startswith("[^"))
    ascii_only = (
        plain
        and "\\d" not in source
        and "\\w" not in source
        and "\\s" not in source
        and all(code < 128 for code in _escaped_codes(source))
        and (not atom.flags & re.IGNORECASE or bool(atom.flags & re.ASCII))
    )
    return ascii_bits, not ascii_only


def _escaped_codes(source: str) -> list[int]:
    return [int(source[index + 2 : index + 10], 16) for index in range(len(source)) if source.startswith("\\U", index)]


def overlap(one: Atom, other: Atom) -> bool:
    """Whether some character matches both atoms (may say yes wrongly, never no)."""
    one_bits, one_wide = _ascii_profile(one)
    other_bits, other_wide = _ascii_profile(other)
    return bool(one_bits & other_bits) or (one_wide and other_wide)
