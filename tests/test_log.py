"""The refusal log under attack (B6.2) and the hooks for metrics (B6.3).

A fake clock drives the rate limit's interval, so the tests are exact and
take no time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from corsguard import Policy, RequestFacts
from corsguard._engine import log

TRUSTED = "https://app.example.com"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    fake = Clock()
    state = log._state
    saved = (state.clock, state.limit, state.interval)
    state.clock = fake
    log.configure(warnings=3, interval=60.0)
    log.forget()
    yield fake
    state.clock, state.limit, state.interval = saved
    log.forget()


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    found: list[logging.LogRecord] = []
    # Only this test's thread: a listed store's poller from another test
    # module (testprojects.resolvers.listed_down) logs from its own thread.
    here = threading.get_ident()

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == here:
                found.append(record)

    handler = Keep(logging.DEBUG)
    previous = log.logger.level
    log.logger.addHandler(handler)
    log.logger.setLevel(logging.DEBUG)
    yield found
    log.logger.removeHandler(handler)
    log.logger.setLevel(previous)


POLICY = Policy(allowed_origins=[TRUSTED])


def refuse(origin: str, method: str = "GET", acrm: str | None = None, acrh: str | None = None) -> None:
    POLICY.evaluate(RequestFacts(method, origin, acrm, acrh, None, "/api"))


def warnings(found: list[logging.LogRecord]) -> list[str]:
    return [record.getMessage() for record in found if record.levelno == logging.WARNING]


def test_a_flood_is_bounded_and_summarised(clock: Clock, records: list[logging.LogRecord]) -> None:
    for index in range(1000):
        refuse(f"https://attacker{index}.example.net")
    # The first of the kind, then the budget of 3 more.
    assert len(warnings(records)) == 4
    assert sum(record.levelno == logging.DEBUG for record in records) == 996
    clock.now += 61
    refuse("https://typo.example.com")
    summary = [message for message in warnings(records) if "more refusals" in message]
    assert len(summary) == 1
    assert "996 more refusals" in summary[0] and "'https://attacker" in summary[0]


def test_the_most_refused_origin_leads_the_summary_whatever_the_flood(
    clock: Clock, records: list[logging.LogRecord]
) -> None:
    """A front-end refused again and again (a typo in ALLOWED_ORIGINS) must
    show in the summary, however many random origins an attacker sends."""
    for index in range(2_000):
        refuse(f"https://noise{index}.example.net")
        if index % 40 == 0:
            refuse("https://frontend-typo.example.com")
    clock.now += 61
    refuse("https://later.example.net")
    summary = next(message for message in warnings(records) if "more refusals" in message)
    assert "most refused origins: 'https://frontend-typo.example.com' (50)" in summary
    assert "noise" not in summary


def test_a_flood_without_repeats_names_what_was_held_back(clock: Clock, records: list[logging.LogRecord]) -> None:
    for index in range(100):
        refuse(f"https://noise{index}.example.net")
    clock.now += 61
    refuse("https://later.example.net")
    summary = next(message for message in warnings(records) if "more refusals" in message)
    assert "no origin was refused twice; first held back: 'https://noise4.example.net'" in summary


def test_first_refusal_of_each_kind_is_a_warning_even_when_the_budget_is_spent(
    clock: Clock, records: list[logging.LogRecord]
) -> None:
    for index in range(100):
        refuse(f"https://attacker{index}.example.net")
    before = len(warnings(records))
    refuse(TRUSTED, "OPTIONS", "PURGE")  # a method the policy does not allow
    refuse(TRUSTED, "OPTIONS", "PUT", "x-custom")  # a header it does not allow
    new = warnings(records)[before:]
    assert len(new) == 2
    assert "Method PURGE is not allowed" in new[0] and "Request header field x-custom" in new[1]


def test_repeats_are_debug_only(clock: Clock, records: list[logging.LogRecord]) -> None:
    for _ in range(5):
        refuse("https://typo.example.com")
    assert len(warnings(records)) == 1
    assert sum(record.levelno == logging.DEBUG for record in records) == 4


def test_nothing_is_counted_when_the_logger_is_off(clock: Clock) -> None:
    previous = log.logger.level
    log.logger.setLevel(logging.ERROR)
    try:
        for index in range(50):
            refuse(f"https://attacker{index}.example.net")
        assert not log._state.seen
    finally:
        log.logger.setLevel(previous)


def test_a_level_change_is_honoured_at_the_next_refusal(clock: Clock) -> None:
    """The log reads logging's own answers to isEnabledFor; each way of
    changing them (a level, ``logging.disable``, a logger disabled by
    ``dictConfig``) must show at the very next refusal, mid-flood: no line
    is composed for a level that is off (the explanation, worked out only
    for a line, is not asked for), and nothing is counted while the logger
    is off. logging would drop such a line itself, so what is watched here is
    corsguard's own work."""
    composed: list[str] = []

    def refused(origin: str) -> None:
        def detail() -> str:
            composed.append(origin)
            return "not listed"

        log.refusal(RequestFacts("GET", origin, None, None, None, "/api"), log.ORIGIN, "refused", detail)

    previous = log.logger.level
    log.logger.setLevel(logging.DEBUG)
    try:
        refused("https://typo.example.com")
        refused("https://typo.example.com")
        assert len(composed) == 2  # the first at WARNING, the repeat at DEBUG
        log.logger.setLevel(logging.WARNING)
        refused("https://typo.example.com")
        assert len(composed) == 2  # a repeat, and DEBUG is now off
        log.logger.disabled = True
        try:
            refused("https://third.example.com")
        finally:
            log.logger.disabled = False
        logging.disable(logging.WARNING)
        try:
            refused("https://other.example.com")
        finally:
            logging.disable(logging.NOTSET)
        assert len(composed) == 2
        assert {key[2] for key in log._state.seen} == {"https://typo.example.com"}
        log.logger.setLevel(logging.DEBUG)
        refused("https://typo.example.com")
        assert len(composed) == 3
    finally:
        log.logger.setLevel(previous)


def test_hooks_see_every_refusal_whatever_the_rate_limit(clock: Clock) -> None:
    seen: list[log.Refusal] = []
    remove = log.add_hook(seen.append)
    try:
        for index in range(20):
            refuse(f"https://attacker{index}.example.net")
        refuse(TRUSTED, "OPTIONS", "PURGE")
    finally:
        remove()
    assert len(seen) == 21
    assert {event.category for event in seen} == {log.ORIGIN, log.METHOD}
    assert seen[-1].kind == "preflight" and seen[-1].method == "PURGE" and seen[-1].path == "/api"
    assert "not in ALLOW_METHODS" in seen[-1].detail
    refuse("https://after.example.net")
    assert len(seen) == 21  # removed


def test_a_hook_that_raises_never_fails_the_request(clock: Clock, records: list[logging.LogRecord]) -> None:
    def broken(event: log.Refusal) -> None:
        raise RuntimeError("metrics backend down")

    remove = log.add_hook(broken)
    try:
        for _ in range(3):
            refuse("https://typo.example.com")
    finally:
        remove()
    reported = [record for record in records if "refusal hook raised" in record.getMessage()]
    assert len(reported) == 1 and reported[0].exc_info is not None
