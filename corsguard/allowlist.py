"""The allow-list judged: origins and regexes that are safe to trust (B1.4, B2).

Shape alone is checked by ``corsguard.entries`` and ``corsguard.regexes``;
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

from corsguard import suffixes
from corsguard.entries import Entry, Fault, Form, parse_entry
from corsguard.errors import Problem
from corsguard.regexes import accepts_anything, compile_regex, open_under, regex_domain

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
            public = self._public(entry.host)
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

    def regex(self, index: int, raw: str | re.Pattern[str]) -> re.Pattern[str] | None:
        setting = f"ORIGIN_REGEXES[{index}]"
        compiled = compile_regex(raw)
        if isinstance(compiled, str):
            self.problems.append(Problem(setting, raw, compiled, "fix the regular expression."))
            return None
        why = self._regex_unsafe_with_credentials(compiled) if self.credentials else None
        if why is not None:
            self.problems.append(Problem(setting, source(compiled), why[0], why[1]))
            return None
        return compiled

    def _regex_unsafe_with_credentials(self, pattern: re.Pattern[str]) -> tuple[str, str] | None:
        if pattern.fullmatch("null") is not None:
            return "matches 'null' while ALLOW_CREDENTIALS is on.", "make the regex require a scheme, e.g. '^https://'."
        if accepts_anything(pattern):
            return (
                "matches any origin; with ALLOW_CREDENTIALS that hands every site your users' data.",
                r"anchor it on your own domain, e.g. r'https://[a-z0-9-]+\.example\.com'.",
            )
        domain = regex_domain(pattern)
        if domain is not None and open_under(pattern, domain):
            return self._public(domain)
        return None


def source(pattern: re.Pattern[str]) -> str:
    """A compiled regex as the string that compiles to it again."""
    flags = pattern.flags & ~re.UNICODE
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
