"""From the scan's exchanges to its findings: which answer is which hole.

A crafted origin counts as trusted when ACAO echoes it exactly (or its
percent-decoding: a server that decodes Origin echoes "`" for "%60"), the
only way a browser lets that origin read (WHATWG Fetch, CORS check). Once
an arbitrary origin is echoed, every narrower bypass is implied by it: they
are listed under ``also`` rather than reported again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from corsguard import browser, headers
from corsguard.cli import wire
from corsguard.cli.findings import Finding, finding, rank
from corsguard.cli.probes import INJECTED_HEADER, Planned, Trusted
from corsguard.lint import LARGEST_BROWSER_MAX_AGE
from corsguard.names import ACAC, ACAH, ACAO, ACMA, CORS_PREFIX, VARY, VARY_ACTUAL

# Probe name -> the code reported when the probe's origin is echoed.
ACCEPTANCE_CODES = {
    "arbitrary": "origin-reflected",
    "null": "null-trusted",
    "pre-domain": "pre-domain-bypass",
    "post-domain": "post-domain-bypass",
    "subdomain": "any-subdomain-trusted",
    "unescaped-dot": "unescaped-dot-bypass",
    "substring": "substring-bypass",
    "special-characters": "special-character-bypass",
    "http-twin": "insecure-origin-trusted",
    "third-party": "third-party-origin-trusted",
}
# Reported on their own even when any origin is echoed.
_DISTINCT = ("arbitrary", "null")
_SHOWN = ("vary", "location", INJECTED_HEADER.lower())


@dataclass(frozen=True)
class Probed:
    planned: Planned
    exchange: wire.Exchange

    @property
    def received(self) -> wire.Received | None:
        return self.exchange.received

    def header(self, name: str) -> str | None:
        return None if self.received is None else self.received.get(name)

    @property
    def credentialed(self) -> bool:
        return self.header(ACAC) == "true"

    @property
    def echoed(self) -> bool:
        acao = self.header(ACAO)
        return acao is not None and acao in (self.planned.origin, unquote(self.planned.origin))

    def evidence(self) -> dict[str, Any]:
        sent = self.exchange.sent
        request = {"method": sent.method, "url": sent.url, "headers": [list(line) for line in sent.headers]}
        piece: dict[str, Any] = {"probe": self.planned.probe, "request": request}
        if self.received is None:
            piece["error"] = self.exchange.error
            return piece
        shown = [
            [name, value]
            for name, value in self.received.headers
            if name.lower().startswith(CORS_PREFIX) or name.lower() in _SHOWN
        ]
        piece["response"] = {"status": self.received.status, "reason": self.received.reason, "headers": shown}
        return piece


def judge(probed: Sequence[Probed], trusted: Trusted, credentials: bool) -> list[Finding]:
    """Every finding, the most severe first; equals in the catalogue's order of probes, then the rules'."""
    answered = [item for item in probed if item.received is not None]
    found = _acceptances(answered)
    for rule in (_crlf, _wildcard, _duplicates, _vary):
        found += rule(answered)
    found += _preflight(answered)
    if credentials:
        found += _credentials(answered, trusted)
    return sorted(found, key=lambda item: -rank(item.severity))


def _acceptances(answered: list[Probed]) -> list[Finding]:
    by_probe: dict[str, list[Probed]] = {}
    for item in answered:
        if item.planned.probe in ACCEPTANCE_CODES and item.echoed:
            by_probe.setdefault(item.planned.probe, []).append(item)
    found: list[Finding] = []
    reflected = by_probe.get("arbitrary")
    for name, items in by_probe.items():
        if reflected and name not in _DISTINCT:
            continue
        also = [item.planned.origin for item in items[1:]]
        if name == "arbitrary":
            also += [item.planned.origin for key, more in by_probe.items() if key not in _DISTINCT for item in more]
        found.append(finding(ACCEPTANCE_CODES[name], [items[0].evidence()], items[0].credentialed, also))
    return found


def _first(answered: list[Probed], test: Any) -> Probed | None:
    return next((item for item in answered if test(item)), None)


def _crlf(answered: list[Probed]) -> list[Finding]:
    def injected(item: Probed) -> bool:
        return item.header(INJECTED_HEADER) is not None or any(
            "\r" in value or "\n" in value for value in (item.received.lines(ACAO) if item.received else [])
        )

    hit = _first(answered, injected)
    return [finding("crlf-injection", [hit.evidence()], hit.credentialed)] if hit else []


def _wildcard(answered: list[Probed]) -> list[Finding]:
    hit = _first(answered, lambda item: item.header(ACAO) == "*")
    if hit is None:
        return []
    code = "wildcard-with-credentials" if hit.credentialed else "wildcard-origin"
    return [finding(code, [hit.evidence()], hit.credentialed)]


def _duplicates(answered: list[Probed]) -> list[Finding]:
    def doubled(item: Probed) -> bool:
        lines = item.received.lines(ACAO) if item.received else []
        # A comma is a second value, unless it is the crafted origin's own (CORScanner sends ",").
        return len(lines) > 1 or any("," in line and not item.echoed for line in lines)

    hit = _first(answered, doubled)
    return [finding("duplicate-acao", [hit.evidence()], hit.credentialed)] if hit else []


def _vary(answered: list[Probed]) -> list[Finding]:
    """An ACAO naming one origin depends on Origin (Fetch, CORS protocol and HTTP caches)."""

    def unvaried(item: Probed) -> bool:
        acao = item.header(ACAO)
        return acao is not None and acao != "*" and bool(headers.missing_vary(_varies(item), VARY_ACTUAL))

    gets = [item for item in answered if item.planned.method == "GET"]
    hit = _first(gets, unvaried)
    if hit is not None:
        return [finding("vary-origin-missing", [hit.evidence()], hit.credentialed)]
    if not any(item.header(ACAO) not in (None, "*") for item in gets):
        return []  # nothing depends on Origin: no Vary is needed anywhere
    refusal = _first(
        gets, lambda item: item.header(ACAO) is None and bool(headers.missing_vary(_varies(item), VARY_ACTUAL))
    )
    return [finding("vary-origin-missing-on-refusal", [refusal.evidence()], False)] if refusal else []


def _varies(item: Probed) -> list[str]:
    return item.received.lines(VARY) if item.received else []


def _preflight(answered: list[Probed]) -> list[Finding]:
    preflight = _first(answered, lambda item: item.planned.method == "OPTIONS")
    trusted_get = _first(answered, lambda item: item.planned.probe == "trusted")
    if preflight is None or preflight.received is None:
        return []
    status = preflight.received.status
    allows = preflight.header(ACAO) is not None
    served = trusted_get is not None and trusted_get.header(ACAO) is not None
    evidence = [preflight.evidence()]
    if preflight.received.redirected and (allows or served):
        return [finding("preflight-redirect", evidence, preflight.credentialed)]
    # corsguard refuses with 403 and no ACAO; 404, 405 and 501 mean OPTIONS was never answered.
    if not 200 <= status < 300 and (allows or (served and status in (404, 405, 501))):
        return [finding("preflight-not-ok", evidence, preflight.credentialed)]
    found: list[Finding] = []
    allowed = [name.strip().lower() for name in (preflight.header(ACAH) or "").split(",")]
    if allows and "*" in allowed and "authorization" not in allowed:
        found.append(finding("allow-headers-star-authorization", evidence, preflight.credentialed))
    max_age = (preflight.header(ACMA) or "").strip()
    if allows and max_age.isascii() and max_age.isdigit() and int(max_age[:18]) > LARGEST_BROWSER_MAX_AGE:
        found.append(finding("max-age-above-caps", evidence, preflight.credentialed))
    return found


def _credentials(answered: list[Probed], trusted: Trusted) -> list[Finding]:
    hit = _first(answered, lambda item: item.planned.probe == "trusted")
    if hit is None or hit.received is None:
        return []
    if browser.cors_check(hit.received.as_browser_response(), trusted.origin, True) is None:
        return []
    return [finding("credentials-refused", [hit.evidence()], hit.credentialed)]
