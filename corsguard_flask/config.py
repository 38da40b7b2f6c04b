"""Where an app's CORS settings come from, in one order of precedence.

Lowest to highest:

1. corsguard's defaults;
2. ``app.config["CORSGUARD_<SETTING>"]``;
3. keyword arguments, ``CorsGuard(**kw)`` then ``init_app(app, **kw)``
   (``Policy`` argument names, e.g. ``allowed_origins=``, and ``paths=``);
4. ``CORSGUARD_<SETTING>`` environment variables, by the core's one rule
   (``corsguard.sources``): read from ``os.environ`` unless
   ``CORSGUARD_USE_ENVIRONMENT = False`` (config) or ``use_environment=False``
   (keyword) switches them off. ``env=`` names another mapping to read.

Every source speaks the core's upper-case vocabulary, and the core
validates the merged result (``corsguard.config.load``), so an unknown
``CORSGUARD_*`` key, a misspelt keyword or a bad value anywhere is reported
in one ``PolicyError`` listing every problem.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from corsguard import config
from corsguard.sources import PREFIX


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
    return config.load(merged_settings(app_config, keywords), environ=environment)
