"""What an ALLOWED_ORIGINS entry may be (B1.4, B2.2), with the fix a wrong
one is told. ``corsguard._engine.entries`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

import pytest

from corsguard._engine.entries import Entry, Fault, Form, parse_entry

ENTRY_ROWS = [
    ("*", Form.ANY, "", "", None),
    ("null", Form.NULL, "", "", None),
    ("https://app.example.com", Form.EXACT, "https", "app.example.com", None),
    ("https://app.example.com:8443", Form.EXACT, "https", "app.example.com", "8443"),
    ("https://*.example.com", Form.SUBDOMAINS, "https", "example.com", None),
    ("https://*.example.com:8443", Form.SUBDOMAINS, "https", "example.com", "8443"),
    ("https://*.example.com:*", Form.SUBDOMAINS, "https", "example.com", "*"),
    ("https://*.x:*", Form.SUBDOMAINS, "https", "x", "*"),
    ("http://localhost:*", Form.ANY_PORT, "http", "localhost", "*"),
    ("http://[::1]:*", Form.ANY_PORT, "http", "[::1]", "*"),
]


@pytest.mark.parametrize(("value", "form", "scheme", "host", "port"), ENTRY_ROWS)
def test_b1_4_each_configurable_form_is_read_into_its_parts(
    value: str, form: Form, scheme: str, host: str, port: str | None
) -> None:
    """B1.4: an exact origin, a subdomain pattern (no port, a port or any
    port), a port pattern, '*' or 'null'; the wildcard's parent domain is
    the host."""
    assert parse_entry(value) == Entry(value, form, scheme, host, port)


PATTERN_HINT = (
    "a wildcard may only be the first label ('https://*.example.com') or the port "
    "('http://localhost:*'); use ORIGIN_REGEXES for anything else."
)
IP = ("puts a wildcard on an IP address; IP addresses have no subdomains.", "list each origin.")
UNKNOWN = "is not a pattern corsguard understands."

FAULT_ROWS = [
    ("https://*.example.com:443", "has a default or out-of-range port.", "write 'https://*.example.com'."),
    ("http://*.example.com:80", "has a default or out-of-range port.", "write 'http://*.example.com'."),
    ("https://*.example.com:65536", "has a default or out-of-range port.", "write 'https://*.example.com'."),
    ("https://*.10.0.0.1", *IP),
    ("https://*.[::1]", *IP),
    ("https://*.0x7f", *IP),
    ("https://*.10.0.0.1:*", *IP),
    (
        "https://*example.com",
        UNKNOWN,
        "'https://*example.com' would also match look-alikes such as 'https://evilexample.com'; "
        "write 'https://*.example.com' for subdomains.",
    ),
    ("*.example.com", UNKNOWN, "add the scheme: 'https://*.example.com'."),
    ("https://*", UNKNOWN, "to allow any origin write '*' on its own (never with credentials)."),
    ("https://a.*.example.com", UNKNOWN, PATTERN_HINT),
    ("https://*.EXAMPLE.com", UNKNOWN, PATTERN_HINT),
    ("https://*.example.com:8*", UNKNOWN, PATTERN_HINT),
    ("https://localhost:*0", UNKNOWN, PATTERN_HINT),
    (
        "https://app.example.com/",
        "is not a serialized origin: it ends with a slash.",
        "write 'https://app.example.com'.",
    ),
    (
        "HTTPS://App.example.com",
        "is not a serialized origin: it is not lower-case (browsers send scheme and host in lower case).",
        "write 'https://app.example.com'.",
    ),
    (
        "https://bad example",
        "is not a serialized origin: it contains whitespace.",
        "write scheme://host[:port], e.g. 'https://app.example.com'.",
    ),
    (
        "https://app.example.com:65536",
        "is not a serialized origin: it has a port above 65535.",
        "write scheme://host[:port], e.g. 'https://app.example.com'.",
    ),
]


@pytest.mark.parametrize(("value", "message", "hint"), FAULT_ROWS)
def test_b2_2_a_wrong_entry_is_refused_with_what_to_write(value: str, message: str, hint: str) -> None:
    """B2.2: malformed origins, default or out-of-range ports, wildcards
    anywhere but the first label or the port, and wildcards on IP addresses
    are refused, each with what to write instead (B2.1)."""
    assert parse_entry(value) == Fault(message, hint)


@pytest.mark.parametrize(
    ("value", "example", "example_9", "loopback", "plain_http"),
    [
        ("https://*.example.com", "https://app.example.com", "https://app.example.com", False, False),
        ("https://*.example.com:8443", "https://app.example.com:8443", "https://app.example.com:8443", False, False),
        ("https://*.example.com:*", "https://app.example.com:3000", "https://app.example.com:9", False, False),
        ("http://localhost:*", "http://localhost:3000", "http://localhost:9", True, False),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", "http://127.0.0.1:8000", True, False),
        ("http://*.localhost", "http://app.localhost", "http://app.localhost", True, False),
        ("http://app.example.com", "http://app.example.com", "http://app.example.com", False, True),
        ("http://127.evil.example", "http://127.evil.example", "http://127.evil.example", False, True),
        ("http://10.0.0.5:8080", "http://10.0.0.5:8080", "http://10.0.0.5:8080", False, True),
        ("*", "*", "*", False, False),
        ("null", "null", "null", False, False),
    ],
)
def test_b2_2_plain_http_is_judged_by_the_host_being_this_machine(
    value: str, example: str, example_9: str, loopback: bool, plain_http: bool
) -> None:
    """B2.2: plain http:// is refused with credentials unless the host is
    loopback; an entry's example is an origin it allows (for hints)."""
    entry = parse_entry(value)
    assert isinstance(entry, Entry)
    assert entry.is_loopback is loopback
    assert entry.is_plain_http is plain_http
    assert entry.example() == example
    assert entry.example("9") == example_9


def lookalike_hint(value: str, scheme: str, rest: str) -> str:
    return (
        f"'{value}' would also match look-alikes such as '{scheme}://evil{rest}'; "
        f"write '{scheme}://*.{rest}' for subdomains."
    )


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (
            "https://*example.com/?next=https://app",
            lookalike_hint("https://*example.com/?next=https://app", "https", "example.com/?next=https://app"),
        ),
        ("https://https://*example.com", PATTERN_HINT),
        ("https://*example.com.", lookalike_hint("https://*example.com.", "https", "example.com.")),
        ("https://*Xbox.example.com", lookalike_hint("https://*Xbox.example.com", "https", "Xbox.example.com")),
        ("https://* example.com", lookalike_hint("https://* example.com", "https", " example.com")),
    ],
)
def test_b2_1_a_glued_wildcard_is_answered_from_the_first_scheme_separator(value: str, hint: str) -> None:
    """B2.1, B2.2: the hint for an unknown pattern reads the scheme as the
    text before the FIRST '://' (a URL later in the value, or a scheme
    pasted twice, does not move it), and the subdomain rewrite of a wildcard
    glued to a name ('*example.com') only inserts the missing dot: the rest
    of the value is kept exactly as written (trailing dot, case, spaces), so
    the user sees their own text with the one change."""
    assert parse_entry(value) == Fault(UNKNOWN, hint)
