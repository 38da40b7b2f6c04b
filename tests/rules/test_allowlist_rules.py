"""The allow-list judged against the rest of the configuration (B2.2, B2.3,
B3.6, B9.1, B12.3), rule by rule, with the exact words a user reads.

``corsguard._engine.allowlist`` is mutated against these rows
(docs/mutation.md); the words are asserted whole because they are the fix
the user is told to make (B2.1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corsguard._engine import suffixes
from corsguard._engine.allowlist import INSECURE_SWITCH, Judge, resolver_function, source, suffix_list
from corsguard._engine.errors import Problem
from corsguard._engine.patterns import SafePattern

ANY_HINT = "list the exact origins of your front-ends, e.g. 'https://app.example.com'."
PUBLIC_HINT = "list your own origins, or use an ORIGIN_REGEXES entry anchored on a name you control."
HTTP_MESSAGE = "is plain http:// with ALLOW_CREDENTIALS on; cookies and responses would cross the network unencrypted."
HTTP_HINT = (
    "use https://, or set DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS = True if this really is a "
    "trusted internal network."
)
ANCHOR_HINT = (
    r"start it with a literal scheme and end it with your own domain, e.g. r'https://[a-z0-9-]+\.example\.com', "
    "or use a wildcard entry 'https://*.example.com'."
)
NULL_REGEX = ("matches 'null' while ALLOW_CREDENTIALS is on.", "make the regex require a scheme, e.g. '^https://'.")


def judged_entry(
    value: str, credentials: bool = True, insecure: bool = False, suffixes: str | None = None
) -> tuple[bool, list[tuple[str, str, str]]]:
    judge = Judge(credentials, insecure, suffixes, [])
    accepted = judge.entry(3, value)
    for problem in judge.problems:
        assert (problem.setting, problem.value) == ("ALLOWED_ORIGINS[3]", value)
    return accepted is not None, [(p.message, p.hint, "") for p in judge.problems]


ENTRY_ROWS = [
    (
        "*",
        True,
        False,
        False,
        [
            (
                "'*' (any origin) cannot be combined with ALLOW_CREDENTIALS: any site could read your users' data.",
                ANY_HINT,
            )
        ],
    ),
    ("*", False, False, True, []),
    (
        "null",
        True,
        False,
        False,
        [
            (
                "'null' cannot be combined with ALLOW_CREDENTIALS: sandboxed iframes and data: pages of any site "
                "send it.",
                "remove 'null', or serve the page from a real origin and list that.",
            )
        ],
    ),
    ("null", False, False, True, []),
    (
        "https://*.github.io",
        True,
        False,
        False,
        [
            (
                "allows every site registered under the public suffix 'github.io' to make credentialed requests.",
                PUBLIC_HINT,
            )
        ],
    ),
    (
        "https://*.co.uk",
        True,
        False,
        False,
        [("allows every site registered under the public suffix 'co.uk' to make credentialed requests.", PUBLIC_HINT)],
    ),
    ("https://*.github.io", False, False, True, []),
    ("https://*.example.com", True, False, True, []),
    ("http://app.example.com", True, False, False, [(HTTP_MESSAGE, HTTP_HINT)]),
    ("http://*.example.com", True, False, False, [(HTTP_MESSAGE, HTTP_HINT)]),
    ("http://10.0.0.5:8080", True, False, False, [(HTTP_MESSAGE, HTTP_HINT)]),
    ("http://127.evil.example", True, False, False, [(HTTP_MESSAGE, HTTP_HINT)]),
    ("http://app.example.com", True, True, True, []),
    ("http://app.example.com", False, False, True, []),
    ("http://localhost:3000", True, False, True, []),
    ("http://127.0.0.1:8000", True, False, True, []),
    ("http://localhost:*", True, False, True, []),
    (
        "https://bad example",
        True,
        False,
        False,
        [
            (
                "is not a serialized origin: it contains whitespace.",
                "write scheme://host[:port], e.g. 'https://app.example.com'.",
            )
        ],
    ),
]


@pytest.mark.parametrize(("value", "credentials", "insecure", "accepted", "problems"), ENTRY_ROWS)
def test_b2_2_entries_unsafe_with_credentials_are_refused(
    value: str, credentials: bool, insecure: bool, accepted: bool, problems: list[tuple[str, str]]
) -> None:
    """B2.2, B2.3: with credentials, '*', 'null', wildcards on or above a
    public suffix and plain http:// other than loopback are refused, each
    with what to write instead; without credentials they are accepted."""
    ok, found = judged_entry(value, credentials, insecure)
    assert ok is accepted
    assert [(message, hint) for message, hint, _ in found] == problems


@pytest.fixture
def empty_list(tmp_path: Path) -> str:
    path = tmp_path / "list.dat"
    path.write_text("// no rules here\n")
    return str(path)


def test_b3_6_a_wildcard_that_cannot_be_checked_is_refused(empty_list: str, tmp_path: Path) -> None:
    """B3.6: with credentials, a wildcard that cannot be checked against
    the Public Suffix List is refused, never assumed safe."""
    ok, found = judged_entry("https://*.example.com", suffixes=empty_list)
    assert not ok
    assert found == [
        (
            f"cannot be checked against the Public Suffix List: {empty_list!r} holds no public-suffix rules "
            "(is it the list from https://publicsuffix.org/list/public_suffix_list.dat?).",
            "fix the list (PUBLIC_SUFFIX_LIST), or list your origins exactly.",
            "",
        )
    ]
    missing = str(tmp_path / "missing.dat")
    ok, found = judged_entry("https://*.example.com", suffixes=missing)
    assert not ok and found[0][0].startswith(
        f"cannot be checked against the Public Suffix List: cannot read {missing!r}"
    )
    assert judged_entry("https://*.example.com", credentials=False, suffixes=missing) == (True, [])
    assert judged_entry("https://app.example.com", suffixes=missing) == (True, [])


def test_b2_3_one_public_suffix_below_is_named_alone(tmp_path: Path) -> None:
    """B2.3: the refusal names the first public suffix below the wildcard's
    domain, and how many more there are only when there are more."""
    path = tmp_path / "list.dat"
    path.write_text("com\nexample\npages.corp.example\n")
    ok, found = judged_entry("https://*.corp.example", suffixes=str(path))
    assert not ok
    assert found == [
        (
            "reaches 'pages.corp.example', a public suffix under 'corp.example' where anyone can host a page, e.g. "
            "'https://attacker.pages.corp.example'; with ALLOW_CREDENTIALS that site could read your users' data.",
            "list your own hosts under 'corp.example' exactly, e.g. 'https://app.corp.example'.",
            "",
        )
    ]
    two = tmp_path / "two.dat"
    two.write_text("com\nexample\npages.corp.example\nstatic.corp.example\n")
    ok, found = judged_entry("https://*.corp.example", suffixes=str(two))
    assert not ok and " (and 1 more), a public suffix under 'corp.example'" in found[0][0]
    # The shipped list: *.amazonaws.com reaches attacker.s3.amazonaws.com.
    ok, found = judged_entry("https://*.amazonaws.com")
    assert not ok and found[0][0].startswith("reaches 's3.amazonaws.com' (and ")


def judged_regex(
    raw: str | re.Pattern[str], credentials: bool = True, insecure: bool = False
) -> tuple[SafePattern | None, list[Problem]]:
    judge = Judge(credentials, insecure, None, [])
    return judge.regex(2, raw), judge.problems


REGEX_ROWS = [
    (".*", NULL_REGEX),
    ("nul+", NULL_REGEX),
    (r"null|https://a\.example\.com", NULL_REGEX),
    (r"[a-z]+://[^/]+", ("does not fix the scheme: it also accepts 'http://attacker'.", ANCHOR_HINT)),
    (r"https://.+", ("accepts hosts on any domain, such as 'https://attacker'.", ANCHOR_HINT)),
    (r"https://[a-z]+", ("accepts hosts on any domain, such as 'https://attacker'.", ANCHOR_HINT)),
    (
        r"http://[a-z]+\.example\.com",
        (
            "accepts plain http:// origins such as 'http://a.example.com' with ALLOW_CREDENTIALS on (B2.2).",
            "use https://, or set DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS = True for a trusted network.",
        ),
    ),
    (
        r"https://[a-z]+\.github\.io",
        (
            "accepts names anyone can register under the public suffix 'github.io', such as 'https://attacker.github.io'.",
            "list the exact origins you deploy under 'github.io' (e.g. 'https://myproject.github.io'): any open name "
            "there can be registered by someone else.",
        ),
    ),
    (
        "x",
        (
            "can never match: regexes are only applied to well-formed origins ('scheme://host[:port]').",
            "to allow the 'null' origin list 'null' in ALLOWED_ORIGINS; otherwise write the origin's full form.",
        ),
    ),
    ("(", ("does not compile: missing ), unterminated subpattern at position 0.", "fix the regular expression.")),
]


@pytest.mark.parametrize(("raw", "why"), REGEX_ROWS)
def test_b2_2_a_regex_that_matches_null_or_any_origin_is_refused_with_credentials(
    raw: str, why: tuple[str, str]
) -> None:
    """B2.2, B12.3: with credentials a regex matching 'null', any scheme,
    any domain or names under a public suffix is refused, and one that can
    never match an origin is refused as a mistake; each names the fix."""
    compiled, problems = judged_regex(raw)
    assert compiled is None
    assert [(p.setting, p.value, p.message, p.hint) for p in problems] == [("ORIGIN_REGEXES[2]", raw, *why)]


@pytest.mark.parametrize("raw", [".*", r"https://.+", "x", r"http://[a-z]+\.example\.com"])
def test_b2_3_without_credentials_a_wide_regex_is_accepted(raw: str) -> None:
    """B2.3: without credentials the same regexes are accepted (lint reports them)."""
    compiled, problems = judged_regex(raw, credentials=False)
    assert compiled is not None and compiled.pattern == raw
    assert problems == []


def test_b2_2_the_insecure_switch_admits_plain_http_regexes() -> None:
    """B2.2: plain http:// regexes pass with credentials only when switched on."""
    compiled, problems = judged_regex(r"http://[a-z]+\.example\.com", insecure=True)
    assert compiled is not None and problems == []
    assert INSECURE_SWITCH == "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS"


def test_b2_1_a_refused_compiled_regex_is_shown_as_written() -> None:
    """B2.1: a refused re.Pattern is reported as the string that compiles to
    it, flags given to re.compile written inline."""
    compiled, problems = judged_regex(re.compile(r"[a-z]+://[^/]+", re.I))
    assert compiled is None
    assert problems[0].value == r"(?i)[a-z]+://[^/]+"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (re.compile("a"), "a"),
        (re.compile("(?i)a"), "(?i)a"),
        (re.compile("a", re.I), "(?i)a"),
        (re.compile("a", re.M), "(?m)a"),
        (re.compile("a", re.S), "(?s)a"),
        (re.compile("a", re.X), "(?x)a"),
        (re.compile("a", re.I | re.M | re.S | re.X), "(?imsx)a"),
    ],
)
def test_b2_1_source_writes_flags_inline(pattern: re.Pattern[str], expected: str) -> None:
    """B2.1: the value shown is the one that compiles to the same regex."""
    assert source(pattern) == expected  # type: ignore[arg-type]
    assert re.compile(expected).flags == pattern.flags


def test_b2_1_the_suffix_list_setting_names_its_fix(empty_list: str, tmp_path: Path) -> None:
    """B2.1, B2.3: PUBLIC_SUFFIX_LIST is a path to a loadable list."""
    url = "https://publicsuffix.org/list/public_suffix_list.dat"
    for value in (5, ""):
        problems: list[Problem] = []
        assert suffix_list(value, problems) is None
        assert [(p.setting, p.value, p.message, p.hint) for p in problems] == [
            ("PUBLIC_SUFFIX_LIST", value, "must be the path of a file.", "write a path or None.")
        ]
    problems = []
    assert suffix_list(None, problems) is None and problems == []
    assert suffix_list(empty_list, problems) == empty_list
    assert [(p.setting, p.value, p.message, p.hint) for p in problems] == [
        (
            "PUBLIC_SUFFIX_LIST",
            empty_list,
            f"cannot be used: {empty_list!r} holds no public-suffix rules (is it the list from {url}?).",
            f"download {url}.",
        )
    ]


def test_b9_1_the_resolver_setting_is_imported_at_start_up() -> None:
    """B9.1: a callable, or the dotted path of one, imported at start-up;
    anything else is a configuration error naming the fix."""

    def check(value: object, found: object, problem: tuple[str, str] | None) -> None:
        problems: list[Problem] = []
        assert resolver_function(value, problems) is found
        assert [(p.setting, p.value, p.message, p.hint) for p in problems] == (
            [("ORIGIN_RESOLVER", value, *problem)] if problem else []
        )

    check(None, None, None)
    check(len, len, None)
    check("json.dumps", json.dumps, None)
    shape = ("must be a callable or its dotted path.", "write 'myapp.cors.allowed'.")
    check("json", None, shape)
    check(5, None, shape)
    check("nosuchmodule_x.f", None, ("cannot be imported: No module named 'nosuchmodule_x'.", "check the dotted path."))
    check(
        "json.nosuch", None, ("cannot be imported: module 'json' has no attribute 'nosuch'.", "check the dotted path.")
    )
    check("json.__doc__", None, ("is not callable.", "point it at a function(origin) -> bool."))


def test_b2_3_a_regex_is_judged_against_the_configured_list(tmp_path: Path) -> None:
    """B2.3: PUBLIC_SUFFIX_LIST is the list regexes are judged against too:
    a suffix only that file knows refuses a regex open under it."""
    path = tmp_path / "list.dat"
    path.write_text("com\nexample\ncorp.example\n")
    judge = Judge(True, False, str(path), [])
    assert judge.regex(0, r"https://[a-z]+\.corp\.example") is None
    assert "under the public suffix 'corp.example'" in judge.problems[0].message
    assert Judge(True, False, None, []).regex(0, r"https://[a-z]+\.corp\.example") is not None


def test_b3_6_a_list_that_cannot_say_what_lies_below_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    """B3.6: when the list cannot tell which suffixes lie below a wildcard's
    domain, the wildcard is refused with the fix, never assumed safe."""

    def unreadable(domain: str, path: str | None = None) -> tuple[str, ...]:
        raise suffixes.SuffixListError("no rules exposed")

    monkeypatch.setattr(suffixes, "suffixes_under", unreadable)
    ok, found = judged_entry("https://*.example.com")
    assert not ok
    assert found == [
        ("cannot be checked against the Public Suffix List: no rules exposed.", "fix PUBLIC_SUFFIX_LIST.", "")
    ]


def test_b2_1_a_refused_uncompilable_pattern_object_is_shown_as_its_source() -> None:
    """B2.1: a compiled re.Pattern the linear-time grammar refuses (B12.4)
    is reported by its source text, not its repr."""
    raw = re.compile(r"(a)\1")
    compiled, problems = judged_regex(raw)
    assert compiled is None
    assert [(p.setting, p.value) for p in problems] == [("ORIGIN_REGEXES[2]", r"(a)\1")]
