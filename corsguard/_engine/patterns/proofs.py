"""What an origin regex can let in, decided for every input (B12.3).

Earlier versions tried a few sample origins against each regex; a review
found regexes that slipped past every sample (``https?://``, ``[a-z0-9]+``
under ``vercel.app``, ``\\w+\\.\\w+``). Here the answers come from walking
the pattern's automaton over the characters an origin can contain, so
they hold for every origin:

- the scheme every match starts with, if the pattern fixes one;
- for each way a match can end (no port, or a port of 1-5 digits, with or
  without a trailing dot), the literal host tail every such match ends
  with, and whether that tail is the whole host;
- whether the names in front of a tail can be chosen freely (open) or come
  from a finite list of literal names (closed).

``corsguard._engine.allowlist`` turns these into refusals when credentials are on,
and ``corsguard._engine.lint`` into findings; both name an example origin the
pattern would let in (found by a search, shown only as illustration).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from corsguard._engine.grammar import HOST, is_loopback_host
from corsguard._engine.patterns import SafePattern
from corsguard._engine.patterns.automaton import Automaton, compiled_atom
from corsguard._engine.patterns.walk import DIGITS, HOST_CHARACTERS, IPV6_CHARACTERS, Walker

_LITERAL_CHARACTERS = "".join(sorted(set(HOST_CHARACTERS + IPV6_CHARACTERS)))
_LITERAL_BUDGET = 4000
# How far alternations of domains are followed: options at one step, tails in all.
_BRANCHES = 8
_TAILS = 32

_LONGEST_HOST = 253
_LONGEST_PORT = 5
_HOST = re.compile(HOST, re.ASCII)


@dataclass(frozen=True)
class Tail:
    """What every match ending one way has at the end of its host."""

    text: str  # the literal characters every such host ends with
    whole: bool  # the tail is the entire host
    host_end: int  # the positions a host's last character can take


@dataclass(frozen=True)
class Shape:
    """What a pattern can accept, as far as origins go."""

    scheme: str | None  # "https" or "http" when every match starts so
    tails: tuple[Tail, ...]  # one per live way of ending
    walker: Walker

    @property
    def whole_hosts(self) -> tuple[str, ...]:
        return tuple(tail.text for tail in self.tails if tail.whole)


# The serialized-origin grammar (``grammar.ORIGIN``, B1.1) as a small DFA
# over origin characters: for each state, (characters, next state) pairs.
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_LABEL = _LOWER + DIGITS + "-_"
_ORIGIN_STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    "start": ((_LOWER, "scheme"),),
    "scheme": ((_LOWER + DIGITS + "+.-", "scheme"), (":", "colon")),
    "colon": (("/", "slash"),),
    "slash": (("/", "host"),),
    "host": ((_LABEL, "label"), ("[", "ipv6")),
    "label": ((_LABEL, "label"), (".", "dot"), (":", "port")),
    "dot": ((_LABEL, "label"), (":", "port")),
    "ipv6": (("0123456789abcdef:.", "ipv6+"),),
    "ipv6+": (("0123456789abcdef:.", "ipv6+"), ("]", "ipv6-end")),
    "ipv6-end": ((":", "port"),),
    "port": (("0", "port-0"), ("123456789", "port-1")),
    "port-0": (),
    "port-1": ((DIGITS, "port-2"),),
    "port-2": ((DIGITS, "port-3"),),
    "port-3": ((DIGITS, "port-4"),),
    "port-4": ((DIGITS, "port-5"),),
    "port-5": (),
}
_ORIGIN_ENDS = frozenset(("label", "dot", "ipv6-end", "port-0", "port-1", "port-2", "port-3", "port-4", "port-5"))
# Pairs (positions, grammar state) walked before the answer is taken as yes.
_ORIGIN_BUDGET = 20000
# Printable ASCII, in the order examples are built (letters first).
_PRINTABLE = "abcdefghijklmnopqrstuvwxyz0123456789.-:/_[]+ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(
    chr(code) for code in range(32, 127) if not chr(code).isalnum() and chr(code) not in ".-:/_[]+"
)


def can_be_origin(pattern: SafePattern) -> bool:
    """False when no serialized origin matches: ``null``, a bare word, an
    upper-case or spaced host, a trailing '/' or a path. The automaton is
    walked in step with the origin grammar (B1.1), so the answer holds for
    every input; port ranges and default ports are not part of the walk.
    Past a budget the answer is yes (the other proofs still run)."""
    walker = Walker(pattern.automaton)
    if not (walker.masks[":"] and walker.masks["/"]):
        return False
    automaton = walker.automaton
    pending = [(automaton.start, "start")]
    seen = set(pending)
    while pending:
        states, where = pending.pop()
        if where in _ORIGIN_ENDS and automaton.accepting(states):
            return True
        followers = automaton.followers(states)
        for characters, target in _ORIGIN_STEPS[where]:
            for character in characters:
                step = (followers & walker.masks[character], target)
                if step[0] and step not in seen:
                    if len(seen) >= _ORIGIN_BUDGET:
                        return True
                    seen.add(step)
                    pending.append(step)
    return False


def shortest_match(pattern: SafePattern) -> str | None:
    """The shortest printable-ASCII text ``pattern`` accepts, if a bounded
    search finds one (shown in messages, never used to decide)."""
    automaton = pattern.automaton
    masks = {character: _mask(automaton, character) for character in _PRINTABLE}
    queue: deque[tuple[int, str]] = deque([(automaton.start, "")])
    seen = {automaton.start}
    while queue and len(seen) < _ORIGIN_BUDGET:
        states, text = queue.popleft()
        if automaton.accepting(states):
            return text
        followers = automaton.followers(states)
        for character in _PRINTABLE:
            following = followers & masks[character]
            if following and following not in seen:
                seen.add(following)
                queue.append((following, text + character))
    return None


def _mask(automaton: Automaton, character: str) -> int:
    mask = 0
    for index, atom in enumerate(automaton.atoms):
        if compiled_atom(atom).fullmatch(character) is not None:
            mask |= 1 << index
    return mask


def shape(pattern: SafePattern) -> Shape:
    walker = Walker(pattern.automaton)
    return Shape(_scheme(walker), tuple(_tails(walker)), walker)


def _scheme(walker: Walker) -> str | None:
    """The literal prefix every origin-shaped match starts with, if it is
    ``https://`` or ``http://``."""
    states = walker.automaton.start
    prefix = ""
    while len(prefix) < len("https://"):
        options = walker.next_options(states)
        if walker.accepting(states) or len(options) != 1:
            break
        prefix += options[0]
        states = walker.forward(states, options[0])
    for scheme in ("https", "http"):
        if prefix.startswith(scheme + "://"):
            return scheme
    return None


def _tails(walker: Walker) -> list[Tail]:
    """One tail per way a match can end: a port of 0-5 digits after ':'
    (B1.1), then an optional trailing dot on the host."""
    last = walker.automaton.last
    endings = [last]
    digits = last
    for _ in range(_LONGEST_PORT):
        digits = _any_of(walker, digits, DIGITS)
        if not digits:
            break
        endings.append(walker.backward(digits, ":") if digits else 0)
    tails = []
    for ends in endings:
        for host_end in (ends, walker.backward(ends, ".")):
            if host_end:
                tails.extend(_ending(walker, host_end))
    return tails


def _ending(walker: Walker, host_end: int) -> list[Tail]:
    """The tails of hosts whose last character is at ``host_end``: each
    host when they form a finite literal list, else the common tail."""
    hosts = _literal_hosts(walker, host_end)
    if hosts is not None:
        return [Tail(host, True, host_end) for host in hosts]
    tails = []
    if host_end & walker.masks["]"]:
        tails.append(Tail("", False, host_end))  # an open IPv6 literal: no domain
    domain_end = host_end & walker.host_positions
    if domain_end:
        tails.extend(_read_tail(walker, domain_end))
    return tails


def _literal_hosts(walker: Walker, host_end: int) -> list[str] | None:
    r"""Every host ending at ``host_end``, when there are few and each is
    spelled out (``(localhost|127\.0\.0\.1)``); None otherwise."""
    found: list[str] = []
    stack = [(host_end, "")]
    steps = 0
    while stack:
        ends, text = stack.pop()
        steps += 1
        if steps > _LITERAL_BUDGET or len(text) > _LONGEST_HOST:
            return None
        if ends & walker.masks["/"] and _HOST.fullmatch(text):
            found.append(text)
        for character in walker.options(ends, _LITERAL_CHARACTERS):
            before = walker.backward(ends, character)
            if before:
                stack.append((before, character + text))
    return found


def _any_of(walker: Walker, ends: int, characters: str) -> int:
    found = 0
    for character in characters:
        found |= walker.backward(ends, character)
    return found


def _read_tail(walker: Walker, host_end: int) -> list[Tail]:
    """The literal tails of hosts ending at ``host_end``. Where a few
    characters can come next (an alternation of domains), each is read on
    as its own tail, within a budget; past it the common tail stands."""
    found: list[Tail] = []
    pending = [("", host_end)]
    while pending:
        text, ends = pending.pop()
        while len(text) <= _LONGEST_HOST:
            options = walker.options(ends & walker.host_positions, HOST_CHARACTERS)
            at_boundary = bool(ends & walker.masks["/"])
            if len(options) == 1 and not at_boundary:
                text = options[0] + text
                ends = walker.backward(ends, options[0])
                continue
            if options and not at_boundary and len(options) <= _BRANCHES and len(found) + len(pending) < _TAILS:
                pending.extend((option + text, walker.backward(ends, option)) for option in options)
            elif options or at_boundary:
                whole = at_boundary and not options
                if _host_possible(text, whole):
                    found.append(Tail(text, whole, host_end))
            break
    return found


def _host_possible(text: str, whole: bool) -> bool:
    """Whether some serialized origin's host is (or ends with) ``text``."""
    return not whole or _HOST.fullmatch(text) is not None


def domain_of(tail: Tail) -> str:
    """The domain every host with this tail lies in or under: the tail cut
    back to whole labels (``-1.example.com`` -> ``example.com``)."""
    if tail.whole:
        return tail.text.rstrip(".")
    text = tail.text
    if text.startswith("."):
        return text[1:]
    return text.partition(".")[2]


def reaches_under(shape: Shape, tail: Tail, suffix: str) -> bool:
    """Whether a freely chosen name under ``suffix`` matches: some match's
    host ends in ``.suffix`` with an open part in front of it."""
    ends = shape.walker.backward(tail.host_end, "." + suffix)
    return bool(ends) and shape.walker.open_before(ends)


def is_loopback_only(shape: Shape) -> bool:
    """Every match's host is a literal loopback name (B2.2's exception)."""
    return bool(shape.tails) and all(tail.whole and is_loopback_host(tail.text) for tail in shape.tails)
