"""Noticing a configuration that allows no origin at all (B2.1).

A misnamed settings dict (``CORS_GUARD``), a Flask app still configured with
flask-cors's keys (``CORS_ORIGINS``) or a middleware started without its
environment variables all load cleanly: an empty allow-list is valid. But
then every cross-origin request is refused, and the newcomer debugging it
sees nothing at start-up. Each adapter asks ``allows_nothing`` once at
start-up and says what it looked for, and which look-alike names it found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from corsguard._engine.policy import Policy
from corsguard._pipeline.pipeline import Pipeline

# Names a user of the peers, or a typo, leaves behind.
_PEER_PREFIXES = ("CORS_", "CORSHEADERS_", "FLASK_CORS_")


def allows_nothing(pipeline: Pipeline) -> bool:
    """True when no policy in force lists an origin, a regex or a resolver."""
    return not any(allows_something(policy) for policy in pipeline.policies())


def allows_something(policy: Policy | None) -> bool:
    if policy is None:
        return False
    settings = policy.settings
    return bool(settings.allowed_origins or settings.origin_regexes or settings.origin_resolver is not None)


def lookalikes(names: Iterable[str], wanted: str) -> list[str]:
    """Names close to ``wanted`` (``CORS_GUARD`` for ``CORSGUARD``), or left
    by the peers (``CORS_ORIGINS``), that corsguard does not read."""
    names = sorted(set(names))
    close = set(difflib.get_close_matches(wanted, names, n=3, cutoff=0.75))
    peers = {name for name in names if name.startswith(_PEER_PREFIXES) and not name.startswith(wanted)}
    close |= {name for name in names if name.startswith(wanted) and name != wanted and name not in peers}
    return sorted(close | peers)


FIX = "List your front-end's origin in ALLOWED_ORIGINS."


def message(looked_for: str, found: list[str], fix: str = FIX) -> str:
    """The start-up line: what was read, what was not, what to write (an
    adapter names its own spelling of the setting in ``fix``; "" leaves it
    out, for a caller that shows the fix apart)."""
    seen = f"; found {', '.join(repr(name) for name in found)}, which corsguard does not read" if found else ""
    said = f"corsguard allows no origin: every cross-origin request will be refused. Looked for {looked_for}{seen}."
    return f"{said} {fix}" if fix else said
