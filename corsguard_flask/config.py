"""Where an app's CORS settings come from, in one order of precedence.

Lowest to highest:

1. corsguard's defaults;
2. ``app.config["CORSGUARD_<SETTING>"]``;
3. keyword arguments, ``CorsGuard(**kw)`` then ``init_app(app, **kw)``
   (``Policy`` argument names, e.g. ``allowed_origins=``, and ``paths=``);
4. ``CORSGUARD_<SETTING>`` environment variables, by the core's one rule
   (``corsguard._engine.sources``): read from ``os.environ`` unless
   ``CORSGUARD_USE_ENVIRONMENT = False`` (config) or ``use_environment=False``
   (keyword) switches them off. ``env=`` names another mapping to read.

Every source speaks the core's upper-case vocabulary, and the core
validates the merged result (``corsguard._pipeline.config.load``), so an unknown
``CORSGUARD_*`` key, a misspelt keyword or a bad value anywhere is reported
in one ``PolicyError`` listing every problem.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping

from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.sources import PREFIX
from corsguard._pipeline import config


def merged_settings(app_config: Mapping[str, object], keywords: Mapping[str, object]) -> dict[str, object]:
    """Config keys then keyword arguments, as one upper-case settings mapping."""
    settings = {key[len(PREFIX) :]: value for key, value in app_config.items() if key.startswith(PREFIX)}
    settings.update((name.upper(), value) for name, value in keywords.items())
    return settings


def load(
    app_config: Mapping[str, object], keywords: Mapping[str, object], env: Mapping[str, str] | None
) -> config.Configuration:
    """The app's compiled configuration; ``PolicyError`` if anything is wrong."""
    environment = os.environ if env is None else env
    try:
        return config.load(merged_settings(app_config, keywords), environ=environment)
    except PolicyError as error:
        from_keywords = {name.upper() for name in keywords}
        # The environment wins over both (B2.4): its values keep their names.
        from_environment = {key[len(PREFIX) :] for key in environment if key.startswith(PREFIX)}
        from_config = {key[len(PREFIX) :] for key in app_config if key.startswith(PREFIX)} - from_keywords
        from_config -= from_environment
        from_keywords -= from_environment
        raise PolicyError(_as_written(problem, from_config, from_keywords) for problem in error.problems) from None


def _as_written(problem: Problem, from_config: set[str], from_keywords: set[str]) -> Problem:
    """A "did you mean" names a setting that exists where the user wrote the
    misspelt one: an ``app.config`` key (``CORSGUARD_ALLOWED_ORIGINS``) or a
    keyword (``allowed_origins``). The setting keeps its shared name, as in
    every adapter."""
    name = problem.setting.split("[", 1)[0].split(".", 1)[0]
    if name in from_config:
        hint = re.sub(r"did you mean '([A-Z_]+)'", lambda match: f"did you mean '{PREFIX}{match[1]}'", problem.hint)
        return dataclasses.replace(problem, hint=hint)
    if name in from_keywords:
        hint = re.sub(r"did you mean '([A-Z_]+)'", lambda match: f"did you mean '{match[1].lower()}'", problem.hint)
        return dataclasses.replace(problem, hint=hint)
    return problem
