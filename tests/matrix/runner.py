"""Runs a scenario through one adapter: the only loop over steps there is."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest

from corsguard import PolicyError
from corsguard._engine import log as cors_log
from testprojects import contract
from tests.matrix.model import Request, Result, Scenario, check

App = TypeVar("App")


class Collector(logging.Handler):
    """Every record it is given, as its message (the docs runner uses it too)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_logs() -> Iterator[list[str]]:
    """Every corsguard log message, DEBUG included, as the handler would see it."""
    logger = logging.getLogger("corsguard")
    collector = Collector()
    previous = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    cors_log.forget()
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous)


def run_scenario(
    scenario: Scenario,
    build: Callable[[object], App],
    send: Callable[[App, Request], Result],
    *,
    cors_only: bool = False,
) -> None:
    """Build the adapter from the scenario's configuration, send each step's
    request, and judge each response with the shared ``check``."""
    if scenario.expects_error:
        with pytest.raises(PolicyError) as info:
            build(scenario.config)
        reported = [problem.setting for problem in info.value.problems]
        for setting in scenario.error_settings:
            assert setting in reported, f"{setting} not reported; problems: {info.value}"
        for problem in info.value.problems:
            assert problem.message and problem.hint, f"problem without message or hint: {problem}"
        return
    app = build(scenario.config)
    for step in scenario.steps:
        contract.VIEW_CALLS.clear()
        with captured_logs() as messages:
            result = send(app, step.request)
        result.log_messages = list(messages)
        check(result, step.expect, cors_only=cors_only)
