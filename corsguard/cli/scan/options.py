"""The options of ``corsguard scan``, and the checks that make a bad one a
usage error (exit 2) with the change to make, before anything is sent."""

from __future__ import annotations

import argparse

from corsguard.cli import wire
from corsguard.cli.scan.findings import SEVERITIES
from corsguard.cli.scan.probes import PROBE_SETS

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
# Requests per second to one host: polite by default, bounded both ways.
DEFAULT_RATE = 10.0
MAX_RATE = 100.0
MIN_RATE = 0.1
# Above this many requests the scan asks for --yes first.
DEFAULT_MAX_REQUESTS = 1000


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="probe URLs with crafted origins and preflights and report their CORS misconfigurations",
        description="Send each URL the origins CORS scanners craft (reflection, null, pre/post-domain, unescaped "
        "dot, special characters, http:, third-party hosts, loopback and private hosts, CR LF) as GETs and as "
        "preflights, then report every finding with the requests that prove it and the fix. Exit 0 nothing at or "
        "above --fail-on, 1 findings (or some endpoints failed), 2 usage error or nothing could be scanned.",
    )
    parser.add_argument("url", nargs="?", help="one endpoint to probe (only this URL is requested)")
    parser.add_argument("--input", metavar="FILE", help="a file of URLs to scan, one per line ('#' comments)")
    parser.add_argument("--openapi", metavar="FILE|URL", help="scan every path of this OpenAPI document (JSON)")
    parser.add_argument("--base-url", help="with --openapi: the server to scan (default: the document's servers)")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="with --openapi: a path parameter's value"
    )
    parser.add_argument(
        "--origin",
        help="the front-end the endpoints trust, e.g. https://app.example.com (default: each URL's own origin)",
    )
    parser.add_argument(
        "--credentials",
        action="store_true",
        help="the front-end calls with credentials: 'include': also report when the browser refuses it that",
    )
    parser.add_argument(
        "--probes",
        default=",".join(PROBE_SETS),
        help=f"probe sets, comma-separated, from {', '.join(PROBE_SETS)} (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument("--sarif", metavar="FILE", help="also write the findings as SARIF 2.1.0 to FILE")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES[1:],
        default="high",
        help="exit 1 when a finding is at least this severe (default: high)",
    )
    parser.add_argument("--timeout", type=float, default=wire.DEFAULT_TIMEOUT, help="seconds per request (default 10)")
    _add_api_options(parser)


def _add_api_options(parser: argparse.ArgumentParser) -> None:
    """Whole APIs: how fast, how much."""
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"endpoints at once (default {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument(
        "--rate", type=float, default=DEFAULT_RATE, help=f"requests per second to one host (default {DEFAULT_RATE:g})"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=DEFAULT_MAX_REQUESTS,
        help=f"ask for --yes above this many requests (default {DEFAULT_MAX_REQUESTS})",
    )
    parser.add_argument("--yes", action="store_true", help="send however many requests the scan needs")


def probe_sets(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in PROBE_SETS]
    if unknown:
        raise wire.UsageError(f"--probes {','.join(unknown)}: unknown; choose from {','.join(PROBE_SETS)}")
    return chosen


def check(args: argparse.Namespace) -> None:
    """Every option in range, and something to scan."""
    if args.url is None and args.input is None and args.openapi is None:
        raise wire.UsageError("give a URL, --input FILE or --openapi FILE|URL")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise wire.UsageError(f"--concurrency {args.concurrency}: use 1 to {MAX_CONCURRENCY}")
    if not MIN_RATE <= args.rate <= MAX_RATE:
        raise wire.UsageError(f"--rate {args.rate:g}: use {MIN_RATE:g} to {MAX_RATE:g} requests per second")
    if not 0 < args.timeout <= 300:
        raise wire.UsageError(f"--timeout {args.timeout:g}: use more than 0 and at most 300 seconds")
    if args.max_requests < 1:
        raise wire.UsageError("--max-requests: use a positive number")
    for item in args.param:
        if "=" not in item or not item.partition("=")[0]:
            raise wire.UsageError(f"--param {item!r}: write NAME=VALUE")
