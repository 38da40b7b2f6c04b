"""A policy: built once from its settings, then consulted per request
(B2.4, B3, B4, B5, B6.2, B9, B11).

Each row builds its policy inside the test and asserts the whole decision
(kind, allowed, lines, Vary, status, body, the browser's words and
corsguard's explanation) or the exact words a user reads.
``corsguard._engine.policy`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

import asyncio
import copy
import pickle
from typing import Any

import pytest

from corsguard import Policy, PolicyError, RequestFacts
from corsguard._engine import log
from corsguard._engine.decision import Decision, Kind
from corsguard._engine.errors import Problem
from corsguard._engine.messages import NO_ACAO, PNA_MISSING, REFUSED_BODY, header_not_allowed, method_not_allowed
from corsguard._engine.plan import MAX_REMEMBERED
from corsguard._engine.policy import suggest
from corsguard._engine.settings import DEFAULTS
from tests.matrix.runner import captured_logs

A = "https://a.example"
B = "https://b.example"
ACAO = "Access-Control-Allow-Origin"
VARY = ("Origin",)
VARY_PREFLIGHT = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
KNOWN = f"known arguments: {', '.join(sorted(DEFAULTS))}."
NOT_LISTED = (
    "the Origin is not in {0} and matches no pattern or ORIGIN_REGEXES entry; add it to {0} if it is one of "
    "your front-ends"
)
PREFLIGHT_NO_ACAO = "Response to preflight request doesn't pass access control check: " + NO_ACAO


def facts(
    method: str = "GET",
    origin: str | None = A,
    acrm: str | None = None,
    acrh: str | None = None,
    acrpn: str | None = None,
) -> RequestFacts:
    return RequestFacts(method, origin, acrm, acrh, acrpn, "/p")


def preflight(
    origin: str | None = A, acrm: str = "PUT", acrh: str | None = None, acrpn: str | None = None
) -> RequestFacts:
    return facts("OPTIONS", origin, acrm, acrh, acrpn)


# -- building -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"alowed_origins": []}, "'alowed_origins'; did you mean 'allowed_origins'?"),
        ({"max_ag": 5, "zzz": 1}, "'max_ag'; did you mean 'max_age'?"),
        ({"colour": "blue"}, f"'colour'; {KNOWN}"),
    ],
)
def test_b2_4_a_misspelt_argument_gets_a_did_you_mean(arguments: dict[str, Any], message: str) -> None:
    """B2.4: an unknown keyword argument (the first, sorted) is named with
    the closest setting, or with the list of them."""
    with pytest.raises(TypeError) as info:
        Policy(**arguments)
    assert str(info.value) == f"Policy() got an unexpected keyword argument {message}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ALLOWED_ORIGINS", "did you mean 'allowed_origins'?"),
        ("allow_header", "did you mean 'allow_headers'?"),
        ("origins", KNOWN),
        ("allow", KNOWN),
    ],
)
def test_b2_4_suggestions_compare_lower_case_and_need_a_close_name(name: str, expected: str) -> None:
    """B2.4: names are compared in lower case; only a close one (a ratio of
    0.75 or more) is suggested, else every argument is listed."""
    assert suggest(name) == expected


def test_b2_4_a_mapping_an_environment_and_their_problems() -> None:
    """B2.4: upper-case settings from a mapping, CORSGUARD_* (or a chosen
    prefix) variables over them unless USE_ENVIRONMENT is False; problems found
    reading them come first, with the policy's own after them, all at once."""
    policy = Policy.from_mapping(
        {"ALLOWED_ORIGINS": [A], "MAX_AGE": 5, "USE_ENVIRONMENT": True},
        env={"CORSGUARD_MAX_AGE": "7", "OTHER_MAX_AGE": "9"},
    )
    assert (policy.settings.allowed_origins, policy.settings.max_age) == ((A,), 7)
    unread = Policy.from_mapping({"MAX_AGE": 5, "USE_ENVIRONMENT": False}, env={"CORSGUARD_MAX_AGE": "7"})
    assert unread.settings.max_age == 5
    assert Policy.from_mapping({"MAX_AGE": 5}, env={"X_MAX_AGE": "9"}, env_prefix="X_").settings.max_age == 9
    assert Policy.from_mapping({"MAX_AGE": 5}).settings.max_age == 5
    assert Policy.from_env(environ={"CORSGUARD_ALLOWED_ORIGINS": A}).settings.allowed_origins == (A,)
    assert Policy.from_env("APP_", {"APP_ALLOWED_ORIGINS": B, "CORSGUARD_MAX_AGE": "1"}).settings.allowed_origins == (
        B,
    )
    assert Policy.from_env("APP_", {"CORSGUARD_MAX_AGE": "1"}).settings.max_age == 86400
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({"ALLOWED_ORIGIN": [A], "PREFLIGHT_STATUS": 201})
    assert [problem.setting for problem in info.value.problems] == ["ALLOWED_ORIGIN", "PREFLIGHT_STATUS"]
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({"ALLOWED_ORIGIN": [A]})
    assert [problem.setting for problem in info.value.problems] == ["ALLOWED_ORIGIN"]


def test_b2_4_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """B2.4: without an explicit mapping, from_env reads os.environ."""
    monkeypatch.setenv("CORSGUARD_MAX_AGE", "3")
    monkeypatch.setenv("APP_MAX_AGE", "4")
    assert Policy.from_env().settings.max_age == 3
    assert Policy.from_env("APP_").settings.max_age == 4
    assert Policy.from_env(environ={}).settings.max_age == 86400


def test_b2_4_derived_policies() -> None:
    """B2.4: replace() and with_mapping() build a new policy from this
    one's settings with some changed; this one never changes; an unknown
    argument is a problem with a did-you-mean, reported with the others."""
    base = Policy(allowed_origins=[A], max_age=5)
    derived = base.replace(max_age=7)
    assert (derived.settings.allowed_origins, derived.settings.max_age, base.settings.max_age) == ((A,), 7, 5)
    assert base.with_mapping({"MAX_AGE": 9}).settings.max_age == 9
    assert base.with_mapping({"MAX_AGE": 9}).settings.allowed_origins == (A,)
    with pytest.raises(PolicyError) as info:
        base.replace(max_ag=1, preflight_status=1)
    assert info.value.problems[0] == Problem("max_ag", 1, "is not a Policy argument.", "did you mean 'max_age'?")
    assert [problem.setting for problem in info.value.problems] == ["max_ag", "PREFLIGHT_STATUS"]
    with pytest.raises(PolicyError) as info:
        base.with_mapping({"MAX_AGE": "x", "ALLOW_CREDENTIALS": "maybe"})
    assert {problem.setting for problem in info.value.problems} >= {"MAX_AGE", "ALLOW_CREDENTIALS"}
    with pytest.raises(PolicyError) as info:
        base.with_mapping({"MAX_AG": 1, "PREFLIGHT_STATUS": 1})
    assert [(problem.setting, problem.message) for problem in info.value.problems] == [
        ("MAX_AG", "is not a corsguard setting."),
        ("PREFLIGHT_STATUS", "must be 204 or 200."),
    ]


def test_b2_a_policy_is_a_value() -> None:
    """A policy is immutable: equal settings make equal policies (and
    hashes, different ones spread); copies are the policy itself; pickling rebuilds it from its
    settings; its repr shows only the settings that differ from defaults."""
    policy = Policy(allowed_origins=[A], max_age=5)
    with pytest.raises(AttributeError) as info:
        policy.settings = Policy().settings
    assert str(info.value) == "Policy is immutable; use replace() or with_mapping() to derive a new one"
    assert copy.copy(policy) is policy and copy.deepcopy(policy) is policy
    again = pickle.loads(pickle.dumps(policy))
    assert again == policy and again is not policy and hash(again) == hash(policy)
    assert policy != Policy(allowed_origins=[A]) and policy != "policy"
    assert hash(Policy(allowed_origins=[A])) != hash(Policy(allowed_origins=[B]))
    assert repr(policy) == "Policy(allowed_origins=('https://a.example',), max_age=5)"
    assert repr(Policy()) == "Policy()"


# -- explaining -------------------------------------------------------------------


def test_b6_1_why_an_origin_is_refused() -> None:
    """B6.1: the explanation names the list that refused (a per-group
    policy names its own), says why 'null' and malformed values never
    match, and is empty for an allowed origin."""
    policy = Policy(allowed_origins=[A])
    assert policy.allows_origin(A) and not policy.allows_origin(B)
    assert policy.explain_origin(A) == ""
    assert policy.explain_origin(B) == NOT_LISTED.format("ALLOWED_ORIGINS")
    named = policy.naming_origins("blueprint 'api''s ALLOWED_ORIGINS")
    assert named.explain_origin(B) == NOT_LISTED.format("blueprint 'api''s ALLOWED_ORIGINS")
    assert named.settings is policy.settings and named.allows_origin(A) and not named.allows_origin(B)
    assert policy.explain_origin(B) == NOT_LISTED.format("ALLOWED_ORIGINS")
    assert policy.explain_origin("null") == (
        "the Origin is 'null' (sandboxed iframe, file: or data: page, or a cross-origin redirect) "
        "and 'null' is not listed"
    )
    assert policy.explain_origin("https://a.example/") == ("the Origin ends with a slash, so it is never allowed")


def test_b9_what_the_resolver_said_is_the_explanation() -> None:
    """B9.1, B6.1: an origin the resolver refused is explained by what the
    resolver answered."""

    def resolver(origin: str) -> bool:
        return origin == A

    policy = Policy(origin_resolver=resolver)
    with captured_logs():
        assert policy.allows_origin(A) and not policy.allows_origin(B)
        said = policy.explain_origin(B)
    assert said.startswith("the ORIGIN_RESOLVER answered for it: ") and len(said) > len(
        "the ORIGIN_RESOLVER answered for it: "
    )
    assert policy.explain_origin(A) == ""


def test_b9_1_an_async_adapter_resolves_before_it_evaluates() -> None:
    """B9.1: resolve() asks the resolver (awaited, never blocking the loop)
    for an origin only it can decide, so evaluate() finds the answer
    cached; listed, malformed and Origin-less requests are not asked about."""
    calls: list[str] = []

    async def resolver(origin: str) -> bool:
        calls.append(origin)
        return origin == "https://tenant.example"

    policy = Policy(allowed_origins=[A], origin_resolver=resolver)

    async def run() -> list[bool]:
        results = []
        for origin in ("https://tenant.example", "https://other.example", A, "bad", None):
            await policy.resolve(facts(origin=origin))
            results.append(policy.evaluate(facts(origin=origin)).allowed)
        await policy.resolve(facts(origin="https://tenant.example"))
        return results

    with captured_logs():
        assert asyncio.run(run()) == [True, False, True, False, True]
    assert calls == ["https://tenant.example", "https://other.example"]
    asyncio.run(Policy(allowed_origins=[A]).resolve(facts(origin=B)))


# -- answering ----------------------------------------------------------------------


def test_b3_1_no_origin_is_not_cors() -> None:
    """B3.1: without an Origin the request is not CORS: nothing to add but
    Vary: Origin, for caches (B5.4)."""
    decision = Policy(allowed_origins=[A]).evaluate(facts(origin=None))
    assert decision == Decision(Kind.NOT_CORS, True, (), VARY)
    assert Policy(allowed_origins=[A]).evaluate(facts("OPTIONS", None, "PUT")) == decision


def test_b5_actual_requests() -> None:
    """B5.1, B5.2: an allowed origin gets ACAO (and ACAC, ACEH as
    configured) in a new list each time; a refused one gets no CORS header,
    is logged with the browser's words and why."""
    policy = Policy(allowed_origins=[A], allow_credentials=True, expose_headers=["x-total"])
    first = policy.evaluate(facts())
    assert first == Decision(
        Kind.ACTUAL,
        True,
        [(ACAO, A), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Expose-Headers", "x-total")],
        VARY,
    )
    assert policy.evaluate(facts("PUT")).headers is not first.headers
    events: list[log.Refusal] = []
    remove = log.add_hook(events.append)
    try:
        with captured_logs() as logs:
            refused = policy.evaluate(facts(origin=B))
    finally:
        remove()
    assert refused == Decision(Kind.ACTUAL, False, (), VARY, reason=NO_ACAO, detail="origin not allowed")
    assert [(event.kind, event.category, event.reason) for event in events] == [("request", log.ORIGIN, NO_ACAO)]
    assert logs == [
        f"CORS request refused: {NOT_LISTED.format('ALLOWED_ORIGINS')} (origin='{B}' method='GET' path='/p'). "
        f"The browser will report: {NO_ACAO}"
    ]


def test_b11_1_a_public_resource_answers_everyone_the_same() -> None:
    """B11.1: every request but a preflight gets ACAO '*' and no Vary,
    whatever its Origin (none included), in a new list each time; a
    preflight is still answered by the preflight rules."""
    policy = Policy(allowed_origins=["*"], public_resource=True, expose_headers=["x-total"])
    expected = [(ACAO, "*"), ("Access-Control-Expose-Headers", "x-total")]
    for origin in (A, None, "null"):
        assert policy.evaluate(facts(origin=origin)) == Decision(
            Kind.ACTUAL if origin else Kind.NOT_CORS, True, expected, ()
        )
    assert policy.evaluate(facts()).headers is not policy.evaluate(facts()).headers
    answer = policy.evaluate(preflight())
    assert (answer.kind, answer.allowed, answer.status, answer.vary) == (Kind.PREFLIGHT, True, 204, VARY_PREFLIGHT)
    assert ("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT") in answer.headers


def test_b4_1_a_refused_origin_gets_403_and_nothing_else() -> None:
    """B4.1: 403, no CORS headers, a short body, logged once with why."""
    events: list[log.Refusal] = []
    remove = log.add_hook(events.append)
    try:
        with captured_logs() as logs:
            decision = Policy(allowed_origins=[A]).evaluate(preflight(origin=B))
            empty = Policy(allowed_origins=[A]).evaluate(preflight(origin=""))
    finally:
        remove()
    assert [(event.kind, event.category, event.reason) for event in events] == [
        ("preflight", log.ORIGIN, PREFLIGHT_NO_ACAO)
    ] * 2
    assert empty == decision
    assert logs[1] == (
        f"CORS preflight refused: {Policy().explain_origin('')} (origin='' method='PUT' path='/p'). "
        f"The browser will report: {PREFLIGHT_NO_ACAO}"
    )
    del logs[1]
    assert decision == Decision(
        Kind.PREFLIGHT,
        False,
        (),
        VARY_PREFLIGHT,
        status=403,
        body=REFUSED_BODY,
        reason=PREFLIGHT_NO_ACAO,
        detail="origin not allowed",
    )
    assert logs == [
        f"CORS preflight refused: {NOT_LISTED.format('ALLOWED_ORIGINS')} (origin='{B}' method='PUT' path='/p'). "
        f"The browser will report: {PREFLIGHT_NO_ACAO}"
    ]


def test_b4_2_an_allowed_preflight_and_the_same_one_again() -> None:
    """B4.2: the status, ACAO and every list; the same request again gets
    the same answer (remembered), in a new list; an empty ACRM is a
    method like any other."""
    policy = Policy(allowed_origins=[A], allow_methods=["PUT"], allow_headers=["x-a"], max_age=5, preflight_status=200)
    lines = [
        (ACAO, A),
        ("Access-Control-Allow-Methods", "PUT"),
        ("Access-Control-Allow-Headers", "x-a"),
        ("Access-Control-Max-Age", "5"),
    ]
    expected = Decision(Kind.PREFLIGHT, True, lines, VARY_PREFLIGHT, 200)
    first = policy.evaluate(preflight(acrh="x-a"))
    again = policy.evaluate(preflight(acrh="x-a"))
    assert first == expected and again == expected and again.headers is not first.headers
    with captured_logs():
        assert policy.evaluate(preflight(acrh="x-a", origin=B)).allowed is False
    assert policy.evaluate(preflight(acrm="")).allowed is False
    assert policy.evaluate(facts("OPTIONS", A, "")).reason == method_not_allowed("''")


@pytest.mark.parametrize(
    ("request_facts", "category", "reason", "detail"),
    [
        (
            preflight(acrm="PATCH", acrh="x-b", acrpn="true"),
            log.METHOD,
            method_not_allowed("PATCH"),
            "the requested method PATCH is not in ALLOW_METHODS (methods are case-sensitive); add it there if the "
            "front-end uses it",
        ),
        (
            preflight(acrh="x-b", acrpn="true"),
            log.HEADER,
            header_not_allowed("x-b"),
            "the requested header x-b is not in ALLOW_HEADERS; add it if the page sends it",
        ),
        (
            preflight(acrh="x-a", acrpn="true"),
            log.PRIVATE_NETWORK,
            PNA_MISSING,
            "the preflight asks for private network access; set ALLOW_PRIVATE_NETWORK to allow it",
        ),
        (
            preflight(acrm="P" * 65),
            log.METHOD,
            method_not_allowed("'" + "P" * 65 + "'"),
            "the requested method is too long to be a method",
        ),
    ],
)
def test_b4_3_the_first_refusal_in_fetch_order_is_reported(
    request_facts: RequestFacts, category: str, reason: str, detail: str
) -> None:
    """B4.3, Fetch CORS-preflight fetch steps 7 and 8, then private network
    access: the method, then the headers, then ACRPN; the first refusal is
    the one reported and logged, and the answer is still the configured 2xx
    with the full lists."""
    policy = Policy(allowed_origins=[A], allow_methods=["PUT"], allow_headers=["x-a"], max_age=None)
    events: list[log.Refusal] = []
    remove = log.add_hook(events.append)
    try:
        with captured_logs():
            decision = policy.evaluate(request_facts)
    finally:
        remove()
    assert decision == Decision(
        Kind.PREFLIGHT,
        False,
        [(ACAO, A), ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-a")],
        VARY_PREFLIGHT,
        204,
        reason=reason,
        detail=detail,
    )
    assert [(event.kind, event.category, event.reason, event.detail) for event in events] == [
        ("preflight", category, reason, detail)
    ]
    assert policy.evaluate(request_facts) == decision


def test_b4_2_wildcard_methods_are_checked_with_credentials() -> None:
    """B4.2: with '*' methods a preflight's method is reflected with
    credentials (Fetch reads '*' literally then), a safelisted one too,
    after the method check."""
    policy = Policy(allowed_origins=[A], allow_methods=["*"], allow_credentials=True, max_age=None, allow_headers=[])
    answer = policy.evaluate(preflight(acrm="PURGE"))
    assert answer.allowed and answer.headers == [
        (ACAO, A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "PURGE"),
    ]
    assert policy.evaluate(preflight(acrm="GET")).headers == [
        (ACAO, A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", "GET"),
    ]
    with captured_logs():
        assert policy.evaluate(preflight(acrm="bad method")).reason == method_not_allowed("'bad method'")


def test_b1_5_only_short_preflights_are_remembered() -> None:
    """B1.5, B6.2: a preflight whose ACRM, ACRH and ACRPN together run to
    at most MAX_REMEMBERED characters is remembered; a longer one is worked
    out each time and never hashed into the table."""
    policy = Policy(allowed_origins=[A], allow_headers=["*"])
    answers = policy._plan.answers
    fits = "x" * (MAX_REMEMBERED - len("PUT") - len("false"))
    assert policy.evaluate(preflight(acrh=fits, acrpn="false")).allowed
    assert ("PUT", fits, "false") in answers
    assert policy.evaluate(preflight(acrh=fits + "y", acrpn="false")).allowed
    assert ("PUT", fits + "y", "false") not in answers
    assert len(answers) == 1
    with captured_logs():
        assert policy.evaluate(preflight(origin=B, acrh="x-a")).allowed is False
    assert ("PUT", "x-a", None) not in answers
    anything = Policy(allowed_origins=[A], allow_methods=["*"])
    assert anything.evaluate(preflight(acrm="")).allowed
    assert list(anything._plan.answers) == [("", None, None)]
