"""``corsguard scan URL``: probe an endpoint with crafted origins and report its CORS holes.

The probes are the ones CORS scanners send (``corsguard.cli.scan.probes``), plus
the answers only a browser model judges: a duplicated ACAO, a missing
``Vary: Origin``, a preflight that redirects or fails, '*' relied on for
Authorization, a Max-Age past every cap. Only the listed requests are sent,
one at a time, to the URL given; the output says how many.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, wire
from corsguard.cli.fetch import origin_of
from corsguard.cli.scan.findings import SEVERITIES, Finding, rank
from corsguard.cli.scan.probes import Trusted, plan
from corsguard.cli.scan.rules import Probed, judge
from corsguard.grammar import canonical_form, is_serialized_origin
from corsguard.names import ACAC, ACAO, NULL


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="probe URL with crafted origins and report its CORS misconfigurations",
        description="Send URL the origins CORS scanners craft (reflection, null, pre/post-domain, unescaped dot, "
        "special characters, http:, third-party hosts, CR LF) and one preflight, then report every finding with "
        "its evidence and fix. Exit 0 nothing at or above --fail-on, 1 findings, 2 usage or network error.",
    )
    parser.add_argument("url", help="the endpoint to probe (only this URL is requested)")
    parser.add_argument(
        "--origin",
        help="the front-end the endpoint trusts, e.g. https://app.example.com (default: the URL's own origin)",
    )
    parser.add_argument(
        "--credentials",
        action="store_true",
        help="the front-end calls with credentials: 'include': also report when the browser refuses it that",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES[1:],
        default="high",
        help="exit 1 when a finding is at least this severe (default: high)",
    )
    parser.add_argument("--timeout", type=float, default=wire.DEFAULT_TIMEOUT, help="seconds per request (default 10)")


@dataclass(frozen=True)
class Scan:
    url: str
    trusted: Trusted
    guessed: bool
    probed: list[Probed]
    findings: list[Finding]

    @property
    def unreachable(self) -> str | None:
        """Why the first request (the trusted origin's) got no answer; None when it did."""
        first = self.probed[0].exchange if self.probed else None
        return None if first is None or first.received is not None else first.error

    def exit_code(self, fail_on: str) -> int:
        if self.unreachable is not None:
            return EXIT_USAGE
        worst = max((rank(item.severity) for item in self.findings), default=-1)
        return EXIT_FINDINGS if worst >= rank(fail_on) else EXIT_OK


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
        return Trusted.parse(own), True
    if origin == NULL:
        raise wire.UsageError("--origin null: a front-end cannot be trusted as 'null' (any site can send it)")
    if not is_serialized_origin(origin):
        meant = canonical_form(origin)
        hint = f"; did you mean {meant!r}?" if meant else "; write scheme://host[:port]"
        raise wire.UsageError(f"--origin {origin!r} is not an origin a browser sends{hint}")
    return Trusted.parse(origin), False


def scan(url: str, origin: str | None, *, credentials: bool = False, timeout: float = wire.DEFAULT_TIMEOUT) -> Scan:
    trusted, guessed = trusted_origin(url, origin)
    client = wire.Client(timeout=timeout)
    probed: list[Probed] = []
    for planned in plan(trusted):
        probed.append(Probed(planned, client.send(planned.method, url, list(planned.headers))))
        if len(probed) == 1 and probed[0].exchange.received is None:
            break  # the server is not there: no point sending the rest
    return Scan(url, trusted, guessed, probed, judge(probed, trusted, credentials))


# Crafted origins named under a finding in text; --json lists every one.
_SHOWN_ALSO = 4


def _summary(item: Probed) -> str:
    received = item.received
    if received is None:
        return f"no answer: {item.exchange.error}"
    acao = received.lines(ACAO)
    parts = [str(received.status)]
    parts.append("ACAO " + " | ".join(acao) if acao else "no ACAO")
    if received.get(ACAC) is not None:
        parts.append(f"ACAC {received.get(ACAC)}")
    return ", ".join(parts)


def _evidence_lines(piece: dict[str, Any]) -> list[str]:
    request = piece["request"]
    lines = [f"    > {request['method']} {request['url']}"]
    lines += [f"      {name}: {value}" for name, value in request["headers"] if name.lower() != "user-agent"]
    if "error" in piece:
        return [*lines, f"    < no answer: {piece['error']}"]
    response = piece["response"]
    lines.append(f"    < {response['status']} {response['reason']}")
    return lines + [f"      {name}: {value}" for name, value in response["headers"]]


def as_text(result: Scan) -> str:
    how = "guessed from the URL; pass --origin to name your front-end" if result.guessed else "from --origin"
    lines = [f"Scanning {result.url}", f"Trusted origin: {result.trusted.origin} ({how})", ""]
    count = len(result.probed)
    lines.append(f"Sent {count} request{'s' if count != 1 else ''}, all to {result.url}:")
    for item in result.probed:
        planned = item.planned
        lines.append(f"  {planned.probe:<18} {planned.method:<7} Origin: {planned.origin:<52} -> {_summary(item)}")
    if result.unreachable is not None:
        return "\n".join([*lines, "", f"No verdict: the server did not answer ({result.unreachable})."])
    counts = ", ".join(f"{sum(f.severity == s for f in result.findings)} {s}" for s in reversed(SEVERITIES))
    lines += ["", f"Findings: {len(result.findings)} ({counts})" if result.findings else "Findings: none."]
    for found in result.findings:
        lines += ["", f"[{found.severity}] {found.code}: {found.problem}"]
        for piece in found.evidence:
            lines += _evidence_lines(piece)
        if found.also:
            more = (
                f" and {len(found.also) - _SHOWN_ALSO} more (--json lists them)"
                if len(found.also) > _SHOWN_ALSO
                else ""
            )
            lines.append(f"    also accepted: {', '.join(found.also[:_SHOWN_ALSO])}{more}")
        lines.append(f"    fix: {found.fix}")
    return "\n".join(lines)


def as_json(result: Scan, fail_on: str) -> str:
    document = {
        "url": result.url,
        "trusted_origin": result.trusted.origin,
        "origin_guessed": result.guessed,
        "requests_sent": len(result.probed),
        "requests": [
            {
                "probe": item.planned.probe,
                "method": item.planned.method,
                "origin": item.planned.origin,
                **({"status": item.received.status} if item.received else {"error": item.exchange.error}),
            }
            for item in result.probed
        ],
        "error": result.unreachable,
        "findings": [item.as_json() for item in result.findings],
        "fail_on": fail_on,
        "exit_code": result.exit_code(fail_on),
    }
    return json.dumps(document, indent=2)


def run(args: argparse.Namespace) -> int:
    try:
        result = scan(args.url, args.origin, credentials=args.credentials, timeout=args.timeout)
    except wire.UsageError as error:
        print(f"corsguard scan: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(as_json(result, args.fail_on) if args.json else as_text(result))
    return result.exit_code(args.fail_on)
