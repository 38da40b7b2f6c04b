"""The ``CORSGUARD`` setting, compiled once and recompiled when it changes.

``settings.CORSGUARD`` goes through the core's ``corsguard._pipeline.config.load``, so
the vocabulary, the environment rule (``CORSGUARD_*`` variables override the
dict unless it says ``"USE_ENVIRONMENT": False``), the validation and the
"did you mean" hints are exactly those of every other corsguard adapter.
The result is cached for the life of the process; Django's
``setting_changed`` signal (sent by ``override_settings``) drops the cache,
and ``corsguard_django.reconfigure`` swaps it at run time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from corsguard import PathRules, Pipeline, Policy, PolicyError, Problem, RequestFacts
from corsguard._engine.decision import Decision
from corsguard._pipeline import config
from corsguard._pipeline.pipeline import Lookup
from corsguard_django.routing import ViewIndex

SETTING = "CORSGUARD"
ENV_PREFIX = "CORSGUARD_"
# Extra middleware (dotted paths) that can answer before the view; the
# ordering check (corsguard_django.W001) wants CorsGuardMiddleware above them.
ANSWERING_MIDDLEWARE_SETTING = "CORSGUARD_ANSWERING_MIDDLEWARE"

# Settings the compiled state depends on: the policy itself, and the URLconf
# whose declared views carry their own policies.
_WATCHED = frozenset({SETTING, "ROOT_URLCONF", "APPEND_SLASH"})


class ConfigurationError(PolicyError, ImproperlyConfigured):
    """A refused ``CORSGUARD`` configuration: a ``PolicyError`` (``.problems``
    lists every problem) that Django also recognises as a settings mistake."""


def settings_mapping() -> Mapping[str, object]:
    """The ``CORSGUARD`` dict as written; ``{}`` when it is not set."""
    value: object = getattr(settings, SETTING, {})
    if not isinstance(value, Mapping):
        problem = Problem(
            SETTING,
            value,
            "must be a dict of corsguard settings.",
            "write CORSGUARD = {'ALLOWED_ORIGINS': ['https://app.example.com']}.",
        )
        raise ConfigurationError([problem])
    return value


def load_configuration() -> config.Configuration:
    """``CORSGUARD`` and the environment, validated: every problem at once."""
    try:
        return config.load(settings_mapping(), environ=os.environ, prefix=ENV_PREFIX)
    except ConfigurationError:
        raise
    except PolicyError as error:
        raise ConfigurationError(error.problems) from None


def pipeline_for(policy: object) -> Pipeline:
    """What ``corsguard_django.reconfigure`` was given, as a pipeline."""
    if isinstance(policy, Policy):
        return Pipeline(PathRules(policy))
    if isinstance(policy, PathRules):
        return Pipeline(policy)
    if policy is None:
        return load_configuration().pipeline
    if not isinstance(policy, Mapping):
        raise TypeError("reconfigure() takes a Policy, PathRules, a CORSGUARD-style mapping or None")
    try:
        configuration = config.load(policy, environ=os.environ, prefix=ENV_PREFIX)
    except PolicyError as error:
        raise ConfigurationError(error.problems) from None
    configuration.activate()
    return configuration.pipeline


def load_views(pipeline: Pipeline) -> ViewIndex:
    """The URLconf's declared views, their policies derived from the pipeline's base."""
    try:
        return ViewIndex(pipeline, append_slash=bool(getattr(settings, "APPEND_SLASH", False)))
    except PolicyError as error:
        raise ConfigurationError(error.problems) from None


class Compiled:
    """Everything the middleware needs per request, built once."""

    __slots__ = ("lookup", "pipeline", "views")

    def __init__(self, pipeline: Pipeline, views: ViewIndex) -> None:
        self.pipeline = pipeline
        self.views = views
        # The common case, no declared view anywhere, pays nothing for them.
        self.lookup: Lookup | None = views.declaration_for if views.active else None

    def decide(self, meta: Mapping[str, Any], path_info: str) -> Decision:
        """From ``request.META`` as the server sent it: ``REQUEST_METHOD``
        rather than ``request.method``, which Django upper-cases (B4.4), and
        ``path_info``, the path Django routes on (B3.4)."""
        return self.pipeline.decide(RequestFacts.from_environ(meta, path_info), self.lookup)

    async def decide_async(self, meta: Mapping[str, Any], path_info: str) -> Decision:
        """The same in an async stack: an origin resolver is asked without
        blocking the event loop (B9)."""
        return await self.pipeline.decide_async(RequestFacts.from_environ(meta, path_info), self.lookup)


_compiled: Compiled | None = None
_lock = threading.Lock()


def compiled() -> Compiled:
    """The current compiled configuration; raises ``ConfigurationError``."""
    current = _compiled
    if current is None:
        current = _compile()
    return current


def _compile() -> Compiled:
    global _compiled  # noqa: PLW0603 - the one process-wide cache, guarded by _lock
    with _lock:
        if _compiled is None:
            configuration = load_configuration()
            configuration.activate()
            _compiled = Compiled(configuration.pipeline, load_views(configuration.pipeline))
        return _compiled


def install(pipeline: Pipeline) -> None:
    """Swap in ``pipeline`` atomically; requests under way keep the one they
    started with (one reference assignment, no lock on the request path)."""
    global _compiled  # noqa: PLW0603
    compiled_now = Compiled(pipeline, load_views(pipeline))
    with _lock:
        _compiled = compiled_now


def reset(**kwargs: Any) -> None:
    """Drop the cache; the next request (or middleware) recompiles."""
    global _compiled  # noqa: PLW0603
    setting = kwargs.get("setting")
    if setting is None or setting in _WATCHED:
        with _lock:
            _compiled = None


setting_changed.connect(reset, dispatch_uid="corsguard_django.conf.reset")
