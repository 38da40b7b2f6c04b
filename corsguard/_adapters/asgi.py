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

This module builds and checks the middleware; the request path is
``corsguard._adapters.asgi_layer``'s, which ``CorsMiddleware`` subclasses.
"""

from __future__ import annotations

import os

from corsguard._adapters.asgi_layer import ASGIApp, Layer, Setup, routed_path
from corsguard._adapters.asgi_reports import report_unreached, unrouted
from corsguard._adapters.asgi_routes import Routes, app_root_path, cors_exempt, cors_policy
from corsguard._adapters.wsgi import pipeline_for, warn_if_nothing_allowed
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.policy import Policy
from corsguard._engine.sources import PREFIX, Invalid, parse_value
from corsguard._pipeline import config, layers
from corsguard._pipeline.paths import PathRules, RuleSpec
from corsguard._pipeline.pipeline import Pipeline

__all__ = ["CorsMiddleware", "cors_exempt", "cors_policy", "routed_path"]


def _setup(policy: Policy | PathRules | None, paths: RuleSpec | None, websocket: bool | None) -> Setup:
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
        return Setup(configuration.pipeline, configuration.check_websocket_origin)
    if websocket is None:
        websocket = _websocket_from_environment()
    if websocket is not None and not isinstance(websocket, bool):
        raise PolicyError(
            [Problem("check_websocket_origin", websocket, "must be True or False.", "write True or False.")]
        )
    return Setup(pipeline_for(policy, paths), websocket is True)


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


class CorsMiddleware(Layer):
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

    def _install(self, setup: Setup) -> None:
        if self._routes is not None:
            self._routes.check(setup.pipeline)
        resolving = any(policy.settings.origin_resolver is not None for policy in setup.pipeline.policies())
        self._setup = setup._replace(resolving=resolving, needs_path=setup.pipeline.needs_path)
