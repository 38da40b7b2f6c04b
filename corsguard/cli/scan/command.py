"""``corsguard scan URL``: probe an endpoint with crafted origins and report its CORS holes.

The probes are the ones CORS scanners send (``corsguard.cli.scan.probes``), plus
the answers only a browser model judges: a duplicated ACAO, a missing
``Vary: Origin``, a preflight that redirects or fails, '*' relied on for
Authorization, a Max-Age past every cap, and (B15) crafted-origin preflights
and loopback origins. Only the listed requests are sent, one at a time, to
the URL given; the output says how many. With --input or --openapi, many
URLs are scanned the same way (``corsguard.cli.scan.sweep``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from corsguard._engine.grammar import canonical_form, is_serialized_origin
from corsguard._engine.names import NULL
from corsguard.cli import EXIT_USAGE, wire
from corsguard.cli.fetch import origin_of
from corsguard.cli.scan import options, report, sarif, sweep, targets
from corsguard.cli.scan.options import add_parser
from corsguard.cli.scan.probes import PROBE_SETS, Trusted, plan
from corsguard.cli.scan.results import Outcome, Scan
from corsguard.cli.scan.rules import Probed, judge

__all__ = ["Scan", "add_parser", "as_json", "as_text", "run", "scan", "trusted_origin"]
as_text = report.as_text
as_json = report.as_json


def trusted_origin(url: str, origin: str | None) -> tuple[Trusted, bool]:
    """The trusted origin and whether it was guessed from the URL."""
    try:
        parts = urlsplit(url)
        own = origin_of(url)  # reads the port: ValueError when it is not one
    except ValueError as error:
        raise wire.UsageError(f"{url!r} is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise wire.UsageError(f"{url!r} is not an http:// or https:// URL")
    if origin is None:
        try:
            return Trusted.parse(own), True
        except ValueError:  # an IPv6 host: its origin is not one to craft from
            raise wire.UsageError(f"{url!r}: pass --origin, the front-end this endpoint trusts") from None
    if origin == NULL:
        raise wire.UsageError("--origin null: a front-end cannot be trusted as 'null' (any site can send it)")
    if not is_serialized_origin(origin):
        meant = canonical_form(origin)
        hint = f"; did you mean {meant!r}?" if meant else "; write scheme://host[:port]"
        raise wire.UsageError(f"--origin {origin!r} is not an origin a browser sends{hint}")
    return Trusted.parse(origin), False


def scan(
    url: str,
    origin: str | None,
    *,
    credentials: bool = False,
    timeout: float = wire.DEFAULT_TIMEOUT,
    sets: tuple[str, ...] = PROBE_SETS,
    pace: Callable[[str], None] | None = None,
) -> Scan:
    """Send the plan to ``url`` (``pace`` waits before each request: the per-host rate limit)."""
    trusted, guessed = trusted_origin(url, origin)
    client = wire.Client(timeout=timeout)
    probed: list[Probed] = []
    for planned in plan(trusted, sets):
        if pace is not None:
            pace(url)
        probed.append(Probed(planned, client.send(planned.method, url, list(planned.headers))))
        first = probed[0].exchange.received
        if len(probed) == 1 and (first is None or first.redirected):
            break  # the server is not there, or not at this URL: no point sending the rest
    result = Scan(url, trusted, guessed, probed, [])
    if result.unreachable is not None:
        return result
    return Scan(url, trusted, guessed, probed, judge(probed, trusted, credentials))


def run(args: argparse.Namespace) -> int:
    try:
        options.check(args)
        sets = options.probe_sets(args.probes)
        if args.input is None and args.openapi is None:
            result = scan(args.url, args.origin, credentials=args.credentials, timeout=args.timeout, sets=sets)
        else:
            return sweep.run(args, sets, targets.collect(args), scan)
    except wire.UsageError as error:
        print(f"corsguard scan: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(as_json(result, args.fail_on) if args.json else as_text(result))
    if args.sarif and not sarif.write(args.sarif, [Outcome(result.url, result, result.unreachable)]):
        return EXIT_USAGE
    return result.exit_code(args.fail_on)
