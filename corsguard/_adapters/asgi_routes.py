"""Per-route policies for Starlette and FastAPI, found without importing either (B3.5).

``@cors_policy(**overrides)`` and ``@cors_exempt`` attach the core's
``Declaration`` to the endpoint function (or endpoint class) itself: FastAPI
and Starlette register that very object, so the decorators work above or
below ``@app.get(...)`` and survive ``functools.wraps``.

Two moments need the route behind a request:

- a preflight, answered before routing: it is governed by the route that
  will serve the request it announces, so the app's routes are matched here
  with the announced method, the way the framework's router matches them
  (the first full match, else the first that differs only by method, which
  the router answers with 405; mounts, hosts and included routers followed;
  ``redirect_slashes`` tried as the router tries it);
- any other response, after routing: the router has put the endpoint it
  chose in ``scope["endpoint"]``.

Everything here is duck-typed on what Starlette's routing exposes:
``route.matches(scope)`` returning a ``Match`` (by name) and a child scope
with ``endpoint``; ``routes`` lists on routers and mounts; and, for FastAPI
routers added with ``include_router`` (which FastAPI keeps as one entry that
does not name its endpoint), the entry's ``effective_route_contexts()``.
A route none of these can resolve is governed by the path rules.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any, TypeVar

from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.facts import RequestFacts
from corsguard._pipeline.declarations import EXEMPT, Declaration, attach, declare, declared
from corsguard._pipeline.layers import INNER, has_layer
from corsguard._pipeline.pipeline import Lookup, Pipeline
from corsguard._pipeline.reach import Reach, reach

View = TypeVar("View", bound=Callable[..., Any])
Scope = MutableMapping[str, Any]

# How far mounts, included routers and wrapping middleware are followed.
MAX_DEPTH = 16
# Attributes under which ASGI middleware keep the app they wrap.
_WRAPPED = ("app", "_app", "application", "asgi_app", "inner", "_inner")

# Routes declared with these decorators, so a middleware can say which
# declarations it cannot honour (B13.2, ``corsguard._adapters.asgi_reports``).
declared_routes: weakref.WeakSet[Any] = weakref.WeakSet()


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """This route's own CORS policy: the middleware's settings with
    ``overrides`` (``Policy`` keyword arguments), for its preflights too.
    ``PolicyError`` at decoration time when the overrides are wrong in
    themselves; their combination with the settings is checked when the
    middleware is built."""
    declaration = declare(**overrides)

    def decorate(view: View) -> View:
        attach(view, declaration)
        declared_routes.add(view)
        return view

    return decorate


def cors_exempt(view: View) -> View:
    """No CORS on this route: no headers, and its preflights reach it like any OPTIONS."""
    attach(view, EXEMPT)
    declared_routes.add(view)
    return view


def app_root_path(app: object) -> str:
    """The ``root_path`` a wrapped app forces on every scope (the deprecated
    ``FastAPI(root_path=...)``), so this layer judges the path the app routes on."""
    for _ in range(MAX_DEPTH):
        if app is None:
            return ""
        root = getattr(app, "root_path", None)
        if isinstance(root, str) and root:
            return root
        app = next((inner for name in _WRAPPED if (inner := getattr(app, name, None)) is not None), None)
    return ""


def find_router(app: object) -> Any | None:
    """The router behind ``app``: a Starlette or FastAPI app's ``router``, a
    router itself, or either behind middleware that keeps it as ``.app``
    (or ``._app``, ``.application`` ...)."""
    for _ in range(MAX_DEPTH):
        if app is None:
            return None
        router = getattr(app, "router", None)
        if isinstance(getattr(router, "routes", None), list):
            return router
        if isinstance(getattr(app, "routes", None), list):
            return app
        app = next((inner for name in _WRAPPED if (inner := getattr(app, name, None)) is not None), None)
    return None


class Routes:
    """One app's routes, as far as CORS needs them: which declare a policy."""

    def __init__(self, router: Any, root_path: str = "") -> None:
        self._router = router
        # FastAPI(root_path=...) sets the scope's root_path itself, after this layer.
        self.root_path = root_path
        self._routes: list[Any] = router.routes
        # Every route list found (the app's, mounted routers'), with its length
        # then: one that grew or shrank means routes were added (B13.2).
        self._watched: list[tuple[list[Any], int]] = []
        self.declarations: dict[Declaration, str] = {}
        self.endpoints: list[Any] = []
        self._reaches: dict[int, Reach] = {}
        # Whether a route declares its own ORIGIN_RESOLVER (B9.1).
        self.resolving = False
        self.refresh()

    @classmethod
    def of(cls, app: object) -> Routes | None:
        router = find_router(app)
        return None if router is None else cls(router, app_root_path(app))

    def refresh(self) -> None:
        """Find every declaration (routes added since are found on the next request)."""
        watched: list[list[Any]] = [self._routes]
        found: dict[Declaration, str] = {}
        self.endpoints = list(_endpoints(self._routes, 0, watched))
        # B13.1: per endpoint (kept alive by ``endpoints``, so ids are stable), per method.
        reaches: dict[int, Reach] = {}
        for endpoint in self.endpoints:
            if (known := reach(endpoint)) is not None:
                reaches[id(endpoint)] = known
                for declaration in known.declarations():
                    found.setdefault(declaration, getattr(endpoint, "__qualname__", repr(endpoint)))
        self._reaches = reaches
        self.declarations = found
        self._watched = [(routes, len(routes)) for routes in watched]
        self.resolving = any(declaration.overrides.get("origin_resolver") for declaration in found)

    def declares(self) -> bool:
        """Whether some route declares a policy; cheap when no route was added."""
        # A loop, not any(<generator>): this runs on every request.
        for routes, count in self._watched:
            if len(routes) != count:
                self.refresh()
                break
        return bool(self.declarations)

    def check(self, pipeline: Pipeline) -> None:
        """Derive every declaration on ``pipeline`` now: ``PolicyError`` lists each clash."""
        problems: list[Problem] = []
        for declaration, where in self.declarations.items():
            try:
                pipeline.derived(declaration)
            except PolicyError as error:
                problems.extend(problem.within(f"@cors_policy({where})") for problem in error.problems)
        if problems:
            raise PolicyError(problems)

    def declared_for(self, endpoint: Any, method: str) -> Declaration | None:
        """What ``endpoint`` declares for ``method`` (an endpoint class's ``put``)."""
        known = self._reaches.get(id(endpoint)) if endpoint is not None else None
        return declared(endpoint) if known is None else known.for_method(method)

    def before_routing(self, scope: Scope, method: str | None) -> Lookup:
        """The declaration of the route that will serve ``scope`` (with
        ``method`` instead of the scope's, for a preflight)."""

        def lookup(facts: RequestFacts) -> Declaration | None:
            probe = dict(scope)
            if method is not None:
                probe["method"] = method
            if self.root_path:
                probe["root_path"] = self.root_path
            return self.declared_for(endpoint_for(self._router, probe, 0), method or facts.method)

        return lookup

    def after_routing(self, scope: Scope) -> Lookup:
        """The declaration of the endpoint the router chose; when nothing
        routed the request (an auth or rate-limit middleware, a cache, a
        ``redirect_slashes`` redirect answered first), the route the router
        would have chosen, as for its preflight: one request, one governing
        declaration (B13.1)."""
        before = dict(scope)  # the scope as it arrived, before mounts rewrite it
        if self.root_path:
            before["root_path"] = self.root_path

        def lookup(facts: RequestFacts) -> Declaration | None:
            endpoint = scope.get("endpoint")
            if endpoint is None:
                endpoint = endpoint_for(self._router, before, 0)
            # A mounted WSGI app leaves its adapter as the endpoint (B13.4).
            return EXEMPT if endpoint is not None and has_layer(endpoint) else self.declared_for(endpoint, facts.method)

        return lookup


def endpoint_for(router: Any, scope: Scope, depth: int) -> Any | None:
    """The endpoint ``router`` would hand ``scope`` to, or None."""
    found = _match(router.routes, scope, depth)
    if found is not None or not getattr(router, "redirect_slashes", False) or scope.get("type") != "http":
        return found
    path = scope.get("path", "")
    if path in ("", "/") or not isinstance(path, str):
        return None
    toggled = dict(scope)
    toggled["path"] = path.rstrip("/") if path.endswith("/") else path + "/"
    return _match(router.routes, toggled, depth)


def _match(routes: Iterable[Any], scope: Scope, depth: int) -> Any | None:
    partial: tuple[Any, Scope] | None = None
    for route in routes:
        match, child = route.matches(scope)
        name = getattr(match, "name", "")
        if name == "FULL":
            return _inside(route, child, scope, depth)
        if name == "PARTIAL" and partial is None:
            partial = (route, child)
    return None if partial is None else _inside(*partial, scope, depth)


def _inside(route: Any, child: Scope, scope: Scope, depth: int) -> Any | None:
    """The endpoint a matched route leads to: its own, or the one inside
    what it mounts or includes, matched with the child scope (a mount's
    ``root_path``)."""
    if depth >= MAX_DEPTH:
        return None
    inner = {**scope, **child}
    if has_layer(getattr(route, "app", None)):
        return INNER  # B13.4: the mounted app's own corsguard layer decides
    contexts = getattr(route, "effective_route_contexts", None)
    if callable(contexts):
        return _match(list(contexts()), inner, depth + 1)
    endpoint = child.get("endpoint")
    nested = find_router(endpoint) if endpoint is getattr(route, "app", None) else None
    if nested is not None:
        return endpoint_for(nested, inner, depth + 1)
    return endpoint


def _endpoints(routes: Iterable[Any], depth: int, watched: list[list[Any]]) -> Iterable[Any]:
    """Every endpoint reachable from ``routes``."""
    if depth >= MAX_DEPTH:
        return
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            included = getattr(getattr(route, "original_router", None), "routes", None)
            if isinstance(included, list):
                watched.append(included)  # routes added to an included router later
            yield from _endpoints(contexts(), depth + 1, watched)
            continue
        if has_layer(getattr(route, "app", None)):
            yield INNER
            continue
        endpoint = getattr(route, "endpoint", None)
        original = getattr(route, "original_route", None)
        if endpoint is None and original is not None:
            endpoint = getattr(original, "endpoint", None)
        if endpoint is not None:
            yield endpoint
        nested = find_router(getattr(route, "app", None))
        if nested is not None:
            watched.append(nested.routes)
            yield from _endpoints(nested.routes, depth + 1, watched)
