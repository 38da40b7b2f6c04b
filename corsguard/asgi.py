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
on Starlette and FastAPI routes are found by ``corsguard.asgi_routes``.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NamedTuple

from corsguard import config, response
from corsguard.asgi_routes import Routes, cors_exempt, cors_policy
from corsguard.decision import Decision, Kind
from corsguard.errors import PolicyError, Problem
from corsguard.facts import RequestFacts, merged_slashes
from corsguard.paths import PathRules, RuleSpec
from corsguard.pipeline import Lookup, Pipeline
from corsguard.policy import Policy
from corsguard.wsgi import pipeline_for

__all__ = ["CorsMiddleware", "cors_exempt", "cors_policy", "routed_path"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The initials of Vary and Access-Control-*, the application's lines that
# the merge reads (B5.4, B5.5).
_MERGED_INITIALS = frozenset((b"v", b"V", b"a", b"A"))
# Header lines corsguard sent, as ASGI bytes (see ``_encoded``).
MAX_ENCODED = 4096
_ENCODED: dict[tuple[str, str], tuple[bytes, bytes]] = {}
# RFC 6455 7.4.1: 1008, the endpoint refuses a message that violates its policy.
POLICY_VIOLATION = 1008


class _Setup(NamedTuple):
    """What a request reads, swapped as one value by ``reconfigure`` (B9.5)."""

    pipeline: Pipeline
    check_websocket_origin: bool
    # Whether a policy in force has an ORIGIN_RESOLVER: only then is deciding
    # awaited (B9.1); otherwise it is a plain call.
    resolving: bool = False


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
        return _Setup(configuration.pipeline, configuration.check_websocket_origin)
    if websocket is not None and not isinstance(websocket, bool):
        raise PolicyError(
            [Problem("check_websocket_origin", websocket, "must be True or False.", "write True or False.")]
        )
    return _Setup(pipeline_for(policy, paths), websocket is True)


def routed_path(scope: Scope) -> str:
    """B3.4: the scope's path below ``root_path`` (as Starlette routes on
    it), one leading slash, runs of slashes merged."""
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    if not isinstance(path, str):
        return repr(path)
    if root and isinstance(root, str) and path.startswith(root):
        rest = path[len(root) :]
        if not rest or rest[0] == "/":
            path = rest
    return merged_slashes(path)


def _raw_path(scope: Scope) -> str:
    """The scope's path as it is, for logs only (see ``corsguard.facts.raw_path``)."""
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

    def __init__(
        self,
        app: ASGIApp,
        policy: Policy | PathRules | None = None,
        paths: RuleSpec | None = None,
        *,
        check_websocket_origin: bool | None = None,
    ) -> None:
        # Public, as Starlette's middleware keep it: what wraps this can find the router behind it.
        self.app = app
        self._routes = Routes.of(app)
        self._install(_setup(policy, paths, check_websocket_origin))

    @property
    def pipeline(self) -> Pipeline:
        return self._setup.pipeline

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
        self._setup = setup._replace(resolving=resolving)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket" and self._setup.check_websocket_origin:
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        setup = self._setup  # read once: a reconfigure() mid-request does not affect it
        path = routed_path(scope) if setup.pipeline.needs_path else _raw_path(scope)
        facts = RequestFacts.from_scope(scope, path)
        routes = self._routes
        if routes is not None and not routes.declares():
            routes = None
        if facts.kind is Kind.PREFLIGHT:
            # Governed by the route that will serve the method it announces (B3.5).
            lookup = None if routes is None else routes.before_routing(scope, facts.acrm)
            if setup.resolving or lookup is not None:
                decision = await self._decide(setup, facts, lookup)
            else:
                decision = setup.pipeline.decide(facts)
            if decision.kind is Kind.PREFLIGHT:
                await _answer(decision, send)
            else:
                # CORS is off for this route or path: the app answers the OPTIONS.
                await self.app(scope, receive, send)
            return
        if routes is not None:
            # Decided as the response starts, once the router chose the endpoint.
            await self.app(scope, receive, self._deciding(send, setup, facts, routes.after_routing(scope)))
            return
        # A plain call unless a resolver must be awaited: no coroutine per request.
        decision = await self._decide(setup, facts, None) if setup.resolving else setup.pipeline.decide(facts)
        if decision.headers or decision.vary:
            send = _applying(send, decision, path)
        await self.app(scope, receive, send)

    async def _decide(self, setup: _Setup, facts: RequestFacts, lookup: Lookup | None) -> Decision:
        """The one place an HTTP request is decided; never raises (B3.6). An
        origin resolver is awaited without blocking the loop (B9.1): the
        settings' own, or one a route declares."""
        routes = self._routes
        if setup.resolving or (lookup is not None and routes is not None and routes.resolving):
            return await setup.pipeline.decide_async(facts, lookup)
        return setup.pipeline.decide(facts, lookup)

    def _deciding(self, send: Send, setup: _Setup, facts: RequestFacts, lookup: Lookup) -> Send:
        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _started(message, await self._decide(setup, facts, lookup), facts.path)
            await send(message)

        return send_with_cors

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """B10: a handshake from an origin the governing policy does not allow
        is closed before it is accepted; the server answers it 403."""
        pipeline = self._setup.pipeline
        facts = RequestFacts.from_scope(scope, routed_path(scope) if pipeline.needs_path else _raw_path(scope))
        if facts.kind is Kind.NOT_CORS:
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


def _applying(send: Send, decision: Decision, path: str) -> Send:
    async def send_with_cors(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = _started(message, decision, path)
        await send(message)

    return send_with_cors


def _started(message: Message, decision: Decision, path: str) -> Message:
    """A new ``http.response.start`` message with the decision merged into
    its headers by the one rule (``corsguard.response.edits``), latin-1 at
    the edge; the application's message is never changed (B5.6). Only the
    application's Vary and Access-Control-* lines take part in the merge
    (B5.4, B5.5), so only lines that can be those are translated."""
    raw = message.get("headers", ())
    own: list[tuple[str, str]] = []
    for name, value in raw:
        if name[:1] in _MERGED_INITIALS:
            own.append((name.decode("latin-1"), value.decode("latin-1")))
    lines = response.edits(own, decision, path) if own else response.unmerged(decision)
    if not lines:
        return message
    if own:
        # Each line set replaces the application's lines of that name.
        replaced = {name.lower() for name, _ in lines}
        raw = [line for line in raw if line[0].decode("latin-1").lower() not in replaced]
    started = dict(message)
    started["headers"] = [*raw, *_encoded(lines)]
    return started


def _encoded(lines: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """ASGI header lines (names in lower case, as ASGI requires). A policy
    sends the same few lines again and again, so each is encoded once; the
    table holds only lines corsguard sends (allowed origins, the settings'
    values, merged Vary) and is emptied when full."""
    encoded = _ENCODED
    found: list[tuple[bytes, bytes]] = []
    for line in lines:
        pair = encoded.get(line)
        if pair is None:
            name, value = line
            pair = (name.lower().encode("latin-1"), value.encode("latin-1"))
            if len(encoded) >= MAX_ENCODED:
                encoded.clear()
            encoded[line] = pair
        found.append(pair)
    return found


async def _answer(decision: Decision, send: Send) -> None:
    """B3.2, B4: the preflight's whole answer, sent here."""
    await send(
        {"type": "http.response.start", "status": decision.status, "headers": _encoded(decision.response_headers())}
    )
    await send({"type": "http.response.body", "body": decision.body})
