"""The fuzzing proof, short: every count is 0 through every adapter, and each
count can fail.

A count that cannot fail proves nothing, so each one is shown to go above 0
(or the slowest request over 1 ms) when the same harness, with the same
seed, is pointed at a deliberately broken WSGI middleware.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from corsguard import PathRules
from corsguard._adapters.wsgi import CorsMiddleware
from tests.proofs import fuzz, oracle
from tests.proofs.hostile import WSGIApp
from tests.proofs.tally import SLOW_NS

FIXED_SEED = 20240611
RANDOM_SEED = random.SystemRandom().randrange(1 << 32)
# About 24,000 requests in all: half with each seed.
SHORT = {"wsgi": 4000, "asgi": 2000, "django-sync": 2000, "django-async": 2000, "flask": 2000}
BROKEN_RUN = 1500  # requests through each broken middleware


@pytest.mark.parametrize("seed", [FIXED_SEED, RANDOM_SEED], ids=["fixed-seed", "random-seed"])
@pytest.mark.parametrize("adapter", fuzz.ADAPTERS)
def test_nothing_hostile_gets_through(adapter: str, seed: int) -> None:
    print(f"seed: {seed}")
    tally = fuzz.run(adapter, SHORT[adapter], seed, limit=60)
    assert tally.ok, f"seed {seed}:\n{tally.report()}"
    assert tally.requests == SHORT[adapter]


class Broken:
    """The real middleware with one thing wrong, done to the headers it starts the response with."""

    def __init__(self, app: WSGIApp, rules: PathRules) -> None:
        self.inner = CorsMiddleware(app, rules)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(*self.edit(environ, status, headers), exc_info)

        return self.inner(environ, start)

    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        return status, headers


class ReflectsAnyOrigin(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        kept = [(name, value) for name, value in headers if name.lower() != "access-control-allow-origin"]
        origin = environ.get("HTTP_ORIGIN")
        return status, kept + ([("Access-Control-Allow-Origin", origin)] if origin is not None else [])


class RefusesEverything(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        return status, [(name, value) for name, value in headers if not name.lower().startswith("access-control-")]


class DropsVary(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        return status, [(name, value) for name, value in headers if name.lower() != "vary"]


class EchoesOriginRaw(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        return status, [*headers, ("X-Seen-Origin", environ.get("HTTP_ORIGIN", ""))]


class LogsOriginRaw(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        logging.getLogger("corsguard").debug("origin " + environ.get("HTTP_ORIGIN", ""))
        return status, headers


class Answers500(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        return ("500 Internal Server Error" if "HTTP_ACCESS_CONTROL_REQUEST_HEADERS" in environ else status), headers


class Raises(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        if "\x00" in environ.get("HTTP_ORIGIN", ""):
            raise ValueError("NUL in Origin")
        return status, headers


class SwallowsAndLogs(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        try:
            environ["HTTP_ORIGIN"].encode("ascii")
        except (KeyError, UnicodeError):
            logging.getLogger("corsguard").warning("could not decide; refused", exc_info=True)
        return status, headers


class Slow(Broken):
    def edit(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]) -> tuple[str, list[Any]]:
        if environ["REQUEST_METHOD"] == "DELETE":
            time.sleep(0.0015)
        return status, headers


@pytest.mark.parametrize(
    ("broken", "count"),
    [
        (ReflectsAnyOrigin, "wrong_allows"),
        (RefusesEverything, "wrong_refusals"),
        (DropsVary, "vary"),
        (EchoesOriginRaw, "crlf"),
        (LogsOriginRaw, "crlf"),
        (Answers500, "exceptions"),
        (Raises, "exceptions"),
        (SwallowsAndLogs, "exceptions"),
    ],
)
def test_each_count_can_fail(broken: fuzz.Middleware, count: str) -> None:
    tally = fuzz.run("wsgi", BROKEN_RUN, FIXED_SEED, middleware=broken)
    assert tally.counts[count] > 0, tally.report()
    assert not tally.ok
    assert count in tally.examples  # the offending input is printed


def test_the_time_bound_can_fail() -> None:
    tally = fuzz.run("wsgi", 300, FIXED_SEED, middleware=Slow)
    assert tally.slowest_ns >= SLOW_NS, tally.report()
    assert not tally.ok
    assert "DELETE" in tally.report()  # the slowest request is printed


def test_the_time_limit_cuts_short_and_fails() -> None:
    tally = fuzz.run("wsgi", 1000, FIXED_SEED, limit=0)
    assert tally.cut_short and not tally.ok
    assert tally.requests < 1000


@pytest.mark.parametrize(
    ("origin", "parts"),
    [
        ("https://app.example.com", ("https", "app.example.com", None)),
        ("http://[::1]:8000", ("http", "[::1]", "8000")),
        ("https://app.example.com.", ("https", "app.example.com.", None)),
        ("https://app.example.com:443", None),
        ("http://localhost:65536", None),
        ("https://APP.example.com", None),
        ("https://u@app.example.com", None),
        ("https://app.example.com/", None),
        ("https://app..example.com", None),
        ("https://a, https://b", None),
        ("https://" + "a" * 293, None),
        ("null", None),
    ],
)
def test_oracle_grammar(origin: str, parts: tuple[str, str, str | None] | None) -> None:
    """The oracle is code too: a few answers worked out by hand."""
    assert oracle.parse(origin) == parts


@pytest.mark.parametrize(
    ("entry", "origin", "matches"),
    [
        ("https://*.example.org", "https://a.example.org", True),
        ("https://*.example.org", "https://a.b.example.org", True),
        ("https://*.example.org", "https://example.org", False),
        ("https://*.example.org", "https://evilexample.org", False),
        ("https://*.example.org", "https://example.org.evil.net", False),
        ("https://*.example.org", "https://a.example.org:8443", False),
        ("https://*.example.org", "http://a.example.org", False),
        ("https://*.example.org:8443", "https://a.example.org:8443", True),
        ("https://*.example.org:*", "https://a.example.org", True),
        ("http://localhost:*", "http://localhost", True),
        ("http://localhost:*", "http://localhost:3000", True),
        ("http://localhost:*", "https://localhost:3000", False),
        ("http://localhost:*", "http://localhost.evil.com:3000", False),
    ],
)
def test_oracle_patterns(entry: str, origin: str, matches: bool) -> None:
    parts = oracle.parse(origin)
    assert parts is not None
    assert oracle.entry_matches(entry, origin, parts) is matches


def test_oracle_path_rules() -> None:
    config: dict[str, object] = {"ALLOWED_ORIGINS": ["https://a.example"], "PATHS": [("/admin/.*", None), ("/.*", {})]}
    assert oracle.settings_for_path(config, oracle.routed_path("//admin/x")) is None
    assert oracle.settings_for_path(config, oracle.routed_path("/%61dmin/x")) is not None  # decoded once only
    assert oracle.settings_for_path(config, "") is None
    assert oracle.routed_path("a//b///") == "/a/b/"
    assert oracle.routed_path("/\xc3\xa9") == "/é"
