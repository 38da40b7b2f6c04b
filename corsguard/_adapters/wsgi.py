"""A WSGI middleware: corsguard in front of any WSGI application.

It answers preflights itself (B3.2), so nothing behind it (authentication,
CSRF, routing) ever sees one, and adds headers to every other response as it
starts, without touching the body: streamed bodies stay streamed.

Path rules see PATH_INFO decoded once, with one leading slash and runs of
slashes merged (B3.4): the path Werkzeug routes on, and the safe reading for
any router that treats ``//admin`` as ``/admin``. A router that treats them
differently should be given rules written for that, or no path rules.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from corsguard._engine import log, response
from corsguard._engine.decision import PREFLIGHT
from corsguard._engine.facts import RequestFacts, raw_path, wsgi_routed_path
from corsguard._engine.policy import Policy
from corsguard._pipeline import config, layers, unconfigured
from corsguard._pipeline.layers import KEY
from corsguard._pipeline.paths import PathRules, RuleSpec
from corsguard._pipeline.pipeline import Pipeline

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def pipeline_for(policy: Policy | PathRules | None, paths: RuleSpec | None) -> Pipeline:
    """What a middleware was given, as a pipeline. Without a policy the
    settings come from ``CORSGUARD_*`` environment variables (B2.4)."""
    if policy is None:
        configuration = config.load({} if paths is None else {"PATHS": paths}, environ=os.environ)
        configuration.activate()
        warn_if_nothing_allowed(configuration.pipeline)
        return configuration.pipeline
    if isinstance(policy, PathRules):
        if paths is not None:
            raise TypeError("pass path rules either inside PathRules or as paths=, not both")
        return Pipeline(policy)
    return Pipeline(PathRules(policy, paths))


def warn_if_nothing_allowed(pipeline: Pipeline) -> None:
    """A middleware configured from the environment that allows nothing
    says so once at start-up, naming the variables it looked for."""
    if unconfigured.allows_nothing(pipeline):
        found = unconfigured.lookalikes(os.environ, "CORSGUARD_ALLOWED_ORIGINS")
        log.warn_once("unconfigured", unconfigured.message("CORSGUARD_* environment variables", found))


class CorsMiddleware:
    """Wrap a WSGI application: ``app = CorsMiddleware(app, policy)``.

    ``paths`` takes path rules (see ``PathRules``); ``policy`` may also be a
    ready ``PathRules``, or None to read the settings from the environment.
    """

    # B13.4: an outer corsguard layer (an ASGI app mounting this one) steps aside.
    corsguard_layer = True

    def __init__(self, app: WSGIApplication, policy: Policy | PathRules | None = None, paths: RuleSpec | None = None):
        layers.refuse_stacked(app, "corsguard._adapters.wsgi.CorsMiddleware")
        self._app = app
        # B13.4: only a layer around mounted apps with their own layers counts requests.
        self._mounts_layers = layers.mounts_layer(app)
        self._pipeline = pipeline_for(policy, paths)

    @property
    def pipeline(self) -> Pipeline:
        return self._pipeline

    def reconfigure(self, policy: Policy | PathRules | None = None, paths: RuleSpec | None = None) -> None:
        """Swap in a new policy at once (B9.5), e.g. after an administrator
        edited the allowed origins; ``PolicyError`` leaves the old one in
        place. Requests under way finish under the policy they started with:
        each reads the pipeline once, and the swap is one assignment."""
        self._pipeline = pipeline_for(policy, paths)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        pipeline = self._pipeline  # read once: a reconfigure() mid-request does not affect it
        if self._mounts_layers:
            return self._around_layers(environ, start_response)
        if KEY in environ:
            layers.bump(environ)  # B13.4: inside an outer corsguard layer, which must see this one
        path = wsgi_routed_path(environ) if pipeline.needs_path else raw_path(environ)
        facts = RequestFacts.from_environ(environ, path)
        decision = pipeline.decide(facts)
        if decision.kind is PREFLIGHT:
            start_response(decision.status_line, decision.response_headers())
            return [decision.body] if decision.body else []
        if not decision.headers and not decision.vary:
            return self._app(environ, start_response)

        def start_with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            return start_response(status, response.apply(headers, decision, path), exc_info)

        return self._app(environ, start_with_cors)

    def _around_layers(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """``__call__`` for a layer around mounted apps that have their own
        corsguard layers (B13.4): it counts itself into the request, and a
        response a deeper layer entered keeps that layer's decision. Preflights
        for a mounted app are answered here only when its path is routed here:
        Werkzeug's dispatcher does not say which mount a path goes to."""
        pipeline = self._pipeline
        depth = layers.enter(environ)
        path = wsgi_routed_path(environ) if pipeline.needs_path else raw_path(environ)
        decision = pipeline.decide(RequestFacts.from_environ(environ, path))
        if decision.kind is PREFLIGHT and not _mounted(self._app, environ):
            start_response(decision.status_line, decision.response_headers())
            return [decision.body] if decision.body else []

        def start_with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            if environ.get(KEY) != depth or decision.kind is PREFLIGHT:
                return start_response(status, headers, exc_info)  # a deeper layer decided
            return start_response(status, response.apply(headers, decision, path), exc_info)

        return self._app(environ, start_with_cors)


def _mounted(app: Any, environ: WSGIEnvironment) -> bool:
    """Whether a ``DispatcherMiddleware`` behind ``app`` sends this path to one
    of its mounts that has its own corsguard layer."""
    path = environ.get("PATH_INFO", "") or "/"
    for _ in range(layers.MAX_DEPTH):
        if app is None:
            return False
        mounts = getattr(app, "mounts", None)
        if isinstance(mounts, dict):
            return any(
                (path == prefix or path.startswith(prefix + "/")) and layers.has_layer(mounted)
                for prefix, mounted in mounts.items()
            )
        app = getattr(app, "app", None)
    return False
