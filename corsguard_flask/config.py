"""Where an app's CORS settings come from, in one order of precedence.

Lowest to highest:

1. corsguard's defaults;
2. ``app.config["CORSGUARD_<SETTING>"]``;
3. keyword arguments, ``CorsGuard(**kw)`` then ``init_app(app, **kw)``
   (``Policy`` argument names, e.g. ``allowed_origins=``, and ``paths=``);
4. ``CORSGUARD_<SETTING>`` environment variables (``os.environ`` unless
   another mapping is passed as ``env=``; ``env={}`` ignores the
   environment), so a deployment changes origins without a code change.

Every source speaks the core's upper-case vocabulary
(``corsguard.settings``), and the core validates the merged result, so an
unknown ``CORSGUARD_*`` key, a misspelt keyword or a bad value anywhere is
reported in one ``PolicyError`` listing every problem.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from corsguard.paths import PathRules

PREFIX = "CORSGUARD_"


def merged_settings(config: Mapping[str, object], keywords: Mapping[str, object]) -> dict[str, object]:
    """Config keys then keyword arguments, as one upper-case settings mapping."""
    settings = {key[len(PREFIX) :]: value for key, value in config.items() if key.startswith(PREFIX)}
    settings.update((name.upper(), value) for name, value in keywords.items())
    return settings


def path_rules(
    config: Mapping[str, object], keywords: Mapping[str, object], env: Mapping[str, str] | None
) -> PathRules:
    """The app's compiled base policy and path rules; ``PolicyError`` if anything is wrong.

    ``env=None`` reads the process environment, as the README promises.
    """
    environment = os.environ if env is None else env
    return PathRules.from_mapping(merged_settings(config, keywords), env=environment, env_prefix=PREFIX)
