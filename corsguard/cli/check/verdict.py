"""How ``corsguard check`` shows a diagnosis: text for people, JSON for scripts.

Every exchange with the headers CORS reads, the verdict in Chromium's
console words, the preflight cache per browser, Local Network Access, the
server as recognised, and the fix.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from corsguard._engine import browser
from corsguard._engine.headers import SAFELISTED_METHODS
from corsguard._engine.names import CORS_PREFIX
from corsguard.cli import network, wire
from corsguard.cli.check.diagnosis import Diagnosis

_SHOWN_SENT = ("origin", "access-control-request-method", "access-control-request-headers", "cookie")
_SHOWN_RECEIVED = ("vary", "location")


def _shown_sent(name: str) -> bool:
    return name.lower() in _SHOWN_SENT or name.lower() in ("authorization", "content-type")


def _shown_received(name: str) -> bool:
    return name.lower().startswith(CORS_PREFIX) or name.lower() in _SHOWN_RECEIVED


def _exchange_lines(role: str, exchange: wire.Exchange) -> list[str]:
    sent = exchange.sent
    lines = [f"{role:<9}> {sent.method} {sent.url}"]
    lines += [f"{'':<11}{name}: {value}" for name, value in sent.headers if _shown_sent(name)]
    received = exchange.received
    if received is None:
        return [*lines, f"{'':<9}< no answer: {exchange.error}"]
    lines.append(f"{'':<9}< {received.status} {received.reason}")
    shown = [(name, value) for name, value in received.headers if _shown_received(name)]
    lines += [f"{'':<11}{name}: {value}" for name, value in shown] or [f"{'':<11}(no CORS headers)"]
    return lines


def why_preflight(request: browser.Request) -> str:
    """Why fetch() sends a preflight first, or why it does not."""
    reasons = []
    method = browser.normalize_method(request.method)
    if method not in SAFELISTED_METHODS:
        reasons.append(f"{method} is not a CORS-safelisted method")
    names = browser.unsafe_header_names(dict(request.headers))
    if names:
        kind = "are not safelisted request headers" if len(names) > 1 else "is not a safelisted request header"
        reasons.append(f"{', '.join(names)} {kind}")
    if not reasons:
        return "no preflight: a safelisted method with safelisted headers only"
    return "a preflight comes first: " + "; ".join(reasons)


def _verdict_lines(diagnosis: Diagnosis) -> list[str]:
    outcome = diagnosis.outcome
    if outcome.stage == "same-origin":
        return ["Verdict: same-origin request: CORS does not apply, nothing was sent."]
    if outcome.stage == "network":
        return [f"Verdict: no verdict: {outcome.error} ({outcome.url})."]
    if diagnosis.ok:
        readable = ", ".join(sorted(outcome.readable)) or "none"
        return [f"Verdict: allowed. The page reads status {outcome.status} and these response headers: {readable}."]
    return ["Verdict: blocked. Chromium's console says:", f"  {diagnosis.console()}"]


def _cache_line(diagnosis: Diagnosis) -> str:
    outcome = diagnosis.outcome
    if outcome.stage == "preflight":
        return "Preflight cache: nothing is cached, the preflight failed."
    cache = diagnosis.cache
    if cache is None:
        return "Preflight cache: no preflight was sent, nothing to cache."
    received = outcome.preflights[-1].received
    max_age = received.get("Access-Control-Max-Age") if received is not None else None
    given = f"Access-Control-Max-Age: {max_age}" if max_age is not None else "no Access-Control-Max-Age"
    each = ", ".join(
        f"{engine} {seconds} s" if seconds else f"{engine} not cached" for engine, seconds in cache.items()
    )
    return f"Preflight cache ({given}): {each}."


def _local_network_lines(access: network.LocalNetworkAccess) -> list[str]:
    target = access.target
    where = f"{target.space} ({', '.join(target.addresses) or target.host})"
    why = [access.why_resolved] if access.why_resolved else []
    if not access.applies:
        return [*why, f"Local Network Access: not involved (page {access.page.space}, target {where})."]
    page = access.page
    if access.certain:
        lead = f"the page's origin is served from a public address and the target is {where}"
    else:
        lead = f"the target is {where}; if the page is served from a public address ({page.host} does not resolve here)"
    lines = [*why, f"Local Network Access (Chromium 142+): {lead}:"]
    if access.secure:
        lines.append("  Chromium asks the user first and sends nothing until they allow it; if they block it:")
    else:
        lines.append("  the page is not a secure context, so Chromium refuses without asking:")
    lines.append(f"  {access.blocked_detail}")
    lines.append(
        "  No Private Network Access preflight is sent, so ALLOW_PRIVATE_NETWORK changes nothing in Chromium 142+."
    )
    if not access.secure and access.certain:
        lines.append("  The exchanges above show what happens once a page may reach it (HTTPS and permission).")
    return lines


def as_text(diagnosis: Diagnosis) -> str:
    request = diagnosis.request
    credentials = "include" if request.credentials else "same-origin (none sent cross-origin)"
    lines = [
        f"corsguard check: {request.method} {request.url} from {request.origin}, credentials: {credentials}",
        f"  {why_preflight(request)}",
        "",
    ]
    for step in diagnosis.outcome.steps:
        lines += _exchange_lines(step.role, step.exchange)
    if diagnosis.identify is not None:
        lines.append("(not sent by the browser: one question to recognise the server)")
        lines += _exchange_lines("identify", diagnosis.identify)
    lines += ["", *_verdict_lines(diagnosis), _cache_line(diagnosis)]
    lines += _local_network_lines(diagnosis.local_network)
    if not diagnosis.ok and diagnosis.outcome.stage not in ("network", "same-origin"):
        server_name = "corsguard" if diagnosis.recognition.corsguard else "not recognised as corsguard"
        lines.append(f"Server: {server_name} ({diagnosis.recognition.evidence}).")
    # An allowed verdict needs no fix: Local Network Access is already
    # explained above when it applies (the user is asked, nothing fails).
    for fix in diagnosis.fixes if not diagnosis.ok else ():
        lines.append(f"Why: {fix.problem}")
        lines.append(f"Fix: {fix.change}")
    return "\n".join(lines)


def _exchange_json(role: str, exchange: wire.Exchange) -> dict[str, Any]:
    received = exchange.received
    return {
        "role": role,
        "sent": {"method": exchange.sent.method, "url": exchange.sent.url, "headers": list(exchange.sent.headers)},
        "received": None
        if received is None
        else {"status": received.status, "reason": received.reason, "headers": list(received.headers)},
        "error": exchange.error,
    }


def as_json(diagnosis: Diagnosis) -> str:
    outcome = diagnosis.outcome
    request = diagnosis.request
    exchanges = [_exchange_json(step.role, step.exchange) for step in outcome.steps]
    if diagnosis.identify is not None:
        exchanges.append(_exchange_json("identify", diagnosis.identify))
    document = {
        "request": {
            "url": request.url,
            "origin": request.origin,
            "method": request.method,
            "headers": dict(request.headers),
            "credentials": request.credentials,
        },
        "preflight_needed": browser.needs_preflight(request.method, dict(request.headers)),
        "exchanges": exchanges,
        "verdict": {
            "ok": diagnosis.ok,
            "stage": outcome.stage,
            "status": outcome.status,
            "detail": diagnosis.detail,
            "console": diagnosis.console(),
            "readable_headers": sorted(outcome.readable),
            "error": outcome.error,
        },
        "preflight_cache": diagnosis.cache,
        "local_network_access": diagnosis.local_network.as_json(),
        "server": {"corsguard": diagnosis.recognition.corsguard, "evidence": diagnosis.recognition.evidence},
        "fixes": [dataclasses.asdict(fix) for fix in diagnosis.fixes],
    }
    return json.dumps(document, indent=2)
