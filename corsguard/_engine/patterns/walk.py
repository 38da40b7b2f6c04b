"""Reading a pattern's automaton forwards and backwards over origin characters.

The start-up proofs (B12.3) ask questions about every string a pattern
accepts that could be an origin: which characters can come first, what
every match must end with, whether some match ends in a given suffix. An
origin is written with a few dozen ASCII characters (B1.1), so each
question is a walk over sets of positions, one character class at a time,
with no sampling: the answer holds for every input.
"""

from __future__ import annotations

from collections import deque

from corsguard._engine.grammar import ORIGIN
from corsguard._engine.patterns.automaton import Automaton, compiled_atom, positions

# Every character a serialized origin can contain (B1.1: lower-case scheme
# and host, brackets for IPv6, digits for the port).
ORIGIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789+.-_:/[]"
DIGITS = "0123456789"
LABEL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-_"
# A domain host is read back to the '/' of "://" over these characters.
HOST_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-_."
IPV6_CHARACTERS = "0123456789abcdef:.[]"
# The order in which examples are built: letters first, so that an
# example origin reads like one.
_EXAMPLE_ORDER = "abcdefghijklmnopqrstuvwxyz0123456789.-:/_[]+"
_MAX_EXAMPLE_STATES = 5000


class Walker:
    """Sets of positions of ``automaton``, stepped one character at a time."""

    def __init__(self, automaton: Automaton) -> None:
        self.automaton = automaton
        size = automaton.size
        self.masks = {character: self._mask(character) for character in ORIGIN_ALPHABET}
        # Predecessors: the positions each position may follow, with the
        # virtual start (bit ``size``) for the pattern's first positions.
        self.before = [0] * size
        for index, follow in enumerate(automaton.follow):
            for target in positions(follow):
                self.before[target] |= 1 << index
        for target in positions(automaton.first):
            self.before[target] |= 1 << size
        self.host_positions = self._host_positions()

    def _host_positions(self) -> int:
        """Positions that can be part of a domain host: they take a host
        character and can be walked back, over such positions, to a '/'.
        Anything else (a port's digits, a path) is never in a host."""
        host = 0
        for character in HOST_CHARACTERS:
            host |= self.masks[character]
        slash = self.masks["/"]
        useful = 0
        changed = True
        while changed:
            changed = False
            for index in positions(host & ~useful):
                if self.before[index] & (slash | useful):
                    useful |= 1 << index
                    changed = True
        return useful

    def _mask(self, character: str) -> int:
        mask = 0
        for index, atom in enumerate(self.automaton.atoms):
            if compiled_atom(atom).fullmatch(character) is not None:
                mask |= 1 << index
        return mask

    def options(self, states: int, alphabet: str) -> list[str]:
        """The characters of ``alphabet`` some position in ``states`` takes."""
        return [character for character in alphabet if states & self.masks[character]]

    def forward(self, states: int, text: str) -> int:
        """The positions reached after reading ``text`` from ``states``."""
        for character in text:
            mask = self.masks.get(character, 0)
            states = self.automaton.followers(states) & mask
            if not states:
                return 0
        return states

    def next_options(self, states: int) -> list[str]:
        followers = self.automaton.followers(states)
        return [character for character in ORIGIN_ALPHABET if followers & self.masks[character]]

    def accepts(self, text: str) -> bool:
        states = self.forward(self.automaton.start, text)
        return bool(states) and self.accepting(states)

    def accepting(self, states: int) -> bool:
        return self.automaton.accepting(states)

    def backward(self, ends: int, text: str) -> int:
        """Positions that can come just before ``text`` when a match ends
        after it: start from ``automaton.last`` and read ``text`` right to
        left. The virtual start bit means the match can begin there."""
        for character in reversed(text):
            taking = ends & self.masks.get(character, 0)
            ends = 0
            for index in positions(taking):
                ends |= self.before[index]
            if not ends:
                return 0
        return ends

    def is_start(self, states: int) -> bool:
        return bool(states & self.automaton.start)

    def open_before(self, ends: int) -> bool:
        """Whether the host characters before ``ends`` (back to the '/'
        of "://") can be chosen freely: some position there takes two or
        more label characters, or sits on a loop. A finite list of literal
        names is closed; ``[a-z0-9]+`` is open."""
        host = self.host_positions
        colour: dict[int, int] = {}  # 1: on the current path, 2: done
        stack = [(index, False) for index in positions(ends & host)]
        while stack:
            index, leaving = stack.pop()
            if leaving:
                colour[index] = 2
                continue
            if colour.get(index) == 1:
                return True  # a loop: as many characters as one likes
            if colour.get(index) == 2:
                continue
            if sum(1 for character in LABEL_CHARACTERS if self.masks[character] >> index & 1) > 1:
                return True
            colour[index] = 1
            stack.append((index, True))
            for previous in positions(self.before[index] & host):
                if colour.get(previous) == 1:
                    return True
                stack.append((previous, False))
        return False

    def example(self, prefix: str, suffix: str) -> str | None:
        """The shortest string ``prefix + middle + suffix`` the pattern
        accepts, middle drawn from origin characters; None if none is found."""
        states = self.forward(self.automaton.start, prefix)
        if not states:
            return None
        queue: deque[tuple[int, str]] = deque([(states, "")])
        seen = {states}
        for middle in ("attacker", "evil.com", "a"):
            if self.accepts(prefix + middle + suffix) and ORIGIN.fullmatch(prefix + middle + suffix):
                return prefix + middle + suffix
        while queue and len(seen) < _MAX_EXAMPLE_STATES:
            states, middle = queue.popleft()
            ending = self.forward(states, suffix) if suffix else states
            if ending and self.accepting(ending) and ORIGIN.fullmatch(prefix + middle + suffix):
                return prefix + middle + suffix
            followers = self.automaton.followers(states)
            for character in _EXAMPLE_ORDER:
                following = followers & self.masks[character]
                if following and following not in seen:
                    seen.add(following)
                    queue.append((following, middle + character))
        return None
