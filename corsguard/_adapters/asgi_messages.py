"""The decision as ASGI messages: corsguard's header lines in bytes (latin-1
at the edge, names in lower case as ASGI requires), merged into the
application's ``http.response.start``, or a preflight's whole answer.

A policy sends the same few lines again and again, so lines are encoded
once and kept in small bounded tables; only the application's own lines
are translated per response, and only those the merge reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any, Final

from corsguard._engine import response
from corsguard._engine.decision import Decision

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

# The initials of Vary and Access-Control-*, the application's lines that
# the merge reads (B5.4, B5.5).
_MERGED_INITIALS: Final = frozenset(b"vVaA")
# Header lines corsguard sent, as ASGI bytes (see ``encoded``).
MAX_ENCODED: Final = 4096
MAX_ENCODED_VALUE: Final = 512
_ENCODED: Final[dict[tuple[str, str], tuple[bytes, bytes]]] = {}
# A decision's lines, encoded, per tuple of its lines (see ``_decided``).
_DECIDED: Final[dict[tuple[tuple[str, str], ...], list[tuple[bytes, bytes]]]] = {}
# The Vary line per tuple of names (a policy has two or three).
_VARY_LINES: Final[dict[tuple[str, ...], tuple[bytes, bytes]]] = {}
# The merged Vary line per (application's Vary value, names); None: nothing to add.
_MERGED_VARY: Final[dict[tuple[bytes, tuple[str, ...]], tuple[bytes, bytes] | None]] = {}
_UNSEEN: Final[Any] = object()
# The end of a preflight answer per (Vary names, status, body): a handful.
_TAILS: Final[dict[tuple[tuple[str, ...], int, bytes], list[tuple[bytes, bytes]]]] = {}


def applying(send: Send, decision: Decision, path: str) -> Send:
    async def send_with_cors(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = started(message, decision, path)
        await send(message)

    return send_with_cors


def started(message: Message, decision: Decision, path: str) -> Message:
    """A new ``http.response.start`` message with the decision merged into
    its headers by the one rule (``corsguard._engine.response``), latin-1 at the
    edge; the application's message is never changed (B5.6). Only the
    application's Vary and Access-Control-* lines take part in the merge
    (B5.4, B5.5); a response without any, the usual case, just gets the
    decision's lines."""
    # A list of our own: ASGI allows any iterable, and this one is read twice.
    lines = list(message.get("headers", ()))
    for at, (name, _) in enumerate(lines):
        if name and name[0] in _MERGED_INITIALS and _merges(name):
            return _merged(message, lines, at, decision, path)
    lines += _decided(decision.headers)
    vary = decision.vary
    if vary:
        lines.append(_VARY_LINES.get(vary) or _vary_line(vary))
    return {**message, "headers": lines}


def _merges(name: bytes) -> bool:
    name = name.lower()
    return name == b"vary" or name.startswith(b"access-control-")


def _merged(message: Message, raw: list[tuple[bytes, bytes]], at: int, decision: Decision, path: str) -> Message:
    """``started`` when the application set Vary or a CORS header itself
    (its first such line is ``raw[at]``)."""
    first, value = raw[at]
    if first.lower() == b"vary" and not _merges_after(raw, at + 1):
        # The usual merge (an app's Vary: Accept-Encoding): one Vary line and
        # no CORS line of its own; the merged line is worked out once per value.
        vary = _MERGED_VARY.get((value, decision.vary), _UNSEEN)
        if vary is _UNSEEN:
            vary = _merged_vary_line(value, decision.vary)
        head = raw if vary is None else [*raw[:at], *raw[at + 1 :]]
        result = [*head, *_decided(decision.headers)]
        if vary is not None:
            result.append(vary)
        return {**message, "headers": result}
    own = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw if _merges(name)]
    lines = response.edits(own, decision, path)
    # Each line set replaces the application's lines of that name.
    replaced = {name.lower().encode("latin-1") for name, _ in lines}
    kept = [line for line in raw if line[0].lower() not in replaced] if replaced else raw
    return {**message, "headers": [*kept, *encoded(lines)]}


def _merges_after(raw: list[tuple[bytes, bytes]], start: int) -> bool:
    # A loop over a slice, not any() over a generator: a third fewer bytecodes per line.
    for name, _ in raw[start:]:  # noqa: SIM110
        if name and name[0] in _MERGED_INITIALS and _merges(name):
            return True
    return False


def _merged_vary_line(value: bytes, names: tuple[str, ...]) -> tuple[bytes, bytes] | None:
    """The merged Vary line for the application's ``value`` (None: it already
    names them all), by ``response.merged_vary``'s rule; kept for short values."""
    merged = response.merged_vary([value.decode("latin-1")], names)
    line = None if merged is None else (b"vary", merged.encode("latin-1"))
    if len(value) <= MAX_ENCODED_VALUE:
        if len(_MERGED_VARY) >= MAX_ENCODED:
            _MERGED_VARY.clear()
        _MERGED_VARY[value, names] = line
    return line


def _vary_line(names: tuple[str, ...]) -> tuple[bytes, bytes]:
    """The Vary line for a response that set none (the rule is
    ``response.merged_vary``'s), encoded once per set of names."""
    line = _VARY_LINES[names] = (b"vary", (response.merged_vary([], names) or "").encode("latin-1"))
    return line


def encoded(lines: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """ASGI header lines (names in lower case, as ASGI requires)."""
    encoded = _ENCODED.get
    return [encoded(line) or _encode(line) for line in lines]


def _decided(lines: Sequence[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """A decision's lines, encoded: a policy answers each allowed origin
    with the same lines, so the encoded list is kept per set of lines (the
    caller copies its items into a list of its own, B5.6)."""
    key = tuple(lines)
    found = _DECIDED.get(key)
    if found is None:
        found = encoded(key)
        if sum(len(value) for _, value in key) <= MAX_ENCODED_VALUE:
            if len(_DECIDED) >= MAX_ENCODED:
                _DECIDED.clear()
            _DECIDED[key] = found
    return found


def _encode(line: tuple[str, str]) -> tuple[bytes, bytes]:
    """A policy sends the same few lines again and again, so each is encoded
    once; the table holds only lines corsguard sends (allowed origins, the
    settings' values, merged Vary), only short ones (a reflected header list
    can be 8 KiB), and is emptied when full."""
    name, value = line
    pair = (name.lower().encode("latin-1"), value.encode("latin-1"))
    if len(value) <= MAX_ENCODED_VALUE:
        if len(_ENCODED) >= MAX_ENCODED:
            _ENCODED.clear()
        _ENCODED[line] = pair
    return pair


async def answer(decision: Decision, send: Send) -> None:
    """B3.2, B4: the preflight's whole answer, sent here."""
    lines = encoded(decision.headers)
    key = (decision.vary, decision.status, decision.body)
    lines += _TAILS.get(key) or _tail(decision, key)
    await send({"type": "http.response.start", "status": decision.status, "headers": lines})
    await send({"type": "http.response.body", "body": decision.body})


def _tail(decision: Decision, key: tuple[tuple[str, ...], int, bytes]) -> list[tuple[bytes, bytes]]:
    """The lines of a preflight answer after its CORS lines (Vary, the
    body's), as ``Decision.response_headers`` gives them; they depend on the
    Vary names, status and body only, so each set is encoded once."""
    tail = _TAILS[key] = encoded(decision.response_headers()[len(decision.headers) :])
    return tail
