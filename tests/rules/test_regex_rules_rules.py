"""Which origin regexes are trusted with credentials (B2.3, B12.3), rule by
rule, with the exact words a user reads.

``corsguard._engine.regex_rules`` is mutated against these rows
(docs/mutation.md); the words are asserted whole because the example origin
is the proof the user is shown and the hint is the fix (B2.1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corsguard._engine import suffixes
from corsguard._engine.patterns import SafePattern
from corsguard._engine.regex_rules import never_an_origin, unsafe_with_credentials
from corsguard._engine.regexes import compile_regex

ANCHOR_HINT = (
    r"start it with a literal scheme and end it with your own domain, e.g. r'https://[a-z0-9-]+\.example\.com', "
    "or use a wildcard entry 'https://*.example.com'."
)


def compiled(source: str) -> SafePattern:
    pattern = compile_regex(source)
    assert isinstance(pattern, SafePattern), pattern
    return pattern


def judged(source: str, suffix_list: str | None = None) -> tuple[str, str] | None:
    return unsafe_with_credentials(compiled(source), insecure=False, suffix_list=suffix_list)


@pytest.mark.parametrize(
    ("source", "example"),
    [
        (r"https?://app\.example\.com", "http://app.example.com"),
        (r"(https|ftp)://app\.example\.com", "ftp://app.example.com"),
        (r"(https|wss)://app\.example\.com", "wss://app.example.com"),
    ],
)
def test_b12_3_a_regex_that_does_not_fix_the_scheme_names_an_origin_it_accepts(source: str, example: str) -> None:
    """B12.3: every match must start with a literal 'https://'. The refusal
    names an origin the regex accepts: a plain http:// one when there is one,
    otherwise one with whatever other scheme it lets in."""
    assert judged(source) == (f"does not fix the scheme: it also accepts {example!r}.", ANCHOR_HINT)


@pytest.mark.parametrize(
    ("source", "pinned", "example"),
    [
        (r"https://[a-z.]+com", "any host ending in 'com'", "https://evil.com"),
        (r"https://[a-z]+com", "any host ending in 'com'", "https://acom"),
        (r"https://[a-z]+\.[a-z]+", "hosts on any domain", "https://evil.com"),
    ],
)
def test_b12_3_a_tail_with_no_whole_label_is_no_domain(source: str, pinned: str, example: str) -> None:
    """B12.3: the literal tail is cut back to whole labels; a tail with no
    dot ('com' in '[a-z]+com') leaves no domain, so any site can match. The
    refusal quotes the tail when there is one."""
    assert judged(source) == (f"accepts {pinned}, such as {example!r}.", ANCHOR_HINT)


@pytest.fixture
def apps_list(tmp_path: Path) -> str:
    """A list only this file knows: 'apps.example.com' is a public suffix."""
    path = tmp_path / "list.dat"
    path.write_text("com\nexample\napps.example.com\n")
    return str(path)


def test_b2_3_a_public_suffix_below_the_domain_comes_from_the_configured_list(apps_list: str) -> None:
    """B2.3: the suffixes below a regex's domain are read from
    PUBLIC_SUFFIX_LIST, not the shipped list: a regex open under
    'apps.example.com' is refused with that file, naming the suffix and an
    origin under it, and accepted with the shipped list, which has no suffix
    under example.com."""
    source = r"https://[a-z.]+\.example\.com"
    assert judged(source, apps_list) == (
        "reaches names under 'apps.example.com', a public suffix inside 'example.com' where anyone can host a "
        "page, such as 'https://attacker.apps.example.com'.",
        "list your own hosts under 'example.com' exactly, or anchor the regex on a name you own.",
    )
    assert judged(source) is None


def test_b2_3_the_shipped_list_names_a_suffix_below_with_an_origin_under_it() -> None:
    """B2.3: '[a-z0-9.-]+\\.amazonaws\\.com' reaches attacker.s3.amazonaws.com;
    the refusal shows that origin."""
    assert judged(r"https://[a-z0-9.-]+\.amazonaws\.com") == (
        "reaches names under 's3.amazonaws.com', a public suffix inside 'amazonaws.com' where anyone can host a "
        "page, such as 'https://attacker.s3.amazonaws.com'.",
        "list your own hosts under 'amazonaws.com' exactly, or anchor the regex on a name you own.",
    )


def test_b3_6_a_regex_that_cannot_be_checked_is_refused_with_the_setting_to_fix(tmp_path: Path) -> None:
    """B3.6: when PUBLIC_SUFFIX_LIST cannot be read, a regex that needs it is
    refused, and the hint names the setting to fix."""
    missing = str(tmp_path / "missing.dat")
    assert judged(r"https://[a-z]+\.example\.com", missing) == (
        f"cannot be checked against the Public Suffix List: cannot read {missing!r}: No such file or directory.",
        "fix PUBLIC_SUFFIX_LIST.",
    )


def test_b2_3_closed_names_on_a_public_suffix_need_no_list_of_what_lies_below(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """B2.3, B12.3: when the regex's domain is itself a public suffix, what
    matters is whether the names in front of it are open; a fixed set of
    names (too many to spell out, none chosen freely) is accepted, and the
    suffixes below the public suffix are never consulted, so a list that
    cannot enumerate them does not refuse it."""

    def unreadable(domain: str, path: str | None = None) -> tuple[str, ...]:
        raise suffixes.SuffixListError("no rules exposed")

    source = r"https://(ab|ba){10}\.github\.io"
    assert judged(source) is None
    monkeypatch.setattr(suffixes, "suffixes_under", unreadable)
    assert judged(source) is None
    assert judged(r"https://[a-z]+\.example\.com") == (
        "cannot be checked against the Public Suffix List: no rules exposed.",
        "fix PUBLIC_SUFFIX_LIST.",
    )


NEVER = (
    "can never match: regexes are only applied to well-formed origins ('scheme://host[:port]').",
    "to allow the 'null' origin list 'null' in ALLOWED_ORIGINS; otherwise write the origin's full form.",
)
LOWER_CASE = "is not lower-case (browsers send scheme and host in lower case)"


def never_matches(example: str, fault: str, suggestion: str) -> tuple[str, str]:
    return (
        "can never match: browsers send only well-formed origins ('scheme://host[:port]', lower case, no path), "
        f"and what it accepts is not one: {example!r} {fault}.",
        f"make it accept the form browsers send, e.g. {suggestion}.",
    )


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (r"https://A\.example\.com", never_matches("https://A.example.com", LOWER_CASE, "'https://a.example.com'")),
        (
            r"https://[A-Z]+\.example\.com",
            never_matches("https://A.example.com", LOWER_CASE, "'https://a.example.com'"),
        ),
        (
            r"HTTPS://app\.example\.com",
            never_matches("HTTPS://app.example.com", LOWER_CASE, "'https://app.example.com'"),
        ),
        (
            r"https://app\.example\.com/",
            never_matches("https://app.example.com/", "ends with a slash", "'https://app.example.com'"),
        ),
        (
            r"https://app\.example\.com/.*",
            never_matches("https://app.example.com/", "ends with a slash", "'https://app.example.com'"),
        ),
        (
            r"https://app\.example\.com/login",
            never_matches("https://app.example.com/login", "has a path", "'https://app.example.com'"),
        ),
        (
            r"https://my app\.example\.com",
            never_matches("https://my app.example.com", "contains whitespace", r"r'https://app\.example\.com'"),
        ),
        (r"example\.com$", NEVER),
        ("x", NEVER),
        (r"[a-z]+:[a-z]+/", NEVER),
    ],
)
def test_b12_3_a_regex_no_browser_origin_can_match_is_refused_with_what_to_change(
    source: str, why: tuple[str, str]
) -> None:
    """B12.3, B1.1: a regex is only ever applied to a well-formed origin
    (lower-case scheme and host, no path, no trailing '/', no space), so one
    that accepts none is a mistake, refused with credentials and reported by
    lint without. Where what it accepts has the shape 'scheme://...', the
    refusal shows the shortest such value, what is wrong with it (B1.3's
    words) and the origin it was most likely meant to accept."""
    assert never_an_origin(compiled(source)) == why


@pytest.mark.parametrize(
    "source",
    [
        r"https://[a-z]+\.example\.com/?",
        r"(?i)https://App\.example\.com",
        r"https://[A-Za-z]+\.example\.com",
        r"https://App\.example\.com|https://b\.example\.com",
        r"https://app\.example\.com\.?",
        r"https://app\.example\.com(/|:8080)",
        r"http://\[::1\]:[0-9]+",
        r"http://localhost:0",
        r"https?://.*",
    ],
)
def test_b12_3_a_regex_that_one_origin_can_match_is_not_refused_as_never_matching(source: str) -> None:
    """B12.3: one well-formed origin the regex accepts is enough (an optional
    '/', an upper-case alternative beside a lower-case one, a trailing dot,
    an IPv6 host with a port): it is judged by the other proofs."""
    assert never_an_origin(compiled(source)) is None
