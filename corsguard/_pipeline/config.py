"""An application's whole CORS configuration, from one mapping (B2.4).

Every adapter builds its configuration here, from the framework's settings
(Django's ``CORSGUARD`` dict, Flask's ``CORSGUARD_*`` keys) or from nothing
(a middleware given no policy), so the vocabulary, the environment rule and
the validation are the same everywhere: the policy settings, ``PATHS``,
``USE_ENVIRONMENT`` and the refusal log's ``LOG_WARNINGS`` / ``LOG_INTERVAL``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from corsguard._engine import log
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.settings import ADAPTER_SETTINGS
from corsguard._engine.sources import PREFIX, with_environment
from corsguard._pipeline.paths import PathRules
from corsguard._pipeline.pipeline import Pipeline


@dataclass(frozen=True)
class Configuration:
    pipeline: Pipeline
    log_warnings: int
    log_interval: float
    # B10: check the Origin of WebSocket handshakes against the allow-list.
    check_websocket_origin: bool = False

    def activate(self) -> None:
        """Apply the process-wide parts (the refusal log's limits)."""
        log.configure(warnings=self.log_warnings, interval=self.log_interval)


def load(
    mapping: Mapping[str, object], *, environ: Mapping[str, str] | None = os.environ, prefix: str = PREFIX
) -> Configuration:
    """``mapping`` (upper-case keys) with the environment laid over it;
    ``PolicyError`` listing every problem. ``environ=None`` reads nothing."""
    problems: list[Problem] = []
    merged = with_environment(mapping, environ, problems, prefix)
    warnings = _number(merged, "LOG_WARNINGS", problems, integer=True)
    interval = _number(merged, "LOG_INTERVAL", problems, integer=False)
    websocket = merged.get("CHECK_WEBSOCKET_ORIGIN", False)
    if not isinstance(websocket, bool):
        problems.append(Problem("CHECK_WEBSOCKET_ORIGIN", websocket, "must be True or False.", "write True or False."))
    try:
        rules = PathRules.from_mapping(merged)
    except PolicyError as error:
        raise PolicyError([*problems, *error.problems]) from None
    if problems:
        raise PolicyError(problems)
    return Configuration(Pipeline(rules), int(warnings), float(interval), websocket is True)


def _number(merged: Mapping[str, object], key: str, problems: list[Problem], *, integer: bool) -> float:
    default: float = ADAPTER_SETTINGS[key].default
    value = merged.get(key, default)
    valid = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not valid or value < 0 or (not integer and value == 0):  # type: ignore[operator]
        shown = "a whole number, 0 or more" if integer else "a number of seconds above 0"
        problems.append(Problem(key, value, f"must be {shown}.", f"write e.g. {default!r}."))
        return default
    return float(value)  # type: ignore[arg-type]
