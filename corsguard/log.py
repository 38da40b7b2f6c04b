"""The ``corsguard`` logger: why each refusal happened, safe to leave on.

Everything taken from a request is quoted with ``repr`` and truncated, so CR,
LF or any other control character can never forge a log line (flask-cors
CVE-2024-1681). The first refusal of each kind is logged at WARNING so the
person debugging sees it without configuring anything; repeats drop to DEBUG.
The memory of what was seen is a fixed-size LRU, so a flood of distinct
hostile origins cannot grow it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

logger = logging.getLogger("corsguard")

MAX_REMEMBERED = 512
_QUOTED_LENGTH = 120

_seen: OrderedDict[tuple[str, ...], None] = OrderedDict()
_lock = threading.Lock()


def quote(value: str | None) -> str:
    """A bounded, escaped rendering of request input for a log line."""
    if value is None:
        return "(absent)"
    if len(value) <= _QUOTED_LENGTH:
        return repr(value)
    return f"{value[:_QUOTED_LENGTH]!r}...({len(value)} characters)"


def _first_time(key: tuple[str, ...]) -> bool:
    with _lock:
        if key in _seen:
            _seen.move_to_end(key)
            return False
        _seen[key] = None
        if len(_seen) > MAX_REMEMBERED:
            _seen.popitem(last=False)
        return True


def refusal(
    kind: str, origin: str | None, method: str, path: str, reason: str, detail: str | Callable[[], str]
) -> None:
    """Log a refusal: WARNING the first time, DEBUG for repeats.

    ``detail`` may be a function, so the explanation (which re-examines the
    origin) is only worked out when a record will actually be written: a
    flood of repeated refusals costs a lookup in the LRU, not an analysis.
    """
    if not logger.isEnabledFor(logging.WARNING):
        return
    key = (kind, "" if origin is None else origin[:_QUOTED_LENGTH], reason)
    level = logging.WARNING if _first_time(key) else logging.DEBUG
    if not logger.isEnabledFor(level):
        return
    explanation = detail() if callable(detail) else detail
    logger.log(
        level,
        "CORS %s refused: %s (origin=%s method=%s path=%s). The browser will report: %s",
        kind,
        explanation,
        quote(origin),
        quote(method),
        quote(path),
        reason,
        extra={"cors_kind": kind, "cors_reason": reason, "cors_detail": explanation},
    )


def warn_once(key: str, message: str, *args: object) -> None:
    """A configuration smell seen at run time; said once per key, bounded."""
    if logger.isEnabledFor(logging.WARNING) and _first_time(("once", key)):
        logger.warning(message, *args)


def forget() -> None:
    """Clear the memory of seen refusals (tests use it to observe first-time logging)."""
    with _lock:
        _seen.clear()
