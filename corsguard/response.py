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

from collections.abc import Iterable

from corsguard import log
from corsguard.decision import Decision
from corsguard.names import CORS_PREFIX, VARY

_VARY_LOWER = VARY.lower()


def edits(headers: Iterable[tuple[str, str]], decision: Decision, path: str) -> list[tuple[str, str]]:
    """The lines to set on a response whose headers are ``headers``."""
    vary_values: list[str] = []
    own_cors = ""
    for name, value in headers:
        lowered = name.lower()
        if lowered == _VARY_LOWER:
            vary_values.append(value)
        elif lowered.startswith(CORS_PREFIX):
            own_cors = name
    result: list[tuple[str, str]] = []
    if decision.headers:
        if own_cors:
            log.warn_once(
                "own-cors:" + path[:200],
                "The application already set %s on %s; corsguard left the response's CORS headers as they were. "
                "Let corsguard set them, or exempt this path or view.",
                own_cors,
                log.quote(path),
            )
        else:
            result.extend(decision.headers)
    vary = merged_vary(vary_values, decision.vary)
    if vary is not None:
        result.append((VARY, vary))
    return result


def merged_vary(values: list[str], names: tuple[str, ...]) -> str | None:
    """The one Vary value naming ``values``' names and ``names``, or None
    when ``values`` already name them all (or are ``*``)."""
    if not names:
        return None
    present = {token.strip().lower() for value in values for token in value.split(",")}
    if "*" in present:
        return None
    missing = [name for name in names if name.lower() not in present]
    if not missing:
        return None
    kept = [value.strip() for value in values if value.strip()]
    return ", ".join([*kept, *missing])


def apply(headers: list[tuple[str, str]], decision: Decision, path: str) -> list[tuple[str, str]]:
    """A new header list: ``headers`` with ``edits`` applied, for adapters
    whose responses carry a plain list (WSGI, ASGI)."""
    changes = edits(headers, decision, path)
    if not changes:
        return headers
    replaced = {name.lower() for name, _ in changes}
    return [line for line in headers if line[0].lower() not in replaced] + changes
