"""The compiled allow-list: which ACAO a request's Origin earns (B1).

Built once from validated entries and regexes; read-only afterwards, so
threads share it freely. Every lookup is a hash probe whose count depends
on the request, not on how many origins are configured (B1.5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from corsguard._engine.dynamic import Resolver
from corsguard._engine.entries import Entry, Form
from corsguard._engine.grammar import MAX_ORIGIN_LENGTH, is_loopback_host, parse_origin
from corsguard._engine.names import ANY, NULL
from corsguard._engine.patterns import SafePattern
from corsguard._engine.regexes import Index, file_by_domain


@dataclass(frozen=True)
class OriginSet:
    """Exact origins in a dict, then the parent domains of the request's host
    that are as deep as some subdomain pattern, then one probe for port
    patterns, then the regexes filed under the host's parent domains."""

    exact: dict[str, str]
    any_origin: bool
    subdomains: frozenset[str]
    subdomains_any_port: frozenset[str]
    any_port: frozenset[str]
    # Label counts of the patterns' parent domains, e.g. {2} for *.example.org.
    subdomain_depths: frozenset[int]
    regex_index: Index
    regex_matchers: tuple[SafePattern, ...]
    # No pattern, regex, '*' or resolver: a miss in ``exact`` is the answer.
    exact_only: bool
    # B9: asked after everything above; None when there is no resolver.
    resolver: Resolver | None = None
    credentials: bool = False
    insecure: bool = False

    def match(self, origin: str) -> str | None:
        """The ACAO value for ``origin``, or None when it is not allowed."""
        # B1.5: the length cap comes before anything reads the value, the
        # dict's hash included (a megabyte hashes in hundreds of µs).
        if len(origin) > MAX_ORIGIN_LENGTH:
            return None
        # Exact entries are well-formed by construction, so an equal request
        # value is well-formed too and needs no further parsing.
        allowed = self.exact.get(origin)
        if allowed is not None or self.exact_only:
            # The usual refusal (a list of origins, nothing else) parses nothing.
            return allowed
        resolver = self.resolver
        # B9.3: a live allowed answer was eligible when it was stored, and the
        # resolver is shared only by policies with the same eligibility rules.
        if resolver is not None and resolver.cached_allow(origin):
            return origin
        # B1.3: malformed values never reach a pattern, a regex or the resolver.
        parsed = parse_origin(origin)
        if parsed is None:
            return None
        found = self._pattern_match(origin, parsed)
        if found is not None or resolver is None:
            return found
        return origin if self._eligible(parsed) and resolver.resolve(origin) else None

    def pending(self, origin: str) -> bool:
        """Whether an async adapter must ask the resolver before ``match``
        can answer without blocking (B9)."""
        resolver = self.resolver
        if resolver is None or len(origin) > MAX_ORIGIN_LENGTH or origin in self.exact:
            return False
        if resolver.cached(origin) is not None:
            return False
        parsed = parse_origin(origin)
        return parsed is not None and self._pattern_match(origin, parsed) is None and self._eligible(parsed)

    def _eligible(self, parsed: re.Match[str]) -> bool:
        """B9.2: with credentials, plain http:// only for loopback, unless switched on."""
        return not (self.credentials and parsed[1] == "http" and not self.insecure and not is_loopback_host(parsed[2]))

    def _pattern_match(self, origin: str, parsed: re.Match[str]) -> str | None:
        if self.any_origin:
            return ANY
        host_start, host_end = parsed.span(2)
        if self.subdomain_depths and self._subdomain_match(origin, host_start, host_end):
            return origin
        if self.any_port and origin[:host_end] in self.any_port:
            return origin
        if self.regex_index and self._indexed_regex_match(origin, origin[host_start:host_end]):
            return origin
        for regex in self.regex_matchers:
            if regex.fullmatch(origin) is not None:
                return origin
        return None

    def _subdomain_match(self, origin: str, host_start: int, host_end: int) -> bool:
        # The parents of a.b.example.org are b.example.org (3 labels),
        # example.org (2) and org (1), scheme and port part kept. Only parents
        # as deep as some pattern are built and probed, so a request costs
        # about one probe however many patterns exist.
        prefix = origin[:host_start]
        depth = origin.count(".", host_start, host_end)
        dot = origin.find(".", host_start, host_end)
        while dot >= 0:
            if depth in self.subdomain_depths and (
                prefix + origin[dot + 1 :] in self.subdomains
                or prefix + origin[dot + 1 : host_end] in self.subdomains_any_port
            ):
                return True
            depth -= 1
            dot = origin.find(".", dot + 1, host_end)
        return False

    def _indexed_regex_match(self, origin: str, host: str) -> bool:
        dot = -1
        while True:
            for regex in self.regex_index.get(host[dot + 1 :], ()):
                if regex.fullmatch(origin) is not None:
                    return True
            dot = host.find(".", dot + 1)
            if dot < 0:
                return False


def build(
    entries: Iterable[Entry],
    regexes: Iterable[SafePattern],
    resolver: Resolver | None = None,
    eligibility: tuple[bool, bool] = (False, False),
) -> OriginSet:
    """The lookup tables for validated ``entries`` and compiled ``regexes``;
    ``eligibility`` is (credentials, insecure switch), for the resolver."""
    exact: dict[str, str] = {}
    subdomains: set[str] = set()
    subdomains_any_port: set[str] = set()
    any_port: set[str] = set()
    any_origin = False
    for entry in entries:
        base = f"{entry.scheme}://{entry.host}"
        if entry.form is Form.ANY:
            any_origin = True
        elif entry.form is Form.NULL:
            exact[NULL] = NULL
        elif entry.form is Form.EXACT:
            exact[entry.text] = entry.text
        elif entry.form is Form.ANY_PORT:
            any_port.add(base)
        elif entry.port == "*":
            subdomains_any_port.add(base)
        else:
            subdomains.add(base + (f":{entry.port}" if entry.port else ""))
    index, general = file_by_domain(tuple(regexes))
    if any_origin:
        # B1.4: an any-origin policy answers '*', to listed origins too.
        exact = dict.fromkeys(exact, ANY)
    return OriginSet(
        exact=exact,
        any_origin=any_origin,
        subdomains=frozenset(subdomains),
        subdomains_any_port=frozenset(subdomains_any_port),
        any_port=frozenset(any_port),
        subdomain_depths=frozenset(_depth(key) for key in subdomains | subdomains_any_port),
        regex_index=index,
        regex_matchers=general,
        resolver=resolver,
        credentials=eligibility[0],
        insecure=eligibility[1],
        exact_only=not (any_origin or subdomains or subdomains_any_port or any_port or index or general)
        and resolver is None,
    )


def _depth(key: str) -> int:
    """Labels in the domain of a key ``scheme://domain[:port]``."""
    domain = key.split("://", 1)[1]
    if ":" in domain and not domain.endswith("]"):
        domain = domain.rsplit(":", 1)[0]
    return domain.count(".") + 1
