"""Every row of the pattern-safety review, as a test (B12).

The first table is three hostile requests that pinned a worker for seconds
through ``corsguard._adapters.wsgi.CorsMiddleware``; the second is the configurations
that slipped past the sampled start-up checks with credentials on.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable

import pytest

from corsguard import Policy, PolicyError
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard._engine.lint import REGEX_BACKTRACKING, REGEX_NEVER_MATCHES, findings

# Under re these inputs take 2.2 s, 17 ms (growing) and 4.1 s at 26
# characters, doubling per character; 60 characters would take years.
HOSTILE = [
    ({"origin_regexes": [r"https://(a+)+\.example\.com"]}, None, "https://" + "a" * 60 + "b.example.com", "/"),
    ({"origin_regexes": [r"https://(a|aa)+\.example\.com"]}, None, "https://" + "a" * 60 + "b.example.com", "/"),
    (
        {"allowed_origins": ["https://app.example.com"]},
        [(r"/api/(\w+/?)+/private", {})],
        None,
        "/api/" + "a" * 8000 + "!",
    ),
]
# Generous for a loaded shared machine; the backtracking engine needs
# seconds for the first 30 characters.
ONE_REQUEST_BUDGET_S = 0.25


def _app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
    return [b"ok"]


@pytest.mark.parametrize(("settings", "paths", "origin", "path"), HOSTILE)
def test_a_hostile_request_costs_a_bounded_time(
    settings: dict[str, list[str]], paths: list[tuple[str, dict[str, object]]] | None, origin: str | None, path: str
) -> None:
    middleware = CorsMiddleware(_app, Policy(**settings), paths=paths)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "t", "SERVER_PORT": "80"}
    environ["HTTP_ORIGIN"] = origin or "https://app.example.com"
    statuses: list[str] = []
    started = time.perf_counter()
    body = b"".join(middleware(environ, lambda status, headers, *_: statuses.append(status)))  # type: ignore[arg-type]
    spent = time.perf_counter() - started
    assert statuses == ["200 OK"] and body == b"ok"
    assert spent < ONE_REQUEST_BUDGET_S, spent


# (configuration with credentials, an origin the refusal must name, words of the fix)
REFUSED = [
    ({"origin_regexes": [r"https?://app\.example\.com"]}, "'http://app.example.com'", "literal scheme"),
    ({"allowed_origins": ["https://*.amazonaws.com"]}, "s3.amazonaws.com", "list your own hosts"),
    ({"allowed_origins": ["https://*.core.windows.net"]}, "a public suffix under 'core.windows.net'", "list your own"),
    (
        {"origin_regexes": [r"https://[a-z0-9]+\.vercel\.app"]},
        "'https://attacker.vercel.app'",
        "list the exact origins",
    ),
    ({"origin_regexes": [r"https://\w+\.\w+"]}, "'https://evil.com'", "literal scheme"),
    ({"origin_regexes": [r"(?i)https?://[a-z]+\.example\.com"]}, "'http://", "literal scheme"),
    (
        {"origin_regexes": [r"https://[a-z]+\.(example\.com|github\.io)"]},
        "'https://attacker.github.io'",
        "list the exact",
    ),
    ({"origin_regexes": [r"https://[a-z]+\.example\.(com|net)?"]}, "'https://", "list the exact"),
    ({"origin_regexes": [r"https://[a-z.]+(:\d+)?"]}, "'https://attacker", "literal scheme"),
    ({"origin_regexes": [r"https://.*\.s3\.amazonaws\.com"]}, "'https://attacker.s3.amazonaws.com'", "list the exact"),
    ({"origin_regexes": [r"https://.*\.amazonaws\.com"]}, "s3.amazonaws.com", "list your own hosts"),
    ({"origin_regexes": [r"http://10\.0\.0\.\d+"]}, "'http://10.0.0.", "use https://"),
    ({"origin_regexes": ["null"]}, "'null'", "scheme"),
    ({"origin_regexes": [r"https://[a-z]+example\.com"]}, "example.com'", "list the exact"),
]


@pytest.mark.parametrize(("settings", "named", "fix"), REFUSED)
def test_unsafe_patterns_with_credentials_are_refused_with_an_example(
    settings: dict[str, list[str]], named: str, fix: str
) -> None:
    with pytest.raises(PolicyError) as refused:
        Policy(allow_credentials=True, **settings)
    text = str(refused.value)
    source = (settings.get("origin_regexes") or settings["allowed_origins"])[0]
    assert repr(source) in text and named in text and fix in text, text


ACCEPTED = [
    r"https://[a-z0-9-]+\.example\.com",
    r"(?i)https://[a-z]+\.example\.com(:\d+)?",
    r"^https://(app|admin)\.example\.com$",
    r"https://(?:app|www)\.github\.io",  # two named sites under a public suffix
    r"https://[a-z]+\.amazonaws\.com",  # one label: no public suffix below is reachable
    r"https://mybucket\.s3\.amazonaws\.com",
    r"http://(localhost|127\.0\.0\.1|\[::1\]):\d+",
    r"https://a\.example\.com:8443",
    r"https://(a+)+\.example\.com",  # safe, and matched in linear time
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_safe_patterns_with_credentials_are_accepted(source: str) -> None:
    policy = Policy(allow_credentials=True, origin_regexes=[source])
    assert policy.settings.origin_regexes


def test_the_insecure_switch_lets_plain_http_regexes_in() -> None:
    policy = Policy(
        allow_credentials=True,
        origin_regexes=[r"http://[a-z]+\.corp\.example\.com"],
        dangerously_allow_insecure_origins_with_credentials=True,
    )
    assert policy.allows_origin("http://wiki.corp.example.com")
    assert not policy.allows_origin("http://wiki.corp.example.com.evil.net")


@pytest.mark.parametrize(
    ("source", "construct"),
    [
        (r"https://(\w+)\.\1\.example\.com", "backreference"),
        (r"https://(?!admin)[a-z]+\.example\.com", "negative lookahead"),
        (r"https://(?=a)[a-z]+\.example\.com", "lookahead"),
        (r"https://(?>[a-z]+)\.example\.com", "atomic group"),
        (r"https://[a-z]++\.example\.com", "possessive"),
        (r"https://x\b\.example\.com", r"\b"),
        ("https://" + "a" * 1001, "at most 1000"),
        (r"https://[a-z]{1,2000}\.example\.com", "too large"),
    ],
)
def test_constructs_that_need_backtracking_are_refused_by_name(source: str, construct: str) -> None:
    with pytest.raises(PolicyError) as refused:
        Policy(origin_regexes=[source])
    text = str(refused.value)
    # Python 3.10's re has no atomic groups or possessive repeats: they fail to compile.
    named = construct in text or (sys.version_info < (3, 11) and "does not compile" in text)
    assert named and "Hint:" in text, text


def test_every_bad_pattern_is_listed_at_once() -> None:
    with pytest.raises(PolicyError) as refused:
        Policy(origin_regexes=["(", r"(\w)\1", re.compile(r"https://(?<=x)y")])
    assert len(refused.value.problems) == 3


def test_path_rules_refuse_backreferences_and_match_in_linear_time() -> None:
    with pytest.raises(PolicyError, match="backreference"):
        CorsMiddleware(_app, Policy(allowed_origins=["https://a.example"]), paths=[(r"/(\w+)/\1", {})])


def test_compiled_patterns_keep_their_flags() -> None:
    policy = Policy(origin_regexes=[re.compile(r"HTTPS://[A-Z]+\.EXAMPLE\.COM", re.IGNORECASE)])
    assert policy.allows_origin("https://app.example.com")
    assert not policy.allows_origin("https://app.example.com.evil.net")
    assert policy.settings.origin_regexes == (r"(?i)HTTPS://[A-Z]+\.EXAMPLE\.COM",)


def test_lint_reports_the_slow_engine_and_patterns_that_never_match() -> None:
    policy = Policy(origin_regexes=[r"https://([a-z0-9]+-?)*\.example\.com", "null"])
    codes = {finding.code for finding in findings(policy, production=True)}
    assert {REGEX_BACKTRACKING, REGEX_NEVER_MATCHES} <= codes


def test_lint_reports_public_suffixes_reached_without_credentials() -> None:
    policy = Policy(origin_regexes=[r"https://[a-z0-9]+\.vercel\.app"])
    messages = [finding.message for finding in findings(policy, production=True)]
    assert any("vercel.app" in message for message in messages), messages
