"""The checks of an allowed preflight, in Fetch's order (B4.2-B4.6).

Fetch, CORS-preflight fetch step 7 (the method) and step 8 (the request
headers), then private network access. Each row is one request against one
plan: the refusal (log kind, the browser's words, corsguard's explanation)
or None, and the lines added to the answer. ``corsguard._engine.preflight``
is mutated against these rows (docs/mutation.md).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from corsguard._engine.preflight import headers_refusal, method_refusal, private_network_refusal, shown


def plan(**fields: Any) -> Any:
    base: dict[str, Any] = {
        "credentials": False,
        "any_method": False,
        "methods_ok": frozenset({"GET", "POST", "PUT"}),
        "any_header": False,
        "headers_ok": frozenset({"content-type", "x-a"}),
        "acrh_bound": 64,
        "private_network": False,
    }
    base.update(fields)
    return SimpleNamespace(**base)


def method_words(method: str) -> str:
    return f"Method {method} is not allowed by Access-Control-Allow-Methods in preflight response."


NOT_LISTED = (
    "the requested method {} is not in ALLOW_METHODS (methods are case-sensitive); "
    "add it there if the front-end uses it"
)

METHOD_ROWS = [
    # (plan fields, ACRM, refusal or None, lines added)
    ({}, "PUT", None, []),
    ({}, "put", ("method", method_words("put"), NOT_LISTED.format("put")), []),
    ({}, "PATCH", ("method", method_words("PATCH"), NOT_LISTED.format("PATCH")), []),
    ({"any_method": True}, "PATCH", None, []),
    ({"any_method": True}, "bad method", None, []),
    ({"any_method": True, "credentials": True}, "PATCH", None, [("Access-Control-Allow-Methods", "PATCH")]),
    (
        {"any_method": True, "credentials": True},
        "bad method",
        ("method", method_words("'bad method'"), "the requested method is not an HTTP token"),
        [],
    ),
    ({"methods_ok": frozenset({"A" * 64})}, "A" * 64, None, []),
    (
        {"methods_ok": frozenset({"A" * 65})},
        "A" * 65,
        ("method", method_words(repr("A" * 65)), "the requested method is too long to be a method"),
        [],
    ),
    (
        {"any_method": True},
        "A" * 65,
        ("method", method_words(repr("A" * 65)), "the requested method is too long to be a method"),
        [],
    ),
]


@pytest.mark.parametrize(("fields", "acrm", "refusal", "added"), METHOD_ROWS)
def test_b4_4_the_method_must_be_listed_case_sensitively(
    fields: dict[str, Any], acrm: str, refusal: tuple[str, str, str] | None, added: list[tuple[str, str]]
) -> None:
    """B4.4 (Fetch, CORS-preflight fetch step 7): the method must be listed,
    byte for byte; '*' counts only without credentials, and with them the
    method is reflected when it is a token; a method over 64 characters is
    refused before it is read."""
    headers: list[tuple[str, str]] = []
    assert method_refusal(plan(**fields), acrm, headers) == refusal
    assert headers == added


def header_words(name: str) -> str:
    return f"Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."


BAD_LIST = "Access-Control-Request-Headers is too long or not a list of header names"

HEADER_ROWS = [
    ({}, None, None, []),
    ({}, "content-type", None, []),
    ({}, "Content-Type, X-A", None, []),
    ({}, " x-a ,, content-type\t", None, []),
    ({}, "", None, []),
    (
        {},
        "x-b",
        (
            "header",
            header_words("x-b"),
            "the requested header x-b is not in ALLOW_HEADERS; add it if the page sends it",
        ),
        [],
    ),
    (
        {},
        "x-a,X-B",
        (
            "header",
            header_words("x-b"),
            "the requested header x-b is not in ALLOW_HEADERS; add it if the page sends it",
        ),
        [],
    ),
    ({}, "x-a, bad name", ("header", header_words("x-a"), BAD_LIST), []),
    ({}, "bad name", ("header", header_words("'bad name'"), BAD_LIST), []),
    ({"acrh_bound": 5}, "x-a,x-a", ("header", header_words("x-a"), BAD_LIST), []),
    ({"acrh_bound": 7}, "x-a,x-a", None, []),
    ({"any_header": True}, "x-b, X-C", None, []),
    ({"any_header": True, "credentials": True}, "x-b, X-C", None, [("Access-Control-Allow-Headers", "x-b,x-c")]),
    ({"any_header": True, "credentials": True}, " , ", None, []),
    ({"any_header": True, "acrh_bound": 3}, "x-b, X-C", ("header", header_words("x-b"), BAD_LIST), []),
]


@pytest.mark.parametrize(("fields", "acrh", "refusal", "added"), HEADER_ROWS)
def test_b4_5_every_requested_header_must_be_listed(
    fields: dict[str, Any], acrh: str | None, refusal: tuple[str, str, str] | None, added: list[tuple[str, str]]
) -> None:
    """B4.5 (Fetch step 8): each requested name must be listed, compared
    case-insensitively; a list longer than the allowed names could fill, or
    one holding a non-token, is refused; '*' with credentials reflects the
    names."""
    headers: list[tuple[str, str]] = []
    assert headers_refusal(plan(**fields), acrh, headers) == refusal
    assert headers == added


PNA_WORDS = (
    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Private-Network' "
    "header was present in the preflight response for this private network request."
)


@pytest.mark.parametrize(
    ("switched_on", "acrpn", "refusal", "added"),
    [
        (False, None, None, []),
        (False, "false", None, []),
        (False, "TRUE", None, []),
        (True, None, None, []),
        (True, "true", None, [("Access-Control-Allow-Private-Network", "true")]),
        (
            False,
            "true",
            (
                "private-network",
                PNA_WORDS,
                "the preflight asks for private network access; set ALLOW_PRIVATE_NETWORK to allow it",
            ),
            [],
        ),
    ],
)
def test_b4_6_private_network_access_only_when_switched_on(
    switched_on: bool, acrpn: str | None, refusal: tuple[str, str, str] | None, added: list[tuple[str, str]]
) -> None:
    """B4.6: Access-Control-Allow-Private-Network is answered only when
    ALLOW_PRIVATE_NETWORK is on (flask-cors CVE-2024-6221); otherwise a
    request for it is refused."""
    headers: list[tuple[str, str]] = []
    assert private_network_refusal(plan(private_network=switched_on), acrpn, headers) == refusal
    assert headers == added


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PUT", "PUT"),
        ("A" * 64, "A" * 64),
        ("A" * 65, repr("A" * 65)),
        ("bad name", "'bad name'"),
        ("x\r\ny", "'x\\r\\ny'"),
    ],
)
def test_b6_1_request_input_is_shown_plain_only_when_a_short_token(value: str, expected: str) -> None:
    """B6.1: request input in a message is quoted and escaped unless it is
    a token of at most 64 characters."""
    assert shown(value) == expected
