"""The browser model (corsguard._engine.browser): Fetch's client side, checked
against the engine on every matrix scenario, and against Fetch's own rules."""

from __future__ import annotations

import pytest

from corsguard import Decision, Kind, PathRules
from corsguard._engine.browser import (
    PREFLIGHT_PREFIX,
    PreflightCache,
    Request,
    Response,
    cors_check,
    could_be_sent_by_a_browser,
    judge,
    needs_preflight,
    preflight_cache_seconds,
    preflight_check,
    readable_headers,
    unsafe_header_names,
)
from tests.matrix.model import Scenario
from tests.matrix.scenarios import ENGINE_SCENARIOS
from tests.matrix.wsgi_adapter import facts_for

# A value no header name can have and stay CORS-safelisted.
UNSAFE_VALUE = "{}"


def _decide(scenario: Scenario, index: int) -> tuple[PathRules, Decision]:
    request = scenario.steps[index].request
    rules = PathRules.from_mapping(dict(scenario.config))
    decision = rules.evaluate(facts_for(request))
    return rules, decision


def _judged(scenario: Scenario, index: int) -> bool:
    """Steps with a browser verdict: CORS requests fetch() could have sent."""
    request = scenario.steps[index].request
    if not could_be_sent_by_a_browser(request.header("Origin"), request.header("Access-Control-Request-Headers")):
        return False
    return _decide(scenario, index)[1].kind is not Kind.NOT_CORS


STEPS = [
    pytest.param(scenario, index, id=f"{scenario.name}-{index}")
    for scenario in ENGINE_SCENARIOS
    if not scenario.expects_error
    for index in range(len(scenario.steps))
    if _judged(scenario, index)
]


def test_most_scenarios_have_a_browser_verdict() -> None:
    assert len(STEPS) >= 60


@pytest.mark.parametrize(("scenario", "index"), STEPS)
def test_model_and_engine_agree_on_every_scenario(scenario: Scenario, index: int) -> None:
    """For every request a browser could send, the engine's verdict and its
    refusal reason are exactly what the model of the browser concludes from
    the headers the engine sends."""
    request = scenario.steps[index].request
    origin = request.header("Origin")
    acrh = request.header("Access-Control-Request-Headers")
    assert origin is not None
    rules, decision = _decide(scenario, index)
    policy = rules.policy_for(request.path)
    credentials = bool(policy and policy.settings.allow_credentials)
    if decision.kind is Kind.PREFLIGHT:
        browser_request = Request(
            url="http://api.test" + request.path,
            origin=origin,
            method=request.header("Access-Control-Request-Method") or "",
            headers={name: UNSAFE_VALUE for name in (acrh or "").split(",") if name},
            credentials=credentials,
            private_network=request.header("Access-Control-Request-Private-Network") == "true",
        )
        # The model's preflight asks for exactly what the scenario's did.
        assert dict(browser_request.preflight_headers()).get("Access-Control-Request-Headers") == acrh
        failure = preflight_check(Response(decision.status, decision.response_headers()), browser_request)
        assert (failure is None) == decision.allowed, failure
        assert (failure or "") == decision.reason
    else:
        detail = cors_check(Response(200, list(decision.headers)), origin, credentials)
        assert (detail is None) == decision.allowed
        assert (detail or "") == decision.reason


def test_simple_requests_need_no_preflight() -> None:
    assert not needs_preflight("GET", {})
    assert not needs_preflight("post", {"Content-Type": "text/plain;charset=UTF-8", "Accept": "application/json"})
    assert not needs_preflight("GET", {"Range": "bytes=0-99"})
    assert needs_preflight("PUT", {})
    assert needs_preflight("patch", {})  # not normalised: 'patch' stays 'patch'
    assert needs_preflight("POST", {"Content-Type": "application/json"})
    assert needs_preflight("GET", {"Authorization": "Bearer x"})
    assert needs_preflight("GET", {"Accept": "a" * 129})  # over 128 bytes
    assert needs_preflight("GET", {"Accept-Language": "en(x)"})


def test_unsafe_names_are_lower_case_sorted_unique() -> None:
    assert unsafe_header_names({"X-B": "1", "Authorization": "t", "content-type": "application/json"}) == [
        "authorization",
        "content-type",
        "x-b",
    ]
    assert unsafe_header_names({"Accept": "a" * 128, "Accept-Language": "en-GB"}) == []
    assert unsafe_header_names({"Accept": "a" * 129, "Content-Type": "multipart/form-data; boundary=x"}) == ["accept"]


def test_cors_check_messages() -> None:
    origin = "https://app.example.com"
    assert cors_check(Response(200, [("Access-Control-Allow-Origin", origin)]), origin, False) is None
    assert "multiple values 'https://a.com, https://b.com'" in (
        cors_check(
            Response(
                200,
                [("Access-Control-Allow-Origin", "https://a.com"), ("Access-Control-Allow-Origin", "https://b.com")],
            ),
            origin,
            False,
        )
        or ""
    )
    assert "wildcard '*'" in (cors_check(Response(200, [("Access-Control-Allow-Origin", "*")]), origin, True) or "")
    assert "is '' which must be 'true'" in (
        cors_check(Response(200, [("Access-Control-Allow-Origin", origin)]), origin, True) or ""
    )
    assert "not equal to the supplied origin" in (
        cors_check(Response(200, [("Access-Control-Allow-Origin", "https://other.com")]), origin, False) or ""
    )


def test_preflight_checks_acao_before_status() -> None:
    request = Request("http://api.test/x", "https://app.example.com", "PUT")
    verdict = judge(request, Response(404, []), None)
    assert (
        verdict.detail
        == PREFLIGHT_PREFIX + "No 'Access-Control-Allow-Origin' header is present on the requested resource."
    )
    verdict = judge(request, Response(404, [("Access-Control-Allow-Origin", "https://app.example.com")]), None)
    assert verdict.detail == PREFLIGHT_PREFIX + "It does not have HTTP ok status."
    verdict = judge(request, Response(301, [], redirected=True), None)
    assert verdict.detail.endswith("Redirect is not allowed for a preflight request.")


def test_wildcards_and_authorization() -> None:
    origin = "https://app.example.com"
    answer = Response(
        204,
        [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Headers", "*"),
            ("Access-Control-Allow-Methods", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ],
    )
    plain = Request("u", origin, "PROPFIND", {"X-A": "1", "Authorization": "t"})
    assert judge(plain, answer, Response(200, [("Access-Control-Allow-Origin", origin)])).ok
    credentialed = Request("u", origin, "PROPFIND", {"X-A": "1"}, credentials=True)
    assert judge(credentialed, answer, None).detail == (
        "Method PROPFIND is not allowed by Access-Control-Allow-Methods in preflight response."
    )


def test_preflight_cache_follows_max_age() -> None:
    origin = "https://app.example.com"
    request = Request("u", origin, "PUT", {"Content-Type": "application/json"})
    answer = Response(
        204,
        [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "content-type"),
            ("Access-Control-Max-Age", "86400"),
        ],
    )
    assert preflight_cache_seconds(answer) == 7200
    cache = PreflightCache()
    cache.store(request, answer, now=0)
    assert cache.covers(request, now=7199) and not cache.covers(request, now=7200)
    assert not cache.covers(Request("u", origin, "DELETE"), now=1)
    zero = Response(204, [*answer.headers[:3], ("Access-Control-Max-Age", "0")])
    cache = PreflightCache()
    cache.store(request, zero, now=0)
    assert not cache.covers(request, now=0)
    assert preflight_cache_seconds(Response(204, [])) == 5


def test_readable_headers() -> None:
    response = Response(
        200,
        [
            ("X-Total-Count", "3"),
            ("X-Secret", "s"),
            ("Content-Type", "a/b"),
            ("Access-Control-Expose-Headers", "x-total-count"),
        ],
    )
    assert readable_headers(response, credentials=False) == {"x-total-count", "content-type"}


def test_hand_made_requests_have_no_browser_verdict() -> None:
    assert could_be_sent_by_a_browser("https://a.com", "authorization,content-type")
    assert not could_be_sent_by_a_browser("https://a.com", ",,,")
    assert not could_be_sent_by_a_browser("https://a.com", "Content-Type")
    assert not could_be_sent_by_a_browser("https://a.com", "x-b,x-a")
    assert not could_be_sent_by_a_browser("https://a.com, https://b.com", None)
