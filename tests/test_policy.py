"""The core's own API: configuration, derivation, hints, lint. Request
behaviour lives in the shared matrix; this file covers what is not a request."""

from __future__ import annotations

import re

import pytest

from corsguard import DEFAULT_HEADERS, DEFAULT_METHODS, Kind, PathRules, Policy, PolicyError, RequestFacts
from corsguard._engine.grammar import canonical_form, malformation
from corsguard._engine.headers import missing_vary, parse_acrh
from corsguard._engine.lint import findings
from corsguard._engine.plan import MAX_ANSWERS, MAX_REMEMBERED
from corsguard._engine.regexes import lookalike
from tests.matrix.runner import captured_logs


def problems(**kwargs: object) -> dict[str, str]:
    with pytest.raises(PolicyError) as info:
        Policy(**kwargs)  # type: ignore[arg-type]
    return {problem.setting: f"{problem.message} {problem.hint}" for problem in info.value.problems}


def test_defaults_match_the_documented_ones() -> None:
    policy = Policy()
    assert DEFAULT_METHODS == ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
    assert set(DEFAULT_HEADERS) == {
        "accept",
        "authorization",
        "content-type",
        "user-agent",
        "x-csrftoken",
        "x-requested-with",
    }
    assert policy.settings.max_age == 86400
    assert policy.settings.preflight_status == 204
    assert policy.settings.allow_credentials is False
    assert policy.settings.allow_private_network is False


@pytest.mark.parametrize(
    ("origin", "suggestion"),
    [
        ("https://app.example.com/", "'https://app.example.com'"),
        ("HTTPS://App.Example.com", "'https://app.example.com'"),
        ("https://app.example.com:443", "'https://app.example.com'"),
        ("app.example.com", "'https://app.example.com'"),
        ("https://bücher.example", "'https://xn--bcher-kva.example'"),
        ("https://app.example.com/path?q#f", "'https://app.example.com'"),
    ],
)
def test_malformed_origins_come_with_the_corrected_value(origin: str, suggestion: str) -> None:
    found = problems(allowed_origins=[origin])
    assert suggestion in found["ALLOWED_ORIGINS[0]"]


def test_glob_without_dot_hint_shows_the_lookalike() -> None:
    text = problems(allowed_origins=["https://*example.com"])["ALLOWED_ORIGINS[0]"]
    assert "https://evilexample.com" in text and "https://*.example.com" in text


def test_public_suffix_wildcard_refused_with_credentials_only() -> None:
    assert (
        "public suffix" in problems(allowed_origins=["https://*.co.uk"], allow_credentials=True)["ALLOWED_ORIGINS[0]"]
    )
    Policy(allowed_origins=["https://*.co.uk"])  # without credentials it is merely broad


def test_private_section_suffixes_count_as_public() -> None:
    """vercel.app is in the PSL's private section: anyone can get a name there."""
    assert "ALLOWED_ORIGINS[0]" in problems(allowed_origins=["https://*.vercel.app"], allow_credentials=True)


def test_insecure_origin_needs_the_dangerous_switch() -> None:
    assert (
        "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS"
        in problems(allowed_origins=["http://intranet.example.com"], allow_credentials=True)["ALLOWED_ORIGINS[0]"]
    )
    policy = Policy(
        allowed_origins=["http://intranet.example.com"],
        allow_credentials=True,
        dangerously_allow_insecure_origins_with_credentials=True,
    )
    assert policy.allows_origin("http://intranet.example.com")
    # Loopback is development, not a network: allowed without the switch.
    Policy(
        allowed_origins=["http://localhost:3000", "http://127.0.0.1:8000", "http://a.localhost:*"],
        allow_credentials=True,
    )


def test_types_are_checked_strictly() -> None:
    found = problems(allow_credentials="true", max_age="600", allowed_origins="https://a.com", preflight_status=201)
    assert set(found) == {"ALLOW_CREDENTIALS", "MAX_AGE", "ALLOWED_ORIGINS", "PREFLIGHT_STATUS"}
    assert "['https://a.com']" in found["ALLOWED_ORIGINS"]


def test_normalised_methods_are_upper_cased_others_kept() -> None:
    policy = Policy(allow_methods=["get", "Delete", "PATCH", "patch", "PROPFIND"])
    assert policy.settings.allow_methods == ("GET", "DELETE", "PATCH", "patch", "PROPFIND")


def test_from_mapping_reports_unknown_names_with_did_you_mean() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({"ALLOWED_ORIGIN": ["https://a.com"], "ALLOW_CREDENTIAL": True, "MAX_AGE": -1})
    text = str(info.value)
    assert "did you mean 'ALLOWED_ORIGINS'?" in text
    assert "did you mean 'ALLOW_CREDENTIALS'?" in text
    assert "MAX_AGE" in text
    assert text.startswith("corsguard: 3 problems")


def test_from_env_parses_lists_booleans_and_integers_strictly() -> None:
    policy = Policy.from_env(
        environ={
            "CORSGUARD_ALLOWED_ORIGINS": "http://localhost:3000, http://127.0.0.1:3000,,",
            "CORSGUARD_ALLOW_CREDENTIALS": "true",
            "CORSGUARD_MAX_AGE": "600",
            "CORSGUARD_REQUIRE_BROWSER": "1",  # another tool's variable: left alone
            "UNRELATED": "x",
        }
    )
    assert policy.settings.allowed_origins == ("http://localhost:3000", "http://127.0.0.1:3000")
    assert policy.settings.allow_credentials is True
    assert policy.settings.max_age == 600
    assert Policy.from_env(environ={"CORSGUARD_MAX_AGE": "none"}).settings.max_age is None


def test_from_env_reports_every_bad_value() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_env(
            environ={
                "CORSGUARD_ALLOW_CREDENTIALS": "yes please",
                "CORSGUARD_MAX_AGE": "10m",
                "CORSGUARD_ALLOWED_ORIGNS": "https://a.com",
            }
        )
    settings = {problem.setting for problem in info.value.problems}
    assert settings == {"CORSGUARD_ALLOW_CREDENTIALS", "CORSGUARD_MAX_AGE", "CORSGUARD_ALLOWED_ORIGNS"}
    assert "CORSGUARD_ALLOWED_ORIGINS" in str(info.value)


def test_env_overrides_the_mapping() -> None:
    policy = Policy.from_mapping(
        {"ALLOWED_ORIGINS": ["https://prod.example.com"]},
        env={"CORSGUARD_ALLOWED_ORIGINS": "https://staging.example.com"},
    )
    assert policy.settings.allowed_origins == ("https://staging.example.com",)


def test_policy_is_immutable_and_derivable() -> None:
    policy = Policy(allowed_origins=["https://a.com"])
    with pytest.raises(AttributeError):
        policy.settings = None  # type: ignore[misc, assignment]
    derived = policy.replace(allow_credentials=True, max_age=0)
    assert derived.settings.allow_credentials is True and policy.settings.allow_credentials is False
    assert policy.with_mapping({"MAX_AGE": 5}).settings.max_age == 5
    with pytest.raises(PolicyError, match="allow_credential"):
        policy.replace(allow_credential=True)
    with pytest.raises(PolicyError):
        policy.replace(allowed_origins=["*"], allow_credentials=True)


def test_each_allowed_response_gets_a_new_header_list() -> None:
    """peers: rs/cors, Starlette: a later middleware editing one response's
    headers must not change the next response."""
    policy = Policy(allowed_origins=["https://a.com"], allow_credentials=True, expose_headers=["x-a"])
    first = policy.evaluate(RequestFacts("GET", "https://a.com"))
    first.headers.append(("X-Poison", "1"))  # type: ignore[attr-defined]
    second = policy.evaluate(RequestFacts("GET", "https://a.com"))
    assert ("X-Poison", "1") not in second.headers
    assert first.headers is not second.headers
    pre = policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT"))
    pre.headers.clear()  # type: ignore[attr-defined]
    assert policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT")).headers


def test_allowed_preflight_answers_are_remembered_within_bounds() -> None:
    """Plan.answers: the ACRH of a repeated preflight is parsed once; the
    table cannot grow past MAX_ANSWERS, keeps no long request and no refusal."""
    policy = Policy(allowed_origins=["https://a.com"], allow_headers=["*"], allow_credentials=True)
    answers = policy._plan.answers
    first = policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", "x-a,x-b"))
    assert list(answers) == [("PUT", "x-a,x-b", None)]
    again = policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", "x-a,x-b"))
    assert again == first and again.headers is not first.headers
    assert ("Access-Control-Allow-Headers", "x-a,x-b") in again.headers  # reflected with credentials
    for n in range(MAX_ANSWERS + 10):
        policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", f"x-{n}"))
    assert 0 < len(answers) <= MAX_ANSWERS
    answers.clear()
    policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", "x-" + "a" * MAX_REMEMBERED))
    assert not answers
    with captured_logs() as messages:
        for _ in range(2):
            refused = policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", "bad header"))
            assert not refused.allowed
    assert not answers
    assert len([message for message in messages if "Access-Control-Request-Headers" in message]) == 2
    # Another origin gets its own ACAO with the remembered lines.
    other = Policy(allowed_origins=["https://a.com", "https://b.com"])
    other.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT"))
    answer = other.evaluate(RequestFacts("OPTIONS", "https://b.com", "PUT"))
    assert answer.headers[0] == ("Access-Control-Allow-Origin", "https://b.com")


class _CountingHash(str):
    """A request value that counts how often it is hashed."""

    hashed = 0

    def __hash__(self) -> int:
        _CountingHash.hashed += 1
        return super().__hash__()


@pytest.mark.parametrize("field", ["acrm", "acrh", "acrpn"])
def test_a_long_preflight_value_is_never_hashed(field: str) -> None:
    """B1.5: remembering answers must not hash a megabyte (hundreds of µs)."""
    policy = Policy(allowed_origins=["https://a.com"], allow_headers=["*"], allow_private_network=True)
    values = {"acrm": "PUT", "acrh": "x-a", "acrpn": "true"}
    values[field] = _CountingHash("x" * (MAX_REMEMBERED + 1))
    _CountingHash.hashed = 0
    for _ in range(2):
        policy.evaluate(RequestFacts("OPTIONS", "https://a.com", values["acrm"], values["acrh"], values["acrpn"]))
    assert _CountingHash.hashed == 0
    assert not policy._plan.answers


def test_refusal_reasons_are_the_browsers_words() -> None:
    policy = Policy(allowed_origins=["https://a.com"])
    assert policy.evaluate(RequestFacts("GET", "https://b.com")).reason == (
        "No 'Access-Control-Allow-Origin' header is present on the requested resource."
    )
    assert policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PURGE")).reason == (
        "Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response."
    )
    assert policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT", "x-custom")).reason == (
        "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response."
    )
    refused = policy.evaluate(RequestFacts("OPTIONS", "https://b.com", "PUT"))
    assert refused.kind is Kind.PREFLIGHT and refused.status == 403 and not refused.headers
    assert refused.reason.startswith("Response to preflight request doesn't pass access control check: No ")
    # Request input in a reason is escaped, never raw.
    assert "\n" not in policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "PUT\r\nX: y")).reason


def test_safelisted_methods_never_need_listing() -> None:
    """Fetch: GET, HEAD and POST pass a preflight whatever ACAM says."""
    policy = Policy(allowed_origins=["https://a.com"], allow_methods=["PUT"])
    assert policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "POST")).allowed
    assert not policy.evaluate(RequestFacts("OPTIONS", "https://a.com", "DELETE")).allowed


def test_acrh_parsing_is_bounded_and_tolerant() -> None:
    assert parse_acrh("content-type,x-a", 100) == ["content-type", "x-a"]
    assert parse_acrh(" Content-Type , ,X-A ", 100) == ["content-type", "x-a"]
    assert parse_acrh("x" * 101, 100) is None
    assert parse_acrh("bad header", 100) is None


def test_vary_merge_appends_once_and_keeps_star() -> None:
    assert missing_vary([], ("Origin",)) == ["Origin"]
    assert missing_vary(["Accept-Encoding"], ("Origin",)) == ["Origin"]
    assert missing_vary(["accept-encoding, origin"], ("Origin",)) == []
    assert missing_vary(["*"], ("Origin",)) == []
    assert missing_vary(["Accept-Encoding", "Cookie, ORIGIN"], ("Origin", "Access-Control-Request-Method")) == [
        "Access-Control-Request-Method"
    ]


def test_malformation_and_canonical_form() -> None:
    assert malformation("https://a.com") == ""
    assert malformation("https://a.com/") == "ends with a slash"
    assert "several origins" in malformation("https://a.com, https://b.com")
    assert "longer than" in malformation("https://" + "a" * 400)
    assert canonical_form("HTTP://A.com:80/") == "http://a.com"
    assert canonical_form("https://a.com") is None
    # The opaque origin is never taken for a host name.
    assert canonical_form("NULL") == canonical_form(" null") == "null"
    assert canonical_form("null") is None


def test_path_rules_report_every_problem_with_their_location() -> None:
    base = Policy(allowed_origins=["https://a.com"])
    with pytest.raises(PolicyError) as info:
        PathRules(base, [("/api/*", {}), ("/x(", {}), ("/y", {"MAX_AGE": -1}), ("/z", "yes")])  # type: ignore[list-item]
    settings = [problem.setting for problem in info.value.problems]
    assert settings == ["PATHS['/api/*']", "PATHS['/x(']", "PATHS['/y'].MAX_AGE", "PATHS['/z']"]
    assert "'/api/.*'" in str(info.value)


def test_lint_warns_about_production_smells() -> None:
    policy = Policy(
        allowed_origins=["*", "http://app.example.com", "http://localhost:3000", "null", "https://ok.example.com"],
        origin_regexes=[r"https://[a-z]+\.example.com", r"https://[a-z0-9-]+\.example\.com"],
        allow_methods=["GET", "patch"],
        max_age=86401,
    )
    codes = [(finding.setting, finding.code) for finding in findings(policy, production=True)]
    assert codes == [
        ("ALLOWED_ORIGINS[0]", "any-origin"),
        ("ALLOWED_ORIGINS[1]", "insecure-origin"),
        ("ALLOWED_ORIGINS[2]", "localhost-origin"),
        ("ALLOWED_ORIGINS[3]", "null-origin"),
        ("ORIGIN_REGEXES[0]", "regex-lookalike"),
        ("ALLOW_METHODS[1]", "method-case"),
        ("MAX_AGE", "max-age-capped"),
    ]
    development = [finding.code for finding in findings(policy, production=False)]
    assert "localhost-origin" not in development and "regex-lookalike" in development
    assert findings(Policy(), production=True) == []  # the defaults never warn


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"https://[a-z0-9-]+\.example\.com", None),
        (r"https://.*\.example\.com", None),
        (r"https://[a-z0-9-]+\.example.com", "https://a.examplexcom"),
        (r"https://.*example\.com", "https://evilexample.com"),
        (r"^https://\w+\.example\.com$", None),
        (r"https://[a-z.]+\.example\.com.*", "https://a.example.com.evil.net"),
    ],
)
def test_regex_lookalikes(regex: str, expected: str | None) -> None:
    assert lookalike(re.compile(regex)) == expected
