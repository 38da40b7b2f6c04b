"""One endpoint's scan as text for people or one JSON document for scripts:
every request sent (the count stated), then each finding with the requests
that prove it and the fix."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from corsguard._engine.names import ACAC, ACAO
from corsguard.cli.scan.findings import SEVERITIES, Finding
from corsguard.cli.scan.probed import Probed

if TYPE_CHECKING:
    from corsguard.cli.scan.results import Scan


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
        answered = result.probed[0].received is not None
        why = result.unreachable if answered else f"the server did not answer ({result.unreachable})"
        return "\n".join([*lines, "", f"No verdict: {why}."])
    counts = ", ".join(f"{sum(f.severity == s for f in result.findings)} {s}" for s in reversed(SEVERITIES))
    lines += ["", f"Findings: {len(result.findings)} ({counts})" if result.findings else "Findings: none."]
    for found in result.findings:
        lines += ["", *finding_lines(found)]
    return "\n".join(lines)


def finding_lines(found: Finding) -> list[str]:
    """One finding: the problem, the requests that prove it, what else was accepted, the fix."""
    lines = [f"[{found.severity}] {found.code}: {found.problem}"]
    for piece in found.evidence:
        lines += _evidence_lines(piece)
    if found.also:
        more = f" and {len(found.also) - _SHOWN_ALSO} more (--json lists them)" if len(found.also) > _SHOWN_ALSO else ""
        lines.append(f"    also accepted: {', '.join(found.also[:_SHOWN_ALSO])}{more}")
    lines.append(f"    fix: {found.fix}")
    return lines


def as_json(result: Scan, fail_on: str) -> str:
    return json.dumps(as_document(result, fail_on), indent=2)


def as_document(result: Scan, fail_on: str) -> dict[str, Any]:
    return {
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
