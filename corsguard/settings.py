"""The settings vocabulary shared by Python, Django, Flask and the environment.

One upper-case name per setting (``ALLOWED_ORIGINS``, ``MAX_AGE`` ...), so a
Django ``CORSGUARD`` dict, Flask ``CORSGUARD_*`` config keys and
``CORSGUARD_*`` environment variables all read the same and the error
messages can name the setting the user typed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from corsguard.errors import Problem

Kind = Literal["list", "bool", "int", "optional_int"]


@dataclass(frozen=True)
class Setting:
    key: str
    kind: Kind

    @property
    def argument(self) -> str:
        """The keyword argument of ``Policy`` that this setting feeds."""
        return self.key.lower()


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting("ALLOWED_ORIGINS", "list"),
        Setting("ORIGIN_REGEXES", "list"),
        Setting("ALLOW_CREDENTIALS", "bool"),
        Setting("ALLOW_METHODS", "list"),
        Setting("ALLOW_HEADERS", "list"),
        Setting("EXPOSE_HEADERS", "list"),
        Setting("MAX_AGE", "optional_int"),
        Setting("ALLOW_PRIVATE_NETWORK", "bool"),
        Setting("PREFLIGHT_STATUS", "int"),
        Setting("DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS", "bool"),
    )
}

# Keys that belong to the adapters' vocabulary rather than to one Policy.
ADAPTER_KEYS = frozenset({"PATHS"})


def did_you_mean(name: str, known: Mapping[str, object] | frozenset[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name.upper(), list(known), n=1, cutoff=cutoff)
    return f"did you mean {close[0]!r}?" if close else f"known settings: {', '.join(sorted(known))}."


def arguments_from_mapping(
    mapping: Mapping[str, object], problems: list[Problem], *, allow: frozenset[str] = frozenset()
) -> dict[str, object]:
    """Keyword arguments for ``Policy`` from upper-case setting names.

    Unknown names are problems, with the closest known name as a hint: a
    silently ignored typo is how CORS configurations rot.
    """
    arguments: dict[str, object] = {}
    for key, value in mapping.items():
        setting = SETTINGS.get(key) if isinstance(key, str) else None
        if setting is not None:
            arguments[setting.argument] = value
        elif key not in allow:
            known = SETTINGS.keys() | allow
            hint = did_you_mean(str(key), dict.fromkeys(known))
            if key in ADAPTER_KEYS:
                hint = f"{key} is read by PathRules.from_mapping and the adapters, not by Policy."
            problems.append(Problem(str(key), value, "is not a corsguard setting.", hint))
    return arguments


_INTEGER = re.compile(r"-?[0-9]+")


def with_env(
    mapping: Mapping[str, object], env: Mapping[str, str] | None, prefix: str, problems: list[Problem]
) -> dict[str, object]:
    """``mapping`` with the ``<prefix><SETTING>`` variables of ``env`` laid
    over it: the environment wins, so a deployment can change origins
    without a code change."""
    merged = dict(mapping)
    if env is not None:
        merged.update(mapping_from_env(prefix, env, problems))
    return merged


def mapping_from_env(prefix: str, environ: Mapping[str, str], problems: list[Problem]) -> dict[str, object]:
    """Typed settings from ``PREFIX<SETTING>`` variables.

    Lists are comma-separated (blank items ignored); booleans are exactly
    true/false/1/0 and integers plain digits, because a silently
    misread ``ALLOW_CREDENTIALS=ture`` is worse than a refusal at start-up.
    Variables under the prefix that are close to a setting name are reported
    as typos; distant ones are left alone, since the environment is shared
    with other tools.
    """
    result: dict[str, object] = {}
    for name, raw in environ.items():
        if not name.startswith(prefix):
            continue
        key = name[len(prefix) :]
        setting = SETTINGS.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(SETTINGS), n=1, cutoff=0.75)
            if close:
                problems.append(
                    Problem(name, raw, "is not a corsguard setting.", f"did you mean {prefix + close[0]!r}?")
                )
            continue
        value = _parse_env_value(setting, raw.strip())
        if isinstance(value, _Invalid):
            problems.append(Problem(name, raw, value.message, value.hint))
        else:
            result[key] = value
    return result


@dataclass(frozen=True)
class _Invalid:
    message: str
    hint: str


def _parse_env_value(setting: Setting, raw: str) -> object:
    if setting.kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if setting.kind == "bool":
        lowered = raw.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        return _Invalid("is not a boolean.", "write true or false (or 1 or 0).")
    if setting.kind == "optional_int" and raw.lower() == "none":
        return None
    if _INTEGER.fullmatch(raw):
        return int(raw)
    extra = " or none" if setting.kind == "optional_int" else ""
    return _Invalid("is not an integer.", f"write a whole number{extra}, e.g. 600.")
