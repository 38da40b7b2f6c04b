"""Origin regexes: compiled once, judged once, filed for cheap lookup (B1.4).

A regex is applied with ``fullmatch`` to well-formed origins only. At
start-up each one is examined for what it really accepts: ``null``, any
origin at all, every site under a public suffix, or a look-alike of the
domain it names. Then it is filed under the literal domain its matches
must end with, so a request runs only the regexes that could match it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corsguard._engine.patterns import PatternFault, SafePattern, compile_pattern

_TAIL_LITERALS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-") | {"\\.", "\\-"}
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")


def compile_regex(source: str | re.Pattern[str]) -> SafePattern | PatternFault:
    """The regex ready to match in linear time (B12.2), or why it cannot be."""
    return compile_pattern(source)


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
        elif token in "()":
            depth += 1 if token == "(" else -1
        elif token == "|" and depth == 0:
            return None
        tokens.append(token)
    return tokens


def regex_domain(pattern: SafePattern) -> str | None:
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


def lookalike(pattern: SafePattern) -> str | None:
    """An origin an attacker could register that ``pattern`` accepts, if any.

    The domain is read from the regex's own literal text, and look-alikes are
    built from it: the domain as a subdomain of another site, glued to a
    prefix, with userinfo, or with its dots replaced (an unescaped ``.``).
    """
    literal = pattern.pattern.replace("\\.", ".").replace("\\-", "-")
    domains = _DOMAIN.findall(literal)
    if not domains:
        return None
    domain = max(domains, key=len)
    for scheme in ("https", "http"):
        for prefix in ("", "a.", "www.", "a-"):
            for host in (
                f"{prefix}{domain}.evil.net",
                f"{prefix}evil{domain}",
                f"{prefix}evil-{domain}",
                f"{prefix}{domain.replace('.', 'x')}",
                f"{prefix}{domain}@evil.net",
            ):
                candidate = f"{scheme}://{host}"
                if pattern.fullmatch(candidate) is not None and not (host == domain or host.endswith("." + domain)):
                    return candidate
    return None


Index = dict[str, tuple[SafePattern, ...]]


def file_by_domain(patterns: Sequence[SafePattern]) -> tuple[Index, tuple[SafePattern, ...]]:
    """Regexes filed under the domain their matches end with, and the rest
    folded into one alternation when that is equivalent (no groups, no
    inline flags): one C-level scan instead of many calls."""
    index: dict[str, list[SafePattern]] = {}
    general: list[SafePattern] = []
    for pattern in patterns:
        domain = regex_domain(pattern)
        if domain is None:
            general.append(pattern)
        else:
            index.setdefault(domain, []).append(pattern)
    return {domain: tuple(filed) for domain, filed in index.items()}, _fold(tuple(general))


def _fold(patterns: tuple[SafePattern, ...]) -> tuple[SafePattern, ...]:
    """Only when ``re`` can still run the alternation in linear time."""
    if len(patterns) < 2 or any(p.groups or p.flags & ~re.UNICODE for p in patterns):
        return patterns
    folded = compile_pattern("|".join(f"(?:{p.pattern})" for p in patterns))
    if isinstance(folded, SafePattern) and folded.engine == "re":
        return (folded,)
    return patterns
