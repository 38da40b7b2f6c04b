"""Warnings about configurations that are valid but probably not meant.

``Policy`` refuses what can never be right (C§2). What is only risky, or
right in development and wrong in production, is reported here instead, so
adapters can show it at start-up (Django's system checks, Flask's logger)
without stopping anyone's laptop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from corsguard.errors import Problem
from corsguard.origins import ANY, NULL, ORIGIN, is_loopback_host
from corsguard.policy import Policy

# Stable codes; adapters map them to their own ids (corsguard_django.W1xx).
ANY_ORIGIN = "any-origin"
NULL_ORIGIN = "null-origin"
INSECURE_ORIGIN = "insecure-origin"
LOCALHOST_ORIGIN = "localhost-origin"
REGEX_LOOKALIKE = "regex-lookalike"
METHOD_CASE = "method-case"
MAX_AGE_CAPPED = "max-age-capped"

# C§8: Firefox caps Access-Control-Max-Age at 86400 s, Chromium at 7200 s,
# Safari at 600 s; above the largest cap a value only misleads.
LARGEST_BROWSER_MAX_AGE = 86400

_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")


@dataclass(frozen=True)
class Finding(Problem):
    code: str = ""


def findings(policy: Policy, *, production: bool) -> list[Finding]:
    """Everything worth a warning in ``policy``; ``production`` adds the
    checks that only make sense for a deployed site (DEBUG off)."""
    settings = policy.settings
    found: list[Finding] = []

    def strings(key: str) -> tuple[str, ...]:
        return cast(tuple[str, ...], settings[key])

    for index, origin in enumerate(strings("ALLOWED_ORIGINS")):
        found.extend(_origin_findings(index, origin, production))
    for index, source in enumerate(strings("ORIGIN_REGEXES")):
        lookalike = regex_lookalike(source)
        if lookalike:
            found.append(
                Finding(
                    f"ORIGIN_REGEXES[{index}]",
                    source,
                    f"also accepts the look-alike origin {lookalike!r}.",
                    r"escape every dot (\.) and make the domain end the pattern, e.g. r'https://[a-z0-9-]+\.example\.com'.",
                    REGEX_LOOKALIKE,
                )
            )
    for index, method in enumerate(strings("ALLOW_METHODS")):
        if method != ANY and method != method.upper():
            found.append(
                Finding(
                    f"ALLOW_METHODS[{index}]",
                    method,
                    "is not upper-case; methods are case-sensitive and browsers send it exactly as the page wrote it.",
                    f"write {method.upper()!r} unless your front-end really sends {method!r}.",
                    METHOD_CASE,
                )
            )
    age = settings["MAX_AGE"]
    if isinstance(age, int) and age > LARGEST_BROWSER_MAX_AGE:
        found.append(
            Finding(
                "MAX_AGE",
                age,
                f"is above every browser's cap (Firefox {LARGEST_BROWSER_MAX_AGE} s, Chromium 7200 s, Safari 600 s).",
                "no harm done, but browsers re-send preflights sooner than this suggests; 7200 is a good value.",
                MAX_AGE_CAPPED,
            )
        )
    return found


def _origin_findings(index: int, origin: str, production: bool) -> list[Finding]:
    setting = f"ALLOWED_ORIGINS[{index}]"
    if not production:
        return []
    if origin == ANY:
        return [
            Finding(
                setting,
                origin,
                "allows every site on the internet to read responses.",
                "fine for a public, unauthenticated API; otherwise list your front-ends' origins.",
                ANY_ORIGIN,
            )
        ]
    if origin == NULL:
        return [
            Finding(
                setting,
                origin,
                "allows sandboxed iframes and file:/data: pages of any site.",
                "serve the front-end from a real origin and list that instead.",
                NULL_ORIGIN,
            )
        ]
    text = origin.replace("*.", "").replace(":*", "")
    match = ORIGIN.fullmatch(text)
    if match is None:
        return []
    host = match["host"]
    if is_loopback_host(host):
        return [
            Finding(
                setting,
                origin,
                "is a development origin (localhost/loopback) in a production configuration.",
                "move it to the development settings or the CORSGUARD_ALLOWED_ORIGINS of your dev environment.",
                LOCALHOST_ORIGIN,
            )
        ]
    if match["scheme"] == "http":
        return [
            Finding(
                setting,
                origin,
                "is plain http://; anyone on the network can impersonate it.",
                f"use {origin.replace('http://', 'https://', 1)!r}.",
                INSECURE_ORIGIN,
            )
        ]
    return []


def regex_lookalike(source: str) -> str | None:
    """An origin an attacker could register that ``source`` accepts, if any.

    The domain is read from the regex's own literal text, and look-alikes are
    built from it: the domain as a subdomain of another site, glued to a
    prefix, with userinfo, or with its dots replaced (an unescaped ``.``).
    """
    try:
        pattern = re.compile(source)
    except re.error:
        return None
    literal = source.replace("\\.", ".").replace("\\-", "-")
    domains = _DOMAIN.findall(literal)
    if not domains:
        return None
    domain = max(domains, key=len)
    schemes = ("https", "http")
    prefixes = ("", "a.", "www.", "a-")
    for scheme in schemes:
        for prefix in prefixes:
            for host in (
                f"{prefix}{domain}.evil.net",
                f"{prefix}evil{domain}",
                f"{prefix}evil-{domain}",
                f"{prefix}{domain.replace('.', 'x')}",
                f"{prefix}{domain}@evil.net",
            ):
                candidate = f"{scheme}://{host}"
                if pattern.fullmatch(candidate) is not None and not _legit(candidate, domain):
                    return candidate
    return None


def _legit(candidate: str, domain: str) -> bool:
    host = candidate.split("://", 1)[1]
    return host == domain or host.endswith("." + domain)
