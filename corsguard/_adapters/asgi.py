"""An ASGI middleware: corsguard in front of any ASGI application (FastAPI,
Starlette, Django's ASGI handler, a bare ASGI callable).

It answers preflights itself (B3.2), before routing, dependencies and
authentication ever see them, and adds its headers to every other response
in ``http.response.start``, the one message every response passes, without
touching the body messages: streams and server-sent events keep streaming.
``lifespan`` and any other scope type pass through untouched; WebSocket
handshakes are checked only when asked to (B10).

Path rules see the scope's path below ``root_path``, slashes merged (B3.4),
so the middleware on a mounted sub-application judges the paths that
sub-application routes on. Per-route ``@cors_policy`` / ``@cors_exempt``
on Starlette and FastAPI routes are found by ``corsguard._adapters.asgi_routes``.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NamedTuple

from corsguard._adapters.asgi_messages import Message, Send, answer, applying, started
from corsguard._adapters.asgi_reports import report_unreached, unrouted
from corsguard._adapters.asgi_routes import Routes, app_root_path, cors_exempt, cors_policy
from corsguard._adapters.wsgi import pipeline_for, warn_if_nothing_allowed
from corsguard._engine.decision import NOT_CORS, PREFLIGHT, Decision
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.facts import RequestFacts, merged_slashes
from corsguard._engine.policy import Policy
from corsguard._engine.sources import PREFIX, Invalid, parse_value
from corsguard._pipeline import config, layers
from corsguard._pipeline.paths import PathRules, RuleSpec
from corsguard._pipeline.pipeline import Lookup, Pipeline

__all__ = ["CorsMiddleware", "cors_exempt", "cors_policy", "routed_path"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Read on every request: a module global, not the module attribute.
LAYERS = layers.KEY

# RFC 6455 7.4.1: 1008, the endpoint refuses a message that violates its policy.
POLICY_VIOLATION = 1008


class _Setup(NamedTuple):
    """What a request reads, swapped as one value by ``reconfigure`` (B9.5)."""

    pipeline: Pipeline
    check_websocket_origin: bool
    # Whether a policy in force has an ORIGIN_RESOLVER: only then is deciding
    # awaited (B9.1); otherwise it is a plain call.
    resolving: bool = False
    # ``pipeline.needs_path``, read per request, so copied here once: the
    # property call costs ~670 instructions of a ~45,000-instruction GET.
    needs_path: bool = True


def _setup(policy: Policy | PathRules | None, paths: RuleSpec | None, websocket: bool | None) -> _Setup:
    """Without a policy the settings, CHECK_WEBSOCKET_ORIGIN included, come
    from ``CORSGUARD_*`` environment variables over the arguments (B2.4)."""
    if policy is None:
        mapping: dict[str, object] = {}
        if paths is not None:
            mapping["PATHS"] = paths
        if websocket is not None:
            mapping["CHECK_WEBSOCKET_ORIGIN"] = websocket
        configuration = config.load(mapping, environ=os.environ)
        configuration.activate()
        warn_if_nothing_allowed(configuration.pipeline)
        return _Setup(configuration.pipeline, configuration.check_websocket_origin)
    if websocket is None:
        websocket = _websocket_from_environment()
    if websocket is not None and not isinstance(websocket, bool):
        raise PolicyError(
            [Problem("check_websocket_origin", websocket, "must be True or False.", "write True or False.")]
        )
    return _Setup(pipeline_for(policy, paths), websocket is True)


def _websocket_from_environment() -> bool | None:
    """``CORSGUARD_CHECK_WEBSOCKET_ORIGIN`` also applies when a ``Policy`` is
    passed (B10.1); an unreadable value is refused like any setting."""
    raw = os.environ.get(PREFIX + "CHECK_WEBSOCKET_ORIGIN")
    if raw is None:
        return None
    value = parse_value("bool", raw.strip())
    if isinstance(value, Invalid):
        raise PolicyError([Problem(PREFIX + "CHECK_WEBSOCKET_ORIGIN", raw, value.message, value.hint)])
    return bool(value)


def routed_path(scope: Scope, forced_root: str = "") -> str:
    """B3.4: the scope's path below ``root_path`` (as Starlette routes on
    it), one leading slash, runs of slashes merged. ``forced_root``: the
    ``root_path`` the wrapped app sets on the scope itself (B13.4)."""
    path = scope.get("path", "")
    root = forced_root or scope.get("root_path", "")
    if not isinstance(path, str):
        return repr(path)
    if root and isinstance(root, str) and path.startswith(root):
        rest = path[len(root) :]
        if not rest or rest[0] == "/":
            path = rest
    return merged_slashes(path)


def _raw_path(scope: Scope) -> str:
    """The scope's path as it is, for logs only (see ``corsguard._engine.facts.raw_path``)."""
    path = scope.get("path", "")
    return path if isinstance(path, str) else repr(path)


class CorsMiddleware:
    """Wrap an ASGI application: ``app = CorsMiddleware(app, policy)``, or
    ``app.add_middleware(CorsMiddleware, policy=policy)`` in FastAPI and
    Starlette.

    ``paths`` takes path rules (see ``PathRules``); ``policy`` may also be a
    ready ``PathRules``, or None to read the settings from the environment.
    ``check_websocket_origin=True`` refuses WebSocket handshakes from origins
    the policy does not allow (B10).
    """

    # B13.4: an outer corsguard layer sees this one behind a mount and steps aside.
    corsguard_layer = True

    def __init__(
        self,
        app: ASGIApp,
        policy: Policy | PathRules | None = None,
        paths: RuleSpec | None = None,
        *,
        check_websocket_origin: bool | None = None,
    ) -> None:
        # Public, as Starlette's middleware keep it: what wraps this can find the router behind it.
        layers.refuse_stacked(app, "corsguard._adapters.asgi.CorsMiddleware")
        self.app = app
        self._routes = Routes.of(app)
        self._root_path = app_root_path(app)
        if self._routes is None:
            unrouted(app)
        else:
            report_unreached(self._routes)
        self._install(_setup(policy, paths, check_websocket_origin))

    @property
    def pipeline(self) -> Pipeline:
        return self._setup.pipeline

    @property
    def routes(self) -> Routes | None:
        """The routes behind this layer and what they declare (None: no router found)."""
        return self._routes

    @property
    def check_websocket_origin(self) -> bool:
        return self._setup.check_websocket_origin

    def reconfigure(
        self,
        policy: Policy | PathRules | None = None,
        paths: RuleSpec | None = None,
        *,
        check_websocket_origin: bool | None = None,
    ) -> None:
        """Swap in a new policy at once (B9.5): every route's declaration is
        derived on it first, so ``PolicyError`` leaves the old one in place.
        Requests under way finish under the policy they started with: each
        reads the setup once, and the swap is one assignment."""
        self._install(_setup(policy, paths, check_websocket_origin))

    def _install(self, setup: _Setup) -> None:
        if self._routes is not None:
            self._routes.check(setup.pipeline)
        resolving = any(policy.settings.origin_resolver is not None for policy in setup.pipeline.policies())
        self._setup = setup._replace(resolving=resolving, needs_path=setup.pipeline.needs_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket" and self._setup.check_websocket_origin:
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        setup = self._setup  # read once: a reconfigure() mid-request does not affect it
        facts = RequestFacts.from_scope(
            scope, routed_path(scope, self._root_path) if setup.needs_path else _raw_path(scope)
        )
        routes = self._routes
        if routes is None or not routes.declares():
            # No route declares a policy, and no mount has a corsguard layer of
            # its own: the request is decided before the app runs; a plain
            # call unless a resolver must be awaited.
            outer = scope.get(LAYERS)
            if outer is not None:
                # B13.4: inside an outer corsguard layer, which must see this one.
                scope[LAYERS] = outer + 1 if type(outer) is int else 1
            pipeline = setup.pipeline
            decision = await pipeline.decide_async(facts) if setup.resolving else pipeline.decide(facts)
            if decision.kind is PREFLIGHT:
                await answer(decision, send)
                return
            # Anything else, a preflight on a path where CORS is off included,
            # goes to the app.
            if decision.headers or decision.vary:
                send = applying(send, decision, facts.path)
            await self.app(scope, receive, send)
            return
        if facts.kind is PREFLIGHT:
            # Governed by the route that will serve the method it announces (B3.5).
            decision = await self._decide(setup, facts, routes.before_routing(scope, facts.acrm))
            if decision.kind is PREFLIGHT:
                await answer(decision, send)
            else:
                # CORS is off for this route or path: the app answers the OPTIONS.
                await self.app(scope, receive, send)
            return
        # Decided as the response starts, once the router chose the endpoint;
        # counted into the scope, so a mounted app's own layer is seen (B13.4).
        depth = layers.enter(scope)
        deciding = self._deciding(send, setup, facts, routes.after_routing(scope), (scope, depth))
        await self.app(scope, receive, deciding)

    async def _decide(self, setup: _Setup, facts: RequestFacts, lookup: Lookup | None) -> Decision:
        """A request on an app whose routes declare policies; never raises
        (B3.6). An origin resolver is awaited without blocking the loop
        (B9.1): the settings' own, or one a route declares."""
        routes = self._routes
        if setup.resolving or (lookup is not None and routes is not None and routes.resolving):
            return await setup.pipeline.decide_async(facts, lookup)
        return setup.pipeline.decide(facts, lookup)

    def _deciding(
        self, send: Send, setup: _Setup, facts: RequestFacts, lookup: Lookup, layer: tuple[Scope, int]
    ) -> Send:
        scope, depth = layer

        async def send_with_cors(message: Message) -> None:
            # B13.4: a deeper corsguard layer (a mounted app's) decided this response.
            if message["type"] == "http.response.start" and scope.get(LAYERS) == depth:
                message = started(message, await self._decide(setup, facts, lookup), facts.path)
            await send(message)

        return send_with_cors

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """B10: a handshake from an origin the governing policy does not allow
        is closed before it is accepted; the server answers it 403."""
        pipeline = self._setup.pipeline
        facts = RequestFacts.from_scope(scope, routed_path(scope) if pipeline.needs_path else _raw_path(scope))
        if facts.kind is NOT_CORS:
            # B10.2: no Origin, not a browser.
            await self.app(scope, receive, send)
            return
        routes = self._routes
        lookup = routes.before_routing(scope, None) if routes is not None and routes.declares() else None
        if await pipeline.admits_websocket(facts, lookup):
            await self.app(scope, receive, send)
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": POLICY_VIOLATION})
