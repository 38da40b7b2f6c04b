"""The ``CORSGUARD`` setting, compiled once and recompiled when it changes.

Django settings plus ``CORSGUARD_*`` environment variables go through the
core's ``PathRules.from_mapping``, so the vocabulary, the validation and the
"did you mean" hints are exactly those of every other corsguard adapter. The
result is cached for the life of the process; Django's ``setting_changed``
signal (sent by ``override_settings``) drops the cache, so tests and
long-lived middleware instances always see the current configuration.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from corsguard import PathRules, PolicyError, Problem
from corsguard_django.routing import ViewIndex

SETTING = "CORSGUARD"
ENV_PREFIX = "CORSGUARD_"
# Extra middleware (dotted paths) that can answer before the view; the
# ordering check (corsguard_django.W001) wants CorsGuardMiddleware above them.
ANSWERING_MIDDLEWARE_SETTING = "CORSGUARD_ANSWERING_MIDDLEWARE"

# Settings the compiled state depends on: the policy itself, and the URLconf
# whose decorated views carry their own policies.
_WATCHED = frozenset({SETTING, "ROOT_URLCONF", "APPEND_SLASH"})


class ConfigurationError(PolicyError, ImproperlyConfigured):  # type: ignore[misc]  # Django is untyped
    """A refused ``CORSGUARD`` configuration.

    A ``PolicyError`` (``.problems`` lists every problem) for code that
    catches the core's error, and an ``ImproperlyConfigured`` so Django and
    its users recognise it as a settings mistake.
    """


def settings_mapping() -> Mapping[str, object]:
    """The ``CORSGUARD`` dict as written; ``{}`` when it is not set."""
    value: object = getattr(settings, SETTING, {})
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            [
                Problem(
                    SETTING,
                    value,
                    "must be a dict of corsguard settings.",
                    "write CORSGUARD = {'ALLOWED_ORIGINS': ['https://app.example.com']}.",
                )
            ]
        )
    return value


def load_rules() -> PathRules:
    """``CORSGUARD`` and the environment, validated: every problem at once."""
    try:
        return PathRules.from_mapping(settings_mapping(), env=os.environ, env_prefix=ENV_PREFIX)
    except ConfigurationError:
        raise
    except PolicyError as error:
        raise ConfigurationError(error.problems) from None


def load_views(rules: PathRules) -> ViewIndex:
    """The URLconf's decorated views, their policies derived from ``rules``' base."""
    try:
        return ViewIndex(rules.policy, append_slash=bool(getattr(settings, "APPEND_SLASH", False)))
    except PolicyError as error:
        raise ConfigurationError(error.problems) from None


class Compiled:
    """Everything the middleware needs per request, built once."""

    __slots__ = ("evaluate", "rules", "views")

    def __init__(self, rules: PathRules, views: ViewIndex) -> None:
        self.rules = rules
        self.views = views
        # The common case, no decorated view anywhere, pays nothing for them.
        self.evaluate = views.evaluate_with(rules) if views.active else rules.evaluate


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
            rules = load_rules()
            _compiled = Compiled(rules, load_views(rules))
        return _compiled


def reset(**kwargs: Any) -> None:
    """Drop the cache; the next request (or middleware) recompiles."""
    global _compiled  # noqa: PLW0603
    setting = kwargs.get("setting")
    if setting is None or setting in _WATCHED:
        with _lock:
            _compiled = None


setting_changed.connect(reset, dispatch_uid="corsguard_django.conf.reset")
