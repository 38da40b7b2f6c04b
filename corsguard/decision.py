"""What the engine decided about one request, in terms any adapter can apply."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple


class Kind(enum.Enum):
    """Contract section 3: every request is exactly one of these."""

    NOT_CORS = "not-cors"
    PREFLIGHT = "preflight"
    ACTUAL = "actual"


class Decision(NamedTuple):
    """The engine's verdict; immutable, so it can be shared between threads.

    Adapters act on ``kind`` only: a PREFLIGHT is answered with ``status``,
    ``body`` and ``response_headers()`` without calling the application; for
    anything else the application runs and ``headers`` are added to its
    response and ``vary`` merged into its ``Vary``. ``headers`` is a new list
    for every request that gets CORS headers (an empty tuple otherwise), so
    nothing a later middleware edits can leak into another response.
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
        return _STATUS_LINES.get(self.status, f"{self.status} Unknown")

    def response_headers(self) -> list[tuple[str, str]]:
        """Every header of a preflight answer: CORS, Vary and the body's own."""
        headers = list(self.headers)
        headers.append(("Vary", ", ".join(self.vary)))
        if self.body:
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
            headers.append(("Content-Length", str(len(self.body))))
        elif self.status != 204:
            # RFC 9110 15.3.5: a 204 carries no Content-Length; a 200 needs one
            # so the connection is not held open waiting for a body.
            headers.append(("Content-Length", "0"))
        return headers


_STATUS_LINES = {200: "200 OK", 204: "204 No Content", 403: "403 Forbidden"}
