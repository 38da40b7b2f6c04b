"""A whole-API scan's report: grouped by finding (the most severe first),
then by endpoint, each with the requests that prove it; then every endpoint
with its codes, its error, or ``clean``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from corsguard.cli.scan import report
from corsguard.cli.scan.findings import CODES, SEVERITIES, Finding, rank

if TYPE_CHECKING:
    from corsguard.cli.scan.results import Outcome


def grouped(outcomes: list[Outcome]) -> dict[str, list[tuple[str, Finding]]]:
    """code -> [(url, finding)], codes by severity (highest first), then name."""
    by_code: dict[str, list[tuple[str, Finding]]] = {}
    for item in outcomes:
        if item.scan is None or item.error is not None:
            continue
        for found in item.scan.findings:
            by_code.setdefault(found.code, []).append((item.url, found))
    worst = {code: max(rank(found.severity) for _, found in hits) for code, hits in by_code.items()}
    return {code: by_code[code] for code in sorted(by_code, key=lambda code: (-worst[code], code))}


def _sent(outcomes: list[Outcome]) -> int:
    return sum(len(item.scan.probed) for item in outcomes if item.scan is not None)


def as_text(outcomes: list[Outcome], errors: list[tuple[str, str]], code: int) -> str:
    findings = grouped(outcomes)
    lines = [f"Scanned {len(outcomes)} endpoints: sent {_sent(outcomes)} requests.", ""]
    lines.append(f"Findings by code: {len(findings)}" if findings else "Findings: none.")
    for name, hits in findings.items():
        lines += ["", f"{name}: {CODES[name].problem}"]
        for url, found in hits:
            lines.append(f"  [{found.severity}] {url}")
            lines += ["  " + line for line in report.finding_lines(found)[1:-1]]
        lines.append(f"  fix: {CODES[name].fix}")
    lines += ["", "By endpoint:"]
    for item in outcomes:
        if item.error is not None:
            lines.append(f"  {item.url}: error: {item.error}")
        elif item.scan is not None:
            codes = ", ".join(f"{found.code} ({found.severity})" for found in item.scan.findings) or "clean"
            lines.append(f"  {item.url}: {codes}")
    failed = [where for where, _ in errors if where not in {item.url for item in outcomes}]
    lines += [f"  {where}: error: {why}" for where, why in errors if where in failed]
    lines += ["", f"Exit code {code}."]
    return "\n".join(lines)


def as_json(outcomes: list[Outcome], errors: list[tuple[str, str]], fail_on: str, code: int) -> str:
    endpoints: list[dict[str, Any]] = []
    for item in outcomes:
        if item.scan is not None:
            endpoints.append({**report.as_document(item.scan, fail_on), "error": item.error})
        else:
            endpoints.append({"url": item.url, "error": item.error, "findings": [], "requests_sent": 0})
    document = {
        "endpoints": endpoints,
        "target_errors": [{"where": where, "error": why} for where, why in errors],
        "summary": {name: [url for url, _ in hits] for name, hits in grouped(outcomes).items()},
        "requests_sent": _sent(outcomes),
        "severities": list(SEVERITIES),
        "fail_on": fail_on,
        "exit_code": code,
    }
    return json.dumps(document, indent=2)
