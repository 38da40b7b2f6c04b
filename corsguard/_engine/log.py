"""The ``corsguard`` logger: why each refusal happened, safe under attack (B6).

Request values are quoted with ``repr`` and truncated, so CR, LF or any
control character can never forge a log line (flask-cors CVE-2024-1681).

What reaches WARNING is bounded: the first refusal of each kind (origin,
method, header, private network, failure) is always logged at WARNING the
moment it happens, so a real misconfiguration shows at once; after that, at
most ``LOG_WARNINGS`` distinct refusals per ``LOG_INTERVAL`` seconds. The
rest go to DEBUG and are counted, and the first refusal after the interval
writes one summary line with that count and the most frequent refused
origins. Repeats of a refusal already seen are DEBUG only. No lock is taken
on this path: the counters are atomic under the GIL, and the memory of what
was seen is bounded.

Applications that count refusals in their own metrics register a hook
(``add_hook``); it sees every refusal, rate limit or not.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from corsguard._engine.decision import PREFLIGHT, classify
from corsguard._engine.refusals import Refusal, bounded, quote

__all__ = ["Refusal", "add_hook", "configure", "flush", "logger", "quote", "refusal", "warn_once"]

if TYPE_CHECKING:
    from corsguard._engine.facts import RequestFacts

logger: Final = logging.getLogger("corsguard")
# The two levels a refusal is written at, read per refusal: as constants of
# this module they cost nothing compiled (``logging.DEBUG`` is a lookup).
_DEBUG: Final = logging.DEBUG
_WARNING: Final = logging.WARNING

# Kinds of refusal; the first of each is always logged at WARNING.
ORIGIN: Final = "origin"
METHOD: Final = "method"
HEADER: Final = "header"
PRIVATE_NETWORK: Final = "private-network"
FAILURE: Final = "failure"

# Distinct refusals remembered (to log repeats at DEBUG); cleared when full.
MAX_REMEMBERED: Final = 4096
# Distinct origins counted for the summary line.
MAX_COUNTED_ORIGINS: Final = 256
SUMMARY_ORIGINS: Final = 5

Hook = Callable[[Refusal], None]

# logging keeps a logger's answers to isEnabledFor in a dict of its own that
# it empties in place whenever any level changes (Manager._clear_cache, in
# CPython 3.10 to 3.13). Reading that dict spares a refusal two Python calls,
# most of what a flood's repeats cost. A logger class with its own
# isEnabledFor is asked every time.
_ANSWERED: Final[dict[int, bool] | None] = (
    vars(logger).get("_cache") if type(logger).isEnabledFor is logging.Logger.isEnabledFor else None
)


def _enabled(level: int) -> bool:
    """``logger.isEnabledFor(level)``, from logging's own cache once it has answered."""
    if _ANSWERED is not None and not logger.disabled:
        known = _ANSWERED.get(level)
        if known is not None:
            return known
    return logger.isEnabledFor(level)


def _answered(level: int) -> bool:
    """``_enabled`` once it has said yes for WARNING, so the logger is not disabled."""
    known = _ANSWERED.get(level) if _ANSWERED is not None else None
    return logger.isEnabledFor(level) if known is None else known


class _Window:
    """One rate-limit interval: its end, and counters that are safe to bump
    from many threads without a lock (an ``itertools.count``'s ``__next__``,
    which returns the count before the bump; held as the bound method, so a
    bump is one call, not a lookup of ``next`` and a call).

    Repeated origins are tallied apart from first sightings: a flood of
    random origins repeats none, so it cannot crowd a front-end that is
    refused again and again out of the summary."""

    def __init__(self, end: float) -> None:
        self.end = end
        self.warned: Callable[[], int] = itertools.count().__next__
        self.held: Callable[[], int] = itertools.count().__next__
        # Repeats per origin, beyond its first (a plain dict: a Counter's
        # ``+=`` costs a flood's repeat several times as much).
        self.repeated: dict[str, int] = {}
        self.first_held: list[str] = []


class _State:
    def __init__(self) -> None:
        self.limit = 20
        self.interval = 60.0
        self.clock: Callable[[], float] = time.monotonic
        self.window = _Window(self.clock() + self.interval)
        self.seen: dict[tuple[str, str, str], None] = {}
        self.kinds_seen: set[tuple[str, str]] = set()
        self.hooks: tuple[Hook, ...] = ()
        self.rollover = threading.Lock()


_state: Final = _State()


def configure(*, warnings: int | None = None, interval: float | None = None) -> None:
    """Set the WARNING budget: ``warnings`` per ``interval`` seconds."""
    if warnings is not None:
        _state.limit = max(0, warnings)
    if interval is not None:
        _state.interval = max(0.001, interval)
    _state.window.end = min(_state.window.end, _state.clock() + _state.interval)


def add_hook(hook: Hook) -> Callable[[], None]:
    """Call ``hook(refusal)`` for every refusal; returns a function that removes it.

    Hooks run on the request's thread and must be quick. One that raises is
    reported once and otherwise ignored: metrics never fail a request.
    """
    _state.hooks = (*_state.hooks, hook)

    def remove() -> None:
        _state.hooks = tuple(existing for existing in _state.hooks if existing is not hook)

    return remove


def refusal(facts: RequestFacts, category: str, reason: str, detail: str | Callable[[], str]) -> None:
    """Record a refusal. ``detail`` may be a function, so the explanation
    (which re-examines the origin) is worked out only when it is written.

    A flood repeats one refusal: that case costs a few counter bumps and
    builds no ``Refusal`` unless a hook or an enabled level reads it."""
    hooks = _state.hooks
    event = None
    if hooks:
        event = Refusal(facts, category, reason, detail)
        _run_hooks(event)
    if not _enabled(_WARNING):
        return
    level = _level(facts, category)
    if level == _WARNING or _answered(level):
        _write(level, event or Refusal(facts, category, reason, detail))


def _level(facts: RequestFacts, category: str) -> int:
    """WARNING or DEBUG, by the rules above."""
    state = _state
    window = state.window
    if state.clock() >= window.end:
        _roll(window)
        window = state.window
    # Unpacked, not read by name: compiled, a field read by name is a
    # generic attribute lookup, and this runs on every refusal of a flood.
    method, origin, acrm, _, _, _ = facts
    origin_key = bounded(origin)
    key = ("preflight" if classify(method, origin, acrm) is PREFLIGHT else "request", category, origin_key)
    if key in state.seen:
        window.held()
        repeated = window.repeated
        count = repeated.get(origin_key)
        if count is not None:
            repeated[origin_key] = count + 1
        elif len(repeated) < MAX_COUNTED_ORIGINS:
            repeated[origin_key] = 1
        return _DEBUG
    if len(state.seen) >= MAX_REMEMBERED:
        state.seen.clear()
    state.seen[key] = None
    kind = key[:2]
    if kind not in state.kinds_seen:
        state.kinds_seen.add(kind)
        return _WARNING
    if window.warned() < state.limit:
        return _WARNING
    window.held()
    if len(window.first_held) < SUMMARY_ORIGINS:
        window.first_held.append(origin_key)
    return _DEBUG


def _roll(window: _Window) -> None:
    """Start a new interval; the thread that does it writes the old one's summary."""
    if not _state.rollover.acquire(blocking=False):
        return
    try:
        if _state.window is window:
            _state.window = _Window(_state.clock() + _state.interval)
            _summarise(window)
    finally:
        _state.rollover.release()


def _summarise(window: _Window) -> None:
    held = window.held()
    if not held or not logger.isEnabledFor(logging.WARNING):
        return
    # Counter.most_common's rule: the largest counts, ties in first-seen order.
    top = heapq.nlargest(SUMMARY_ORIGINS, window.repeated.items(), key=itemgetter(1))
    if top:
        shown = "most refused origins: " + ", ".join(f"{quote(origin)} ({count + 1})" for origin, count in top)
    else:
        shown = "no origin was refused twice; first held back: " + ", ".join(map(quote, window.first_held))
    logger.warning(
        "corsguard: %d more refusals were logged at DEBUG only (at most %d WARNING lines per %g s, beyond the "
        "first of each kind; repeats always at DEBUG); %s",
        held,
        _state.limit,
        _state.interval,
        shown,
        extra={"cors_held": held},
    )


def flush() -> None:
    """Write the current interval's summary now (at shutdown, or in tests)."""
    _roll(_state.window)


def _write(level: int, event: Refusal) -> None:
    explanation = event.detail
    logger.log(
        level,
        "CORS %s refused: %s (origin=%s method=%s path=%s). The browser will report: %s",
        event.kind,
        explanation,
        quote(event.origin),
        quote(event.method),
        quote(event.path),
        event.reason,
        extra={"cors_kind": event.kind, "cors_reason": event.reason, "cors_detail": explanation},
    )


def _run_hooks(event: Refusal) -> None:
    for hook in _state.hooks:
        try:
            hook(event)
        except Exception:
            warn_once(f"hook:{id(hook)}", "a corsguard refusal hook raised; it is kept, but fix it", exc_info=True)


def warn_once(key: str, message: str, *args: object, exc_info: bool | BaseException = False) -> None:
    """A configuration smell seen at run time; said once per key, bounded."""
    seen = _state.seen
    marker = ("once", key, "")
    if marker in seen or not logger.isEnabledFor(logging.WARNING):
        return
    if len(seen) >= MAX_REMEMBERED:
        seen.clear()
    seen[marker] = None
    logger.warning(message, *args, exc_info=exc_info)


def forget() -> None:
    """Forget what was seen and start a new interval (tests observe first-time logging)."""
    _state.seen.clear()
    _state.kinds_seen.clear()
    _state.window = _Window(_state.clock() + _state.interval)
