"""The replay: the same requests through the peer's app and the migrated
corsguard app, and every header difference mapped to the report line that
explains it.

A difference is a CORS header (or a preflight's status) that the two
answers do not share, compared as a browser reads it: list values as sets
of lower-case tokens. ``explanations`` says which report codes can explain a
difference; the test requires one of them in the migration's report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tests.migrate.examples import ORIGINS, PATHS, PREFLIGHTS

CORS_HEADERS = (
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-allow-private-network",
    "vary",
)
_LISTS = {"access-control-expose-headers", "access-control-allow-methods", "access-control-allow-headers", "vary"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    lines: tuple[tuple[str, str], ...]

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.lines)

    @property
    def origin(self) -> str | None:
        return self.headers.get("Origin")

    @property
    def preflight(self) -> bool:
        return self.method == "OPTIONS"

    def __str__(self) -> str:
        shown = ", ".join(f"{name}: {value}" for name, value in self.headers.items())
        return f"{self.method} {self.path} [{shown}]"


# (status, header lines) of one answer.
Answer = tuple[int, list[tuple[str, str]]]
Send = Callable[[Request], Answer]


@dataclass(frozen=True)
class Difference:
    request: Request
    header: str  # a CORS header name, or "status"
    peer: str | None
    ours: str | None

    def __str__(self) -> str:
        return f"{self.request}: {self.header} {self.peer!r} (peer) vs {self.ours!r} (corsguard)"


def requests() -> Iterator[Request]:
    for path in PATHS:
        for origin in ORIGINS:
            headers: dict[str, str] = {} if origin is None else {"Origin": origin}
            yield Request("GET", path, tuple(headers.items()))
            if origin is not None:
                for preflight in PREFLIGHTS:
                    yield Request("OPTIONS", path, tuple({**headers, **preflight}.items()))


def seen(answer: Answer, request: Request) -> dict[str, Any]:
    """What a browser reads: each CORS header once (repeats joined), lists as sets."""
    status, lines = answer
    found: dict[str, Any] = {}
    for name, value in lines:
        key = name.lower()
        if key in CORS_HEADERS:
            found[key] = f"{found[key]}, {value}" if key in found else value
    for key in _LISTS & found.keys():
        found[key] = frozenset(token.strip().lower() for token in found[key].split(",") if token.strip())
    if request.preflight:
        found["status"] = "2xx" if 200 <= status < 300 else str(status)
    return found


def differences(peer: Send, ours: Send) -> list[Difference]:
    found = []
    for request in requests():
        theirs, mine = seen(peer(request), request), seen(ours(request), request)
        for key in sorted(theirs.keys() | mine.keys()):
            if theirs.get(key) != mine.get(key):
                found.append(Difference(request, key, _shown(theirs.get(key)), _shown(mine.get(key))))
    return found


def _shown(value: Any) -> str | None:
    return ", ".join(sorted(value)) if isinstance(value, frozenset) else value


def explanations(difference: Difference, allowed_by_peer_only: bool) -> set[str]:
    """The report codes that explain ``difference``."""
    header, request = difference.header, difference.request
    if header == "status":
        # Statuses are compared as a browser reads them: 200 and 204 are both ok.
        return {"preflight-lists"} if difference.ours == "2xx" else {"refused-preflight"}
    if header == "vary":
        return {"preflight-vary"} if request.preflight else {"vary-origin", "urls-regex-to-paths"}
    if header == "access-control-allow-private-network":
        return {"private-network"}
    if request.origin is None:
        return {"no-origin-no-headers"}
    if request.preflight and header != "access-control-allow-origin" and not allowed_by_peer_only:
        return {"preflight-lists", "max-age", "refused-preflight"}
    if request.origin in ("null", "file://") and allowed_by_peer_only:
        return {"null-origin", "file-scheme", "credentials-any-origin"}
    if difference.peer is not None and difference.ours is not None:
        return {"wildcard-reflected"}
    if allowed_by_peer_only:
        return {"fullmatch-regex", "credentials-any-origin", "case-insensitive-origins"}
    return {"refused-no-headers", "refused-preflight"}


def unexplained(found: list[Difference], codes: set[str]) -> list[str]:
    """Each difference whose explanation is missing from the report."""
    peer_allowed = {
        difference.request
        for difference in found
        if difference.header == "access-control-allow-origin" and difference.peer and not difference.ours
    }
    return [
        f"{difference} (expected one of {sorted(explanations(difference, difference.request in peer_allowed))})"
        for difference in found
        if not explanations(difference, difference.request in peer_allowed) & codes
    ]
