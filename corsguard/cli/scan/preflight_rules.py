"""The preflights: the trusted origin's (does the front-end's PUT get
through?) and the crafted origins' (does an attacker's? B15).

A preflight that approves an attacker's origin with credentials is a hole
even when the actual response is then refused to that origin: the browser
has already sent the PUT or DELETE, with the user's cookies, by the time it
reads the response. A JSON API that counts on the preflight as its CSRF
defence has none. The approval is judged as a browser judges it (Fetch,
"CORS-preflight fetch": status, ACAO, ACAC, methods, headers), for the
least a forged request needs: a PUT, or a POST of JSON, or the PUT with
Authorization and Content-Type the probe asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsguard._engine import browser
from corsguard._engine.lint import LARGEST_BROWSER_MAX_AGE
from corsguard._engine.names import ACAH, ACAO, ACMA
from corsguard.cli.scan.findings import Finding, finding
from corsguard.cli.scan.probed import Probed, first

_FORGED: tuple[tuple[str, dict[str, str]], ...] = (
    ("PUT", {}),
    ("POST", {"Content-Type": "application/json"}),
    ("PUT", {"Authorization": "Bearer probe", "Content-Type": "application/json"}),
)
CRAFTED_PREFIX = "preflight-"


def approves(item: Probed, credentials: bool) -> bool:
    """Whether a browser would go on to send a forged request after this preflight."""
    received = item.received
    if received is None or not item.echoed:
        return False
    response = received.as_browser_response()
    url = item.exchange.sent.url
    return any(
        browser.preflight_check(response, browser.Request(url, item.planned.origin, method, lines, credentials)) is None
        for method, lines in _FORGED
    )


def crafted_preflights(answered: Sequence[Probed]) -> list[Finding]:
    """Approved crafted preflights, except for origins whose GET is already
    echoed at the same level (reported as an acceptance, which implies it)."""
    gets = {item.planned.origin: item for item in answered if item.planned.method == "GET"}
    crafted = [item for item in answered if item.planned.probe.startswith(CRAFTED_PREFIX)]
    for credentials in (True, False):
        hits = [
            item
            for item in crafted
            if approves(item, credentials) and not _read_anyway(gets.get(item.planned.origin), credentials)
        ]
        if hits:
            also = [item.planned.origin for item in hits[1:]]
            return [finding("preflight-approves-crafted-origin", [hits[0].evidence()], credentials, also)]
    return []


def _read_anyway(get: Probed | None, credentials: bool) -> bool:
    return get is not None and get.echoed and (get.credentialed or not credentials)


def trusted_preflight(answered: Sequence[Probed]) -> list[Finding]:
    preflight = first(answered, lambda item: item.planned.probe == "preflight")
    trusted_get = first(answered, lambda item: item.planned.probe == "trusted")
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
