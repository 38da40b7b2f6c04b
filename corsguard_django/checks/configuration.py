"""E001-E003, W005 and the core's lint findings: is the configuration itself right?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Info, Warning

from corsguard import Problem
from corsguard._engine import lint
from corsguard._engine.settings import ADAPTER_KEYS, SETTINGS
from corsguard._pipeline import unconfigured
from corsguard_django import conf
from corsguard_django.checks.common import PREFIX, Configuration, error, load, shown, where

# The core's stable lint codes, as this adapter's check ids.
LINT_IDS: dict[str, str] = {
    lint.ANY_ORIGIN: "W010",
    lint.NULL_ORIGIN: "W011",
    lint.INSECURE_ORIGIN: "W012",
    lint.LOCALHOST_ORIGIN: "W013",
    lint.REGEX_LOOKALIKE: "W014",
    lint.METHOD_CASE: "W015",
    lint.MAX_AGE_CAPPED: "I001",
    lint.PUBLIC_SUFFIX: "W016",
    lint.HEADER_REGEX: "W017",
    lint.REGEX_BACKTRACKING: "I002",
    lint.REGEX_NEVER_MATCHES: "W018",
}
# A finding the core adds later still surfaces, under a catch-all id.
OTHER_LINT_ID = "W019"


def check_configuration(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        pipeline = conf.load_configuration().pipeline
    except conf.ConfigurationError as failure:
        return settings_errors(failure.problems)
    try:
        conf.load_views(pipeline)
    except conf.ConfigurationError as failure:
        return [view_error(problem) for problem in failure.problems]
    configuration = load()
    assert configuration is not None
    return [*nothing_allowed(configuration), *lint_findings(configuration)]


def view_error(problem: Problem) -> CheckMessage:
    """E003, the value said once, and the fix that stays on the view when
    the clash is with the settings' credentials."""
    value = shown(problem.value)
    said = problem.message if problem.message.startswith(value) else f"{value} {problem.message}"
    hint = problem.hint[:1].upper() + problem.hint[1:]
    if "ALLOW_CREDENTIALS" in problem.message:
        hint += " Or, if this view needs no cookies, pass allow_credentials=False to its @cors_policy."
    return error("E003", f"{problem.setting}: {said}", hint)


def settings_errors(problems: Sequence[Problem]) -> list[CheckMessage]:
    """E001 per problem; E002 for the ones that are unknown keys of the dict."""
    unknown = unknown_keys()
    messages = []
    for problem in problems:
        if problem.setting in unknown:
            messages.append(
                error("E002", f"{conf.SETTING} has an unknown key {problem.setting!r}.", f"Rename it: {problem.hint}")
            )
        else:
            messages.append(
                error("E001", f"{where(problem.setting)} = {shown(problem.value)}: {problem.message}", problem.hint)
            )
    return messages


def unknown_keys() -> frozenset[str]:
    try:
        mapping = conf.settings_mapping()
    except conf.ConfigurationError:
        return frozenset()
    return frozenset(str(key) for key in mapping if key not in SETTINGS and key not in ADAPTER_KEYS)


def nothing_allowed(configuration: Configuration) -> list[CheckMessage]:
    """W005: an empty allow-list everywhere is almost always a missing setting."""
    if any(unconfigured.allows_something(policy) for _, policy in configuration.policies()):
        return []
    found = unconfigured.lookalikes(dir(settings), conf.SETTING)
    seen = f" Found {', '.join(repr(name) for name in found)}, which corsguard does not read." if found else ""
    return [
        Warning(
            f"corsguard allows no origin: every cross-origin request will be refused. Looked for "
            f"settings.{conf.SETTING}['ALLOWED_ORIGINS'] and {conf.ENV_PREFIX}* environment variables.{seen}",
            hint=(
                f"List your front-end's origin in {conf.SETTING}['ALLOWED_ORIGINS'], or set the environment "
                f"variable {conf.ENV_PREFIX}ALLOWED_ORIGINS (e.g. http://localhost:3000 in development)."
            ),
            id=PREFIX + "W005",
        )
    ]


def lint_findings(configuration: Configuration) -> list[CheckMessage]:
    """The core's findings for every policy in force, each said once.

    ``DEBUG`` off means production: that is when localhost, plain-http,
    ``null`` and ``*`` origins are worth a warning. Patterns open to a whole
    public suffix are worth one always (W016).
    """
    production = not settings.DEBUG
    seen: set[tuple[str, str]] = set()
    messages: list[CheckMessage] = []
    for source, policy in configuration.policies():
        for finding in lint.findings(policy, production=production):
            key = (finding.code, repr(finding.value))
            if key in seen:
                continue
            seen.add(key)
            number = LINT_IDS.get(finding.code, OTHER_LINT_ID)
            kind = Info if number.startswith("I") else Warning
            place = where(finding.setting) if source == conf.SETTING else f"{source} {finding.setting}"
            messages.append(
                kind(f"{place} = {shown(finding.value)}: {finding.message}", hint=finding.hint, id=PREFIX + number)
            )
    return messages
