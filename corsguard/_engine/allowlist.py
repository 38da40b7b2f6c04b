"""The allow-list judged: origins and regexes that are safe to trust (B1.4, B2).

Shape alone is checked by ``corsguard._engine.entries`` and ``corsguard._engine.regexes``;
here each entry is judged against the rest of the configuration. With
credentials, any origin, ``null``, plain ``http://`` and anything open to a
whole public suffix (a pattern on it, or a regex accepting any name under
it) are refused, and whatever cannot be checked is refused too (B3.6).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corsguard._engine import suffixes
from corsguard._engine.entries import Entry, Fault, Form, parse_entry
from corsguard._engine.errors import Problem
from corsguard._engine.patterns import PatternFault, SafePattern
from corsguard._engine.regex_rules import never_an_origin, unsafe_with_credentials
from corsguard._engine.regexes import compile_regex

INSECURE_SWITCH = "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS"


@dataclass
class Judge:
    """What judging one origin or regex depends on besides itself."""

    credentials: bool
    insecure: bool
    suffix_list: str | None
    problems: list[Problem]

    def entry(self, index: int, value: str) -> Entry | None:
        setting = f"ALLOWED_ORIGINS[{index}]"
        parsed = parse_entry(value)
        if isinstance(parsed, Fault):
            self.problems.append(Problem(setting, value, parsed.message, parsed.hint))
            return None
        why = self._unsafe_with_credentials(parsed) if self.credentials else None
        if why is not None:
            self.problems.append(Problem(setting, value, why[0], why[1]))
            return None
        return parsed

    def _unsafe_with_credentials(self, entry: Entry) -> tuple[str, str] | None:
        if entry.form is Form.ANY:
            return (
                "'*' (any origin) cannot be combined with ALLOW_CREDENTIALS: any site could read your users' data.",
                "list the exact origins of your front-ends, e.g. 'https://app.example.com'.",
            )
        if entry.form is Form.NULL:
            return (
                "'null' cannot be combined with ALLOW_CREDENTIALS: sandboxed iframes and data: pages of any site "
                "send it.",
                "remove 'null', or serve the page from a real origin and list that.",
            )
        if entry.form is Form.SUBDOMAINS:
            public = self._public(entry.host) or self._public_below(entry.host)
            if public is not None:
                return public
        if entry.is_plain_http and not self.insecure:
            return (
                "is plain http:// with ALLOW_CREDENTIALS on; cookies and responses would cross the network "
                "unencrypted.",
                f"use https://, or set {INSECURE_SWITCH} = True if this really is a trusted internal network.",
            )
        return None

    def _public(self, domain: str) -> tuple[str, str] | None:
        """B2.3: why a wildcard under ``domain`` is refused, if it is."""
        try:
            if not suffixes.is_public_suffix(domain, self.suffix_list):
                return None
        except suffixes.SuffixListError as exc:
            # B3.6: what cannot be checked is refused, never assumed safe.
            return (
                f"cannot be checked against the Public Suffix List: {exc}.",
                "fix the list (PUBLIC_SUFFIX_LIST), or list your origins exactly.",
            )
        return (
            f"allows every site registered under the public suffix '{domain}' to make credentialed requests.",
            "list your own origins, or use an ORIGIN_REGEXES entry anchored on a name you control.",
        )

    def _public_below(self, domain: str) -> tuple[str, str] | None:
        """B2.3: a wildcard reaches every public suffix under its domain."""
        try:
            below = suffixes.suffixes_under(domain, self.suffix_list)
        except suffixes.SuffixListError as exc:
            return (f"cannot be checked against the Public Suffix List: {exc}.", "fix PUBLIC_SUFFIX_LIST.")
        if not below:
            return None
        more = f" (and {len(below) - 1} more)" if len(below) > 1 else ""
        return (
            f"reaches {below[0]!r}{more}, a public suffix under {domain!r} where anyone can host a page, e.g. "
            f"'https://attacker.{below[0]}'; with ALLOW_CREDENTIALS that site could read your users' data.",
            f"list your own hosts under {domain!r} exactly, e.g. 'https://app.{domain}'.",
        )

    def regex(self, index: int, raw: str | re.Pattern[str]) -> SafePattern | None:
        setting = f"ORIGIN_REGEXES[{index}]"
        compiled = compile_regex(raw)
        if isinstance(compiled, PatternFault):
            shown = raw.pattern if isinstance(raw, re.Pattern) else raw
            self.problems.append(Problem(setting, shown, compiled.message, compiled.hint))
            return None
        why = self._regex_unsafe_with_credentials(compiled)
        if why is not None:
            self.problems.append(Problem(setting, source(compiled), why[0], why[1]))
            return None
        return compiled

    def _regex_unsafe_with_credentials(self, pattern: SafePattern) -> tuple[str, str] | None:
        """B12.3: decided for every origin the regex can match."""
        if not self.credentials:
            return None
        if pattern.fullmatch("null") is not None:
            return "matches 'null' while ALLOW_CREDENTIALS is on.", "make the regex require a scheme, e.g. '^https://'."
        return never_an_origin(pattern) or unsafe_with_credentials(pattern, self.insecure, self.suffix_list)


def source(pattern: SafePattern) -> str:
    """A compiled regex as the string that compiles to it again: flags given
    to ``re.compile`` (not written inline) become an inline prefix."""
    flags = pattern.flags & ~re.compile(pattern.pattern).flags & ~re.UNICODE
    if not flags:
        return pattern.pattern
    letters = "".join(letter for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)) if flags & flag)
    return f"(?{letters}){pattern.pattern}"


def suffix_list(value: object, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems.append(Problem("PUBLIC_SUFFIX_LIST", value, "must be the path of a file.", "write a path or None."))
        return None
    try:
        suffixes.load(value)
    except suffixes.SuffixListError as exc:
        problems.append(
            Problem("PUBLIC_SUFFIX_LIST", value, f"cannot be used: {exc}.", f"download {suffixes.LIST_URL}.")
        )
    return value


def resolver_function(value: object, problems: list[Problem]) -> Callable[[str], Any] | None:
    """B9.1: a callable, or the dotted path of one, imported now (start-up)."""
    if value is None or (callable(value) and not isinstance(value, str)):
        return value
    if not isinstance(value, str) or "." not in value:
        problems.append(
            Problem("ORIGIN_RESOLVER", value, "must be a callable or its dotted path.", "write 'myapp.cors.allowed'.")
        )
        return None
    module_name, _, name = value.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        problems.append(Problem("ORIGIN_RESOLVER", value, f"cannot be imported: {exc}.", "check the dotted path."))
        return None
    if not callable(found):
        problems.append(
            Problem("ORIGIN_RESOLVER", value, "is not callable.", "point it at a function(origin) -> bool.")
        )
        return None
    return found  # type: ignore[no-any-return]
