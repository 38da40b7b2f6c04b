"""Which view a path reaches, and what that view declared.

A preflight must be answered before the view runs, yet a declared view's
policy governs it; so the middleware resolves the path itself, with Django's
own resolver (the same answer routing will give). Resolution runs only when
the URLconf has declared views, does not touch the request, runs no view
and no middleware, and is cached per path in a bounded LRU. What the
declaration means is the core's business (``corsguard._pipeline.pipeline``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.utils import translation

from corsguard import PolicyError, Problem, RequestFacts
from corsguard._engine.policy import Policy
from corsguard._pipeline.declarations import Declaration
from corsguard._pipeline.pipeline import Pipeline
from corsguard._pipeline.reach import Reach, reach

# Paths remembered per process; attacker-chosen paths cannot grow it further.
CACHE_SIZE = 2048
# Longer paths are resolved every time rather than kept in the cache.
CACHED_PATH_LENGTH = 1024


class ViewIndex:
    """The declared views of the root URLconf.

    Building it imports the URLconf (as Django's own URL checks do) and
    derives every declared view's policy, so each ``@cors_policy`` has been
    checked against the project's settings before the first request: one
    ``PolicyError`` lists every view's problems.
    """

    def __init__(self, pipeline: Pipeline, *, append_slash: bool) -> None:
        self._append_slash = append_slash
        self._resolver = get_resolver()
        # (label, policy or None for exempt) of every declared route, for the checks.
        self.declared: list[tuple[str, Policy | None]] = []
        # What every declaration was found on, and the modules of routed views (E007, B13.2).
        self.reached: list[Any] = []
        # What each routed callback declares, by id (the URLconf keeps them
        # alive): a path the LRU has not seen costs one resolve, not a new walk.
        self._reaches: dict[int, Reach | None] = {}
        self.modules: set[str] = set()
        problems: list[Problem] = []
        for route, callback in walk(self._resolver):
            label = f"@cors_policy on {view_name(callback)} (route {route!r})"
            self.modules.add(getattr(getattr(callback, "view_class", None) or callback, "__module__", ""))
            try:
                found = self._reaches[id(callback)] = reach(callback)
                if found is None:
                    continue
                self.reached.extend(found.sources)
                self.modules.update(getattr(source, "__module__", "") for source in found.sources)
                self.declared.extend((label, pipeline.derived(d)) for d in found.declarations())
            except PolicyError as error:
                problems.extend(problem.within(label) for problem in error.problems)
        if problems:
            raise PolicyError(problems)
        self.active = bool(self.declared)
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._resolve)

    def declaration_for(self, facts: RequestFacts) -> Declaration | None:
        """The ``pipeline.Lookup`` for Django: by the path Django routes on,
        for the method a preflight announces or the request's own (B13.1)."""
        path = facts.path
        found = self._resolve(path) if len(path) > CACHED_PATH_LENGTH else self._cached(path)
        if found is None:
            return None
        return found.for_method(facts.acrm if facts.method == "OPTIONS" and facts.acrm else facts.method)

    def _resolve(self, path: str) -> Reach | None:
        match = self._match(path)
        if match is None and self._append_slash and not path.endswith("/"):
            # CommonMiddleware redirects to the slashed URL when only that one
            # resolves; the preflight is answered for the view it will reach.
            match = self._match(path + "/")
        if match is None:
            return None
        key = id(match)
        return self._reaches[key] if key in self._reaches else reach(match)

    def _match(self, path: str) -> object | None:
        # B13.3: i18n_patterns match under the active language, and this runs
        # before LocaleMiddleware; resolve under the language the path names
        # (or the default one), never the one a previous request left behind.
        language = translation.get_language_from_path(path) if settings.USE_I18N else None
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                func: object = self._resolver.resolve(path).func
        except Resolver404:
            return None
        return func


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every (route, view callback) of a URLconf, includes flattened."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def view_name(callback: Any) -> str:
    """A view's dotted name, the class's for class-based views."""
    target = getattr(callback, "view_class", callback)
    module = getattr(target, "__module__", "?")
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"
