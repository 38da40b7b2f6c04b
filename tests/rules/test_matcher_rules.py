"""The compiled allow-list, rule by rule (B1.2-B1.5, B9.2, B9.3).

Each row is one origin against one configured list and the ACAO it earns
(None: refused). ``corsguard._engine.matcher`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

import itertools

import pytest

from corsguard._engine.dynamic import Limits, Resolver
from corsguard._engine.entries import Entry, parse_entry
from corsguard._engine.matcher import OriginSet, build
from corsguard._engine.patterns import SafePattern
from corsguard._engine.regexes import compile_regex


def entries(*values: str) -> list[Entry]:
    parsed = [parse_entry(value) for value in values]
    assert all(isinstance(entry, Entry) for entry in parsed), parsed
    return parsed  # type: ignore[return-value]


def regexes(*sources: str) -> list[SafePattern]:
    compiled = [compile_regex(source) for source in sources]
    assert all(isinstance(pattern, SafePattern) for pattern in compiled), compiled
    return compiled  # type: ignore[return-value]


LONGEST = "https://" + "a" * (300 - len("https://") - len(".example.com")) + ".example.com"

# (configured origins, request Origin, ACAO or None)
ROWS = [
    # B1.2: exact entries compare byte for byte.
    (["https://app.example.com"], "https://app.example.com", "https://app.example.com"),
    (["https://app.example.com"], "https://APP.example.com", None),
    (["https://app.example.com"], "https://app.example.com/", None),
    (["https://app.example.com"], "https://app.example.com:443", None),
    (["https://app.example.com"], "http://app.example.com", None),
    ([LONGEST], LONGEST, LONGEST),
    ([LONGEST], LONGEST + "x", None),
    # B1.4: '*' answers '*', to listed origins too; null only when listed.
    (["*"], "https://any.example.net", "*"),
    (["*", "https://app.example.com"], "https://app.example.com", "*"),
    (["*", "null"], "null", "*"),
    (["*"], "null", None),
    (["*"], "https://bad example", None),
    (["null"], "null", "null"),
    (["https://app.example.com"], "null", None),
    # B1.4: subdomain patterns, one or more labels, never the domain itself.
    (["https://*.example.org"], "https://a.example.org", "https://a.example.org"),
    (["https://*.example.org"], "https://a.b.example.org", "https://a.b.example.org"),
    (["https://*.example.org"], "https://example.org", None),
    (["https://*.example.org"], "https://evilexample.org", None),
    (["https://*.example.org"], "https://a.example.org.evil.net", None),
    (["https://*.example.org"], "https://EVIL.example.org", None),
    (["https://*.example.org"], "http://a.example.org", None),
    (["https://*.example.org"], "https://a.example.org:8443", None),
    (["https://*.example.org"], "https://a.example.org.", None),
    (["https://*.example.org:8443"], "https://a.example.org:8443", "https://a.example.org:8443"),
    (["https://*.example.org:8443"], "https://a.example.org", None),
    (["https://*.example.org:8443"], "https://a.example.org:8444", None),
    (["https://*.example.org:*"], "https://a.example.org:1", "https://a.example.org:1"),
    (["https://*.example.org:*"], "https://a.b.example.org", "https://a.b.example.org"),
    (["https://*.example.org:*"], "https://example.org:8443", None),
    (["https://*.x:*"], "https://a.x:9", "https://a.x:9"),
    (["https://*.x:*"], "https://a.b.x", "https://a.b.x"),
    (["https://*.x:*"], "https://x:9", None),
    (["https://*.x:*"], "https://a.y:9", None),
    (["https://*.x:*"], "https://ax:9", None),
    (["https://*.x"], "https://a.x", "https://a.x"),
    (["https://*.a.b.example.com", "https://*.example.org"], "https://x.a.b.example.com", "https://x.a.b.example.com"),
    (["https://*.a.b.example.com", "https://*.example.org"], "https://x.y.example.org", "https://x.y.example.org"),
    (["https://*.a.b.example.com", "https://*.example.org"], "https://x.b.example.com", None),
    (["https://*.a.b.example.com"], "https://a.b.example.com", None),
    (["https://*.a.b.example.com"], "https://p.q.a.b.example.com", "https://p.q.a.b.example.com"),
    # B1.4: port patterns, that host on any port or none, same scheme.
    (["http://localhost:*"], "http://localhost", "http://localhost"),
    (["http://localhost:*"], "http://localhost:3000", "http://localhost:3000"),
    (["http://localhost:*"], "https://localhost:3000", None),
    (["http://localhost:*"], "http://app.localhost:3000", None),
    (["http://localhost:*"], "http://localhost.evil:3000", None),
    (["http://localhost:*"], "http://localhostx:3000", None),
]


@pytest.mark.parametrize(("configured", "origin", "acao"), ROWS)
def test_b1_4_each_form_allows_exactly_its_origins(configured: list[str], origin: str, acao: str | None) -> None:
    """B1.2 and B1.4: the ACAO each configured form earns an Origin."""
    assert build(entries(*configured), []).match(origin) == acao


REGEX_ROWS = [
    (r"https://[a-z]+\.example\.com", "https://app.example.com", True),
    (r"https://[a-z]+\.example\.com", "https://app.example.com.evil.net", False),
    (r"https://[a-z]+\.example\.com", "https://evil-example.com", False),
    (r"https://[a-z]+\.example\.com", "https://APP.example.com", False),
    (r"https://[a-z]+\.b\.example\.com", "https://a.b.example.com", True),
    (r"https://[a-z]+\.b\.example\.com", "https://a.c.example.com", False),
    (r"https://(app|web)\.example\.(com|org)", "https://web.example.org", True),
    (r"https://(app|web)\.example\.(com|org)", "https://api.example.org", False),
    (r"https://app\.example\.(com|org)(:[0-9]+)?", "https://app.example.org:8443", True),
    (r".*", "https://bad example", False),
    (r".*", "https://" + "a" * 300, False),
]


@pytest.mark.parametrize(("source", "origin", "allowed"), REGEX_ROWS)
def test_b1_4_regexes_fullmatch_well_formed_origins_only(source: str, origin: str, allowed: bool) -> None:
    """B1.4: regexes apply with fullmatch, case-sensitively, only to values
    that passed B1.3, whether filed under a domain or not (B1.5)."""
    matcher = build([], regexes(source))
    assert matcher.match(origin) == (origin if allowed else None)


def test_b1_5_many_filed_regexes_answer_like_one() -> None:
    """B1.5: regexes filed under their domains answer as each alone would."""
    sources = [rf"https://[a-z]+\.site{n}\.example\.com" for n in range(20)]
    matcher = build([], regexes(*sources))
    assert matcher.match("https://a.site7.example.com") == "https://a.site7.example.com"
    assert matcher.match("https://a.site7.example.org") is None
    assert matcher.match("https://a.site70.example.com") is None


class Counting:
    """A resolver function that allows the origins it is given, and counts."""

    def __init__(self, *allowed: str) -> None:
        self.allowed = set(allowed)
        self.asked: list[str] = []

    def __call__(self, origin: str) -> bool:
        self.asked.append(origin)
        return origin in self.allowed


def with_resolver(function: Counting, credentials: bool = False, insecure: bool = False) -> OriginSet:
    resolver = Resolver(function, Limits(calls=1000))
    return build(entries("https://static.example.com"), [], resolver, (credentials, insecure))


@pytest.mark.parametrize(
    ("origin", "credentials", "insecure", "asked"),
    [
        ("https://t.example.net", True, False, True),
        ("http://t.example.net", False, False, True),
        ("http://t.example.net", True, False, False),
        ("http://t.example.net", True, True, True),
        ("http://localhost:3000", True, False, True),
        ("http://127.0.0.1:3000", True, False, True),
        ("http://127.evil.example", True, False, False),
        ("http://10.0.0.5:8080", True, False, False),
        ("null", False, False, False),
        ("https://bad example", False, False, False),
        ("https://static.example.com", True, False, False),
    ],
)
def test_b9_2_the_resolver_sees_only_eligible_origins(
    origin: str, credentials: bool, insecure: bool, asked: bool
) -> None:
    """B9.2: malformed values and null never reach the resolver; with
    credentials neither does plain http:// to a host that is not loopback
    (``127.evil.example`` and ``10.0.0.5`` are not), unless switched on."""
    function = Counting(origin)
    matcher = with_resolver(function, credentials, insecure)
    expected = origin if asked or origin == "https://static.example.com" else None
    assert matcher.pending(origin) is asked
    assert matcher.match(origin) == expected
    assert function.asked == ([origin] if asked else [])


def test_b9_1_the_resolver_only_widens_the_static_list() -> None:
    """B9.1: asked only when the static list does not match."""
    function = Counting()
    matcher = build(entries("https://*.example.org"), regexes(r"https://a\.example\.com"), Resolver(function, Limits()))
    assert matcher.match("https://x.example.org") == "https://x.example.org"
    assert matcher.match("https://a.example.com") == "https://a.example.com"
    assert matcher.pending("https://x.example.org") is False
    assert function.asked == []
    assert matcher.match("https://b.example.com") is None
    assert function.asked == ["https://b.example.com"]


def test_b9_3_pending_reads_the_cache_first() -> None:
    """B9.3: an origin with a live cached answer, allowed or refused, needs
    no call, so an async adapter is never told to ask again."""
    function = Counting("https://yes.example.net")
    matcher = with_resolver(function)
    assert matcher.pending("https://yes.example.net") is True
    assert matcher.pending("https://no.example.net") is True
    assert matcher.match("https://yes.example.net") == "https://yes.example.net"
    assert matcher.match("https://no.example.net") is None
    assert matcher.pending("https://yes.example.net") is False
    assert matcher.pending("https://no.example.net") is False
    assert matcher.match("https://yes.example.net") == "https://yes.example.net"
    assert matcher.match("https://no.example.net") is None
    assert function.asked == ["https://yes.example.net", "https://no.example.net"]


def test_b9_3_a_cached_allowed_answer_needs_no_parsing() -> None:
    """B9.3: a live allowed answer is the answer, from the cache alone."""
    function = Counting("https://t.example.net")
    resolver = Resolver(function, Limits())
    clock = itertools.count(1000.0)
    resolver.clock = lambda: next(clock)
    matcher = build([], [], resolver)
    assert matcher.match("https://t.example.net") == "https://t.example.net"
    assert matcher.match("https://t.example.net") == "https://t.example.net"
    assert function.asked == ["https://t.example.net"]


@pytest.mark.parametrize(
    "origin",
    ["https://" + "a" * 300, "https://bad example", "null"],
)
def test_b1_3_values_that_are_no_origin_are_never_pending(origin: str) -> None:
    """B1.3, B1.5: over-long and malformed values never wait on a resolver."""
    function = Counting(origin)
    matcher = with_resolver(function)
    assert matcher.pending(origin) is False
    assert matcher.match(origin) is None
    assert function.asked == []


def test_b9_without_a_resolver_nothing_is_pending() -> None:
    """B9.1: with no resolver the static list answers at once."""
    assert build(entries("https://a.example.com"), []).pending("https://b.example.com") is False


@pytest.mark.parametrize(
    ("configured", "sources", "resolving", "exact_only"),
    [
        (["https://app.example.com", "null"], [], False, True),
        ([], [], False, True),
        (["*"], [], False, False),
        (["https://*.example.org"], [], False, False),
        (["https://*.example.org:*"], [], False, False),
        (["http://localhost:*"], [], False, False),
        ([], [r"https://[a-z]+\.example\.com"], False, False),
        ([], [r"https://(a|b)\.example\.(com|org)"], False, False),
        (["https://app.example.com"], [], True, False),
    ],
)
def test_b1_5_a_list_of_exact_origins_answers_a_miss_at_once(
    configured: list[str], sources: list[str], resolving: bool, exact_only: bool
) -> None:
    """B1.5: with exact entries only (no pattern, regex, '*' or resolver), an
    origin missing from the dict is refused without being parsed; any other
    form keeps the full lookup."""
    resolver = Resolver(Counting(), Limits()) if resolving else None
    matcher = build(entries(*configured), regexes(*sources), resolver)
    assert matcher.exact_only is exact_only
    assert matcher.match("https://other.example.net") == ("*" if "*" in configured else None)
