"""SARIF 2.1.0 for code-scanning dashboards: one rule per finding code, one
result per finding and endpoint (the endpoint's URL as the location), the
evidence in the result's properties, and each endpoint that could not be
scanned as a tool notification with the run marked unsuccessful."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import corsguard
from corsguard.cli.scan.findings import CODES

if TYPE_CHECKING:
    from corsguard.cli.scan.results import Outcome

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# SARIF levels, and GitHub code scanning's security-severity (0-10).
LEVELS = {"high": "error", "medium": "error", "low": "warning", "info": "note"}
SECURITY_SEVERITY = {"high": "8.1", "medium": "5.4", "low": "3.1", "info": "0.0"}


def _rule(code: str) -> dict[str, Any]:
    entry = CODES[code]
    severity = entry.with_credentials
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in code.split("-")),
        "shortDescription": {"text": entry.problem.split(":")[0]},
        "fullDescription": {"text": entry.problem},
        "help": {"text": entry.fix},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["security", "cors"], "security-severity": SECURITY_SEVERITY[severity]},
    }


def document(outcomes: list[Outcome], errors: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    codes = sorted({found.code for item in outcomes if item.scan for found in item.scan.findings})
    index = {code: number for number, code in enumerate(codes)}
    results = [
        {
            "ruleId": found.code,
            "ruleIndex": index[found.code],
            "level": LEVELS[found.severity],
            "message": {"text": f"{found.problem} ({item.url})"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": item.url}}}],
            "properties": {"severity": found.severity, "evidence": found.evidence, "also": found.also},
        }
        for item in outcomes
        if item.scan is not None and item.error is None
        for found in item.scan.findings
    ]
    failures = [(item.url, item.error) for item in outcomes if item.error is not None] + list(errors or [])
    notifications = [{"level": "error", "message": {"text": f"{where}: {why}"}} for where, why in failures]
    driver = {
        "name": "corsguard",
        "version": corsguard.__version__,
        "informationUri": "https://github.com/corsguard/corsguard",
        "rules": [_rule(code) for code in codes],
    }
    invocation = {"executionSuccessful": not failures, "toolExecutionNotifications": notifications}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results,
                                                                "invocations": [invocation]}]}  # fmt: skip


def write(path: str, outcomes: list[Outcome], errors: list[tuple[str, str]] | None = None) -> bool:
    """Write the log; False (and one line on stderr) when the file cannot be written."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(document(outcomes, errors), handle, indent=2)
            handle.write("\n")
    except OSError as error:
        print(f"corsguard scan: cannot write --sarif {path}: {error.strerror or error}", file=sys.stderr)
        return False
    return True
