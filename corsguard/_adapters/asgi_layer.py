"""The ASGI middleware's request path: one request from its scope to the
application, decided before it runs or as its response starts. Built on
by ``corsguard._adapters.asgi.CorsMiddleware``, which checks the
configuration; this module only serves it, and is one of those
``scripts/compiled.py`` compiles (the pure-Python source is the reference).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, ClassVar, Final, NamedTuple, TypeVar

from corsguard._adapters.asgi_messages import Message, Send, answer, applying, started
from corsguard._adapters.asgi_routes import Routes
from corsguard._engine.decision import NOT_CORS, PREFLIGHT, Decision
from corsguard._engine.facts import RequestFacts, merged_slashes
from corsguard._pipeline import layers
from corsguard._pipeline.pipeline import Lookup, Pipeline

try:
    from mypy_extensions import mypyc_attr
except ImportError:  # the pure-Python build needs no mypy_extensions: mypyc alone reads this
    _T = TypeVar("_T")

    def mypyc_attr(*attrs: str, **kwattrs: object) -> Callable[[_T], _T]:
        return lambda cls: cls


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Read on every request: a module global, not the module attribute.
LAYERS: Final = layers.KEY
# Read on every request, so a Final of this module: compiled, that is a C
# static, where ``RequestFacts.from_scope`` is a lookup by name, an attribute
# lookup and a bound method made per request.
_facts: Final = RequestFacts.from_scope

# RFC 6455 7.4.1: 1008, the endpoint refuses a message that violates its policy.
POLICY_VIOLATION: Final = 1008


class Setup(NamedTuple):
    """What a request reads, swapped as one value by ``reconfigure`` (B9.5)."""

    pipeline: Pipeline
    check_websocket_origin: bool
    # Whether a policy in force has an ORIGIN_RESOLVER: only then is deciding
    # awaited (B9.1); otherwise it is a plain call.
    resolving: bool = False
    # ``pipeline.needs_path``, read per request, so copied here once: the
    # property call costs ~670 instructions of a ~45,000-instruction GET.
    needs_path: bool = True


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


def raw_path(scope: Scope) -> str:
    """The scope's path as it is, for logs only (see ``corsguard._engine.facts.raw_path``)."""
    path = scope.get("path", "")
    return path if isinstance(path, str) else repr(path)


@mypyc_attr(allow_interpreted_subclasses=True)
class Layer:
    """What serves requests: set up by ``CorsMiddleware``, which subclasses it."""

    # B13.4: an outer corsguard layer sees this one behind a mount and steps aside.
    corsguard_layer: ClassVar[bool] = True

    app: ASGIApp
    _routes: Routes | None
    _root_path: str
    _setup: Setup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket" and self._setup.check_websocket_origin:
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        setup = self._setup  # read once: a reconfigure() mid-request does not affect it
        facts = _facts(scope, routed_path(scope, self._root_path) if setup.needs_path else raw_path(scope))
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

    async def _decide(self, setup: Setup, facts: RequestFacts, lookup: Lookup | None) -> Decision:
        """A request on an app whose routes declare policies; never raises
        (B3.6). An origin resolver is awaited without blocking the loop
        (B9.1): the settings' own, or one a route declares."""
        routes = self._routes
        if setup.resolving or (lookup is not None and routes is not None and routes.resolving):
            return await setup.pipeline.decide_async(facts, lookup)
        return setup.pipeline.decide(facts, lookup)

    def _deciding(
        self, send: Send, setup: Setup, facts: RequestFacts, lookup: Lookup, layer: tuple[Scope, int]
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
        facts = _facts(scope, routed_path(scope) if pipeline.needs_path else raw_path(scope))
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
