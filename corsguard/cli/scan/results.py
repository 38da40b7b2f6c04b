"""What a scan found: one endpoint's ``Scan``, and a sweep's ``Outcome`` per URL.

Plain data in its own module, so the command, the sweep and the reports
that show them all import it and none imports another.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from corsguard.cli.scan.findings import Finding, rank
from corsguard.cli.scan.probes import Trusted
from corsguard.cli.scan.rules import Probed


@dataclass(frozen=True)
class Scan:
    url: str
    trusted: Trusted
    guessed: bool
    probed: list[Probed]
    findings: list[Finding]

    @property
    def unreachable(self) -> str | None:
        """Why the first request (the trusted origin's) gave nothing to judge; None when it did."""
        first = self.probed[0].exchange if self.probed else None
        if first is None:
            return None
        if first.received is None:
            return first.error
        if first.received.redirected:
            where = first.received.get("Location")
            return f"redirected ({first.received.status} to {where}): scan the URL it points to"
        return None

    def exit_code(self, fail_on: str) -> int:
        if self.unreachable is not None:
            return EXIT_USAGE
        worst = max((rank(item.severity) for item in self.findings), default=-1)
        return EXIT_FINDINGS if worst >= rank(fail_on) else EXIT_OK


@dataclass(frozen=True)
class Outcome:
    url: str
    scan: Scan | None
    # Why this endpoint has no verdict (usage, network, redirect); None when it has one.
    error: str | None
