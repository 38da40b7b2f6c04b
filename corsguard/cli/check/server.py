"""Whether a server is corsguard, told from its own answers to preflights.

corsguard adds no header that names it; it is recognised by what the
behaviour specification makes it send (docs/behaviour.md): a refused
preflight is a 403 with no CORS header and its fixed short body (B4.1); an
answered one varies on exactly Origin, Access-Control-Request-Method and
Access-Control-Request-Headers (B4.7) and lists everything allowed rather
than echoing the request (B4.2). Other libraries share parts of this (rs/cors
sends the same Vary), so an answer that only echoes the request is not
taken as corsguard's.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsguard._engine import browser
from corsguard._engine.messages import REFUSED_BODY
from corsguard._engine.names import ACAH, ACAM, CORS_PREFIX, VARY, VARY_PREFLIGHT, VARY_PREFLIGHT_PNA
from corsguard.cli import wire


@dataclass(frozen=True)
class Recognition:
    corsguard: bool
    # What in the answer gave it away (or why it could not be told).
    evidence: str


UNKNOWN = Recognition(False, "no answer told which CORS library the server runs")


def _names(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def from_preflight(received: wire.Received, request: browser.Request) -> Recognition:
    """Recognise corsguard from its answer to the preflight for ``request``."""
    vary = tuple(_names(received.get(VARY)))
    corsguard_vary = vary in (VARY_PREFLIGHT, VARY_PREFLIGHT_PNA)
    cors_headers = [name for name, _ in received.headers if name.lower().startswith(CORS_PREFIX)]
    if received.status == 403 and received.body == REFUSED_BODY and not cors_headers and corsguard_vary:
        return Recognition(True, "its refused-preflight answer: 403, no CORS headers, corsguard's one-line body")
    if not (200 <= received.status <= 299 and corsguard_vary):
        return UNKNOWN
    asked_method = browser.normalize_method(request.method)
    asked_headers = set(browser.unsafe_header_names(dict(request.headers)))
    methods = _names(received.get(ACAM))
    headers = {name.lower() for name in _names(received.get(ACAH))}
    lists_more = any(method != asked_method for method in methods) or bool(headers - asked_headers)
    if lists_more:
        return Recognition(
            True,
            "its preflight answer: Vary on Origin, Access-Control-Request-Method and -Headers, and every allowed "
            "method and header listed",
        )
    return UNKNOWN


def identify(client: wire.Client, request: browser.Request) -> tuple[wire.Exchange, Recognition]:
    """Ask one preflight-shaped question to recognise the server, for a
    request whose own exchanges did not tell. The browser sends no such
    request; the output says so."""
    question = browser.Request(request.url, request.origin, "PUT")
    exchange = client.send("OPTIONS", request.url, question.preflight_headers())
    if exchange.received is None:
        return exchange, UNKNOWN
    return exchange, from_preflight(exchange.received, question)
