"""One ``fetch()`` replayed over the wire the way Chromium performs it.

Fetch's "main fetch" for a cross-origin request in CORS mode: a preflight
when the method or a header is not safelisted (sent without cookies or
``Authorization``), the browser's checks on its answer (no redirect, ACAO
and ACAC, then a 2xx status, then the method and headers), the request
itself, the CORS check on every answer, redirects followed as a browser
follows them (at most 20, a cross-origin hop taints the Origin to
``null``, a new preflight for each URL). ``corsguard._engine.browser`` makes each
judgement, so the verdict is the one the Chromium suite checks word for
word.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from corsguard._engine import browser, messages, suffixes
from corsguard.cli import wire

# Fetch, "HTTP-redirect fetch": a 21st redirect is a network error.
MAX_REDIRECTS = 20
# Fetch, "request-body-header name": dropped when a redirect turns the request into a GET.
_BODY_HEADERS = frozenset({"content-encoding", "content-language", "content-location", "content-type"})
_WITH_EMPTY_BODY = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class Step:
    """One request the browser sent: ``role`` is "preflight" or "actual"."""

    role: str
    exchange: wire.Exchange


@dataclass(frozen=True)
class Outcome:
    """What the browser concluded, and the exchanges that led there."""

    request: browser.Request
    steps: tuple[Step, ...]
    ok: bool
    # The console detail (docs/behaviour.md B7) when blocked.
    detail: str = ""
    # "preflight", "actual" or "network": which answer decided.
    stage: str = ""
    # Why nothing was received, for a network error.
    error: str = ""
    # The URL whose answer decided (differs from request.url after redirects).
    url: str = ""
    readable: frozenset[str] = frozenset()
    status: int = 0

    def console(self) -> str:
        """The line Chromium prints, "(redirected from ...)" included."""
        if self.ok or not self.detail:
            return ""
        if self.url and self.url != self.request.url:
            return (
                f"Access to fetch at '{self.url}' (redirected from '{self.request.url}') from origin "
                f"'{self.request.origin}' has been blocked by CORS policy: {self.detail}"
            )
        return messages.console_line(self.request.url, self.request.origin, self.detail)

    @property
    def preflights(self) -> list[wire.Exchange]:
        return [step.exchange for step in self.steps if step.role == "preflight"]

    @property
    def actuals(self) -> list[wire.Exchange]:
        return [step.exchange for step in self.steps if step.role == "actual"]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = "" if parts.port in (None, default) else f":{parts.port}"
    return f"{parts.scheme}://{(parts.hostname or '').lower()}{port}"


def fetch_site(origin: str, url: str) -> str:
    """Sec-Fetch-Site: same-origin, same-site (scheme and registrable domain) or cross-site."""
    target = origin_of(url)
    if target == origin:
        return "same-origin"
    page, there = urlsplit(origin), urlsplit(target)
    try:
        same = page.scheme == there.scheme and suffixes.registrable_domain(
            page.hostname or ""
        ) == suffixes.registrable_domain(there.hostname or "")
    except suffixes.SuffixListError:
        same = False
    return "same-site" if same else "cross-site"


def _fetch_metadata(origin: str, url: str) -> list[tuple[str, str]]:
    """What Chromium adds to every CORS-mode fetch() besides the CORS headers."""
    return [
        ("Accept", "*/*"),
        ("Sec-Fetch-Mode", "cors"),
        ("Sec-Fetch-Site", fetch_site(origin, url)),
        ("Sec-Fetch-Dest", "empty"),
    ]


def actual_headers(request: browser.Request, origin: str, cookie: str | None) -> list[tuple[str, str]]:
    """The request itself: the page's headers, Origin, and the cookies only
    when credentials are included."""
    metadata = _fetch_metadata(request.origin, request.url)
    if any(name.lower() == "accept" for name in request.headers):
        metadata = metadata[1:]
    lines = [*metadata, *request.headers.items(), ("Origin", origin)]
    if request.credentials and cookie:
        lines.append(("Cookie", cookie))
    if browser.normalize_method(request.method) in _WITH_EMPTY_BODY:
        lines.append(("Content-Length", "0"))
    return lines


def preflight_headers(request: browser.Request) -> list[tuple[str, str]]:
    """The OPTIONS request: no cookies, no Authorization, no page headers."""
    return [*_fetch_metadata(request.origin, request.url), *request.preflight_headers()]


def replay(client: wire.Client, request: browser.Request, cookie: str | None = None) -> Outcome:
    """Perform ``request`` as Chromium would, against the real server."""
    steps: list[Step] = []
    current, origin = request, request.origin
    for _ in range(MAX_REDIRECTS + 1):
        decided = _one_url(client, request, current, origin, cookie, steps)
        if isinstance(decided, Outcome):
            return decided
        current, origin = decided
    return Outcome(request, tuple(steps), False, stage="network", error="too many redirects", url=current.url)


def _one_url(
    client: wire.Client,
    request: browser.Request,
    current: browser.Request,
    origin: str,
    cookie: str | None,
    steps: list[Step],
) -> Outcome | tuple[browser.Request, str]:
    """Preflight (when needed) and request for one URL: the outcome, or the
    request to send next after a redirect and the Origin it carries."""
    method = browser.normalize_method(current.method)
    asked = browser.Request(current.url, origin, method, current.headers, current.credentials)
    if browser.needs_preflight(asked.method, dict(asked.headers)):
        exchange = client.send("OPTIONS", asked.url, preflight_headers(asked))
        steps.append(Step("preflight", exchange))
        if exchange.received is None:
            return _network_error(request, steps, exchange, asked.url)
        answered = exchange.received.as_browser_response()
        failure = browser.preflight_check(answered, asked)
        if failure is not None:
            detail = failure
            return _blocked(request, steps, detail, "preflight", asked.url, exchange.received.status)
    exchange = client.send(asked.method, asked.url, actual_headers(asked, origin, cookie))
    steps.append(Step("actual", exchange))
    received = exchange.received
    if received is None:
        return _network_error(request, steps, exchange, asked.url)
    answer = browser.Response(received.status, received.headers)
    failure = browser.cors_check(answer, origin, asked.credentials)
    if failure is not None:
        return _blocked(request, steps, failure, "actual", asked.url, received.status)
    if received.redirected:
        return _follow(request, asked, origin, received, steps)
    readable = browser.readable_headers(answer, asked.credentials)
    return Outcome(
        request, tuple(steps), True, stage="actual", url=asked.url, readable=readable, status=received.status
    )


def _follow(
    request: browser.Request, asked: browser.Request, origin: str, received: wire.Received, steps: list[Step]
) -> Outcome | tuple[browser.Request, str]:
    """Fetch, "HTTP-redirect fetch", for a CORS request."""
    location = urljoin(asked.url, received.get("Location") or "")
    parts = urlsplit(location)
    if parts.scheme not in ("http", "https"):
        return Outcome(request, tuple(steps), False, stage="network", error=f"redirect to {location!r}", url=asked.url)
    if parts.username is not None or parts.password is not None:
        # Chromium 156 prints the location empty; its words, not a guess at them.
        detail = "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."
        return _blocked(request, steps, detail, "actual", asked.url, received.status)
    if origin_of(location) != origin_of(asked.url) and origin != origin_of(asked.url):
        origin = "null"  # Fetch: the tainted origin
    method, headers = asked.method, dict(asked.headers)
    if (received.status == 303 and method not in ("GET", "HEAD")) or (
        received.status in (301, 302) and method == "POST"
    ):
        method = "GET"
        headers = {name: value for name, value in headers.items() if name.lower() not in _BODY_HEADERS}
    return browser.Request(location, request.origin, method, headers, asked.credentials), origin


def _blocked(request: browser.Request, steps: list[Step], detail: str, stage: str, url: str, status: int) -> Outcome:
    return Outcome(request, tuple(steps), False, detail, stage, url=url, status=status)


def _network_error(request: browser.Request, steps: list[Step], exchange: wire.Exchange, url: str) -> Outcome:
    return Outcome(request, tuple(steps), False, stage="network", error=exchange.error, url=url)
