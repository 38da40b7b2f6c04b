"""Warnings about configurations that are valid but probably not meant.

``Policy`` refuses what can never be right (B2). What is only risky, or
right in development and wrong in production, is reported here instead, so
adapters can show it at start-up (Django's system checks, Flask's logger,
``corsguard lint``) without stopping anyone's laptop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corsguard._engine import suffixes
from corsguard._engine.entries import Entry, Form, parse_entry
from corsguard._engine.errors import Problem
from corsguard._engine.names import ANY
from corsguard._engine.patterns import PatternFault, SafePattern
from corsguard._engine.policy import Policy
from corsguard._engine.regex_rules import never_an_origin, unsafe_with_credentials
from corsguard._engine.regexes import compile_regex, lookalike

# Stable codes; adapters map them to their own ids (corsguard_django.W0xx).
ANY_ORIGIN = "any-origin"
NULL_ORIGIN = "null-origin"
INSECURE_ORIGIN = "insecure-origin"
LOCALHOST_ORIGIN = "localhost-origin"
REGEX_LOOKALIKE = "regex-lookalike"
METHOD_CASE = "method-case"
MAX_AGE_CAPPED = "max-age-capped"
PUBLIC_SUFFIX = "public-suffix"
HEADER_REGEX = "header-regex"
REGEX_BACKTRACKING = "regex-backtracking"
REGEX_NEVER_MATCHES = "regex-never-matches"

# B8: Firefox caps Access-Control-Max-Age at 86400 s, Chromium at 7200 s,
# Safari at 600 s; above the largest cap a value only misleads.
LARGEST_BROWSER_MAX_AGE = 86400

_REGEX_CHARACTERS = re.compile(r"\.\*|\.\+|\[|\]|\(|\)|\\|\?|\^|\$|\|")


@dataclass(frozen=True)
class Finding(Problem):
    code: str = ""


def findings(policy: Policy, *, production: bool) -> list[Finding]:
    """Everything worth a warning in ``policy``; ``production`` adds the
    checks that only make sense for a deployed site (DEBUG off)."""
    settings = policy.settings
    found: list[Finding] = []
    for index, origin in enumerate(settings.allowed_origins):
        entry = parse_entry(origin)
        if isinstance(entry, Entry):
            found.extend(_origin_findings(f"ALLOWED_ORIGINS[{index}]", entry, production, settings.public_suffix_list))
    for index, source in enumerate(settings.origin_regexes):
        found.extend(_regex_findings(f"ORIGIN_REGEXES[{index}]", source, settings.public_suffix_list))
    for index, method in enumerate(settings.allow_methods):
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
    found.extend(_header_findings(settings.allow_headers, settings.expose_headers))
    if settings.max_age is not None and settings.max_age > LARGEST_BROWSER_MAX_AGE:
        found.append(
            Finding(
                "MAX_AGE",
                settings.max_age,
                f"is above every browser's cap (Firefox {LARGEST_BROWSER_MAX_AGE} s, Chromium 7200 s, Safari 600 s).",
                "no harm done, but browsers re-send preflights sooner than this suggests; 7200 is a good value.",
                MAX_AGE_CAPPED,
            )
        )
    return found


def _origin_findings(setting: str, entry: Entry, production: bool, suffix_list: str | None) -> list[Finding]:
    if entry.form is Form.SUBDOMAINS:
        public = _public_suffix(setting, entry.text, entry.host, suffix_list)
        if public is not None:
            return [public]
    if not production:
        return []
    if entry.form is Form.ANY:
        message = "allows every site on the internet to read responses."
        hint = "fine for a public, unauthenticated API; otherwise list your front-ends' origins."
        return [Finding(setting, entry.text, message, hint, ANY_ORIGIN)]
    if entry.form is Form.NULL:
        message = "allows sandboxed iframes and file:/data: pages of any site."
        return [Finding(setting, entry.text, message, "serve the front-end from a real origin.", NULL_ORIGIN)]
    if entry.is_loopback:
        message = "is a development origin (localhost/loopback) in a production configuration."
        hint = "move it to the development settings or the CORSGUARD_ALLOWED_ORIGINS of your dev environment."
        return [Finding(setting, entry.text, message, hint, LOCALHOST_ORIGIN)]
    if entry.is_plain_http:
        hint = f"use {entry.text.replace('http://', 'https://', 1)!r}."
        return [
            Finding(
                setting,
                entry.text,
                "is plain http://; anyone on the network can impersonate it.",
                hint,
                INSECURE_ORIGIN,
            )
        ]
    return []


def _public_suffix(setting: str, value: str, domain: str, suffix_list: str | None) -> Finding | None:
    """B2.3 without credentials: allowed, but almost always a mistake."""
    try:
        if not suffixes.is_public_suffix(domain, suffix_list):
            return None
    except suffixes.SuffixListError as exc:
        return Finding(
            setting, value, f"could not be checked against the Public Suffix List: {exc}.", "", PUBLIC_SUFFIX
        )
    return Finding(
        setting,
        value,
        f"lets every site registered under the public suffix '{domain}' read responses (anyone can deploy there).",
        "anchor it on your own project, e.g. r'https://myproject-[a-z0-9-]+\\.vercel\\.app' in ORIGIN_REGEXES.",
        PUBLIC_SUFFIX,
    )


def _regex_findings(setting: str, source: str, suffix_list: str | None) -> list[Finding]:
    pattern = compile_regex(source)
    if isinstance(pattern, PatternFault):
        return []
    found = []
    lookalike_origin = lookalike(pattern)
    if lookalike_origin:
        found.append(
            Finding(
                setting,
                source,
                f"also accepts the look-alike origin {lookalike_origin!r}.",
                r"escape every dot (\.) and make the domain end the pattern, e.g. r'https://[a-z0-9-]+\.example\.com'.",
                REGEX_LOOKALIKE,
            )
        )
    never = never_an_origin(pattern)
    if never is not None:
        found.append(Finding(setting, source, never[0], never[1], REGEX_NEVER_MATCHES))
    # B12.3's proof, reported (not refused) when credentials are off.
    why = unsafe_with_credentials(pattern, insecure=True, suffix_list=suffix_list)
    if why is not None and "suffix" in why[0]:
        found.append(Finding(setting, source, why[0], why[1], PUBLIC_SUFFIX))
    if pattern.engine == "linear":
        found.append(_backtracking(setting, pattern))
    return found


def _backtracking(setting: str, pattern: SafePattern) -> Finding:
    """B12.2: safe here, but a sign the pattern says more than it means."""
    return Finding(
        setting,
        pattern.pattern,
        "can read some inputs more than one way (nested or overlapping repeats); Python's re would take "
        "exponential time on them, as the peers do. corsguard matches it in linear time, on its slower engine.",
        r"make each character readable one way, e.g. r'[a-z0-9-]+' instead of r'([a-z0-9]+-?)*', or use a "
        "wildcard entry 'https://*.example.com'.",
        REGEX_BACKTRACKING,
    )


def _header_findings(allowed: tuple[str, ...], exposed: tuple[str, ...]) -> list[Finding]:
    """Header names are compared exactly; a regex-looking one is a literal name
    no browser sends (flask-cors accepts regexes there, corsguard does not)."""
    found = []
    for setting, names in (("ALLOW_HEADERS", allowed), ("EXPOSE_HEADERS", exposed)):
        for index, name in enumerate(names):
            if name != ANY and _REGEX_CHARACTERS.search(name):
                found.append(
                    Finding(
                        f"{setting}[{index}]",
                        name,
                        "looks like a regular expression, but header names are matched exactly, so it matches only "
                        "itself.",
                        "list each header name the front-end sends, e.g. 'x-company-id'.",
                        HEADER_REGEX,
                    )
                )
    return found
