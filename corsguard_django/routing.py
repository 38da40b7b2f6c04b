"""Which view a path reaches, and the policy that view declared.

A preflight must be answered before the view runs, yet a decorated view's
policy governs it; so the middleware resolves the path itself, with Django's
own resolver (the same answer routing will give). Resolution runs only when
the URLconf has decorated views, does not touch the request, runs no view
and no middleware, and is cached per path in a bounded LRU.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from corsguard import Decision, PathRules, Policy, PolicyError, Problem
from corsguard.paths import decide
from corsguard_django.decorators import ViewCors, declared_for

# Paths remembered per process; attacker-chosen paths cannot grow it further.
CACHE_SIZE = 2048
# Longer paths are resolved every time rather than kept in the cache.
CACHED_PATH_LENGTH = 1024

Evaluate = Callable[[str, str, "str | None", "str | None", "str | None", "str | None"], Decision]


class _Undecorated:
    """The path reaches no decorated view: the path rules decide."""


UNDECORATED = _Undecorated()
ViewTarget = Policy | None | _Undecorated


class ViewIndex:
    """The decorated views of the root URLconf, each with its derived policy.

    Building it imports the URLconf (as Django's own URL checks do), so every
    ``@cors_policy`` has been validated, and combined with ``base``, before
    the first request: one ``PolicyError`` lists every view's problems.
    """

    def __init__(self, base: Policy, *, append_slash: bool) -> None:
        self._base = base
        self._append_slash = append_slash
        self._resolver = get_resolver()
        self._policies: dict[ViewCors, Policy] = {}
        # (label, policy or None for exempt) of every decorated route, for checks.
        self.declared: list[tuple[str, Policy | None]] = []
        problems: list[Problem] = []
        for route, callback in walk(self._resolver):
            marker = declared_for(callback)
            if marker is None:
                continue
            label = f"@cors_policy on {view_name(callback)} (route {route!r})"
            try:
                self.declared.append((label, None if marker.exempt else self._policy_of(marker)))
            except PolicyError as error:
                problems.extend(problem.within(label) for problem in error.problems)
        if problems:
            raise PolicyError(problems)
        self.active = bool(self.declared)
        self._lookup = lru_cache(maxsize=CACHE_SIZE)(self._resolve)

    def target(self, path: str) -> ViewTarget:
        """The decorated view's policy (``None``: exempt), or ``UNDECORATED``."""
        if len(path) > CACHED_PATH_LENGTH:
            return self._resolve(path)
        return self._lookup(path)

    def evaluate_with(self, rules: PathRules) -> Evaluate:
        """``PathRules.evaluate``, except where the path reaches a decorated view."""
        rules_evaluate = rules.evaluate
        target = self.target

        def evaluate(
            path: str, method: str, origin: str | None, acrm: str | None, acrh: str | None, acrpn: str | None
        ) -> Decision:
            policy = target(path)
            if policy is UNDECORATED:
                return rules_evaluate(path, method, origin, acrm, acrh, acrpn)
            assert policy is None or isinstance(policy, Policy)  # None: @cors_exempt
            return decide(policy, path, method, origin, acrm, acrh, acrpn)

        return evaluate

    def _resolve(self, path: str) -> ViewTarget:
        match = self._match(path)
        if match is None and self._append_slash and not path.endswith("/"):
            # CommonMiddleware redirects to the slashed URL when only that one
            # resolves; the preflight is answered for the view it will reach.
            match = self._match(path + "/")
        marker = None if match is None else declared_for(match)
        if marker is None:
            return UNDECORATED
        return None if marker.exempt else self._policy_of(marker)

    def _match(self, path: str) -> object | None:
        try:
            func: object = self._resolver.resolve(path).func
        except Resolver404:
            return None
        return func

    def _policy_of(self, marker: ViewCors) -> Policy:
        policy = self._policies.get(marker)
        if policy is None:
            assert marker.overrides is not None
            policy = self._base.replace(**marker.overrides)
            self._policies[marker] = policy
        return policy


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
