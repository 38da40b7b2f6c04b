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
# the merge reads (B5.4, B5.5). A one-byte slice is a cached object, and an
# empty or non-bytes name is simply not among them.
_INITIALS: Final = frozenset(b"vVaA")
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
    (B5.4, B5.5). The usual responses (no such line, or one Vary line such as
    GZip's ``Vary: Accept-Encoding``) take one pass over the lines, and the
    merged Vary line takes the place of the application's."""
    # A list of our own: ASGI allows any iterable, and this one is edited.
    lines = list(message.get("headers", ()))
    vary_at = -1
    for at, line in enumerate(lines):
        name = line[0]
        # Only names starting with v or a, in either case, are lower-cased.
        if isinstance(name, bytes) and name and name[0] in _INITIALS:
            lowered = name.lower()
            if lowered == b"vary" and vary_at < 0:
                vary_at = at
            elif lowered == b"vary" or lowered.startswith(b"access-control-"):
                return _merged(message, lines, decision, path)
    lines += _decided(decision.headers)
    vary = decision.vary
    if vary_at >= 0:
        value = lines[vary_at][1]
        merged = _MERGED_VARY.get((value, vary), _UNSEEN)
        if merged is _UNSEEN:
            merged = _merged_vary_line(value, vary)
        if merged is not None:
            lines[vary_at] = merged
    elif vary:
        lines.append(_VARY_LINES.get(vary) or _vary_line(vary))
    return {**message, "headers": lines}


def _merged(message: Message, raw: list[tuple[bytes, bytes]], decision: Decision, path: str) -> Message:
    """``started`` when the application set a CORS header or several Vary
    lines (rare): the general rule, ``response.apply``, on text. The lines it
    keeps go out as the very bytes the application sent."""
    text = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw]
    sent = {id(line): original for line, original in zip(text, raw, strict=True)}
    lines = response.apply(text, decision, path)
    return {**message, "headers": [sent.get(id(line)) or _ENCODED.get(line) or _encode(line) for line in lines]}


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
