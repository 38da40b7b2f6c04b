"""A policy's view of a ``ListedOrigins`` store, behind the resolver API (B14).

The matcher asks a ``Resolver`` (B9); this one answers from the store's
in-memory sets and never calls anything on the request path. Policies that
allow credentials read the set of origins eligible with credentials (B9.2),
so a listed ``http://`` origin is refused there exactly as a static one is.
"""

from __future__ import annotations

import asyncio

from corsguard._engine.dynamic import Limits, Resolver
from corsguard._engine.origin_store import ListedOrigins, offline


class ListedResolver(Resolver):
    def __init__(self, store: ListedOrigins, strict: bool) -> None:
        super().__init__(store, Limits())
        self.store = store
        self.index = 1 if strict else 0
        self.name = store.name
        # Assigned by the store: its set while fresh, empty once not (B14.3).
        self.allowed: frozenset[str] = frozenset()
        store.attach(self)
        store.start()

    def cached_allow(self, origin: str) -> bool:
        """The hot path: one set probe, no clock, no lock, no call (B14.2)."""
        return origin in self.allowed

    def cached(self, origin: str) -> bool | None:
        """An answer whenever the store has loaded once; None before, so an
        async adapter awaits ``resolve_async``, which waits for the load."""
        if not self.store.loaded.is_set():
            return None
        return self.cached_allow(origin) or (not self.store.fresh() and self.store.stale())

    def resolve(self, origin: str) -> bool:
        """No call is ever made: a miss is a refusal (a flood costs nothing).
        Only before the first load does it wait for it, at most ``bound``."""
        store = self.store
        if not store.loaded.is_set():
            if _in_event_loop() or offline():
                return False
            store.loaded.wait(store.bound)
        if self.cached_allow(origin):
            return True
        return not store.fresh() and store.stale()

    async def resolve_async(self, origin: str) -> bool:
        if not self.store.loaded.is_set():
            await asyncio.to_thread(self.store.loaded.wait, self.store.bound)
        if self.cached_allow(origin):
            return True
        return not self.store.fresh() and self.store.stale()

    def explain(self, origin: str) -> str:
        store = self.store
        if offline():
            return f"{store.name} not read (offline)"
        if not store.fresh():
            return f"{store.name} not confirmed fresh within {store.bound:g} s: refused until it answers (B14.3)"
        if origin in self.allowed:
            return "allowed"
        if origin in store.sets[0]:
            return f"listed in {store.name} but plain http:// is refused with credentials (B9.2)"
        return f"not listed in {store.name}"

    def forget(self, origin: str | None = None) -> None:
        self.store.changed()


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_views: dict[tuple[int, bool], ListedResolver] = {}


def listed(store: ListedOrigins, strict: bool) -> ListedResolver:
    """One view per store and eligibility, shared by every policy (like ``dynamic.shared``)."""
    key = (id(store), strict)
    view = _views.get(key)
    if view is None or view.store is not store:
        view = _views[key] = ListedResolver(store, strict)
    store.start()  # a view made while offline (corsguard lint --offline) had not started it
    return view
