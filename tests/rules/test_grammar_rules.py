"""The serialized-origin grammar, rule by rule (B1.1-B1.3, B1.5).

Each row states one rule of the form a browser sends; a change to
``corsguard._engine.grammar`` that breaks a rule fails its row. Mutation
testing (docs/mutation.md) checks that these rows notice such changes.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corsguard._engine.grammar import (
    MAX_ORIGIN_LENGTH,
    canonical_form,
    is_ip_host,
    is_loopback_host,
    is_serialized_origin,
    malformation,
    parse_origin,
    port_ok,
)

# (value, is a serialized origin) for B1.1: the exact form browsers send.
SERIALIZED = [
    ("https://app.example.com", True),
    ("http://localhost:3000", True),
    ("https://a-b_c.example.org.", True),
    ("http://[::1]:8080", True),
    ("http://[2001:db8::1]", True),
    ("chrome-extension://abcdef", True),
    ("git+ssh://host", True),
    ("http://127.0.0.1:0", True),
    ("https://app.example.com:65535", True),
    ("https://app.example.com:1", True),
    ("https://app.example.com:65536", False),
    ("https://app.example.com:99999", False),
    ("https://app.example.com:100000", False),
    ("https://app.example.com:080", False),
    ("https://app.example.com:00", False),
    ("https://app.example.com:", False),
    ("https://EVIL.example.org", False),
    ("https://evil.Example.org", False),
    ("HTTPS://app.example.com", False),
    ("1http://app.example.com", False),
    ("https://app..example.com", False),
    ("https://.example.com", False),
    ("https://", False),
    ("https://[::G]", False),
    ("https://[::1", False),
    ("https://app.example.com/", False),
    ("https://app.example.com ", False),
    ("", False),
]


@pytest.mark.parametrize(("value", "expected"), SERIALIZED)
def test_b1_1_only_the_serialized_form_is_an_origin(value: str, expected: bool) -> None:
    """B1.1: scheme and host in lower case, a port of at most 65535 written
    without leading zeros; B1.2: no other spelling is the same origin."""
    assert is_serialized_origin(value) is expected
    assert (parse_origin(value) is not None) is expected


@pytest.mark.parametrize(
    ("scheme", "port", "expected"),
    [
        ("http", "80", False),
        ("https", "443", False),
        ("ws", "80", False),
        ("wss", "443", False),
        ("ftp", "21", False),
        ("http", "443", True),
        ("https", "80", True),
        ("gopher", "70", True),
        ("https", "65535", True),
        ("https", "65536", False),
        ("https", None, True),
        ("http", "0", True),
    ],
)
def test_b1_1_no_default_port_and_none_above_65535(scheme: str, port: str | None, expected: bool) -> None:
    """B1.1: browsers never send the scheme's default port (80 for http and
    ws, 443 for https and wss, 21 for ftp); a port is at most 65535."""
    assert port_ok(scheme, port) is expected
    origin = f"{scheme}://host" + (f":{port}" if port is not None else "")
    assert is_serialized_origin(origin) is expected


def test_b1_1_parse_origin_splits_scheme_host_and_port() -> None:
    """B1.1: the parts are scheme (1), host (2) and port (3)."""
    match = parse_origin("https://app.example.com:8443")
    assert match is not None
    assert (match[1], match[2], match[3]) == ("https", "app.example.com", "8443")


@pytest.mark.parametrize("extra", [0, 1])
def test_b1_5_the_length_cap_is_300_characters(extra: int) -> None:
    """B1.5: an Origin longer than 300 characters is refused before parsing;
    one of exactly 300 is read like any other."""
    prefix, suffix = "https://", ".example.com"
    label = "a" * (MAX_ORIGIN_LENGTH - len(prefix) - len(suffix) + extra)
    value = prefix + label + suffix
    assert MAX_ORIGIN_LENGTH == 300
    assert len(value) == 300 + extra
    assert is_serialized_origin(value) is (extra == 0)
    expected = "is longer than 300 characters" if extra else ""
    assert malformation(value) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("localhost.", True),
        ("app.localhost", True),
        ("[::1]", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("127.0.0.1.", True),
        ("127.evil.example", False),
        ("127.0.0.evil", False),
        ("10.0.0.5", False),
        ("192.168.1.1", False),
        ("1127.0.0.1", False),
        ("notlocalhost", False),
        ("localhost.evil.example", False),
        ("[::2]", False),
        ("example.com", False),
    ],
)
def test_b2_2_only_this_machine_is_loopback(host: str, expected: bool) -> None:
    """B2.2: plain http:// passes with credentials only for loopback:
    localhost and its subdomains, [::1] and 127.0.0.0/8 written as four
    numbers. ``127.evil.example`` is a DNS name anyone can point anywhere."""
    assert is_loopback_host(host) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("10.0.0.5", True),
        ("example.123", True),
        ("a.0x7f", True),
        ("0x7f", True),
        ("[::1]", True),
        ("1.2.3.4.", True),
        ("example.com", False),
        ("example.0x", False),
        ("example.0xz-", False),
        ("x0.example", False),
        ("example.com1", False),
    ],
)
def test_b2_2_a_host_ending_in_a_number_is_an_ip_address(host: str, expected: bool) -> None:
    """B2.2 (wildcards on IP addresses) with the URL standard's "ends in a
    number checker": a last label of digits, or 0x and hex, is IPv4."""
    assert is_ip_host(host) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://app.example.com/", "https://app.example.com"),
        ("HTTPS://App.Example.com", "https://app.example.com"),
        ("https://app.example.com:443", "https://app.example.com"),
        ("http://app.example.com:80", "http://app.example.com"),
        ("http://app.example.com:8080/x", "http://app.example.com:8080"),
        ("app.example.com", "https://app.example.com"),
        ("  https://app.example.com  ", "https://app.example.com"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
        ("NULL", "null"),
        (" null", "null"),
        ("null", None),
        ("https://app.example.com", None),
        ("https://app.example.com:99999", None),
        ("https://", None),
        ("https://\udcff.example", None),
        ("https://:80", None),
        ("://app.example", None),
        ("https://app.example.com:70000/", None),
    ],
)
def test_b2_1_the_hint_names_the_origin_that_was_meant(value: str, expected: str | None) -> None:
    """B2.1: a malformed entry is reported with what to write instead, a
    serialized origin different from the value; none when there is none."""
    assert canonical_form(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is empty"),
        ("https://a.example\r\n", "contains a line break"),
        ("https://a.example\n", "contains a line break"),
        ("https://a.example\r", "contains a line break"),
        ("https://a.example, https://b.example", "holds several origins joined by a comma"),
        ("https://a.example,https://b.example", "holds several origins joined by a comma"),
        ("https://a .example", "contains whitespace"),
        ("https://a\t.example", "contains whitespace"),
        ("https://bücher.example", "is not ASCII (write internationalised hosts in punycode, xn--...)"),
        ("https://a\x00.example", "contains control characters"),
        ("https://a\x7f.example", "contains control characters"),
        ("app.example.com", "has no scheme (an origin looks like https://app.example.com)"),
        ("https://user@a.example", "contains user information (@)"),
        ("https://a.example\\x", "contains a backslash"),
        ("https://a.example?q", "has a query string"),
        ("https://a.example?next=https://b.example", "has a query string"),
        ("https://a.example#https://b", "has a fragment"),
        ("https://a.example#f", "has a fragment"),
        ("https://a.example/", "ends with a slash"),
        ("https://a.example/x", "has a path"),
        ("https://a.example/x/", "has a path"),
        ("https://A.example", "is not lower-case (browsers send scheme and host in lower case)"),
        ("HTTPS://a.example", "is not lower-case (browsers send scheme and host in lower case)"),
        ("https://a.example:", "is not of the form scheme://host[:port]"),
        ("https://a..example", "is not of the form scheme://host[:port]"),
        ("https://a.example:443", "has the default port :443, which browsers never send"),
        ("http://a.example:80", "has the default port :80, which browsers never send"),
        ("https://a.example:65536", "has a port above 65535"),
        ("https://a.example:65535", ""),
        ("https://a.example", ""),
    ],
)
def test_b1_3_a_malformed_value_is_told_apart_by_its_first_fault(value: str, reason: str) -> None:
    """B1.3: every kind of malformed value has its own words, in the order a
    person fixes them; a serialized origin has none."""
    assert malformation(value) == reason


def test_b1_3_the_reasons_come_in_the_order_a_person_fixes_them() -> None:
    """B1.3: a line break is named before a comma, a comma before
    whitespace, whitespace before non-ASCII, user information before a query."""
    assert malformation("https://a,b .example\n") == "contains a line break"
    assert malformation("https://a, b.example") == "holds several origins joined by a comma"
    assert malformation("https://b ü.example") == "contains whitespace"
    assert malformation("https://ü\x00.example") == "is not ASCII (write internationalised hosts in punycode, xn--...)"
    assert malformation("https://u@a\\b?q#f/p") == "contains user information (@)"
    assert malformation("https://a\\b?q#f/p") == "contains a backslash"
    assert malformation("https://a?q#f/p") == "has a query string"
    assert malformation("https://a#f/p") == "has a fragment"
    assert malformation("https://A/p") == "has a path"


_LABEL = st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12)


@given(
    scheme=st.sampled_from(["http", "https", "ws", "wss", "ftp", "app"]),
    labels=st.lists(_LABEL, min_size=1, max_size=4),
    port=st.one_of(st.none(), st.integers(min_value=0, max_value=200000)),
)
def test_b1_1_grammar_and_diagnosis_agree(scheme: str, labels: list[str], port: int | None) -> None:
    """B1.1 and B1.3 say the same thing: a value is an origin exactly when
    it has no malformation, and the port rule is 1..65535 without the
    scheme's default."""
    origin = f"{scheme}://{'.'.join(labels)}" + ("" if port is None else f":{port}")
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}.get(scheme)
    expected = port is None or (port <= 65535 and port != default)
    assert is_serialized_origin(origin) is expected
    assert (malformation(origin) == "") is expected
    assert is_serialized_origin(origin.upper()) is False
