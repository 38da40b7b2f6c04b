"""One rule for putting a decision onto a response, in every adapter (B5.4, B5.5).

``edits`` reads the headers the application set and returns the header
lines to set on its response: each replaces any line of that name. The
decision's CORS headers are added unless the application already set CORS
headers of its own: those are left exactly as they are (two ACAO lines
always fail in browsers) and the conflict is reported once per path. Vary
gets the decision's names merged into the application's own, each name
once, ``Vary: *`` left alone, in one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from corsguard._engine import log
from corsguard._engine.decision import Decision
from corsguard._engine.names import CORS_PREFIX, VARY, VARY_ACTUAL, VARY_PREFLIGHT, VARY_PREFLIGHT_PNA

_VARY_LOWER: Final = VARY.lower()
# The initials of the names the merge reads: Vary and Access-Control-*.
_INITIALS: Final = frozenset("vVaA")
# The Vary values the engine decides, joined once.
_JOINED: Final = {names: ", ".join(names) for names in (VARY_ACTUAL, VARY_PREFLIGHT, VARY_PREFLIGHT_PNA)}
# merged_vary's answers for one application value, bounded.
_MAX_MERGED: Final = 1024
_MAX_MERGED_VALUE: Final = 512
_MERGED: Final[dict[tuple[str, tuple[str, ...]], str | None]] = {}


def edits(headers: Iterable[tuple[str, str]], decision: Decision, path: str) -> list[tuple[str, str]]:
    """The lines to set on a response whose headers are ``headers``; each
    replaces any line of that name (Django's one-value-per-name headers)."""
    vary_values, own_cors, _ = _scan(headers)
    result = list(_cors_headers(decision, own_cors, path))
    vary = merged_vary(vary_values, decision.vary)
    if vary is not None:
        result.append((VARY, vary))
    return result


def unmerged(decision: Decision) -> list[tuple[str, str]]:
    """``edits`` for a response that set no Vary and no CORS header of its
    own, the usual case: the decision's lines and its Vary, nothing to merge."""
    lines = list(decision.headers)
    vary = merged_vary([], decision.vary)
    if vary is not None:
        lines.append((VARY, vary))
    return lines


def apply(headers: list[tuple[str, str]], decision: Decision, path: str) -> list[tuple[str, str]]:
    """A new header list: ``headers`` with ``edits`` applied, for adapters
    whose responses carry a plain list (WSGI, ASGI). One pass over the
    application's headers; its Vary lines, if any, become one merged line:
    in the place of the application's line when it set one, else last."""
    vary_values, own_cors, vary_at = _scan(headers)
    cors = _cors_headers(decision, own_cors, path)
    vary = merged_vary(vary_values, decision.vary)
    if vary is None:
        return [*headers, *cors] if cors else headers
    if len(vary_values) == 1:
        # The usual merge: one Vary line, found by the scan, replaced where
        # it stands; no second pass.
        merged = [*headers, *cors]
        merged[vary_at] = (VARY, vary)
        return merged
    if vary_values:
        headers = [line for line in headers if line[0].lower() != _VARY_LOWER]
    return [*headers, *cors, (VARY, vary)]


def _scan(headers: Iterable[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]], int]:
    """The application's Vary values, the CORS header lines it set, and the
    position of its last Vary line (-1 if none). One set test per line:
    only names starting with v or a are lower-cased."""
    vary_values: list[str] = []
    own_cors: list[tuple[str, str]] = []
    vary_at = -1
    for at, (name, value) in enumerate(headers):
        if name[:1] in _INITIALS:
            lowered = name.lower()
            if lowered == _VARY_LOWER:
                vary_values.append(value)
                vary_at = at
            elif lowered.startswith(CORS_PREFIX):
                own_cors.append((name, value))
    return vary_values, own_cors, vary_at


def _cors_headers(decision: Decision, own_cors: Sequence[tuple[str, str]], path: str) -> Sequence[tuple[str, str]]:
    """B5.5: the decision's CORS headers, unless the application set its own.

    Lines that are exactly the decision's are corsguard's own answer coming
    back (a response a cache below corsguard stored after it had passed
    through corsguard, keyed by its Vary: Origin): nothing to add or report."""
    if not own_cors or not decision.headers:
        return decision.headers
    if _same_lines(own_cors, decision.headers):
        return ()
    log.warn_once(
        "own-cors:" + path[:200],
        "The application already set %s on %s; corsguard left the response's CORS headers as they were. "
        "Let corsguard set them, or exempt this path or view.",
        own_cors[-1][0],
        log.quote(path),
    )
    return ()


def _same_lines(own: Sequence[tuple[str, str]], decided: Sequence[tuple[str, str]]) -> bool:
    return len(own) == len(decided) and sorted((name.lower(), value) for name, value in own) == sorted(
        (name.lower(), value) for name, value in decided
    )


def merged_vary(values: Sequence[str], names: tuple[str, ...]) -> str | None:
    """The one Vary value naming ``values``' names and ``names``, or None
    when ``values`` already name them all (or are ``*``)."""
    if not names:
        return None
    if not values:
        joined = _JOINED.get(names)
        return joined if joined is not None else ", ".join(names)
    if len(values) != 1:
        return _merged(values, names)
    # One application value (an app's ``Vary: Accept-Encoding``, a view's
    # ``Vary: Origin, Cookie``): apps send a handful of them, so each merge
    # is worked out once and kept in a bounded table.
    key = (values[0], names)
    try:
        return _MERGED[key]
    except KeyError:
        pass
    merged = _merged(values, names)
    if len(key[0]) <= _MAX_MERGED_VALUE:
        if len(_MERGED) >= _MAX_MERGED:
            _MERGED.clear()
        _MERGED[key] = merged
    return merged


def _merged(values: Sequence[str], names: tuple[str, ...]) -> str | None:
    """``merged_vary`` worked out: every name the values miss, after them."""
    present = {token.strip().lower() for value in values for token in value.split(",")}
    if "*" in present:
        return None
    missing = [name for name in names if name.lower() not in present]
    if not missing:
        return None
    kept = [value.strip() for value in values if value.strip()]
    return ", ".join([*kept, *missing])
