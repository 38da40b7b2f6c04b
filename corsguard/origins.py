"""Origins: their grammar, the configured forms, and the compiled matcher.

Browsers send an origin in one exact serialized form (Fetch / HTML "ASCII
serialization of an origin"), so the request value is compared byte for byte
and never normalised. Configuration, by contrast, is written by people, so it
is checked strictly and every mistake comes back with the corrected value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from corsguard import suffixes
from corsguard.errors import Problem

# Longer Origin values are refused before any parsing or regex. Real origins
# are far shorter: a 253-byte DNS name plus scheme and port fits.
MAX_ORIGIN_LENGTH = 300

DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}

_SCHEME = r"[a-z][a-z0-9+.\-]*"
_HOST = r"[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.?|\[[0-9a-f:.]+\]"
_PORT = r"0|[1-9][0-9]{0,4}"

# The serialized origin grammar: scheme "://" host [":" port], lower case.
ORIGIN = re.compile(rf"(?P<scheme>{_SCHEME})://(?P<host>{_HOST})(?::(?P<port>{_PORT}))?", re.ASCII)
_SUBDOMAIN_PATTERN = re.compile(rf"(?P<scheme>{_SCHEME})://\*\.(?P<host>{_HOST})(?::(?P<port>{_PORT}|\*))?", re.ASCII)
_PORT_PATTERN = re.compile(rf"(?P<scheme>{_SCHEME})://(?P<host>{_HOST}):\*", re.ASCII)
_IPV4 = re.compile(r"[0-9]+(?:\.[0-9]+){3}\.?", re.ASCII)

ANY = "*"
NULL = "null"

_INSECURE_SWITCH = "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS"


_origin_fullmatch = ORIGIN.fullmatch


def _depth(key: str) -> int:
    """Labels in the domain of a pattern key ``scheme://domain[:port]``."""
    domain = key.split("://", 1)[1].rsplit(":", 1)[0] if key.count(":") > 1 else key.split("://", 1)[1]
    return domain.count(".") + 1


def _port_ok(scheme: str, port: str | None) -> bool:
    return port is None or (int(port) <= 65535 and DEFAULT_PORTS.get(scheme) != port)


def parse_origin(value: str) -> re.Match[str] | None:
    """``value`` split into scheme (1), host (2) and port (3), or None when it
    is not a serialized origin. Over-long values are refused before parsing."""
    if len(value) > MAX_ORIGIN_LENGTH:
        return None
    match = _origin_fullmatch(value)
    if match is None or not _port_ok(match[1], match[3]):
        return None
    return match


def is_serialized_origin(value: str) -> bool:
    """True for exactly the strings a browser can send as a non-null Origin."""
    return parse_origin(value) is not None


def is_loopback_host(host: str) -> bool:
    host = host.rstrip(".")
    return (
        host == "localhost"
        or host.endswith(".localhost")
        or host == "[::1]"
        or (_IPV4.fullmatch(host) is not None and host.startswith("127."))
    )


def _is_ip_host(host: str) -> bool:
    # URL standard, "ends in a number checker": a host whose last label is
    # numeric is parsed as IPv4, however many labels it has.
    last = host.rstrip(".").rpartition(".")[2]
    return host.startswith("[") or last.isdigit() or (last[:2] == "0x" and last[2:].isalnum())


def canonical_form(value: str) -> str | None:
    """The serialized origin someone most likely meant by ``value``, if any.

    Used only for hints and log details, never to decide a request.
    """
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if not parts.scheme or not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if ":" in host:
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    suffix = "" if port is None or DEFAULT_PORTS.get(scheme) == str(port) else f":{port}"
    candidate = f"{scheme}://{host}{suffix}"
    return candidate if is_serialized_origin(candidate) and candidate != value else None


def malformation(value: str) -> str:
    """Why ``value`` is not a serialized origin, in a few words.

    Returns "" when it is one. Safe on hostile input: it looks at a bounded
    prefix and reports kinds of characters, never the characters themselves.
    """
    if value == "":
        return "is empty"
    if len(value) > MAX_ORIGIN_LENGTH:
        return f"is longer than {MAX_ORIGIN_LENGTH} characters"
    if any(ch in value for ch in "\r\n"):
        return "contains a line break"
    if "," in value:
        return "holds several origins joined by a comma"
    if any(ch.isspace() for ch in value):
        return "contains whitespace"
    if not value.isascii():
        return "is not ASCII (write internationalised hosts in punycode, xn--...)"
    if not value.isprintable():
        return "contains control characters"
    _, sep, rest = value.partition("://")
    if not sep:
        return "has no scheme (an origin looks like https://app.example.com)"
    if "@" in rest:
        return "contains user information (@)"
    if "\\" in rest:
        return "contains a backslash"
    if "?" in rest:
        return "has a query string"
    if "#" in rest:
        return "has a fragment"
    if "/" in rest:
        return "ends with a slash" if rest.index("/") == len(rest) - 1 else "has a path"
    if value != value.lower():
        return "is not lower-case (browsers send scheme and host in lower case)"
    match = ORIGIN.fullmatch(value)
    if match is None:
        return "is not of the form scheme://host[:port]"
    port = match["port"]
    if port is not None and DEFAULT_PORTS.get(match["scheme"]) == port:
        return f"has the default port :{port}, which browsers never send"
    if port is not None and int(port) > 65535:
        return "has a port above 65535"
    return ""


@dataclass(frozen=True)
class OriginSet:
    """The compiled allow-list. Read-only after construction.

    Lookups are hash probes: the exact dict, then the parent domains of the
    request's host that are as deep as some subdomain pattern, then one for
    port patterns, then the regexes filed under the host's parent domains.
    Their cost depends on the request, not on how many origins are configured.
    """

    exact: dict[str, str]
    any_origin: bool
    subdomains: frozenset[str]
    subdomains_any_port: frozenset[str]
    any_port: frozenset[str]
    # Label counts of the patterns' parent domains, e.g. {2} for *.example.org.
    subdomain_depths: frozenset[int]
    # Regexes whose every match ends with a literal domain, by that domain:
    # a request runs only those filed under a suffix of its own host.
    regex_index: dict[str, tuple[re.Pattern[str], ...]]
    # The other regexes, folded into one alternation when that is equivalent
    # (no groups, no inline flags): one C-level scan instead of many calls.
    regex_matchers: tuple[re.Pattern[str], ...]

    def match(self, origin: str) -> str | None:
        """The ACAO value for ``origin``, or None when it is not allowed."""
        # Exact entries are well-formed by construction, so an equal request
        # value is well-formed too and needs no further parsing.
        allowed = self.exact.get(origin)
        if allowed is not None:
            return allowed
        # Contract 1: malformed values never reach a pattern or a regex.
        parsed = parse_origin(origin)
        if parsed is None:
            return None
        if self.any_origin:
            return ANY
        host_start, host_end = parsed.span(2)
        if self.subdomain_depths:
            # The parents of a.b.example.org are b.example.org (3 labels),
            # example.org (2) and org (1), scheme and port part kept. Only
            # parents as deep as some pattern are built and probed, so a
            # request costs about one probe however many patterns exist.
            prefix = origin[:host_start]
            depth = origin.count(".", host_start, host_end)
            dot = origin.find(".", host_start, host_end)
            while dot >= 0:
                if depth in self.subdomain_depths and (
                    prefix + origin[dot + 1 :] in self.subdomains
                    or prefix + origin[dot + 1 : host_end] in self.subdomains_any_port
                ):
                    return origin
                depth -= 1
                dot = origin.find(".", dot + 1, host_end)
        if self.any_port and origin[:host_end] in self.any_port:
            return origin
        if self.regex_index:
            host = origin[host_start:host_end]
            dot = -1
            while True:
                for regex in self.regex_index.get(host[dot + 1 :], ()):
                    if regex.fullmatch(origin) is not None:
                        return origin
                dot = host.find(".", dot + 1)
                if dot < 0:
                    break
        for regex in self.regex_matchers:
            if regex.fullmatch(origin) is not None:
                return origin
        return None


def compile_origins(
    origins: Sequence[str],
    regexes: Sequence[str],
    *,
    credentials: bool,
    allow_insecure: bool,
    problems: list[Problem],
) -> OriginSet:
    """Check every configured origin and regex; build the lookup tables.

    Problems are appended to ``problems`` rather than raised, so the caller
    can report every mistake in the configuration at once.
    """
    exact: dict[str, str] = {}
    subdomains: set[str] = set()
    subdomains_any_port: set[str] = set()
    any_port: set[str] = set()
    any_origin = False

    def problem(index: int, value: str, message: str, hint: str = "") -> None:
        problems.append(Problem(f"ALLOWED_ORIGINS[{index}]", value, message, hint))

    def check_scheme(index: int, value: str, scheme: str, host: str) -> None:
        # Contract 2: credentials over plain http let any network attacker
        # read the user's data; loopback is exempt for development.
        if credentials and scheme == "http" and not is_loopback_host(host) and not allow_insecure:
            problem(
                index,
                value,
                "is plain http:// with ALLOW_CREDENTIALS on; cookies and responses would cross the network "
                "unencrypted.",
                f"use https://, or set {_INSECURE_SWITCH} = True if this really is a trusted internal network.",
            )

    for index, value in enumerate(origins):
        if value == ANY:
            any_origin = True
            if credentials:
                problem(
                    index,
                    value,
                    "'*' (any origin) cannot be combined with ALLOW_CREDENTIALS: any site could read your users' data.",
                    "list the exact origins of your front-ends, e.g. 'https://app.example.com'.",
                )
            continue
        if value == NULL:
            exact[NULL] = NULL
            if credentials:
                problem(
                    index,
                    value,
                    "'null' cannot be combined with ALLOW_CREDENTIALS: sandboxed iframes and data: pages of any "
                    "site send it.",
                    "remove 'null', or serve the page from a real origin and list that.",
                )
            continue
        if "*" in value:
            _compile_pattern(
                index, value, credentials, problem, check_scheme, subdomains, subdomains_any_port, any_port
            )
            continue
        why = malformation(value)
        if why:
            suggestion = canonical_form(value)
            problem(
                index,
                value,
                f"is not a serialized origin: it {why}.",
                f"write {suggestion!r}."
                if suggestion
                else "write scheme://host[:port], e.g. 'https://app.example.com'.",
            )
            continue
        match = ORIGIN.fullmatch(value)
        assert match is not None
        check_scheme(index, value, match["scheme"], match["host"])
        exact[value] = value

    compiled = _compile_regexes(regexes, credentials, problems)
    regex_index, general = _index_regexes(compiled)
    if any_origin:
        exact = dict.fromkeys(exact, ANY)
    return OriginSet(
        exact=exact,
        any_origin=any_origin,
        subdomains=frozenset(subdomains),
        subdomains_any_port=frozenset(subdomains_any_port),
        any_port=frozenset(any_port),
        subdomain_depths=frozenset(_depth(key) for key in subdomains | subdomains_any_port),
        regex_index=regex_index,
        regex_matchers=_fold(tuple(general)),
    )


def _compile_pattern(
    index: int,
    value: str,
    credentials: bool,
    problem: _ProblemSink,
    check_scheme: _SchemeCheck,
    subdomains: set[str],
    subdomains_any_port: set[str],
    any_port: set[str],
) -> None:
    sub = _SUBDOMAIN_PATTERN.fullmatch(value)
    if sub is not None and "*" not in sub["host"]:
        scheme, host, port = sub["scheme"], sub["host"], sub["port"]
        if _is_ip_host(host):
            problem(
                index,
                value,
                "puts a wildcard on an IP address; IP addresses have no subdomains.",
                "list each origin exactly.",
            )
            return
        if port is not None and port != "*" and not _port_ok(scheme, port):
            problem(index, value, "has a default or out-of-range port.", f"write '{scheme}://*.{host}'.")
            return
        if credentials and suffixes.is_public_suffix(host):
            problem(
                index,
                value,
                f"allows every site registered under the public suffix '{host}' to make credentialed requests.",
                "list your own origins, or use an ORIGIN_REGEXES entry anchored on a name you control.",
            )
            return
        check_scheme(index, value, scheme, host)
        if port == "*":
            subdomains_any_port.add(f"{scheme}://{host}")
        else:
            subdomains.add(f"{scheme}://{host}" + (f":{port}" if port else ""))
        return
    ports = _PORT_PATTERN.fullmatch(value)
    if ports is not None:
        check_scheme(index, value, ports["scheme"], ports["host"])
        any_port.add(f"{ports['scheme']}://{ports['host']}")
        return
    problem(index, value, "is not a pattern corsguard understands.", _pattern_hint(value))


def _pattern_hint(value: str) -> str:
    scheme, sep, rest = value.partition("://")
    if not sep:
        return f"add the scheme: 'https://{value}'."
    if rest == "*":
        return "to allow any origin write '*' on its own (never with credentials)."
    if rest.startswith("*") and not rest.startswith("*."):
        return (
            f"'{value}' would also match look-alikes such as '{scheme}://evil{rest[1:]}'; "
            f"write '{scheme}://*.{rest[1:].lstrip('.')}' for subdomains."
        )
    return (
        "a wildcard may only be the first label ('https://*.example.com') or the port "
        "('http://localhost:*'); use ORIGIN_REGEXES for anything else."
    )


# Probe origins that no legitimate allow-list would accept; a regex that
# matches one of them accepts (nearly) everything.
_UNIVERSAL_PROBES = ("https://corsguard-probe.invalid", "http://corsguard-probe.invalid:1234")


def _compile_regexes(regexes: Sequence[str], credentials: bool, problems: list[Problem]) -> tuple[re.Pattern[str], ...]:
    compiled: list[re.Pattern[str]] = []
    for index, source in enumerate(regexes):
        setting = f"ORIGIN_REGEXES[{index}]"
        try:
            pattern = re.compile(source)
        except re.error as exc:
            problems.append(Problem(setting, source, f"does not compile: {exc}.", "fix the regular expression."))
            continue
        if credentials and pattern.fullmatch(NULL) is not None:
            problems.append(
                Problem(
                    setting,
                    source,
                    "matches 'null' while ALLOW_CREDENTIALS is on.",
                    "make the regex require a scheme, e.g. '^https://'.",
                )
            )
        elif credentials and any(pattern.fullmatch(probe) for probe in _UNIVERSAL_PROBES):
            problems.append(
                Problem(
                    setting,
                    source,
                    "matches any origin; with ALLOW_CREDENTIALS that hands every site your users' data.",
                    r"anchor it on your own domain, e.g. r'https://[a-z0-9-]+\.example\.com'.",
                )
            )
        compiled.append(pattern)
    return tuple(compiled)


_TAIL_LITERALS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-") | {"\\.", "\\-"}


def _tokens(source: str) -> list[str] | None:
    """The regex as tokens (an escape is one token), or None if it has a
    top-level alternation, whose branches need not share a tail."""
    tokens: list[str] = []
    depth = 0
    in_class = False
    index = 0
    while index < len(source):
        char = source[index]
        token = source[index : index + 2] if char == "\\" else char
        index += len(token)
        if in_class:
            in_class = token != "]"
        elif token == "[":
            in_class = True
        elif token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "|" and depth == 0:
            return None
        tokens.append(token)
    return tokens


def regex_domain(pattern: re.Pattern[str]) -> str | None:
    """The domain every match of ``pattern`` must end with, if it has one.

    ``https://[a-z0-9-]+\\.preview\\.example\\.com`` ends with the literal
    ``.preview.example.com``, so any origin it fullmatches has a host ending
    in the domain ``preview.example.com``. Only a run of literal characters
    at the very end counts (no quantifier after it, no alternation, no
    flags), cut back to a whole label; anything else returns None.
    """
    if pattern.flags & ~re.UNICODE:
        return None
    tokens = _tokens(pattern.pattern)
    if not tokens:
        return None
    while tokens and tokens[-1] in ("$", "\\Z"):
        tokens.pop()
    tail: list[str] = []
    while tokens and tokens[-1] in _TAIL_LITERALS:
        tail.append(tokens.pop())
    text = "".join(token[-1] for token in reversed(tail))
    if not text:
        return None
    if text.startswith("."):
        return text[1:] or None
    if tokens and tokens[-1] == "/":
        return text  # the whole host, as in https://app\\.example\\.com
    _, dot, rest = text.partition(".")
    return rest if dot and rest else None


def _index_regexes(
    patterns: tuple[re.Pattern[str], ...],
) -> tuple[dict[str, tuple[re.Pattern[str], ...]], list[re.Pattern[str]]]:
    index: dict[str, list[re.Pattern[str]]] = {}
    general: list[re.Pattern[str]] = []
    for pattern in patterns:
        domain = regex_domain(pattern)
        if domain is None:
            general.append(pattern)
        else:
            index.setdefault(domain, []).append(pattern)
    return {domain: tuple(filed) for domain, filed in index.items()}, general


def _fold(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...]:
    if len(patterns) < 2 or any(p.groups or p.flags & ~(re.UNICODE) for p in patterns):
        return patterns
    try:
        return (re.compile("|".join(f"(?:{p.pattern})" for p in patterns)),)
    except re.error:
        return patterns


class _ProblemSink(Protocol):
    def __call__(self, index: int, value: str, message: str, hint: str = "") -> None: ...


class _SchemeCheck(Protocol):
    def __call__(self, index: int, value: str, scheme: str, host: str) -> None: ...
