"""Which view a path reaches, and what that view declared.

A preflight must be answered before the view runs, yet a declared view's
policy governs it; so the middleware resolves the path itself, with Django's
own resolver (the same answer routing will give). Resolution runs only when
the URLconf has declared views, does not touch the request, runs no view
and no middleware, and is cached per path in a bounded LRU. What the
declaration means is the core's business (``corsguard.pipeline``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from corsguard import PolicyError, Problem, RequestFacts
from corsguard.declarations import Declaration, declared
from corsguard.pipeline import Pipeline
from corsguard.policy import Policy

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
        problems: list[Problem] = []
        for route, callback in walk(self._resolver):
            label = f"@cors_policy on {view_name(callback)} (route {route!r})"
            try:
                declaration = declared(callback)
                if declaration is not None:
                    self.declared.append((label, pipeline.derived(declaration)))
            except PolicyError as error:
                problems.extend(problem.within(label) for problem in error.problems)
        if problems:
            raise PolicyError(problems)
        self.active = bool(self.declared)
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._resolve)

    def declaration_for(self, facts: RequestFacts) -> Declaration | None:
        """The ``pipeline.Lookup`` for Django: by the path Django routes on."""
        path = facts.path
        if len(path) > CACHED_PATH_LENGTH:
            return self._resolve(path)
        return self._cached(path)

    def _resolve(self, path: str) -> Declaration | None:
        match = self._match(path)
        if match is None and self._append_slash and not path.endswith("/"):
            # CommonMiddleware redirects to the slashed URL when only that one
            # resolves; the preflight is answered for the view it will reach.
            match = self._match(path + "/")
        return None if match is None else declared(match)

    def _match(self, path: str) -> object | None:
        try:
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
