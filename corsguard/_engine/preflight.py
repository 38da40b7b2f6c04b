"""The checks of an allowed preflight, in Fetch's order (B4.2-B4.6).

CORS-preflight fetch step 7 (the method), step 8 (the request headers) and
private network access. Each check may add to the answer (a reflected method
or header list with credentials, ACAPN); each returns the refusal it found,
as (log kind, the browser's words, corsguard's explanation), or None.
"""

from __future__ import annotations

from corsguard._engine import headers as fields
from corsguard._engine import log
from corsguard._engine.messages import PNA_MISSING, header_not_allowed, method_not_allowed
from corsguard._engine.names import ACAH, ACAM, ACAPN
from corsguard._engine.plan import Plan

Refusal = tuple[str, str, str]


def method_refusal(plan: Plan, acrm: str, headers: list[tuple[str, str]]) -> Refusal | None:
    """Fetch, CORS-preflight fetch step 7: the method must be listed or
    safelisted; '*' counts only without credentials. Case-sensitive (B4.4)."""
    if len(acrm) > fields.MAX_METHOD_LENGTH:
        return log.METHOD, method_not_allowed(shown(acrm)), "the requested method is too long to be a method"
    if plan.any_method:
        if not plan.credentials:
            return None
        if fields.is_token(acrm):
            headers.append((ACAM, acrm))
            return None
        return log.METHOD, method_not_allowed(shown(acrm)), "the requested method is not an HTTP token"
    if acrm in plan.methods_ok:
        return None
    return (
        log.METHOD,
        method_not_allowed(shown(acrm)),
        f"the requested method {shown(acrm)} is not in ALLOW_METHODS (methods are case-sensitive); "
        "add it there if the front-end uses it",
    )


def headers_refusal(plan: Plan, acrh: str | None, headers: list[tuple[str, str]]) -> Refusal | None:
    """Fetch step 8: every requested header must be listed; the scan is
    bounded by the allowed list, not by the request (B4.5)."""
    if acrh is None:
        return None
    names = fields.parse_acrh(acrh, plan.acrh_bound)
    if names is None:
        return (
            log.HEADER,
            header_not_allowed(shown(fields.first_element(acrh))),
            "Access-Control-Request-Headers is too long or not a list of header names",
        )
    if plan.any_header:
        if plan.credentials and names:
            headers.append((ACAH, ",".join(names)))
        return None
    for name in names:
        if name not in plan.headers_ok:
            return (
                log.HEADER,
                header_not_allowed(name),
                f"the requested header {name} is not in ALLOW_HEADERS; add it if the page sends it",
            )
    return None


def private_network_refusal(plan: Plan, acrpn: str | None, headers: list[tuple[str, str]]) -> Refusal | None:
    """B4.6: only when switched on (flask-cors CVE-2024-6221)."""
    if acrpn != "true":
        return None
    if plan.private_network:
        headers.append((ACAPN, "true"))
        return None
    return (
        log.PRIVATE_NETWORK,
        PNA_MISSING,
        "the preflight asks for private network access; set ALLOW_PRIVATE_NETWORK to allow it",
    )


def shown(value: str) -> str:
    """Request input as it may appear in a message: plain if a short token."""
    return value if len(value) <= 64 and fields.is_token(value) else log.quote(value)
