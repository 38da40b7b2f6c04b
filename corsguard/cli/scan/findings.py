"""What ``corsguard scan`` can report, as data: code, severity, problem, fix.

Severity follows exploitability (B15). high: an origin an attacker controls
reads a credentialed response (the crafted origin is echoed in ACAO with ACAC
``true``). medium: an attacker causes credentialed side effects (a crafted
origin's preflight approved with credentials), poisons a cache, injects
headers, or needs a network position to read (the http: twin). low: the
legitimate front-end's requests fail in a browser. info: hygiene, and every
acceptance without credentials (the attacker reads only what a request with
no cookies already gets). An accepted crafted origin is high or info by
whether ACAC came back ``true``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("info", "low", "medium", "high")


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Code:
    code: str
    # Severity when ACAC is "true" on the evidence, and when it is not.
    with_credentials: str
    without_credentials: str
    problem: str
    fix: str


_CORSGUARD = "In corsguard, list the front-ends in ALLOWED_ORIGINS (exact origins) and let it write the headers."

CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "origin-reflected", "high", "info",
            "any origin is echoed in Access-Control-Allow-Origin: every site on the web reads these responses",
            "Compare Origin with an allow-list of exact origins and echo it only when listed. " + _CORSGUARD,
        ),
        Code(
            "null-trusted", "high", "info",
            "Origin 'null' is trusted: sandboxed iframes and data: URLs of any site send it",
            "Remove 'null' from the allowed origins; never trust it.",
        ),
        Code(
            "pre-domain-bypass", "high", "info",
            "a host that merely ends with the trusted host (https://evil<trusted host>) is trusted",
            "Match the whole host, not its end: compare exact origins, or anchor the regex at '://' and '$'.",
        ),
        Code(
            "post-domain-bypass", "high", "info",
            "a host that merely starts with the trusted host (https://<trusted host>.evil.example) is trusted",
            "Match the whole origin, not its start: compare exact origins, or end the regex with '$'.",
        ),
        Code(
            "any-subdomain-trusted", "low", "info",
            "any subdomain of the trusted host is trusted: a taken-over or XSS-prone subdomain reads responses",
            "List the subdomains that are front-ends instead of every subdomain.",
        ),
        Code(
            "unescaped-dot-bypass", "high", "info",
            "a regex with an unescaped '.' trusts hosts where a dot is any letter (appxexample.com)",
            "Escape every dot in origin regexes ('\\.'), or list exact origins instead of a regex.",
        ),
        Code(
            "substring-bypass", "high", "info",
            "an origin that is only part of the trusted host is trusted (a substring check)",
            "Compare whole origins for equality, never with 'in' or a substring search.",
        ),
        Code(
            "special-character-bypass", "high", "info",
            "the trusted host followed by a special character and another domain is trusted",
            "Compare exact origins, or anchor the regex and allow only [a-z0-9.-] in hosts.",
        ),
        Code(
            "insecure-origin-trusted", "medium", "info",
            "the http: twin of the trusted https: origin is trusted: anyone on the network path can inject pages",
            "Trust only the https: origin; redirect http: to https: and set HSTS.",
        ),
        Code(
            "third-party-origin-trusted", "high", "info",
            "an origin on a host anyone can publish on (github.io, S3, vercel.app ...) is trusted",
            "Remove shared hosting origins from the allow-list; serve the front-end from your own domain.",
        ),
        Code(
            "crlf-injection", "medium", "medium",
            "a CR LF in Origin reached the response headers: an attacker writes headers of their choice",
            "Never decode Origin before echoing it; echo only exact allow-listed values.",
        ),
        Code(
            "wildcard-with-credentials", "low", "low",
            "Access-Control-Allow-Origin '*' with Access-Control-Allow-Credentials 'true': browsers refuse every "
            "credentialed request, and the next 'fix' is usually reflecting any origin",
            "Send the exact origin with credentials, or drop Access-Control-Allow-Credentials for a public API.",
        ),
        Code(
            "wildcard-origin", "info", "info",
            "Access-Control-Allow-Origin '*': any site reads these responses without credentials",
            "Fine for public data; otherwise list the front-ends' origins.",
        ),
        Code(
            "vary-origin-missing", "medium", "medium",
            "responses name different origins in Access-Control-Allow-Origin and one lacks 'Vary: Origin': an "
            "attacker's request fills a cache with an answer for the attacker's origin, handed to everyone after",
            "Add 'Vary: Origin' to every response whose CORS headers depend on Origin, refused ones included.",
        ),
        Code(
            "vary-origin-missing-on-refusal", "low", "low",
            "a cacheable answer of an origin-dependent URL lacks 'Vary: Origin': a shared cache that stored a "
            "refusal hands it to the trusted origin, whose requests then fail",
            "Add 'Vary: Origin' to every response of an origin-dependent URL, the refused ones too (Fetch, "
            "CORS protocol and HTTP caches).",
        ),
        Code(
            "duplicate-acao", "low", "low",
            "Access-Control-Allow-Origin came back more than once or with several values: browsers refuse the "
            "response (CORS written at two layers, e.g. nginx add_header over the app)",
            "Write the CORS headers at one layer only: remove add_header Access-Control-* from the proxy or the "
            "app's CORS code.",
        ),
        Code(
            "preflight-redirect", "low", "low",
            "the preflight is redirected: browsers refuse a redirected preflight",
            "Answer OPTIONS at the URL itself (a trailing slash or http-to-https redirect runs before CORS).",
        ),
        Code(
            "preflight-not-ok", "low", "low",
            "the preflight's status is not 2xx: browsers refuse it",
            "Answer an allowed preflight with 204 or 200 before authentication and routing reject OPTIONS.",
        ),
        Code(
            "allow-headers-star-authorization", "low", "low",
            "Access-Control-Allow-Headers '*' is relied on for Authorization: '*' never covers Authorization "
            "(Fetch), so every request that sends it fails its preflight",
            "List authorization explicitly in Access-Control-Allow-Headers.",
        ),
        Code(
            "max-age-above-caps", "info", "info",
            "Access-Control-Max-Age is above every browser's cap (Firefox 86400 s, Chromium 7200 s, Safari 600 s)",
            "Use at most 7200 (what Chromium keeps); a larger value only delays policy changes in Firefox.",
        ),
        Code(
            "local-origin-trusted", "high", "info",
            "a loopback or private-network origin (http://localhost:3000, http://192.168.1.10 ...) is trusted: any "
            "page or tool served from a developer's machine or the office network reads these responses",
            "Keep development origins out of the production allow-list (load them from the environment).",
        ),
        Code(
            "preflight-approves-crafted-origin", "medium", "info",
            "the preflight of a credentialed PUT with Authorization and Content-Type is approved for an origin an "
            "attacker controls: the browser sends the request with the user's cookies, whatever the response says",
            "Answer a preflight with CORS headers only for allow-listed origins, as for the actual request; never "
            "echo the preflight's Origin.",
        ),
        Code(
            "credentials-refused", "low", "low",
            "the trusted origin's own credentialed request is refused by the browser (--credentials)",
            "Answer the trusted origin with its exact origin and 'Access-Control-Allow-Credentials: true'.",
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    # Each piece: {"probe", "request": {...}, "response": {...}}.
    evidence: list[dict[str, Any]]
    # Further crafted origins accepted the same way, not repeated as evidence.
    also: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str:
        return CODES[self.code].problem

    @property
    def fix(self) -> str:
        return CODES[self.code].fix

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "problem": self.problem,
            "evidence": self.evidence,
            "also": self.also,
            "fix": self.fix,
        }


def finding(code: str, evidence: list[dict[str, Any]], credentials: bool, also: list[str] | None = None) -> Finding:
    entry = CODES[code]
    severity = entry.with_credentials if credentials else entry.without_credentials
    return Finding(code, severity, evidence, also or [])
