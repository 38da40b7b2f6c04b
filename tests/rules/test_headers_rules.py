"""HTTP field rules CORS depends on (B2.2, B4.4, B4.5, B5.4), from RFC 9110
and WHATWG Fetch. ``corsguard._engine.headers`` is mutated against these
rows (docs/mutation.md).
"""

from __future__ import annotations

import pytest

from corsguard._engine.headers import (
    FORBIDDEN_METHODS,
    FORBIDDEN_REQUEST_HEADERS,
    FORBIDDEN_RESPONSE_HEADERS,
    MAX_ANY_ACRH_LENGTH,
    MAX_METHOD_LENGTH,
    NORMALIZED_METHODS,
    SAFELISTED_METHODS,
    acrh_bound,
    first_element,
    is_forbidden_request_header,
    is_token,
    missing_vary,
    parse_acrh,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GET", True),
        ("x-custom", True),
        ("!#$%&'*+-.^_`|~09AZaz", True),
        ("", False),
        ("bad name", False),
        ("a,b", False),
        ("a:b", False),
        ("a\r\nb", False),
        ('a"b', False),
        ("é", False),
    ],
)
def test_rfc9110_a_token_is_one_or_more_tchar(value: str, expected: bool) -> None:
    """RFC 9110 5.6.2 (B2.2, B4.4): methods and header names are tokens."""
    assert is_token(value) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cookie", True),
        ("HOST", True),
        ("origin", True),
        ("Sec-Fetch-Mode", True),
        ("proxy-authorization", True),
        ("access-control-request-private-network", True),
        ("x-sec-thing", False),
        ("content-type", False),
        ("authorization", False),
        ("x-proxy", False),
    ],
)
def test_fetch_forbidden_request_headers_are_known(name: str, expected: bool) -> None:
    """Fetch "forbidden request-header" (B2.2): a page can never set these,
    compared case-insensitively, with the sec- and proxy- prefixes."""
    assert is_forbidden_request_header(name) is expected


def test_fetch_method_and_response_header_sets() -> None:
    """Fetch's forbidden methods, normalized methods, safelisted methods and
    forbidden response-header names, exactly."""
    assert {"CONNECT", "TRACE", "TRACK"} == FORBIDDEN_METHODS
    assert {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} == NORMALIZED_METHODS
    assert {"GET", "HEAD", "POST"} == SAFELISTED_METHODS
    assert {"set-cookie", "set-cookie2"} == FORBIDDEN_RESPONSE_HEADERS
    assert len(FORBIDDEN_REQUEST_HEADERS) == 22 and "via" in FORBIDDEN_REQUEST_HEADERS
    assert (MAX_METHOD_LENGTH, MAX_ANY_ACRH_LENGTH) == (64, 8192)


def test_b4_5_the_acrh_bound_fits_every_allowed_name_once() -> None:
    """B4.5: the longest list made only of allowed names, with a comma and
    a little whitespace each, plus 64 characters of slack."""
    assert acrh_bound([]) == 64
    assert acrh_bound(["x-a", "content-type"]) == (3 + 4) + (12 + 4) + 64


@pytest.mark.parametrize(
    ("value", "bound", "expected"),
    [
        ("x-a,content-type", 100, ["x-a", "content-type"]),
        ("X-A, Content-Type", 100, ["x-a", "content-type"]),
        (" x-a ,\t, ,content-type\t", 100, ["x-a", "content-type"]),
        ("", 100, []),
        (",", 100, []),
        ("x-a", 3, ["x-a"]),
        ("x-a", 2, None),
        ("x-a,bad name", 100, None),
        ("x-a,a:b", 100, None),
    ],
)
def test_b4_5_acrh_is_a_bounded_list_of_tokens(value: str, bound: int, expected: list[str] | None) -> None:
    """B4.5: names lower-cased, optional whitespace and empty elements
    skipped; a value longer than the bound or with a non-token is refused."""
    assert parse_acrh(value, bound) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x-a,x-b", "x-a"),
        (" , \tx-b ,x-c", "x-b"),
        (",,,", ",,,"),
        ("", ""),
        ("a" * 300, "a" * 256),
        ("," * 300, "," * 64),
    ],
)
def test_b6_1_the_named_header_is_read_from_a_bounded_prefix(value: str, expected: str) -> None:
    """B6.1, B4.5: the message names the first listed name, reading at most
    256 characters, or the first 64 when there is none."""
    assert first_element(value) == expected


@pytest.mark.parametrize(
    ("lines", "names", "expected"),
    [
        ([], ["Origin"], ["Origin"]),
        (["Accept"], ["Origin", "Access-Control-Request-Method"], ["Origin", "Access-Control-Request-Method"]),
        (["accept, ORIGIN"], ["Origin"], []),
        (["Accept", " origin "], ["Origin"], []),
        (["*"], ["Origin"], []),
        (["Accept, *"], ["Origin"], []),
    ],
)
def test_b5_4_missing_vary_names_are_appended_never_duplicated(
    lines: list[str], names: list[str], expected: list[str]
) -> None:
    """B5.4: names compared case-insensitively across every Vary line;
    ``Vary: *`` already varies on everything."""
    assert missing_vary(lines, names) == expected


@pytest.mark.parametrize(
    "value",
    ["x-a\x0b", "\x0cx-a", "x-a,\nx-b", "x-a\r", "\xa0x-a", "x-a\u2003"],
)
def test_b4_5_only_sp_and_htab_are_trimmed_from_an_acrh_element(value: str) -> None:
    """B4.5, RFC 9110 5.6.3: the optional whitespace around a list element
    is SP and HTAB only; any other whitespace (VT, FF, CR, LF, NBSP, a
    Unicode space) stays in the element, which is then no token: refused."""
    assert parse_acrh(value, 100) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\x0b,x-b", "\x0b"),
        (" \tx-a\x0c ,x-b", "x-a\x0c"),
        ("\n x-a", "\n x-a"),
    ],
)
def test_b6_1_the_named_header_is_trimmed_of_sp_and_htab_only(value: str, expected: str) -> None:
    """B6.1, RFC 9110 5.6.3: the message names the first element as the
    request sent it, trimmed of SP and HTAB only, so the stray whitespace
    that made it no token is shown, not hidden."""
    assert first_element(value) == expected


@pytest.mark.parametrize(
    ("lines", "names", "expected"),
    [
        (["Accept,Origin"], ["Origin"], []),
        (["accept,origin,cookie"], ["Origin", "Cookie", "Accept-Encoding"], ["Accept-Encoding"]),
        (["Accept Origin"], ["Origin"], ["Origin"]),
    ],
)
def test_b5_4_vary_elements_are_split_on_commas_not_spaces(
    lines: list[str], names: list[str], expected: list[str]
) -> None:
    """B5.4, RFC 9110 12.5.5: Vary is a comma-separated list, whitespace
    around a comma optional; a name already listed without spaces is not
    appended again."""
    assert missing_vary(lines, names) == expected
