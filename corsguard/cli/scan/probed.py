"""One probe and what came back, with the evidence a finding quotes.

Evidence is the request as sent and the response headers a reader needs to
see the hole: every CORS header, Vary, Location, the caching headers (B15:
a cache can only be poisoned when it stores), and the header a CR LF
injection writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from corsguard._engine.names import ACAC, ACAO, CORS_PREFIX
from corsguard.cli import wire
from corsguard.cli.scan.probes import INJECTED_HEADER, Planned

_SHOWN = ("vary", "location", "cache-control", "expires", "age", "last-modified", INJECTED_HEADER.lower())


@dataclass(frozen=True)
class Probed:
    planned: Planned
    exchange: wire.Exchange

    @property
    def received(self) -> wire.Received | None:
        return self.exchange.received

    def header(self, name: str) -> str | None:
        return None if self.received is None else self.received.get(name)

    @property
    def credentialed(self) -> bool:
        return self.header(ACAC) == "true"

    @property
    def echoed(self) -> bool:
        acao = self.header(ACAO)
        return acao is not None and acao in (self.planned.origin, unquote(self.planned.origin))

    def evidence(self) -> dict[str, Any]:
        sent = self.exchange.sent
        request = {"method": sent.method, "url": sent.url, "headers": [list(line) for line in sent.headers]}
        piece: dict[str, Any] = {"probe": self.planned.probe, "request": request}
        if self.received is None:
            piece["error"] = self.exchange.error
            return piece
        shown = [
            [name, value]
            for name, value in self.received.headers
            if name.lower().startswith(CORS_PREFIX) or name.lower() in _SHOWN
        ]
        piece["response"] = {"status": self.received.status, "reason": self.received.reason, "headers": shown}
        return piece


def first(answered: Sequence[Probed], test: Callable[[Probed], bool]) -> Probed | None:
    return next((item for item in answered if test(item)), None)
