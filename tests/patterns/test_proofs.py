"""B12.3's proof against an attacker's origins: no accepted regex lets one in.

Regexes are generated from the pieces people write (schemes with and
without a literal ``s``, open and closed labels, escaped and unescaped
dots, domains on and under public suffixes, optional ports). Every one that
``Policy`` accepts with credentials is then tried against origins an
attacker can own: a name of their choosing directly under any public suffix
(``attacker.vercel.app``, ``attacker.s3.amazonaws.com``, ``attacker.com``),
and plain ``http://`` to a host that is not this machine. The proof must
have refused every regex that matches one.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corsguard import Policy, PolicyError
from corsguard._engine.grammar import is_loopback_host
from corsguard._engine.patterns import SafePattern
from corsguard._engine.patterns.proofs import can_be_origin
from corsguard._engine.patterns.walk import Walker
from corsguard._engine.regexes import compile_regex
from corsguard._engine.suffixes import is_public_suffix

SCHEMES = ["https://", "https?://", "http://", "(?:https|http)://", "https://(?:www\\.)?", ".*", "(?i)https://"]
LABELS = ["[a-z0-9-]+", "[a-z]+", "\\w+", "app", "(?:app|www)", ".*", "[a-z.]+", "[a-z0-9]+-?", "(?:[a-z]+\\.)*", ""]
SEPARATORS = ["\\.", ".", ""]
DOMAINS = [
    "example\\.com",
    "vercel\\.app",
    "amazonaws\\.com",
    "s3\\.amazonaws\\.com",
    "github\\.io",
    "com",
    "co\\.uk",
    "core\\.windows\\.net",
    "example\\.(?:com|net)",
    "localhost",
    "127\\.0\\.0\\.1",
]
PORTS = ["", "(?::\\d+)?", ":8443", ":\\d+"]

regexes = st.tuples(
    st.sampled_from(SCHEMES), st.sampled_from(LABELS), st.sampled_from(SEPARATORS), st.sampled_from(DOMAINS)
).flatmap(lambda parts: st.sampled_from(PORTS).map(lambda port: "".join(parts) + port))

ATTACKER_HOSTS = [
    "attacker.vercel.app",
    "attacker.s3.amazonaws.com",
    "attacker.blob.core.windows.net",
    "attacker.github.io",
    "attacker.com",
    "attacker.co.uk",
    "attackerexample.com",
    "app.example.com.attacker.com",
    "attacker.net",
]
OWN_HOSTS = ["app.example.com", "www.example.com", "localhost", "127.0.0.1", "app.example.net"]
PORT_VALUES = ["", ":8443", ":3000"]


def _is_attackers(origin: str) -> bool:
    scheme, _, rest = origin.partition("://")
    host = rest.split(":")[0]
    if scheme == "http" and not is_loopback_host(host):
        return True
    # a label of the attacker's choosing directly under a public suffix
    label, _, parent = host.partition(".")
    return "attacker" in label and bool(parent) and is_public_suffix(parent)


ORIGINS = [
    f"{scheme}://{host}{port}"
    for scheme in ("https", "http")
    for host in ATTACKER_HOSTS + OWN_HOSTS
    for port in PORT_VALUES
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regexes)
def test_an_accepted_regex_lets_no_attacker_in(source: str) -> None:
    try:
        policy = Policy(allow_credentials=True, origin_regexes=[source])
    except PolicyError:
        return
    let_in = [origin for origin in ORIGINS if _is_attackers(origin) and policy.allows_origin(origin)]
    assert not let_in, (source, let_in)


def test_the_generator_reaches_both_verdicts() -> None:
    """Not a proof by refusing everything: the same pieces build regexes
    the proof accepts and ones it refuses."""
    accepted = refused = 0
    for scheme in SCHEMES:
        for label in LABELS:
            try:
                Policy(allow_credentials=True, origin_regexes=[f"{scheme}{label}\\.example\\.com"])
                accepted += 1
            except PolicyError:
                refused += 1
    assert accepted >= 10 and refused >= 10, (accepted, refused)


# Pieces a regex no browser origin can match is made of: an upper-case
# scheme or host, a space, a trailing '/' or a path (B1.1).
never_regexes = st.tuples(
    st.sampled_from([*SCHEMES, "HTTPS://", "Https?://"]),
    st.sampled_from([*LABELS, "App", "[A-Z]+", "my app", "[A-Za-z]+"]),
    st.sampled_from(SEPARATORS),
    st.sampled_from([*DOMAINS, "Example\\.com"]),
    st.sampled_from([*PORTS, "/", "/?", "/.*", "(?:/|:8443)"]),
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(never_regexes)
def test_a_regex_is_called_never_matching_only_when_no_origin_matches(source: str) -> None:
    """B12.3: can_be_origin walks the automaton in step with the B1.1
    grammar; it answers no only when no serialized origin matches: none of
    the sample origins, nor the shortest origin-shaped value the walker
    finds."""
    pattern = compile_regex(source)
    assert isinstance(pattern, SafePattern), pattern
    if can_be_origin(pattern):
        return
    assert not [origin for origin in ORIGINS if pattern.fullmatch(origin)], source
    assert Walker(pattern.automaton).example("", "") is None, source
