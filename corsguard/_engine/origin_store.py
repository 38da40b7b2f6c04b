"""Listed origins: the whole set in memory, refreshed by a version poll (B14).

A per-origin resolver (B9) must ask its store about every origin it has not
seen, so a flood of random origins either reaches the database or, once the
call budget is spent, locks real tenants out. When the allowed origins can
be listed (a table of tenants, a Redis set), ``ListedOrigins`` keeps the
whole set in each process instead:

- a known origin is one set probe plus one clock read: no store query;
- an unknown origin is refused from the same set: no query either, so a
  flood costs the store nothing and cannot crowd out a tenant;
- a thread polls ``version()`` every ``poll`` seconds (one cheap query) and
  calls ``load()`` only when the version changed, so an edit made by any
  process, on any host, through any path that bumps the version, is seen
  everywhere within ``poll`` plus one load;
- if the version has not been read successfully for ``bound`` seconds (store
  down, poller stuck), every origin of the set is refused (fail closed,
  B9.4), logged once per outage; it comes back by itself with the store.

Limits: the set must fit in memory (a million origins is ~100 MB), and a
change reloads all of it, so a store edited many times a second reloads
at most once per ``poll``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from corsguard._engine import log
from corsguard._engine.grammar import is_loopback_host, parse_origin

_NEVER = object()
_EMPTY: frozenset[str] = frozenset()
_WATCH = 0.1
_running: weakref.WeakSet[ListedOrigins] = weakref.WeakSet()
_offline: list[bool] = [False]


@contextlib.contextmanager
def no_reads() -> Iterator[None]:
    """No store is started while inside (``corsguard lint --offline``): listed
    origins are refused without a read."""
    before, _offline[0] = _offline[0], True
    try:
        yield
    finally:
        _offline[0] = before


def offline() -> bool:
    return _offline[0]


class ListedOrigins:
    """A store of allowed origins listed in full, for ``ORIGIN_RESOLVER`` (B14.1).

    ``load()`` returns every allowed origin; ``version()`` returns a value
    that changes whenever the set may have changed. Both run on the poller
    thread only, never on the request path. Values that are not one
    serialized origin are left out (B1.3), and logged once.
    """

    def __init__(
        self,
        load: Callable[[], Iterable[str]],
        version: Callable[[], object],
        *,
        poll: float = 0.5,
        bound: float = 2.0,
        name: str = "listed origins",
    ) -> None:
        if not 0 < poll < bound:
            raise ValueError(f"poll ({poll!r}) must be above 0 and below bound ({bound!r}); e.g. poll=0.5, bound=2")
        self.load = load
        self.version = version
        self.poll = poll
        self.bound = bound
        self.name = name
        # (every listed origin, those eligible with credentials: B9.2), swapped as one.
        self.sets: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        self.loads = 0
        self.polls = 0
        self.fresh_until = 0.0
        self.clock: Callable[[], float] = time.monotonic
        self.loaded = threading.Event()
        self._version: object = _NEVER
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._outages = 0
        self._failing = False
        self._stopped = False
        # Views (one per eligibility rule) read ``allowed``, which only the
        # poller and the watchdog assign: the request path reads no clock.
        self.views: list[Any] = []
        self._publish_lock = threading.Lock()

    def __call__(self, origin: str) -> bool:
        """Listed and fresh: what the policy's resolver view answers."""
        return origin in self.sets[0] and self.fresh_until > self.clock()

    def fresh(self) -> bool:
        return self.fresh_until > self.clock()

    def changed(self) -> None:
        """Poll now (an edit in this process): the poller thread reloads."""
        self._wake.set()

    def stale(self) -> bool:
        """Log, once per outage, that listed origins are being refused; False."""
        log.warn_once(
            f"store:{self.name}:stale:{self._outages}",
            "%s: not confirmed fresh for %g s; its origins are refused until the store answers (B14.3)",
            self.name,
            self.bound,
        )
        return False

    # -- the poller ------------------------------------------------------------

    def start(self) -> ListedOrigins:
        """Start the poller thread of this process (idempotent; restarted
        in a forked child, e.g. a gunicorn worker of a preloaded app)."""
        if _offline[0]:
            return self
        self._stopped = False
        with _start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._spawn()
        return self

    def stop(self) -> None:
        """End this process's poller and watchdog (tests; a shutdown hook).
        The set stays as last loaded and goes stale after ``bound``."""
        self._stopped = True
        self._wake.set()

    def _spawn(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"corsguard-{self.name}", daemon=True)
        self._thread.start()
        threading.Thread(target=self._watch, name=f"corsguard-{self.name}-watchdog", daemon=True).start()
        _running.add(self)

    def attach(self, view: Any) -> None:
        """A view whose ``allowed`` set follows the store (``sets[view.index]``)."""
        self.views.append(view)
        self.publish()

    def publish(self) -> None:
        """Hand the loaded sets to the views while fresh, an empty set once not
        (B14.3). Called by the poller after each answer and by the watchdog."""
        with self._publish_lock:
            fresh = self.fresh_until > self.clock()
            for view in self.views:
                view.allowed = self.sets[view.index] if fresh else _EMPTY

    def _watch(self) -> None:
        """Every 0.1 s: past the bound, refuse, even if the poller hangs in a query."""
        while not self._stopped:
            time.sleep(_WATCH)
            if self.loaded.is_set() and not self.fresh() and any(view.allowed for view in self.views):
                self.publish()
                self.stale()

    def refresh(self) -> bool:
        """One poll: read the version and reload on change. True if fresh."""
        started = self.clock()
        try:
            version = self.version()
            self.polls += 1
            if version != self._version:
                self.sets = _sets(self.load(), self.name)
                self.loads += 1
                self._version = version
        except Exception as exc:
            self._failed(exc)
            return False
        self.fresh_until = started + self.bound
        self.publish()
        self.loaded.set()
        if self._failing:
            self._failing = False
            log.warn_once(f"store:{self.name}:back:{self._outages}", "%s: the store answers again", self.name)
        return True

    def _run(self) -> None:
        while not self._stopped:
            answered = self.refresh()
            # Normally ``poll``; sooner when a slow answer left less freshness
            # than usual, so the set is not emptied between two answers.
            left = self.fresh_until - self.clock() - (self.bound - self.poll)
            self._wake.wait(min(self.poll, max(0.0, left)) if answered else self.poll)
            self._wake.clear()

    def _failed(self, error: BaseException) -> None:
        if not self._failing:
            self._failing = True
            self._outages += 1
        log.warn_once(
            f"store:{self.name}:down:{self._outages}",
            "%s: the store did not answer (%s: %s); listed origins are refused from %g s after the last answer",
            self.name,
            type(error).__name__,
            log.quote(str(error)),
            self.bound,
        )


def _sets(values: Iterable[str], name: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every well-formed value, and those eligible with credentials (B9.2:
    no plain http:// unless loopback)."""
    listed: set[str] = set()
    strict: set[str] = set()
    for value in values:
        parsed = parse_origin(value) if isinstance(value, str) else None
        if parsed is None:
            log.warn_once(
                f"store:{name}:bad:{value!r:.80}",
                "%s: %s is not one serialized origin; skipped",
                name,
                log.quote(str(value)),
            )
            continue
        listed.add(value)
        if parsed[1] == "https" or is_loopback_host(parsed[2]):
            strict.add(value)
    return frozenset(listed), frozenset(strict)


_start_lock = threading.Lock()


def _restart_in_child() -> None:
    """A forked child has no poller thread: start one for each store."""
    # The child has this one thread only: no lock is needed (and the
    # parent's may have been held at the fork).
    for store in list(_running):
        store._thread = None
        store._wake = threading.Event()
        store._publish_lock = threading.Lock()
        loaded, store.loaded = store.loaded.is_set(), threading.Event()
        if loaded:
            store.loaded.set()
        store._spawn()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_restart_in_child)
