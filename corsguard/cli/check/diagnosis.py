"""What ``check`` found out about one fetch(), shared by the command that
finds it and the ``verdict`` that shows it (its own module, so neither
imports the other).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corsguard._engine import browser
from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, network, wire
from corsguard.cli.check import server
from corsguard.cli.check.fixes import Fix
from corsguard.cli.fetch import Outcome


@dataclass(frozen=True)
class Diagnosis:
    """Everything ``check`` found out about one fetch()."""

    request: browser.Request
    outcome: Outcome
    local_network: network.LocalNetworkAccess
    recognition: server.Recognition = server.UNKNOWN
    # The question asked only to recognise the server (not sent by a browser).
    identify: wire.Exchange | None = None
    fixes: list[Fix] = field(default_factory=list)

    @property
    def blocked_by_local_network(self) -> bool:
        """Chromium refuses without asking: a public page that is not a secure context."""
        access = self.local_network
        return access.certain and not access.secure

    @property
    def ok(self) -> bool:
        return self.outcome.ok and not self.blocked_by_local_network

    @property
    def detail(self) -> str:
        return self.local_network.blocked_detail if self.blocked_by_local_network else self.outcome.detail

    def console(self) -> str:
        if self.blocked_by_local_network:
            return browser.console_message(self.request, self.detail)
        return self.outcome.console()

    @property
    def cache(self) -> dict[str, int] | None:
        """Per browser, how long the passing preflight is reused; None without one."""
        if self.outcome.stage == "preflight" or not self.outcome.preflights:
            return None
        received = self.outcome.preflights[-1].received
        return None if received is None else browser.preflight_cache_by_browser(received.as_browser_response())

    @property
    def exit_code(self) -> int:
        if self.outcome.stage == "network":
            return EXIT_USAGE
        return EXIT_OK if self.ok else EXIT_FINDINGS
