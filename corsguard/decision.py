"""What the engine decided about one request, in terms any adapter can apply."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple

from corsguard import log


class Kind(enum.Enum):
    """Contract section 3: every request is exactly one of these."""

    NOT_CORS = "not-cors"
    PREFLIGHT = "preflight"
    ACTUAL = "actual"


def classify(method: str, origin: str | None, acrm: str | None) -> Kind:
    """C§3: which kind of request this is, from three raw header values.

    Exposed so an adapter can tell a preflight before it knows which policy
    governs it (a preflight for PUT is governed by the view that will serve
    the PUT); ``Policy.evaluate`` classifies with this very function.
    """
    if origin is None:
        return Kind.NOT_CORS
    if acrm is not None and method == "OPTIONS":
        return Kind.PREFLIGHT
    return Kind.ACTUAL


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

    def headers_to_add(self, response_has_acao: bool, path: str) -> Sequence[tuple[str, str]]:
        """The CORS headers for a response that may already carry its own.

        C§5: exactly one ACAO line, since two always fail in browsers. If the
        application set Access-Control-Allow-Origin itself, its CORS headers
        stay as they are and the conflict is reported once per path.
        """
        if response_has_acao and self.headers:
            log.warn_once(
                "existing-acao:" + path[:200],
                "The application already set Access-Control-Allow-Origin on %s; corsguard left the response's "
                "CORS headers as they were. Let corsguard set them, or exempt this path or view.",
                log.quote(path),
            )
            return ()
        return self.headers

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
