"""Everything corsguard knows about one app, in ``app.extensions["corsguard"]``.

Compiled at ``init_app`` (and again when a blueprint is registered or new
views appear), so a request only does dictionary lookups: which policy
governs this endpoint, or this path.

Which policy governs a request, most specific first:

1. the view's own ``@cors_exempt`` / ``@cors_policy`` (its overrides apply
   on top of its blueprint's policy, or the app's base settings);
2. the nearest blueprint with ``init_blueprint`` overrides (nested
   blueprints inherit their parent's and add their own);
3. the app's path rules (``CORSGUARD_PATHS``) on the routed path;
4. the app's base settings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from flask import Flask

from corsguard.errors import PolicyError, Problem
from corsguard.paths import PathRules
from corsguard.policy import Policy
from corsguard_flask import routing
from corsguard_flask.markings import blueprint_mark, view_mark

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Endpoint -> its policy (None: exempt). Endpoints without their own policy
# or blueprint policy are absent and fall back to the path rules.
Table = Mapping[str, "Policy | None"]


class AppState:
    """One app's compiled CORS configuration; share between threads freely."""

    def __init__(self, app: Flask, rules: PathRules) -> None:
        self.app = app
        self.rules = rules
        self._table: Table = MappingProxyType({})
        self._compiled_views = -1
        self._lock = threading.Lock()
        self.refresh()

    @property
    def table(self) -> Table:
        return self._table

    def policies(self) -> Iterator[Policy]:
        """Every distinct policy in use: base, path rules, blueprints, views."""
        seen: set[int] = set()
        candidates = [self.rules.policy, *(policy for _, policy in self.rules.rules), *self._table.values()]
        for policy in candidates:
            if policy is not None and id(policy) not in seen:
                seen.add(id(policy))
                yield policy

    # -- compiling ---------------------------------------------------------------

    def refresh(self) -> None:
        """Compile every view's and blueprint's policy; ``PolicyError`` lists every problem."""
        with self._lock:
            count = len(self.app.view_functions)
            self._table = MappingProxyType(compile_table(self.app, self.rules.policy))
            self._compiled_views = count

    def ensure_current(self) -> None:
        """Pick up views registered since the last compile (cheap when there are none).

        Flask has no hook for ``add_url_rule``, so views added after
        ``init_app`` outside an ``init_blueprint`` blueprint are compiled
        here, before the first request that could need them is routed.
        """
        if len(self.app.view_functions) != self._compiled_views:
            self.refresh()

    # -- looking up ---------------------------------------------------------------

    def preflight_policy(self, environ: WSGIEnvironment, path: str, method: str) -> Policy | None:
        """The policy for a preflight announcing ``method``: the view that will serve it decides."""
        if not self._table:
            return self.rules.policy_for(path)
        return self._by_endpoint(routing.endpoint_for(self.app, environ, method), path)

    def response_policy(self, environ: WSGIEnvironment, path: str) -> Policy | None:
        """The policy for a response that is starting, from the view Flask routed to."""
        if not self._table:
            return self.rules.policy_for(path)
        endpoint = routing.routed_endpoint(environ)
        if endpoint is None:
            # Routing failed (404, 405, redirect) or the response started
            # outside Flask's request context: route it ourselves.
            endpoint = routing.endpoint_for(self.app, environ, environ.get("REQUEST_METHOD", "GET"))
        return self._by_endpoint(endpoint, path)

    def _by_endpoint(self, endpoint: str | None, path: str) -> Policy | None:
        if endpoint is not None and endpoint in self._table:
            return self._table[endpoint]
        return self.rules.policy_for(path)


def compile_table(app: Flask, base: Policy) -> dict[str, Policy | None]:
    """Each marked endpoint's policy, and each endpoint of a marked blueprint's."""
    problems: list[Problem] = []
    blueprints = _blueprint_policies(app, base, problems)
    table: dict[str, Policy | None] = {}
    for endpoint, view in app.view_functions.items():
        inherited = _nearest(blueprints, endpoint.rpartition(".")[0])
        mark = view_mark(view)
        if mark is not None:
            try:
                table[endpoint] = mark.apply(base if inherited is None else inherited)
            except PolicyError as error:
                problems.extend(problem.within(f"@cors_policy({endpoint})") for problem in error.problems)
        elif inherited is not None:
            table[endpoint] = inherited
    if problems:
        raise PolicyError(problems)
    return table


def _blueprint_policies(app: Flask, base: Policy, problems: list[Problem]) -> dict[str, Policy]:
    """Registered blueprint name (``parent.child``) -> its policy, parents first."""
    policies: dict[str, Policy] = {}
    for name in sorted(app.blueprints, key=lambda registered: registered.count(".")):
        mark = blueprint_mark(app.blueprints[name])
        if mark is None:
            continue
        inherited = _nearest(policies, name.rpartition(".")[0]) or base
        try:
            policy = mark.apply(inherited)
        except PolicyError as error:
            problems.extend(problem.within(f"init_blueprint({name})") for problem in error.problems)
            continue
        if policy is not None:
            policies[name] = policy
    return policies


def _nearest(policies: Mapping[str, Policy], blueprint: str) -> Policy | None:
    """The policy of ``blueprint`` or of its nearest ancestor (names are dotted)."""
    while blueprint:
        if blueprint in policies:
            return policies[blueprint]
        blueprint = blueprint.rpartition(".")[0]
    return None
