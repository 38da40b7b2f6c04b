"""What the checks share: the compiled configuration, read without raising."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from django.core.checks import CheckMessage, Error

from corsguard import PathRules, Policy
from corsguard_django import conf

PREFIX = "corsguard_django."
_SHOWN_VALUE = 200


@dataclass(frozen=True)
class Configuration:
    """The settings' rules and the decorated views, when they compile."""

    rules: PathRules
    views: list[tuple[str, Policy | None]]

    def policies(self) -> Iterator[tuple[str, Policy]]:
        """Every policy in force, each with where it comes from."""
        yield "CORSGUARD", self.rules.policy
        for pattern, policy in self.rules.rules:
            if policy is not None:
                yield f"CORSGUARD['PATHS'][{pattern!r}]", policy
        for label, view_policy in self.views:
            if view_policy is not None:
                yield label, view_policy


def load() -> Configuration | None:
    """The configuration, or None when it does not compile (E001-E003 say why)."""
    try:
        rules = conf.load_rules()
        views = conf.load_views(rules)
    except conf.ConfigurationError:
        return None
    return Configuration(rules, views.declared)


def strings(policy: Policy, setting: str) -> tuple[str, ...]:
    """A list setting of a compiled policy (normalised by the core to a tuple)."""
    return cast(tuple[str, ...], policy.settings[setting])


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "..."


def where(setting: str) -> str:
    """A core ``Problem.setting`` as the place the user wrote it."""
    if setting.startswith(conf.ENV_PREFIX) and setting in os.environ:
        return f"environment variable {setting}"
    if setting == conf.SETTING:
        return f"settings.{conf.SETTING}"
    return f"{conf.SETTING} {setting}"


def error(number: str, message: str, hint: str) -> CheckMessage:
    return Error(message, hint=hint or None, id=PREFIX + number)
