"""The shared scenario matrix's vocabulary.

A scenario is data: a configuration in corsguard's settings vocabulary, one
or more requests, and what each response must look like. Every adapter gets
the same scenarios and turns each request into a ``Result``; ``check``
judges all adapters by the same rules, including the ones that hold for
every response (one ACAO at most, no CR/LF in any header or log line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Union

ANY = object()  # "present, whatever the value"


@dataclass(frozen=True)
class Request:
    method: str = "GET"
    # The URL path as sent on the wire (percent-encoded); adapters decode it
    # the way their framework's server does.
    path: str = "/api/items"
    # Header pairs as sent; a name given twice is joined by ", " the way
    # WSGI servers and Django's request.META do.
    headers: tuple[tuple[str, str], ...] = ()
    cookies: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None


@dataclass(frozen=True)
class Expect:
    status: Union[int, tuple[int, ...], None] = 200
    # name -> exact value, or ANY for "present".
    headers: Mapping[str, object] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    # Tokens that must each appear exactly once in Vary (case-insensitive).
    vary: tuple[str, ...] = ()
    # Tokens that must not appear in Vary.
    vary_absent: tuple[str, ...] = ()
    # Whether a view of the application ran; None: not asserted.
    app_ran: bool | None = True
    body: bytes | None = None
    body_contains: bytes | None = None
    # How many lines of a header there must be, e.g. {"Set-Cookie": 2}.
    counts: Mapping[str, int] = field(default_factory=dict)
    # Substrings that some corsguard log record must contain.
    log_contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    request: Request
    expect: Expect


@dataclass(frozen=True)
class Scenario:
    name: str
    # Contract section or peers.md row this scenario proves.
    covers: str
    config: Mapping[str, object]
    steps: tuple[Step, ...] = ()
    # For configurations that must be refused at start-up: substrings of the
    # Problem.setting values the PolicyError must list.
    error_settings: tuple[str, ...] = ()
    # False where only a full stack can show the behaviour (the app's own
    # headers, bodies, errors); the engine-only runner leaves those out.
    engine: bool = True
    # Adapter features the scenario needs, e.g. "view-policies" (per-view
    # @cors_policy / @cors_exempt). An adapter runs the scenarios whose
    # features it has; the plain WSGI app has no views to decorate.
    requires: tuple[str, ...] = ()

    @property
    def expects_error(self) -> bool:
        return bool(self.error_settings)


@dataclass
class Result:
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes | None
    app_ran: bool | None
    log_messages: list[str] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


def _vary_tokens(result: Result) -> list[str]:
    return [token.strip().lower() for line in result.values("Vary") for token in line.split(",") if token.strip()]


def check(result: Result, expect: Expect, *, cors_only: bool = False) -> None:
    """Assert that ``result`` meets ``expect``; explain the first difference.

    ``cors_only`` is for the engine runner, which sees only what corsguard
    itself adds: statuses of responses it does not make, bodies and the
    application's own headers are not judged there.
    """
    shown = f"\nresponse: status={result.status} headers={result.headers!r}"
    _check_every_response(result, shown)
    if expect.status is not None and result.status is not None:
        allowed = expect.status if isinstance(expect.status, tuple) else (expect.status,)
        assert result.status in allowed, f"status {result.status}, expected {expect.status}" + shown
    _check_headers(result, expect, cors_only, shown)
    if not cors_only:
        _check_application(result, expect, shown)
    for fragment in expect.log_contains:
        assert any(fragment in message for message in result.log_messages), (
            f"no corsguard log line contains {fragment!r}: {result.log_messages!r}"
        )


def _check_every_response(result: Result, shown: str) -> None:
    """Rules for every response of every scenario (B5.5; peers: rs/cors; B6.1)."""
    assert len(result.values("Access-Control-Allow-Origin")) <= 1, "more than one ACAO line" + shown
    for name, value in result.headers:
        assert "\r" not in value and "\n" not in value, f"CR/LF in header {name}" + shown
    for message in result.log_messages:
        assert "\r" not in message and "\n" not in message, f"CR/LF in a log line: {message!r}"


def _check_headers(result: Result, expect: Expect, cors_only: bool, shown: str) -> None:
    for name, wanted in expect.headers.items():
        if cors_only and not _is_cors_header(name):
            continue
        values = result.values(name)
        assert values, f"{name} missing" + shown
        if wanted is not ANY:
            assert values == [wanted], f"{name} is {values!r}, expected {wanted!r}" + shown
    for name in expect.absent:
        assert not result.values(name), f"{name} present but must be absent" + shown
    tokens = _vary_tokens(result)
    for token in expect.vary:
        count = tokens.count(token.lower())
        assert count == 1, f"Vary has {token!r} {count} times, expected once" + shown
    for token in expect.vary_absent:
        assert token.lower() not in tokens, f"Vary has {token!r}" + shown


def _check_application(result: Result, expect: Expect, shown: str) -> None:
    if expect.app_ran is not None and result.app_ran is not None:
        assert result.app_ran == expect.app_ran, f"app ran: {result.app_ran}, expected {expect.app_ran}" + shown
    if expect.body is not None:
        assert result.body == expect.body, f"body {result.body!r}, expected {expect.body!r}"
    if expect.body_contains is not None:
        assert result.body is not None and expect.body_contains in result.body, f"body {result.body!r}"
    for name, count in expect.counts.items():
        assert len(result.values(name)) == count, f"{name} appears {len(result.values(name))} times" + shown


def _is_cors_header(name: str) -> bool:
    return name.lower().startswith("access-control-")
