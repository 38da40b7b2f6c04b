"""Each setting checked on its own, every problem reported at once with the
value to write instead (B2.1, B2.2, B4.4, B9.3, B11.1).

Each row is settings (the defaults with some changed) and either the value
kept or the exact problems a user reads: setting, value, message and hint,
because the hint is the fix the user is told to make (B2.1).
``corsguard._engine.validation`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from corsguard._engine.allowlist import INSECURE_SWITCH
from corsguard._engine.dynamic import Limits
from corsguard._engine.errors import PolicyError
from corsguard._engine.listed_resolver import ListedResolver
from corsguard._engine.origin_store import ListedOrigins
from corsguard._engine.settings import DEFAULTS
from corsguard._engine.validation import Validated, validate

Row = tuple[str, object, str, str]
BOOLEAN = ("must be True or False.", "write True or False, without quotes.")
SECONDS = "must be a number of seconds above 0."
WHOLE = "must be a whole number above 0."
TOKEN_HEADER = "is not a header name (a token)."
REGEX_HINT = "header names are matched exactly, not as regexes: list each name, e.g. 'x-company-id'."
FORBIDDEN_REQUEST = (
    "is a forbidden request header: pages can never set it, so allowing it has no effect.",
    "remove it; cookies are sent by ALLOW_CREDENTIALS, not by allowing a header.",
)
PUBLIC = (
    "needs ALLOWED_ORIGINS = ['*'], no ORIGIN_REGEXES and no ALLOW_CREDENTIALS: it answers every request the same way.",
    "make the resource public (ALLOWED_ORIGINS = ['*'] without credentials), or switch it off here "
    "(PUBLIC_RESOURCE = False, or public_resource=False in a @cors_policy that narrows the origins).",
)


def validated(**changed: Any) -> Validated:
    return validate({**DEFAULTS, **changed})


def problems(**changed: Any) -> list[Row]:
    with pytest.raises(PolicyError) as info:
        validated(**changed)
    return [(p.setting, p.value, p.message, p.hint) for p in info.value.problems]


PROBLEM_ROWS: list[tuple[dict[str, Any], list[Row]]] = [
    ({"allow_credentials": "yes"}, [("ALLOW_CREDENTIALS", "yes", *BOOLEAN)]),
    ({"dangerously_allow_insecure_origins_with_credentials": 1}, [(INSECURE_SWITCH, 1, *BOOLEAN)]),
    ({"allow_private_network": None}, [("ALLOW_PRIVATE_NETWORK", None, *BOOLEAN)]),
    ({"public_resource": "False"}, [("PUBLIC_RESOURCE", "False", *BOOLEAN)]),
    (
        {"allowed_origins": "https://a.example"},
        [
            (
                "ALLOWED_ORIGINS",
                "https://a.example",
                "must be a list of strings, not one string.",
                "write ['https://a.example'].",
            )
        ],
    ),
    ({"allow_methods": 5}, [("ALLOW_METHODS", 5, "must be a list of strings.", "write a list, e.g. [].")]),
    (
        {"allow_headers": ["x-a", 3, b"x-b"]},
        [
            ("ALLOW_HEADERS[1]", 3, "is not a string.", "quote it."),
            ("ALLOW_HEADERS[2]", b"x-b", "is not a string.", "quote it."),
        ],
    ),
    (
        {"expose_headers": "x-a"},
        [("EXPOSE_HEADERS", "x-a", "must be a list of strings, not one string.", "write ['x-a'].")],
    ),
    ({"origin_regexes": [7]}, [("ORIGIN_REGEXES[0]", 7, "is not a string.", "quote it.")]),
    ({"origin_regexes": None}, [("ORIGIN_REGEXES", None, "must be a list of strings.", "write a list, e.g. [].")]),
    (
        {"allow_methods": ["GET", "bad method", "trace", "Connect"]},
        [
            ("ALLOW_METHODS[1]", "bad method", "is not an HTTP method name (a token).", "write e.g. 'PUT'."),
            (
                "ALLOW_METHODS[2]",
                "trace",
                "is a method browsers refuse to send (Fetch: forbidden method).",
                "remove it.",
            ),
            (
                "ALLOW_METHODS[3]",
                "Connect",
                "is a method browsers refuse to send (Fetch: forbidden method).",
                "remove it.",
            ),
        ],
    ),
    (
        {"allow_headers": ["x a", "x-[a]", "x(a)", "x\\a", "x .*", "Cookie", "sec-fetch-mode", "X-Api Key"]},
        [
            ("ALLOW_HEADERS[0]", "x a", TOKEN_HEADER, "write e.g. 'x-api-key'."),
            ("ALLOW_HEADERS[1]", "x-[a]", TOKEN_HEADER, REGEX_HINT),
            ("ALLOW_HEADERS[2]", "x(a)", TOKEN_HEADER, REGEX_HINT),
            ("ALLOW_HEADERS[3]", "x\\a", TOKEN_HEADER, REGEX_HINT),
            ("ALLOW_HEADERS[4]", "x .*", TOKEN_HEADER, REGEX_HINT),
            ("ALLOW_HEADERS[5]", "Cookie", *FORBIDDEN_REQUEST),
            ("ALLOW_HEADERS[6]", "sec-fetch-mode", *FORBIDDEN_REQUEST),
            ("ALLOW_HEADERS[7]", "X-Api Key", TOKEN_HEADER, "write e.g. 'x-api-key'."),
        ],
    ),
    (
        {"expose_headers": ["x a", "Set-Cookie", "set-cookie2"]},
        [
            ("EXPOSE_HEADERS[0]", "x a", TOKEN_HEADER, "write e.g. 'x-total-count'."),
            (
                "EXPOSE_HEADERS[1]",
                "Set-Cookie",
                "can never be read by a page (Fetch: forbidden response header).",
                "remove it.",
            ),
            (
                "EXPOSE_HEADERS[2]",
                "set-cookie2",
                "can never be read by a page (Fetch: forbidden response header).",
                "remove it.",
            ),
        ],
    ),
    (
        {"expose_headers": ["x-a", "*"], "allow_credentials": True},
        [
            (
                "EXPOSE_HEADERS[1]",
                "*",
                "'*' is read literally by browsers when credentials are included, so it exposes nothing.",
                "list the header names the front-end reads, e.g. 'x-total-count'.",
            )
        ],
    ),
    ({"max_age": "600"}, [("MAX_AGE", "600", "must be a whole number of seconds or None.", "write e.g. 600.")]),
    ({"max_age": True}, [("MAX_AGE", True, "must be a whole number of seconds or None.", "write e.g. 600.")]),
    ({"max_age": 1.0}, [("MAX_AGE", 1.0, "must be a whole number of seconds or None.", "write e.g. 600.")]),
    (
        {"max_age": datetime.timedelta(seconds=1.5)},
        [("MAX_AGE", datetime.timedelta(seconds=1.5), "must be a whole number of seconds or None.", "write e.g. 600.")],
    ),
    (
        {"max_age": -1},
        [("MAX_AGE", -1, "is negative.", "write 0 to disable preflight caching, or None to omit the header.")],
    ),
    (
        {"max_age": datetime.timedelta(seconds=-5)},
        [("MAX_AGE", -5, "is negative.", "write 0 to disable preflight caching, or None to omit the header.")],
    ),
    ({"preflight_status": 201}, [("PREFLIGHT_STATUS", 201, "must be 204 or 200.", "keep the default, 204.")]),
    ({"preflight_status": True}, [("PREFLIGHT_STATUS", True, "must be 204 or 200.", "keep the default, 204.")]),
    ({"preflight_status": "204"}, [("PREFLIGHT_STATUS", "204", "must be 204 or 200.", "keep the default, 204.")]),
    ({"resolver_ttl": 0}, [("RESOLVER_TTL", 0, SECONDS, "keep the default, 300.0.")]),
    ({"resolver_negative_ttl": -1.5}, [("RESOLVER_NEGATIVE_TTL", -1.5, SECONDS, "keep the default, 30.0.")]),
    ({"resolver_call_interval": "10"}, [("RESOLVER_CALL_INTERVAL", "10", SECONDS, "keep the default, 10.0.")]),
    ({"resolver_timeout": True}, [("RESOLVER_TIMEOUT", True, SECONDS, "keep the default, 2.0.")]),
    ({"resolver_cache_size": 1.5}, [("RESOLVER_CACHE_SIZE", 1.5, WHOLE, "keep the default, 4096.")]),
    ({"resolver_calls": 0}, [("RESOLVER_CALLS", 0, WHOLE, "keep the default, 100.")]),
    ({"resolver_calls": False}, [("RESOLVER_CALLS", False, WHOLE, "keep the default, 100.")]),
    ({"public_resource": True}, [("PUBLIC_RESOURCE", True, *PUBLIC)]),
    (
        {"public_resource": True, "allowed_origins": ["*"], "allow_credentials": True},
        [
            (
                "ALLOWED_ORIGINS[0]",
                "*",
                "'*' (any origin) cannot be combined with ALLOW_CREDENTIALS: any site could read your users' data.",
                "list the exact origins of your front-ends, e.g. 'https://app.example.com'.",
            ),
            ("PUBLIC_RESOURCE", True, *PUBLIC),
        ],
    ),
    ({"public_resource": True, "allowed_origins": ["*", "https://a.example"]}, [("PUBLIC_RESOURCE", True, *PUBLIC)]),
    (
        {"public_resource": True, "allowed_origins": ["*"], "origin_regexes": [r"https://[a-z]+\.example\.com"]},
        [("PUBLIC_RESOURCE", True, *PUBLIC)],
    ),
    (
        {"allow_credentials": "no", "max_age": -1, "preflight_status": 0},
        [
            ("ALLOW_CREDENTIALS", "no", *BOOLEAN),
            ("MAX_AGE", -1, "is negative.", "write 0 to disable preflight caching, or None to omit the header."),
            ("PREFLIGHT_STATUS", 0, "must be 204 or 200.", "keep the default, 204."),
        ],
    ),
]


@pytest.mark.parametrize(("changed", "expected"), PROBLEM_ROWS)
def test_b2_1_each_setting_is_checked_and_every_problem_reported(changed: dict[str, Any], expected: list[Row]) -> None:
    """B2.1, B2.2: every problem at once, in settings order, each naming
    the setting (and the list index) the user wrote, the value, what is
    wrong and what to write instead."""
    assert problems(**changed) == expected


SETTING_ROWS: list[tuple[dict[str, Any], str, object]] = [
    ({}, "allow_credentials", False),
    ({"allow_credentials": True}, "allow_credentials", True),
    ({"allow_private_network": True}, "allow_private_network", True),
    ({"dangerously_allow_insecure_origins_with_credentials": True}, INSECURE_SWITCH.lower(), True),
    (
        {"allowed_origins": ["https://a.example", "https://b.example"]},
        "allowed_origins",
        ("https://a.example", "https://b.example"),
    ),
    ({"allowed_origins": frozenset(["https://a.example"])}, "allowed_origins", ("https://a.example",)),
    (
        {"allow_methods": ["get", "Put", "patch", "PATCH", "*", "GET"]},
        "allow_methods",
        ("GET", "PUT", "patch", "PATCH", "*"),
    ),
    ({"allow_methods": ["delete", "head", "options", "post"]}, "allow_methods", ("DELETE", "HEAD", "OPTIONS", "POST")),
    (
        {"allow_headers": ["X-A", "x-a", "*", "Content-Type", "x.*"]},
        "allow_headers",
        ("x-a", "*", "content-type", "x.*"),
    ),
    ({"expose_headers": ["X-Total", "x-total", "*"]}, "expose_headers", ("x-total", "*")),
    ({"expose_headers": ["X-Total"], "allow_credentials": True}, "expose_headers", ("x-total",)),
    ({"max_age": None}, "max_age", None),
    ({"max_age": 0}, "max_age", 0),
    ({"max_age": 600}, "max_age", 600),
    ({"max_age": datetime.timedelta(minutes=10)}, "max_age", 600),
    ({"preflight_status": 200}, "preflight_status", 200),
    ({"preflight_status": 204}, "preflight_status", 204),
    ({"resolver_ttl": 0.5}, "resolver_ttl", 0.5),
    ({"resolver_negative_ttl": 1}, "resolver_negative_ttl", 1),
    ({"resolver_call_interval": 2.5}, "resolver_call_interval", 2.5),
    ({"resolver_timeout": 0.25}, "resolver_timeout", 0.25),
    ({"resolver_cache_size": 1}, "resolver_cache_size", 1),
    ({"resolver_calls": 3}, "resolver_calls", 3),
    ({"public_resource": True, "allowed_origins": ["*"]}, "public_resource", True),
    (
        {"origin_regexes": [r"https://[a-z]+\.example\.com", re.compile(r"https://app\.example\.org")]},
        "origin_regexes",
        (r"https://[a-z]+\.example\.com", r"https://app\.example\.org"),
    ),
]


@pytest.mark.parametrize(("changed", "name", "expected"), SETTING_ROWS)
def test_b2_2_valid_settings_are_kept_in_their_canonical_form(
    changed: dict[str, Any], name: str, expected: object
) -> None:
    """B2.2, B4.4: valid values are kept; methods browsers upper-case
    (DELETE, GET, HEAD, OPTIONS, POST, PUT) in upper case, others exactly as
    written; header names in lower case; each name once, in order."""
    assert getattr(validated(**changed).settings, name) == expected


def test_b2_2_origins_and_regexes_are_parsed_for_the_matcher() -> None:
    """B1.4, B12: each allowed entry is parsed once and each regex compiled;
    nothing else is carried to the plan."""
    result = validated(
        allowed_origins=["https://a.example", "https://*.b.example"], origin_regexes=[r"https://c\.example"]
    )
    assert [entry.text for entry in result.entries] == ["https://a.example", "https://*.b.example"]
    assert [pattern.fullmatch("https://c.example") is not None for pattern in result.regexes] == [True]
    assert result.resolver is None
    assert validated().entries == () and validated().regexes == ()


def test_b9_3_a_resolver_gets_its_limits_and_is_shared_by_eligibility() -> None:
    """B9.2, B9.3: a resolver function is wrapped with the configured limits;
    policies with the same function, limits, credentials and insecure
    switch share one resolver (one cache), any difference gets its own."""

    def resolver(origin: str) -> bool:
        return False

    limits = {
        "resolver_ttl": 5.0,
        "resolver_negative_ttl": 1.0,
        "resolver_cache_size": 10,
        "resolver_calls": 7,
        "resolver_call_interval": 3.0,
        "resolver_timeout": 0.5,
    }
    first = validated(origin_resolver=resolver, **limits).resolver
    assert first is not None and first.function is resolver
    assert first.limits == Limits(ttl=5.0, negative_ttl=1.0, cache_size=10, calls=7, call_interval=3.0, timeout=0.5)
    assert validated(origin_resolver=resolver, **limits).resolver is first
    credentialed = validated(origin_resolver=resolver, allow_credentials=True, **limits).resolver
    insecure = validated(
        origin_resolver=resolver,
        allow_credentials=True,
        dangerously_allow_insecure_origins_with_credentials=True,
        **limits,
    ).resolver
    assert len({id(first), id(credentialed), id(insecure)}) == 3
    assert validated(origin_resolver=resolver).resolver.limits == Limits()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("credentials", "insecure", "strict"), [(False, False, False), (True, False, True), (True, True, False)]
)
def test_b14_1_a_listed_store_is_read_strictly_only_with_credentials(
    credentials: bool, insecure: bool, strict: bool
) -> None:
    """B14.1, B9.2: a ListedOrigins store is read through a view of every
    listed origin, or, with credentials and without the insecure switch,
    of those eligible with credentials."""
    store = ListedOrigins(
        lambda: [], lambda: 1, poll=0.05, bound=0.3, name=f"validation rules {credentials} {insecure}"
    )
    try:
        resolver = validated(
            origin_resolver=store,
            allow_credentials=credentials,
            dangerously_allow_insecure_origins_with_credentials=insecure,
        ).resolver
        assert isinstance(resolver, ListedResolver)
        assert resolver.store is store
        assert resolver.index == (1 if strict else 0)
    finally:
        store.stop()
