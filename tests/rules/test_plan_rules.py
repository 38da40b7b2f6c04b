"""Validated settings compiled into the answers a policy gives (B4.2, B4.7,
B5.1, B9.2, B6.2).

Each policy is built inside its test, so every row compiles its plan then
and there (a policy built when the module is imported would be compiled
once, before a mutation run swaps the engine's functions).
``corsguard._engine.plan`` is mutated against these rows (docs/mutation.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from corsguard import Policy, RequestFacts
from corsguard._engine.plan import MAX_ANSWERS, MAX_REMEMBERED
from tests.matrix.runner import captured_logs

ORIGIN = "https://a.example"
VARY = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
VARY_PNA = (*VARY, "Access-Control-Request-Private-Network")


def preflight(origin: str = ORIGIN, acrm: str = "PUT", acrh: str | None = None, acrpn: str | None = None) -> Any:
    return RequestFacts("OPTIONS", origin, acrm, acrh, acrpn, "/p")


def actual(origin: str) -> Any:
    return RequestFacts("GET", origin, None, None, None, "/p")


@pytest.mark.parametrize(
    ("private_network", "acrpn", "vary"),
    [(False, None, VARY), (False, "true", VARY), (True, None, VARY_PNA), (True, "true", VARY_PNA)],
)
def test_b4_7_preflights_vary_on_acrpn_only_when_it_is_enabled(
    private_network: bool, acrpn: str | None, vary: tuple[str, ...]
) -> None:
    """B4.7, B4.6: every preflight answer, allowed, refused by method, by
    private network access or by origin, varies on Origin, ACRM and ACRH, and on ACRPN only when private
    network access is enabled."""
    with captured_logs():
        policy = Policy(allowed_origins=[ORIGIN], allow_private_network=private_network)
        answer = policy.evaluate(preflight(acrpn=acrpn))
        assert (answer.allowed, answer.vary) == (private_network or acrpn is None, vary)
        assert policy.evaluate(preflight(acrpn=acrpn)).vary == vary
        assert policy.evaluate(preflight(acrm="TRACE", acrpn=acrpn)).vary == vary
        refused = policy.evaluate(preflight(origin="https://b.example", acrpn=acrpn))
        assert (refused.allowed, refused.status, refused.vary) == (False, 403, vary)


@pytest.mark.parametrize(("configured", "status"), [({}, 204), ({"preflight_status": 200}, 200)])
def test_b4_2_an_allowed_preflight_gets_the_configured_status(configured: dict[str, Any], status: int) -> None:
    """B4.2, B4.3: 204 by default or 200 by setting, for an allowed
    preflight, the same answer given again, and one refused by method; a
    refused origin gets 403 whatever the setting (B4.1)."""
    with captured_logs():
        policy = Policy(allowed_origins=[ORIGIN], **configured)
        assert policy.evaluate(preflight()).status == status
        assert policy.evaluate(preflight()).status == status
        assert policy.evaluate(preflight(acrm="TRACE")).status == status
        assert policy.evaluate(preflight(origin="https://b.example")).status == 403


@pytest.mark.parametrize(
    ("insecure", "origin", "asked"),
    [
        (False, "http://tenant.example", False),
        (False, "https://tenant.example", True),
        (False, "http://localhost:3000", True),
        (True, "http://tenant.example", True),
    ],
)
def test_b9_2_with_credentials_plain_http_never_reaches_the_resolver(insecure: bool, origin: str, asked: bool) -> None:
    """B9.2: with credentials a plain http:// origin that is not loopback is
    refused before the resolver is called, exactly as a static list refuses
    it, unless DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS is on."""
    calls: list[str] = []

    def resolver(candidate: str) -> bool:
        calls.append(candidate)
        return True

    with captured_logs():
        policy = Policy(
            origin_resolver=resolver,
            allow_credentials=True,
            dangerously_allow_insecure_origins_with_credentials=insecure,
        )
        assert policy.allows_origin(origin) is asked
        assert policy.evaluate(actual(origin)).allowed is asked
    assert calls == ([origin] if asked else [])


def test_b6_2_remembered_preflight_answers_are_bounded() -> None:
    """B6.2: allowed preflight answers are remembered per (ACRM, ACRH,
    ACRPN), at most MAX_ANSWERS of them: a client sending endless distinct
    header lists never grows the table past its bound, and each answer is
    the one worked out."""
    policy = Policy(allowed_origins=[ORIGIN], allow_headers=["*"])
    answers = policy._plan.answers
    for n in range(MAX_ANSWERS + 10):
        decision = policy.evaluate(preflight(acrh=f"x-{n}"))
        assert decision.allowed
        assert ("Access-Control-Allow-Headers", "*, authorization") in decision.headers
        assert len(answers) <= MAX_ANSWERS
    assert answers[("PUT", f"x-{MAX_ANSWERS + 9}", None)] == tuple(decision.headers[1:])
    assert policy.evaluate(preflight(acrh=f"x-{MAX_ANSWERS + 9}")) == decision
    long = "x" * MAX_REMEMBERED
    assert policy.evaluate(preflight(acrh=long)).allowed
    assert ("PUT", long, None) not in answers
