"""What to change when the browser blocks a request, for each of Chromium's reasons.

Phrased in corsguard's settings vocabulary (``ALLOW_HEADERS``,
``ALLOWED_ORIGINS`` ...) when the server was recognised as corsguard
(``corsguard.cli.check.server``), and in terms of response headers otherwise.
The reason is matched exactly against the message the browser model would
produce for this request and answer (docs/behaviour.md B7), never guessed
from a substring.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from corsguard._engine import browser, messages
from corsguard._engine.names import ACAH, ACAO
from corsguard.cli import wire
from corsguard.cli.fetch import Outcome


@dataclass(frozen=True)
class Fix:
    # What is wrong, in plain words.
    problem: str
    # What to change.
    change: str
    # corsguard's setting to change and the value to add, when it is one.
    setting: str = ""
    value: str = ""


def fixes(outcome: Outcome, corsguard: bool) -> list[Fix]:
    """The fixes for a blocked ``outcome``; [] when it was allowed."""
    if outcome.ok:
        return []
    if outcome.stage == "network":
        return [Fix(f"nothing usable came back: {outcome.error}.", "check the URL, and that the server is running.")]
    received = _decisive(outcome)
    response = browser.Response(received.status, received.headers) if received is not None else None
    detail = outcome.detail
    for fixer in (_preflight_fix, _origin_fix, _credentials_fix, _list_fix):
        found = fixer(outcome, detail, response, corsguard)
        if found is not None:
            return [found]
    return [Fix(detail, "see the browser's message above; corsguard has no specific advice for it.")]


def _decisive(outcome: Outcome) -> wire.Received | None:
    exchanges = outcome.preflights if outcome.stage == "preflight" else outcome.actuals
    return exchanges[-1].received if exchanges else None


def _preflight_fix(outcome: Outcome, detail: str, response: browser.Response | None, corsguard: bool) -> Fix | None:
    if detail == messages.REDIRECTED_PREFLIGHT:
        location = urljoin(outcome.url, response.get("Location") or "") if response is not None else ""
        general = f"call {location} directly (a trailing slash or an http-to-https redirect?)"
        if corsguard:
            general += (
                "; corsguard answers preflights before Django's APPEND_SLASH or Flask's strict_slashes, so this "
                "redirect comes from a layer in front of it, or CORS is off for this path"
            )
        return Fix(
            f"the preflight was redirected to {location}; browsers never follow a preflight's redirect.", general
        )
    if detail == messages.NOT_OK_STATUS:
        status = response.status if response is not None else 0
        change = "answer OPTIONS with 200 or 204 before any authentication, routing or method check runs"
        if corsguard:
            change += "; corsguard answers allowed preflights with 204 (PREFLIGHT_STATUS) itself, so another layer did"
        return Fix(f"the preflight was answered {status}, with CORS headers but not a 2xx status.", change + ".")
    return None


def _origin_fix(outcome: Outcome, detail: str, response: browser.Response | None, corsguard: bool) -> Fix | None:
    origin = outcome.request.origin
    if detail in (messages.NO_ACAO, messages.PREFLIGHT_PREFIX + messages.NO_ACAO):
        return _missing_acao(outcome, corsguard)
    if response is not None and messages.acao_multiple(response.get(ACAO) or "") in detail:
        return _two_layers(response, browser.acao_values(response), corsguard)
    if response is not None and messages.acao_mismatch(response.get(ACAO) or "") in detail:
        allowed = response.get(ACAO)
        if corsguard:
            change = (
                "corsguard reflects each request's own Origin, so a cache in front served another origin's answer "
                "(it must honour Vary: Origin) or a layer rewrote the header"
            )
        else:
            change = f"send the request's Origin back exactly ('{origin}'), and make caches honour Vary: Origin"
        return Fix(f"the answer allows '{allowed}', not '{origin}'.", change + ".")
    return None


def _missing_acao(outcome: Outcome, corsguard: bool) -> Fix:
    origin = outcome.request.origin
    path = urlsplit(outcome.url).path or "/"
    preflight_passed = outcome.stage == "actual" and bool(outcome.preflights)
    if preflight_passed:
        problem = f"the preflight passed, but the {outcome.status} answer to the request itself has no CORS headers."
        change = "it was produced outside the CORS layer (a proxy's error page, middleware placed above it"
        if corsguard:
            change += ", an unhandled exception while Flask's PROPAGATE_EXCEPTIONS is on"
        return Fix(problem, change + "); let the CORS layer see every response.")
    if outcome.request.origin != "null" and _tainted(outcome):
        return Fix(
            "a redirect to another origin made the Origin 'null'.",
            f"call {outcome.url} directly, or allow 'null' there (never with credentials).",
        )
    if corsguard:
        return Fix(
            f"the server does not allow the origin '{origin}' on {path}.",
            f"add '{origin}' to ALLOWED_ORIGINS (or a pattern or ORIGIN_REGEXES entry that matches it) in the "
            f"settings that govern {path}; `corsguard lint --origin {origin}` shows which entries were tried.",
            "ALLOWED_ORIGINS",
            origin,
        )
    return Fix(
        f"the answer has no Access-Control-Allow-Origin for '{origin}'.",
        f"send Access-Control-Allow-Origin: {origin} (and Vary: Origin) on every response of {path}, errors included.",
    )


def _tainted(outcome: Outcome) -> bool:
    sent = outcome.actuals[-1].sent.headers if outcome.actuals else ()
    return ("Origin", "null") in sent


def _two_layers(response: browser.Response, values: list[str], corsguard: bool) -> Fix:
    lines = [value for name, value in response.headers if name.lower() == ACAO.lower()]
    shape = f"{len(lines)} Access-Control-Allow-Origin lines" if len(lines) > 1 else "one line with several values"
    problem = f"CORS is set at two layers: {shape} ({', '.join(repr(v) for v in values)}); browsers accept exactly one."
    if corsguard:
        change = (
            "corsguard never adds a second one (it leaves an application's own CORS headers alone), so the other "
            "comes from a layer around it: remove that layer's CORS headers (nginx add_header, a second CORS "
            "middleware), or switch corsguard off for this path with a PATHS rule mapped to None"
        )
    else:
        change = "keep CORS in one layer: remove it from the proxy (nginx add_header) or from the application"
    return Fix(problem, change + ".")


def _credentials_fix(outcome: Outcome, detail: str, response: browser.Response | None, corsguard: bool) -> Fix | None:
    origin = outcome.request.origin
    if detail.endswith(messages.WILDCARD_WITH_CREDENTIALS):
        if corsguard:
            change = (
                f"corsguard answers '*' only without credentials: list '{origin}' in ALLOWED_ORIGINS with "
                "ALLOW_CREDENTIALS = True, or drop credentials: 'include' from the page"
            )
            return Fix("the answer is '*', which browsers refuse for credentialed requests.", change + ".")
        change = f"send Access-Control-Allow-Origin: {origin} and Access-Control-Allow-Credentials: true instead"
        return Fix("the answer is '*', which browsers refuse for credentialed requests.", change + ".")
    if response is not None and detail.endswith(
        messages.acac_missing(response.get("Access-Control-Allow-Credentials") or "")
    ):
        if corsguard:
            return Fix(
                "the page sends credentials, but the server does not allow them.",
                "set ALLOW_CREDENTIALS = True for this path (it then needs exact origins), or drop "
                "credentials: 'include' from the page.",
                "ALLOW_CREDENTIALS",
                "True",
            )
        return Fix(
            "the page sends credentials, but the answer lacks Access-Control-Allow-Credentials: true.",
            "send Access-Control-Allow-Credentials: true, or call without credentials.",
        )
    return None


def _list_fix(outcome: Outcome, detail: str, response: browser.Response | None, corsguard: bool) -> Fix | None:
    request = outcome.request
    method = browser.normalize_method(request.method)
    if detail == messages.method_not_allowed(method):
        if corsguard:
            change = f"add '{method}' to ALLOW_METHODS"
            if method != method.upper():
                change += (
                    f", or send '{method.upper()}' from the page: browsers upper-case only the six standard methods"
                )
            return Fix(f"{method} is not an allowed method.", change + ".", "ALLOW_METHODS", method)
        return Fix(f"{method} is not an allowed method.", f"list {method} in Access-Control-Allow-Methods.")
    for name in browser.unsafe_header_names(dict(request.headers)):
        if detail != messages.header_not_allowed(name):
            continue
        star = response is not None and "*" in (response.get(ACAH) or "") and request.credentials
        note = " ('*' does not cover anything for a credentialed request)" if star else ""
        if corsguard:
            return Fix(
                f"the request header {name} is not allowed{note}.",
                f"add '{name}' to ALLOW_HEADERS.",
                "ALLOW_HEADERS",
                name,
            )
        return Fix(f"the request header {name} is not allowed{note}.", f"list {name} in Access-Control-Allow-Headers.")
    return None
