"""Full matching in time linear in the input, whatever the pattern (B12.2).

The position automaton is run on the set of all positions the input could
have reached, one character at a time, so no character is read twice. Sets
met before are remembered as states with a table of next states by
character (a lazily built DFA), which makes the common case one dict lookup
per character. Both tables are bounded: past the bound a step is worked out
and not kept, which costs at most one pass over the automaton's positions.
An attacker can therefore make a request slower by a constant per
character, never exponentially or quadratically slower.
"""

from __future__ import annotations

import threading

from corsguard._engine.patterns.automaton import Automaton, compiled_atom
from corsguard._engine.patterns.syntax import Atom

# Bounds on what is remembered (memory), not on what can be matched.
MAX_STATES = 2048
MAX_EDGES = 65536
_MAX_WIDE_CHARACTERS = 4096


class _State:
    __slots__ = ("accepting", "edges", "followers", "live")

    def __init__(self, followers: int, accepting: bool) -> None:
        self.followers = followers
        self.accepting = accepting
        self.live = followers != 0 or accepting
        self.edges: dict[str, _State] = {}


class LinearMatcher:
    """``fullmatch`` over ``automaton``; safe to share between threads (a
    race only computes a step twice, both times the same)."""

    def __init__(self, automaton: Automaton) -> None:
        self._automaton = automaton
        self._groups: dict[Atom, int] = {}
        for index, atom in enumerate(automaton.atoms):
            self._groups[atom] = self._groups.get(atom, 0) | 1 << index
        self._ascii = [self._mask_of(chr(code)) for code in range(128)]
        self._wide: dict[str, int] = {}
        self._states: dict[int, _State] = {}
        self._edges = 0
        self._lock = threading.Lock()
        self._dead = self._state(0)
        self._start = self._state(automaton.start)

    def fullmatch(self, text: str) -> bool | None:
        """True when all of ``text`` matches, else None (as ``re`` answers)."""
        state = self._start
        dead = self._dead
        for character in text:
            following = state.edges.get(character)
            if following is None:
                following = self._step(state, character)
            if following is dead:
                return None
            state = following
        return True if state.accepting else None

    def _step(self, state: _State, character: str) -> _State:
        code = ord(character)
        mask = self._ascii[code] if code < 128 else self._wide_mask(character)
        following = self._state(state.followers & mask)
        if self._edges < MAX_EDGES:
            self._edges += 1
            state.edges[character] = following
        return following

    def _state(self, positions: int) -> _State:
        found = self._states.get(positions)
        if found is not None:
            return found
        automaton = self._automaton
        state = _State(automaton.followers(positions), automaton.accepting(positions))
        if len(self._states) < MAX_STATES:
            with self._lock:
                self._states.setdefault(positions, state)
        return state

    def _wide_mask(self, character: str) -> int:
        mask = self._wide.get(character)
        if mask is None:
            mask = self._mask_of(character)
            if len(self._wide) < _MAX_WIDE_CHARACTERS:
                self._wide[character] = mask
        return mask

    def _mask_of(self, character: str) -> int:
        """The positions whose atom matches ``character``."""
        mask = 0
        for atom, members in self._groups.items():
            if compiled_atom(atom).fullmatch(character) is not None:
                mask |= members
        return mask
