"""What the checks share: the compiled configuration, read without raising."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.checks import CheckMessage, Error

from corsguard import Pipeline, Policy
from corsguard_django import conf

PREFIX = "corsguard_django."
_SHOWN_VALUE = 200


@dataclass(frozen=True)
class Configuration:
    """The settings' pipeline and the declared views, when they compile."""

    pipeline: Pipeline
    views: list[tuple[str, Policy | None]]

    def policies(self) -> Iterator[tuple[str, Policy]]:
        """Every policy in force, each with where it comes from."""
        yield "CORSGUARD", self.pipeline.policy
        for pattern, policy in self.pipeline.rules.rules:
            if policy is not None:
                yield f"CORSGUARD['PATHS'][{pattern!r}]", policy
        for label, view_policy in self.views:
            if view_policy is not None:
                yield label, view_policy


def load() -> Configuration | None:
    """The configuration, or None when it does not compile (E001-E003 say why)."""
    try:
        pipeline = conf.load_configuration().pipeline
        views = conf.load_views(pipeline)
    except conf.ConfigurationError:
        return None
    return Configuration(pipeline, views.declared)


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
