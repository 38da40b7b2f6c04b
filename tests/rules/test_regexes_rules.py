"""The look-alike lint of origin regexes (B1.4, B12.3), rule by rule.

Lint warns (``regex-lookalike``) when a regex accepts an origin an attacker
could register: the domain the regex names, as a subdomain of another
site, glued to a prefix, with its dots replaced, or with userinfo. The
warning shows that origin, so each row asserts it exactly.
``corsguard._engine.regexes`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

import pytest

from corsguard._engine.patterns import SafePattern
from corsguard._engine.regexes import compile_regex, lookalike


def compiled(source: str) -> SafePattern:
    pattern = compile_regex(source)
    assert isinstance(pattern, SafePattern), pattern
    return pattern


@pytest.mark.parametrize(
    ("source", "found"),
    [
        # An escaped hyphen is a literal hyphen: the domain is my-app.example.com,
        # and a name glued in front of it is a look-alike.
        (r"https://[a-z]*my\-app\.example\.com", "https://evilmy-app.example.com"),
        (r"https://[a-z]*my\-app\.example\.com|https://b\.co", "https://evilmy-app.example.com"),
        # The longest domain the regex names is the one probed, not the
        # alphabetically last.
        (r"https://[a-z]*(app\.example\.com|b\.co)", "https://evilapp.example.com"),
        (r"https://[a-z]*(b\.co|app\.example\.com)", "https://evilapp.example.com"),
        # http:// regexes are probed with http://, in lower case as browsers send it.
        (r"http://[a-z]*example\.com", "http://evilexample.com"),
        # The probes put 'www.' and 'a-' in front when the regex demands them.
        (r"https://www\.[a-z]*example\.com", "https://www.evilexample.com"),
        (r"https://a-[a-z]*example\.com", "https://a-evilexample.com"),
        # A regex that accepts only names under its domain has no look-alike.
        (r"https://[a-z0-9-]+\.example\.com", None),
        (r"https://[a-z]+", None),
    ],
)
def test_b12_3_lint_names_the_look_alike_origin_a_regex_accepts(source: str, found: str | None) -> None:
    """B1.4, B12.3: the domain is read from the regex's literal text (escaped
    dots and hyphens as the characters they match, the longest domain when
    there are several); look-alikes of it are tried with the regex's own
    scheme and common prefixes, and the first the regex fullmatches is
    shown."""
    assert lookalike(compiled(source)) == found


def test_b12_3_a_real_subdomain_of_the_named_domain_is_no_look_alike() -> None:
    """B1.4, B12.3: a probe that lands on a genuine subdomain of the domain
    the regex names is the owner's own site, never reported. The probes glue
    'evil.net' after the domain, so a regex on evil.net itself meets its
    own subdomains 'evil.net.evil.net' and 'a.evil.net.evil.net', which are
    not look-alikes; a regex on another domain that accepts them is."""
    assert lookalike(compiled(r"https://[a-z.]+\.evil\.net")) is None
    assert lookalike(compiled(r"https://[a-z.]+\.example\.com.*")) == "https://a.example.com.evil.net"
