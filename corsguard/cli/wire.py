"""HTTP exchanges for the command line: one request at a time, as sent,
every response header line kept, redirects never followed.

``http.client`` rather than ``urllib``: the commands must see a redirect
(browsers refuse it on a preflight), every duplicated header line (two ACAO
lines are the two-layer mistake) and exactly the headers they chose to send.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from corsguard._engine import browser

DEFAULT_TIMEOUT = 10.0
_USER_AGENT = "corsguard-cli"
_KEPT_BODY = 4096


@dataclass(frozen=True)
class Sent:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Received:
    status: int
    reason: str
    # Every header line as received, duplicates and order kept.
    headers: tuple[tuple[str, str], ...]
    # The first bytes of the body (a refused corsguard preflight is known by it).
    body: bytes = b""

    def get(self, name: str) -> str | None:
        """Lines of one name joined by ", ", as a browser reads them."""
        return browser.Response(self.status, self.headers).get(name)

    def lines(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def redirected(self) -> bool:
        return 300 <= self.status < 400 and self.get("Location") is not None

    def as_browser_response(self) -> browser.Response:
        return browser.Response(self.status, self.headers, redirected=self.redirected)


@dataclass(frozen=True)
class Exchange:
    sent: Sent
    received: Received | None
    # Why nothing was received (connection refused, timeout, TLS ...).
    error: str = ""


class UsageError(ValueError):
    """A URL or option that cannot be used; the message says what to fix."""


@dataclass
class Client:
    """Sends requests and counts them, so a command can say how many it sent."""

    timeout: float = DEFAULT_TIMEOUT
    sent: int = 0
    exchanges: list[Exchange] = field(default_factory=list)

    def send(self, method: str, url: str, headers: list[tuple[str, str]] | None = None) -> Exchange:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{url!r} is not an http:// or https:// URL")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [("User-Agent", _USER_AGENT), *(headers or [])]
        sent = Sent(method, url, tuple(lines))
        self.sent += 1
        try:
            received = self._roundtrip(parts.scheme, parts.hostname, parts.port, method, target, lines)
        except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:  # ValueError: a non-ASCII URL
            exchange = Exchange(sent, None, _describe(exc))
        else:
            exchange = Exchange(sent, received)
        self.exchanges.append(exchange)
        return exchange

    def _roundtrip(
        self, scheme: str, host: str, port: int | None, method: str, target: str, lines: list[tuple[str, str]]
    ) -> Received:
        connection_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = connection_class(host, port, timeout=self.timeout)
        try:
            connection.putrequest(method, target, skip_accept_encoding=True)
            for name, value in lines:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read(1 << 20)  # bounded: mostly the headers matter
            return Received(response.status, response.reason, tuple(response.getheaders()), body[:_KEPT_BODY])
        finally:
            connection.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the host name ({exc.strerror})"
    return f"{type(exc).__name__}: {exc}"
