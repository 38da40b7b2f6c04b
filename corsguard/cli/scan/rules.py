"""From the scan's exchanges to its findings: which answer is which hole.

A crafted origin counts as trusted when ACAO echoes it exactly (or its
percent-decoding: a server that decodes Origin echoes "`" for "%60"), the
only way a browser lets that origin read (WHATWG Fetch, CORS check). Once
an arbitrary origin is echoed, every narrower bypass is implied by it: they
are listed under ``also`` rather than reported again.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsguard._engine import browser
from corsguard._engine.names import ACAO
from corsguard.cli.scan.findings import Finding, finding, rank
from corsguard.cli.scan.preflight_rules import crafted_preflights, trusted_preflight
from corsguard.cli.scan.probed import Probed, first
from corsguard.cli.scan.probes import INJECTED_HEADER, Trusted
from corsguard.cli.scan.vary_rules import vary

__all__ = ["ACCEPTANCE_CODES", "Probed", "judge"]

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
    "local-network": "local-origin-trusted",
}
# Reported on their own even when any origin is echoed.
_DISTINCT = ("arbitrary", "null")


def judge(probed: Sequence[Probed], trusted: Trusted, credentials: bool) -> list[Finding]:
    """Every finding, the most severe first; equals in the catalogue's order of probes, then the rules'."""
    answered = [item for item in probed if item.received is not None]
    found = _acceptances(answered)
    for rule in (_crlf, _wildcard, _duplicates, vary, trusted_preflight, crafted_preflights):
        found += rule(answered)
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


def _crlf(answered: list[Probed]) -> list[Finding]:
    def injected(item: Probed) -> bool:
        return item.header(INJECTED_HEADER) is not None or any(
            "\r" in value or "\n" in value for value in (item.received.lines(ACAO) if item.received else [])
        )

    hit = first(answered, injected)
    return [finding("crlf-injection", [hit.evidence()], hit.credentialed)] if hit else []


def _wildcard(answered: list[Probed]) -> list[Finding]:
    hit = first(answered, lambda item: item.header(ACAO) == "*")
    if hit is None:
        return []
    code = "wildcard-with-credentials" if hit.credentialed else "wildcard-origin"
    return [finding(code, [hit.evidence()], hit.credentialed)]


def _duplicates(answered: list[Probed]) -> list[Finding]:
    def doubled(item: Probed) -> bool:
        lines = item.received.lines(ACAO) if item.received else []
        # A comma is a second value, unless it is the crafted origin's own (CORScanner sends ",").
        return len(lines) > 1 or any("," in line and not item.echoed for line in lines)

    hit = first(answered, doubled)
    return [finding("duplicate-acao", [hit.evidence()], hit.credentialed)] if hit else []


def _credentials(answered: list[Probed], trusted: Trusted) -> list[Finding]:
    hit = first(answered, lambda item: item.planned.probe == "trusted")
    if hit is None or hit.received is None:
        return []
    if browser.cors_check(hit.received.as_browser_response(), trusted.origin, True) is None:
        return []
    return [finding("credentials-refused", [hit.evidence()], hit.credentialed)]
