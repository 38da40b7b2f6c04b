"""What the engine decided about one request, in terms any adapter can apply."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Final, NamedTuple

from corsguard._engine.messages import REFUSED_BODY
from corsguard._engine.names import STATUS_LINES, VARY, VARY_ACTUAL, VARY_PREFLIGHT


class Kind(enum.Enum):
    """B3: every request is exactly one of these."""

    NOT_CORS = "not-cors"
    PREFLIGHT = "preflight"
    ACTUAL = "actual"


# The members as plain module constants for the hot path: on CPython 3.11,
# reading ``Kind.PREFLIGHT`` goes through the enum's metaclass and costs
# about 0.17 µs, more than ten global reads, and a request reads several.
# Final, so that compiled modules read them as C statics, not by name.
NOT_CORS: Final = Kind.NOT_CORS
PREFLIGHT: Final = Kind.PREFLIGHT
ACTUAL: Final = Kind.ACTUAL


def classify(method: str, origin: str | None, acrm: str | None) -> Kind:
    """B3.1-B3.3: which kind of request this is, from three raw header values.

    Exposed so an adapter can tell a preflight before it knows which policy
    governs it (a preflight for PUT is governed by the view that will serve
    the PUT); ``Policy.evaluate`` classifies with this very function.
    """
    if origin is None:
        return NOT_CORS
    if acrm is not None and method == "OPTIONS":
        return PREFLIGHT
    return ACTUAL


class Decision(NamedTuple):
    """The engine's verdict; immutable, so it can be shared between threads.

    Adapters act on ``kind`` only: a PREFLIGHT is answered with ``status``,
    ``body`` and ``response_headers()`` without calling the application; for
    anything else the application runs and ``corsguard._engine.response`` merges
    ``headers`` and ``vary`` into its response. ``headers`` is a new list for
    every request that gets CORS headers (an empty tuple otherwise), so
    nothing a later middleware edits can leak into another response (B5.6).
    """

    kind: Kind
    allowed: bool
    headers: Sequence[tuple[str, str]]
    vary: tuple[str, ...]
    status: int = 0
    body: bytes = b""
    # The browser console's own words for the failure the page will see.
    reason: str = ""
    # corsguard's explanation: which rule refused it and what to change.
    detail: str = ""

    @property
    def status_line(self) -> str:
        """The WSGI status string for a preflight answer."""
        return STATUS_LINES.get(self.status, f"{self.status} Unknown")

    def response_headers(self) -> list[tuple[str, str]]:
        """Every header of a preflight answer: CORS, Vary and the body's own."""
        headers = list(self.headers)
        headers.append((VARY, ", ".join(self.vary)))
        if self.body:
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
            headers.append(("Content-Length", str(len(self.body))))
        elif self.status != 204:
            # RFC 9110 15.3.5: a 204 carries no Content-Length; a 200 needs one
            # so the connection is not held open waiting for a body.
            headers.append(("Content-Length", "0"))
        return headers


# B3.4: a path or view on which CORS is off. The application answers as if
# corsguard were not installed, Vary included; its preflights reach it.
OFF = Decision(Kind.NOT_CORS, True, (), ())

# B3.6: what an adapter applies when the decision itself failed. Nothing is
# allowed: an actual request runs with no CORS headers, a preflight is
# refused, and both still vary on Origin for caches.
FAILED_ACTUAL = Decision(Kind.ACTUAL, False, (), VARY_ACTUAL, detail="corsguard could not decide; refused")
FAILED_PREFLIGHT = Decision(
    Kind.PREFLIGHT, False, (), VARY_PREFLIGHT, status=403, body=REFUSED_BODY, detail=FAILED_ACTUAL.detail
)
