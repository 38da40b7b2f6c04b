"""``corsguard check URL --origin ORIGIN``: what a page at ORIGIN gets from ``fetch(URL)``.

The request is replayed the way Chromium sends it (``corsguard.cli.fetch``),
judged by the browser model the Chromium suite checks, and explained: the
exchanges with their CORS headers, the verdict in Chromium's console words,
the preflight cache per browser, Local Network Access, and for a refusal
what to change, in corsguard's settings when the server is corsguard.
"""

from __future__ import annotations

import argparse
import sys

from corsguard._engine import browser, headers
from corsguard._engine.grammar import canonical_form, is_serialized_origin
from corsguard._engine.names import NULL
from corsguard.cli import EXIT_USAGE, network, wire
from corsguard.cli.check import server, verdict
from corsguard.cli.check.diagnosis import Diagnosis
from corsguard.cli.check.fixes import Fix, fixes
from corsguard.cli.fetch import Outcome, origin_of, replay


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="what a page at ORIGIN gets from fetch(URL), and why",
        description="Replay fetch(URL, {method, headers, credentials}) from a page at ORIGIN the way Chromium does "
        "(preflight, checks, request, redirects) and explain the verdict. Exit 0 allowed, 1 blocked, 2 usage or "
        "network error.",
    )
    parser.add_argument("url", help="the URL the page fetches")
    parser.add_argument("--origin", required=True, help="the page's origin, e.g. https://app.example.com")
    parser.add_argument("--method", default="GET", help="fetch()'s method (default GET)")
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME[:VALUE]",
        help="a request header the page sets (repeatable)",
    )
    parser.add_argument(
        "--credentials",
        action="store_true",
        help="credentials: 'include': ACAO must then be the exact origin and ACAC 'true', '*' lists count for "
        "nothing, and --cookie is sent with the request (never with the preflight)",
    )
    parser.add_argument("--cookie", help="the Cookie header the browser holds for URL (sent only with --credentials)")
    parser.add_argument(
        "--page-space",
        choices=network.SPACES,
        help="the address space the page was served from, when this machine's DNS cannot tell (Local Network Access)",
    )
    parser.add_argument("--timeout", type=float, default=wire.DEFAULT_TIMEOUT, help="seconds per request (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def parse_headers(values: list[str]) -> dict[str, str]:
    """``NAME[:VALUE]`` options as fetch()'s headers; a repeated name is
    combined with ", " as the Headers object does."""
    found: dict[str, str] = {}
    for item in values:
        name, _, value = item.partition(":")
        name, value = name.strip(), value.strip()
        if not headers.is_token(name):
            raise wire.UsageError(f"--header {item!r}: {name!r} is not a header name")
        if headers.is_forbidden_request_header(name):
            raise wire.UsageError(
                f"--header {item!r}: fetch() cannot set {name} (a forbidden request header); "
                "use --credentials and --cookie for cookies"
            )
        key = next((known for known in found if known.lower() == name.lower()), name)
        found[key] = f"{found[key]}, {value}" if key in found else value
    return found


def request_from(args: argparse.Namespace) -> browser.Request:
    """The fetch() the options describe; ``UsageError`` says what to fix."""
    origin = args.origin
    if origin != NULL and not is_serialized_origin(origin):
        meant = canonical_form(origin)
        hint = f"; did you mean {meant!r}?" if meant else "; write scheme://host[:port]"
        raise wire.UsageError(f"--origin {origin!r} is not an origin a browser sends{hint}")
    method = args.method
    if not headers.is_token(method) or method.upper() in headers.FORBIDDEN_METHODS:
        raise wire.UsageError(f"--method {method!r}: fetch() cannot send it")
    return browser.Request(args.url, origin, method, parse_headers(args.header), credentials=args.credentials)


def diagnose(
    request: browser.Request,
    *,
    cookie: str | None = None,
    timeout: float = wire.DEFAULT_TIMEOUT,
    page_space: str | None = None,
) -> Diagnosis:
    """Replay ``request`` against the real server and explain the result."""
    client = wire.Client(timeout=timeout)
    local_network = network.assess(request.origin, request.url, page_space)
    if origin_of(request.url) == request.origin:
        # Not a CORS request at all: the browser sends it without any check.
        return Diagnosis(request, Outcome(request, (), True, stage="same-origin", url=request.url), local_network)
    outcome = replay(client, request, cookie)
    first = [local_network_fix(local_network)] if local_network.applies else []
    if outcome.ok or outcome.stage == "network":
        return Diagnosis(request, outcome, local_network, fixes=first)
    recognition, identify = server.UNKNOWN, None
    preflights = [exchange.received for exchange in outcome.preflights if exchange.received is not None]
    if preflights:
        recognition = server.from_preflight(preflights[-1], request)
    if not recognition.corsguard:
        identify, recognition = server.identify(client, request)
    found = [*first, *fixes(outcome, recognition.corsguard)]
    return Diagnosis(request, outcome, local_network, recognition, identify, found)


def local_network_fix(access: network.LocalNetworkAccess) -> Fix:
    """Chromium 142+: what lets a public page reach a local or loopback address."""
    target = access.target.space
    if access.secure:
        problem = f"Chromium asks the user before a public page may reach a {target} address."
        change = "users must allow local network access for the page's site when Chromium asks"
    else:
        problem = f"Chromium refuses a public page that is not a secure context any request to a {target} address."
        change = "serve the page over HTTPS, then users must allow local network access when Chromium asks"
    return Fix(problem, change + "; or serve the API from a public address.")


def run(args: argparse.Namespace) -> int:
    try:
        request = request_from(args)
        diagnosis = diagnose(request, cookie=args.cookie, timeout=args.timeout, page_space=args.page_space)
    except wire.UsageError as error:
        print(f"corsguard check: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(verdict.as_json(diagnosis) if args.json else verdict.as_text(diagnosis))
    return diagnosis.exit_code
