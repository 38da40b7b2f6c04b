"""Settings as people write them: mappings and environment variables (B2.4).

The upper-case vocabulary (``ALLOWED_ORIGINS``, ``MAX_AGE``, ``PATHS`` ...)
lives only here, at the edges. A typo is a problem with a "did you mean"
hint, because a silently ignored setting is how CORS configurations rot.

The environment rule, the same in every adapter: where corsguard builds
the configuration from a mapping (Django's ``CORSGUARD``, Flask's config,
a middleware given no policy), ``CORSGUARD_<SETTING>`` variables are read
once, at start-up, and override the mapping. ``USE_ENVIRONMENT: False`` in
the mapping switches that off. A ``Policy`` built in code is never changed
by the environment.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corsguard._engine.errors import Problem
from corsguard._engine.settings import ADAPTER_KEYS, ADAPTER_SETTINGS, SETTINGS, Kind

PREFIX = "CORSGUARD_"
# Adapter keys that only make sense in code or framework configuration.
_NOT_FROM_ENVIRONMENT = frozenset({"PATHS", "USE_ENVIRONMENT"})
_INTEGER = re.compile(r"-?[0-9]+")
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=cutoff)
    return f"did you mean {close[0]!r}?" if close else f"known settings: {', '.join(sorted(known))}."


def arguments_from_mapping(
    mapping: Mapping[str, object], problems: list[Problem], *, allow: frozenset[str] = frozenset()
) -> dict[str, object]:
    """``Policy`` keyword arguments from upper-case names; ``allow`` names
    adapter keys the caller reads itself (they are skipped, not reported)."""
    arguments: dict[str, object] = {}
    for key, value in mapping.items():
        setting = SETTINGS.get(key) if isinstance(key, str) else None
        if setting is not None:
            arguments[setting.argument] = value
        elif key not in allow:
            hint = did_you_mean(str(key), SETTINGS.keys() | allow)
            if key in ADAPTER_KEYS:
                hint = f"{key} is read by the adapters and corsguard._pipeline.config, not by Policy."
            problems.append(Problem(str(key), value, "is not a corsguard setting.", hint))
    return arguments


def uses_environment(mapping: Mapping[str, object], problems: list[Problem]) -> bool:
    value = mapping.get("USE_ENVIRONMENT", True)
    if isinstance(value, bool):
        return value
    problems.append(Problem("USE_ENVIRONMENT", value, "must be True or False.", "write False to ignore CORSGUARD_*."))
    return True


def with_environment(
    mapping: Mapping[str, object], environ: Mapping[str, str] | None, problems: list[Problem], prefix: str = PREFIX
) -> dict[str, object]:
    """``mapping`` with the environment laid over it, by the rule above."""
    merged = dict(mapping)
    if environ is not None and uses_environment(mapping, problems):
        merged.update(mapping_from_env(environ, problems, prefix))
    return merged


def mapping_from_env(environ: Mapping[str, str], problems: list[Problem], prefix: str = PREFIX) -> dict[str, object]:
    """Typed settings from ``<prefix><SETTING>`` variables.

    Lists are comma-separated (blank items ignored); booleans are exactly
    true/false/1/0 and integers plain digits, because a silently misread
    ``ALLOW_CREDENTIALS=ture`` is worse than a refusal at start-up.
    Variables under the prefix that are close to a setting name are typos;
    distant ones are left alone, since the environment is shared with other
    tools (``CORSGUARD_REQUIRE_BROWSER`` is one).
    """
    known = {**{key: setting.kind for key, setting in SETTINGS.items()}, **_environment_adapter_kinds()}
    result: dict[str, object] = {}
    for name, raw in environ.items():
        if not name.startswith(prefix):
            continue
        key = name[len(prefix) :]
        kind = known.get(key)
        if kind is None:
            _report_unknown(name, key, raw, prefix, problems)
            continue
        value = parse_value(kind, raw.strip())
        if isinstance(value, Invalid):
            problems.append(Problem(name, raw, value.message, value.hint))
        else:
            result[key] = value
    return result


def _environment_adapter_kinds() -> dict[str, Kind]:
    return {key: item.kind for key, item in ADAPTER_SETTINGS.items() if key not in _NOT_FROM_ENVIRONMENT}


def _report_unknown(name: str, key: str, raw: str, prefix: str, problems: list[Problem]) -> None:
    if key in _NOT_FROM_ENVIRONMENT:
        problems.append(Problem(name, raw, "cannot be set from the environment.", f"set {key} in code or config."))
        return
    close = difflib.get_close_matches(key, sorted(SETTINGS.keys() | ADAPTER_KEYS), n=1, cutoff=0.75)
    if close:
        problems.append(Problem(name, raw, "is not a corsguard setting.", f"did you mean {prefix + close[0]!r}?"))


@dataclass(frozen=True)
class Invalid:
    message: str
    hint: str


def parse_value(kind: Kind, raw: str) -> Any:
    """An environment variable's text as a value of ``kind``, or ``Invalid``."""
    if kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind == "bool":
        lowered = raw.lower()
        if lowered in ("true", "1", "false", "0"):
            return lowered in ("true", "1")
        return Invalid("is not a boolean.", "write true or false (or 1 or 0).")
    if kind in ("optional_int", "optional_str") and raw.lower() == "none":
        return None
    if kind == "optional_str":
        return raw
    if kind == "seconds":
        return float(raw) if _SECONDS.fullmatch(raw) else Invalid("is not a number of seconds.", "write e.g. 60.")
    if kind == "callable":
        return raw  # a dotted path, imported by the setting's own validation
    if _INTEGER.fullmatch(raw):
        return int(raw)
    extra = " or none" if kind == "optional_int" else ""
    return Invalid("is not an integer.", f"write a whole number{extra}, e.g. 600.")
