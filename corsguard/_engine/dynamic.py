"""Origins decided at run time by the application's resolver (B9).

A ``Resolver`` wraps the application's callable with what makes it safe on
the request path: two bounded caches (allowed answers for ``ttl`` seconds,
refusals for the shorter ``negative_ttl``, each table evicting only its
own kind, so a flood of unknown origins never pushes out a tenant), a call
budget per interval, a timeout, and failure meaning refusal. Resolvers with
the same callable and the same limits share one instance, so every policy
derived from a configuration (path rules, per-view declarations) shares its
cache and its budget.

Lookups read plain dicts without a lock (atomic under the GIL); calls run
on a small thread pool (sync callables) or an event loop (async ones), so a
hung database costs a request at most ``timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import itertools
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Union

from corsguard._engine import log

ResolverFunction = Callable[[str], Union[bool, Awaitable[bool]]]

# Answers of the last call per origin, for explanations: "allowed", "refused",
# "failed: ...", "over budget".
_OVER_BUDGET = "over budget"


@dataclass(frozen=True)
class Limits:
    ttl: float = 300.0
    negative_ttl: float = 30.0
    cache_size: int = 4096
    calls: int = 100
    call_interval: float = 10.0
    timeout: float = 2.0


class _Budget:
    """At most ``calls`` per ``interval``; counters safe without a lock."""

    def __init__(self, calls: int, interval: float) -> None:
        self.calls = calls
        self.interval = interval
        self.window_end = 0.0
        self.used = itertools.count()

    def take(self, now: float) -> bool:
        if now >= self.window_end:
            self.window_end = now + self.interval
            self.used = itertools.count()
        return next(self.used) < self.calls


class Resolver:
    """One application resolver with its caches, budget and timeout."""

    def __init__(self, function: ResolverFunction, limits: Limits) -> None:
        self.function = function
        self.limits = limits
        self.is_async = inspect.iscoroutinefunction(function)
        self.name = getattr(function, "__qualname__", repr(function))
        self._allowed: dict[str, float] = {}
        self._refused: dict[str, float] = {}
        self._last: dict[str, str] = {}
        self._budget = _Budget(limits.calls, limits.call_interval)
        # B14.4: renewals of answers that were "allowed" draw on a budget of
        # their own, which a flood of never-allowed origins cannot spend.
        self._renewals = _Budget(limits.calls, limits.call_interval)
        # Calls made (an estimate under threads: for reports, never decisions).
        self.calls_made = 0
        self.clock: Callable[[], float] = time.monotonic

    # -- lookups -----------------------------------------------------------

    def cached_allow(self, origin: str) -> bool:
        """A live allowed answer, without any other work (the hot path)."""
        expiry = self._allowed.get(origin)
        return expiry is not None and expiry > self.clock()

    def cached(self, origin: str) -> bool | None:
        """The live cached answer for ``origin``, or None when there is none."""
        now = self.clock()
        expiry = self._allowed.get(origin)
        if expiry is not None and expiry > now:
            return True
        expiry = self._refused.get(origin)
        if expiry is not None and expiry > now:
            return False
        return None

    def explain(self, origin: str) -> str:
        """What the resolver last said about ``origin`` ("" if never asked)."""
        return self._last.get(origin[:300], "")

    def forget(self, origin: str | None = None) -> None:
        """Drop cached answers (all of them, or one origin's): call it when
        the data behind the resolver changes."""
        if origin is None:
            self._allowed.clear()
            self._refused.clear()
        else:
            self._allowed.pop(origin, None)
            self._refused.pop(origin, None)

    # -- resolving -----------------------------------------------------------

    def resolve(self, origin: str) -> bool:
        """The answer for an eligible origin, calling the resolver if needed
        (sync adapters). Never raises; failure and timeout mean False."""
        answer = self.cached(origin)
        if answer is not None:
            return answer
        if _in_event_loop():
            # Called from async code: a blocking call would stall every request
            # of the loop; the ASGI adapter resolves with resolve_async first.
            return False
        if not self._take(origin):
            return self._over_budget(origin)
        future = _executor().submit(self._call_sync, origin)
        try:
            allowed = future.result(timeout=self.limits.timeout)
        except concurrent.futures.TimeoutError:
            return self._failed(origin, TimeoutError(f"no answer within {self.limits.timeout:g} s"))
        except Exception as exc:
            return self._failed(origin, exc)
        return self._store(origin, allowed)

    async def resolve_async(self, origin: str) -> bool:
        """The same for the ASGI adapter: the event loop is never blocked."""
        answer = self.cached(origin)
        if answer is not None:
            return answer
        if not self._take(origin):
            return self._over_budget(origin)
        try:
            if self.is_async:
                result = await asyncio.wait_for(self.function(origin), self.limits.timeout)  # type: ignore[arg-type]
            else:
                result = await asyncio.wait_for(asyncio.to_thread(self._call_sync, origin), self.limits.timeout)
        except Exception as exc:  # TimeoutError included
            return self._failed(origin, exc)
        return self._store(origin, result)

    def _take(self, origin: str) -> bool:
        """A call from the renewal budget for an origin last answered "allowed"
        (its entry expired), else from the budget every unknown origin shares."""
        budget = self._renewals if origin in self._allowed else self._budget
        return budget.take(self.clock())

    def _call_sync(self, origin: str) -> Any:
        if self.is_async:
            return asyncio.run_coroutine_threadsafe(self.function(origin), _loop()).result()  # type: ignore[arg-type]
        return self.function(origin)

    def _store(self, origin: str, result: object) -> bool:
        self.calls_made += 1
        if not isinstance(result, bool):
            return self._failed(origin, TypeError(f"returned {type(result).__name__}, not True or False"))
        if not result:
            self._allowed.pop(origin, None)  # revoked: no longer renewed from the renewal budget
        table, ttl = (self._allowed, self.limits.ttl) if result else (self._refused, self.limits.negative_ttl)
        _put(table, origin, self.clock() + ttl, self.limits.cache_size)
        _put(self._last, origin[:300], "allowed" if result else "refused", self.limits.cache_size)
        return result

    def _failed(self, origin: str, error: BaseException) -> bool:
        """B9.4: refused, logged once per kind of error, cached as a refusal."""
        self.calls_made += 1
        log.warn_once(
            f"resolver:{self.name}:{type(error).__name__}",
            "ORIGIN_RESOLVER %s failed (%s: %s); its origins are refused until it answers again",
            self.name,
            type(error).__name__,
            log.quote(str(error)),
            exc_info=error if not isinstance(error, TimeoutError) else False,
        )
        _put(self._refused, origin, self.clock() + self.limits.negative_ttl, self.limits.cache_size)
        _put(self._last, origin[:300], f"failed: {type(error).__name__}", self.limits.cache_size)
        return False

    def _over_budget(self, origin: str) -> bool:
        """B9.3: refused without a call and not cached: it is asked again later."""
        _put(self._last, origin[:300], _OVER_BUDGET, self.limits.cache_size)
        return False


def _put(table: dict[str, Any], key: str, value: Any, size: int) -> None:
    """Insert, evicting the oldest entries of this table only when full."""
    if key not in table:
        while len(table) >= size:
            try:
                del table[next(iter(table))]
            except (StopIteration, KeyError, RuntimeError):  # another thread got there first
                break
    table[key] = value


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_shared: dict[tuple[Any, ...], Resolver] = {}
_lock = threading.Lock()


def shared(function: ResolverFunction, limits: Limits, eligibility: tuple[bool, bool]) -> Resolver:
    """The one ``Resolver`` for this callable, these limits and these
    eligibility rules (credentials, insecure switch): policies that agree on
    all three share a cache, since every cached answer is valid for each."""
    key = (function, limits, eligibility)
    with _lock:
        resolver = _shared.get(key)
        if resolver is None:
            resolver = _shared[key] = Resolver(function, limits)
        return resolver


def forget(function: ResolverFunction, origin: str | None = None) -> None:
    """Drop the cached answers of every resolver built on ``function``."""
    with _lock:
        resolvers = [resolver for key, resolver in _shared.items() if key[0] is function]
    for resolver in resolvers:
        resolver.forget(origin)


_pool: list[concurrent.futures.ThreadPoolExecutor] = []
_loops: list[asyncio.AbstractEventLoop] = []


def _executor() -> concurrent.futures.ThreadPoolExecutor:
    """Threads for sync resolver calls, so a timeout can be enforced."""
    with _lock:
        if not _pool:
            _pool.append(concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="corsguard-resolver"))
        return _pool[0]


def _loop() -> asyncio.AbstractEventLoop:
    """An event loop on a thread of its own, for async resolvers called from
    sync adapters."""
    with _lock:
        if not _loops:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="corsguard-resolver-loop", daemon=True).start()
            _loops.append(loop)
        return _loops[0]
