"""The raw request facts every adapter reads the same way (B1.3, B3.4).

A WSGI environ and an ASGI scope holding the same header lines give the
same facts: repeated lines are joined by ", " (so two Origin lines make a
malformed value), names are matched case-insensitively. Paths are routed
as the frameworks route them. ``corsguard._engine.facts`` is mutated against
these rows (docs/mutation.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from corsguard._engine.decision import Kind
from corsguard._engine.facts import RequestFacts, merged_slashes, raw_path, utf8_path, wsgi_routed_path

SCOPE_ROWS: list[tuple[list[tuple[bytes, bytes]], tuple[Any, ...]]] = [
    ([], ("GET", None, None, None, None, "/p")),
    ([(b"origin", b"https://a.example")], ("GET", "https://a.example", None, None, None, "/p")),
    ([(b"Origin", b"https://a.example")], ("GET", "https://a.example", None, None, None, "/p")),
    ([(b"ORIGIN", b"https://a.example")], ("GET", "https://a.example", None, None, None, "/p")),
    (
        [(b"origin", b"https://a.example"), (b"origin", b"https://b.example")],
        ("GET", "https://a.example, https://b.example", None, None, None, "/p"),
    ),
    (
        [
            (b"access-control-request-method", b"PUT"),
            (b"Access-Control-Request-Headers", b"x-a"),
            (b"access-control-request-private-network", b"true"),
            (b"accept", b"*/*"),
            (b"Authorization", b"secret"),
            (b"other", b"1"),
            (b"", b"empty name"),
        ],
        ("GET", None, "PUT", "x-a", "true", "/p"),
    ),
    ([(b"origin", "https://ü.example".encode())], ("GET", "https://Ã¼.example", None, None, None, "/p")),
    ([(b"origins", b"https://a.example"), (b"xorigin", b"x")], ("GET", None, None, None, None, "/p")),
]


@pytest.mark.parametrize(("headers", "expected"), SCOPE_ROWS)
def test_b1_3_an_asgi_scope_gives_what_a_wsgi_server_would(
    headers: list[tuple[bytes, bytes]], expected: tuple[Any, ...]
) -> None:
    """B1.3: header names in any case; repeated lines joined by ", " as a
    WSGI server joins them, so two Origin lines are one malformed value;
    bytes read as latin-1, never decoded into something else."""
    facts = RequestFacts.from_scope({"method": "GET", "headers": headers}, "/p")
    assert tuple(facts) == expected


def test_b3_the_same_request_from_environ_and_scope() -> None:
    """B3.2: a preflight reads the same through WSGI and ASGI."""
    environ = {
        "REQUEST_METHOD": "OPTIONS",
        "HTTP_ORIGIN": "https://a.example",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "PUT",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-a",
        "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK": "true",
    }
    scope = {
        "method": "OPTIONS",
        "headers": [
            (b"origin", b"https://a.example"),
            (b"access-control-request-method", b"PUT"),
            (b"access-control-request-headers", b"x-a"),
            (b"access-control-request-private-network", b"true"),
        ],
    }
    wsgi = RequestFacts.from_environ(environ, "/p")
    assert wsgi == RequestFacts.from_scope(scope, "/p")
    assert wsgi == RequestFacts("OPTIONS", "https://a.example", "PUT", "x-a", "true", "/p")
    assert wsgi.kind is Kind.PREFLIGHT
    assert RequestFacts.from_environ({}, "") == RequestFacts()
    assert RequestFacts.from_scope({}, "") == RequestFacts()
    assert RequestFacts().kind is Kind.NOT_CORS


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a/b", "/a/b"),
        ("", "/"),
        ("a", "/a"),
        ("//a", "/a"),
        ("/a//b///c", "/a/b/c"),
        ("/a/", "/a/"),
        ("///", "/"),
        ("a/b", "/a/b"),
        ("XX/XX", "/XX/XX"),
    ],
)
def test_b3_4_paths_are_routed_with_slashes_merged(path: str, expected: str) -> None:
    """B3.4: one leading slash and no runs of slashes, the path Werkzeug
    routes on, so a path rule cannot be dodged with '//'."""
    assert merged_slashes(path) == expected


@pytest.mark.parametrize(
    ("path_info", "expected"),
    [
        ("/plain", "/plain"),
        ("/caf\xc3\xa9", "/café"),
        ("/bad\xff", "/bad\ufffd"),
        ("/wide\u0100", "/wide?"),
    ],
)
def test_b3_4_path_info_is_decoded_as_the_frameworks_decode_it(path_info: str, expected: str) -> None:
    """B3.4: PEP 3333 PATH_INFO is latin-1 text of the raw bytes; Django and
    Werkzeug read those bytes as UTF-8, and so does corsguard."""
    assert utf8_path(path_info) == expected


def test_b3_4_the_routed_and_the_logged_path() -> None:
    """B3.4: the routed path is decoded and merged; the logged one is as sent."""
    assert wsgi_routed_path({"PATH_INFO": "//caf\xc3\xa9//x"}) == "/café/x"
    assert wsgi_routed_path({}) == "/"
    assert raw_path({"PATH_INFO": "//x"}) == "//x"
    assert raw_path({}) == ""
    assert raw_path({"PATH_INFO": b"/bytes"}) == "b'/bytes'"
