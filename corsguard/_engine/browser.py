"""A model of the browser's side of CORS (WHATWG Fetch, as Chromium ships it).

The engine decides what a server sends; this module predicts what a browser
does with it: whether a request needs a preflight, which headers it lists,
whether the preflight and the response pass, how long the preflight is
cached, and the console message a failure produces. The matrix runs every
scenario's responses through it, and the Chromium suite checks that it
agrees with a real browser, so diagnostics built on it can be trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from corsguard._engine import messages
from corsguard._engine.headers import NORMALIZED_METHODS, SAFELISTED_METHODS
from corsguard._engine.messages import PREFLIGHT_PREFIX
from corsguard._engine.names import ACAC, ACAH, ACAM, ACAO, ACAPN, ACEH, ACMA, ACRH, ACRM, ACRPN, ORIGIN

# Fetch, "CORS-unsafe request-header byte".
_UNSAFE_BYTES = frozenset(chr(b) for b in (*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F)) | frozenset('"():<>?@[\\]{}')
_LANGUAGE_VALUE = re.compile(r"[0-9A-Za-z *,\-.;=]*")
_RANGE_VALUE = re.compile(r"bytes=[0-9]+-[0-9]*")
_SAFELISTED_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})

# B8: how long browsers keep a preflight answer, in seconds.
DEFAULT_PREFLIGHT_CACHE = 5
CHROMIUM_MAX_AGE_CAP = 7200


def normalize_method(method: str) -> str:
    """Fetch, "normalize a method": only six methods are upper-cased."""
    upper = method.upper()
    return upper if upper in NORMALIZED_METHODS else method


def _safelisted_value(name: str, value: str) -> bool:
    """Fetch, "CORS-safelisted request-header" (name already lower-case)."""
    if len(value.encode("latin-1", "replace")) > 128:
        return False
    if name == "accept":
        return not any(ch in _UNSAFE_BYTES for ch in value)
    if name in ("accept-language", "content-language"):
        return _LANGUAGE_VALUE.fullmatch(value) is not None
    if name == "content-type":
        if any(ch in _UNSAFE_BYTES for ch in value):
            return False
        essence = value.split(";", 1)[0].strip().lower()
        return essence in _SAFELISTED_CONTENT_TYPES
    if name == "range":
        return _RANGE_VALUE.fullmatch(value) is not None
    return False


def unsafe_header_names(headers: Mapping[str, str]) -> list[str]:
    """Fetch, "CORS-unsafe request-header names": what a preflight must ask for.

    Lower-case, sorted, unique: exactly the list a browser puts into
    Access-Control-Request-Headers.
    """
    unsafe: set[str] = set()
    safelisted: list[str] = []
    size = 0
    for raw_name, value in headers.items():
        name = raw_name.lower()
        if _safelisted_value(name, value):
            safelisted.append(name)
            size += len(value)
        else:
            unsafe.add(name)
    if size > 1024:
        unsafe.update(safelisted)
    return sorted(unsafe)


def needs_preflight(method: str, headers: Mapping[str, str]) -> bool:
    return normalize_method(method) not in SAFELISTED_METHODS or bool(unsafe_header_names(headers))


@dataclass(frozen=True)
class Response:
    """What the browser received: status and header lines as sent."""

    status: int
    headers: Sequence[tuple[str, str]]
    redirected: bool = False

    def get(self, name: str) -> str | None:
        """Header lines of one name combined with ", ", as browsers see them."""
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None


@dataclass(frozen=True)
class Request:
    url: str
    origin: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    # fetch(..., {credentials: "include"})
    credentials: bool = False
    # A request from a public page to a private address (PNA).
    private_network: bool = False

    def preflight_headers(self) -> list[tuple[str, str]]:
        """The headers of the OPTIONS request a browser sends first."""
        sent = [(ORIGIN, self.origin), (ACRM, normalize_method(self.method))]
        names = unsafe_header_names(self.headers)
        if names:
            sent.append((ACRH, ",".join(names)))
        if self.private_network:
            sent.append((ACRPN, "true"))
        return sent


def cors_check(response: Response, origin: str, credentials: bool) -> str | None:
    """Fetch, "CORS check", with Chromium's wording; None when it passes."""
    allow_origin = response.get(ACAO)
    if allow_origin is None:
        return messages.NO_ACAO
    if allow_origin == "*":
        return messages.WILDCARD_WITH_CREDENTIALS if credentials else None
    if allow_origin != origin:
        if "," in allow_origin or " " in allow_origin:
            return messages.acao_multiple(allow_origin)
        return messages.acao_mismatch(allow_origin)
    if credentials:
        allow_credentials = response.get(ACAC)
        if allow_credentials != "true":
            return messages.acac_missing(allow_credentials or "")
    return None


def _list(value: str | None) -> list[str]:
    return [item.strip(" \t") for item in (value or "").split(",") if item.strip(" \t")]


def preflight_check(response: Response, request: Request) -> str | None:
    """Fetch, "CORS-preflight fetch", steps 6-8, with Chromium's wording.

    Chromium checks the CORS headers before the status (B7), so a 404
    preflight without them reads as a missing ACAO, not as a bad status.
    """
    if response.redirected:
        return messages.REDIRECTED_PREFLIGHT
    failure = cors_check(response, request.origin, request.credentials)
    if failure is not None:
        return PREFLIGHT_PREFIX + failure
    if not 200 <= response.status <= 299:
        return messages.NOT_OK_STATUS
    if request.private_network and response.get(ACAPN) != "true":
        return messages.PNA_MISSING
    method = normalize_method(request.method)
    methods = _list(response.get(ACAM))
    wildcard_methods = "*" in methods and not request.credentials
    if method not in methods and method not in SAFELISTED_METHODS and not wildcard_methods:
        return messages.method_not_allowed(method)
    allowed_headers = {name.lower() for name in _list(response.get(ACAH))}
    # B8: Chromium still lets '*' cover Authorization (deprecated); Fetch does not.
    wildcard_headers = "*" in allowed_headers and not request.credentials
    for name in unsafe_header_names(request.headers):
        if name not in allowed_headers and not wildcard_headers:
            return messages.header_not_allowed(name)
    return None


def preflight_cache_seconds(response: Response) -> int:
    """How long Chromium reuses a successful preflight (B8); 0: not at all."""
    return preflight_cache_by_browser(response)["Chromium"]


# B8: each engine's cap on Access-Control-Max-Age, in seconds.
MAX_AGE_CAPS = {"Chromium": CHROMIUM_MAX_AGE_CAP, "Firefox": 86400, "Safari": 600}
_INT64 = re.compile(r"[+-]?[0-9]{1,18}")


def preflight_cache_by_browser(response: Response) -> dict[str, int]:
    """Seconds each engine reuses a passing preflight answer; 0: not at all.

    Without ACMA all three keep it 5 s. Chromium and Safari read a signed
    integer (5 s if unreadable, 0 if negative); Firefox reads digits only
    and caches nothing it cannot read.
    """
    raw = response.get(ACMA)
    signed = DEFAULT_PREFLIGHT_CACHE if raw is None or not _INT64.fullmatch(raw) else max(int(raw), 0)
    if raw is None or raw == "":
        firefox = DEFAULT_PREFLIGHT_CACHE
    else:
        firefox = (int(raw) if len(raw) < 9 else MAX_AGE_CAPS["Firefox"]) if raw.isascii() and raw.isdigit() else 0
    seconds = {"Chromium": signed, "Firefox": firefox, "Safari": signed}
    return {engine: min(value, MAX_AGE_CAPS[engine]) for engine, value in seconds.items()}


def acao_values(response: Response) -> list[str]:
    """Every ACAO value across lines and commas; two mean two layers set CORS (B5.5)."""
    return [part.strip() for key, line in response.headers if key.lower() == ACAO.lower() for part in line.split(",")]


def console_message(request: Request, detail: str) -> str:
    """The line Chromium prints for a blocked fetch()."""
    return messages.console_line(request.url, request.origin, detail)


@dataclass(frozen=True)
class Verdict:
    """The browser's conclusion about one fetch()."""

    ok: bool
    # The console detail (B7) when blocked, "" when allowed.
    detail: str = ""
    preflighted: bool = False
    # Response headers the page can read: safelisted plus exposed ones.
    readable_headers: frozenset[str] = frozenset()

    def console(self, request: Request) -> str:
        return console_message(request, self.detail) if self.detail else ""


_SAFELISTED_RESPONSE_HEADERS = frozenset(
    {"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}
)


def readable_headers(response: Response, credentials: bool) -> frozenset[str]:
    """Fetch, "CORS-exposed header-name list" plus the safelisted names."""
    exposed = {name.lower() for name in _list(response.get(ACEH))}
    names = {key.lower() for key, _ in response.headers}
    if "*" in exposed and not credentials:
        readable = names - {"set-cookie", "set-cookie2"}
    else:
        readable = names & (exposed | _SAFELISTED_RESPONSE_HEADERS)
    return frozenset(readable)


def judge(request: Request, preflight: Response | None, actual: Response | None) -> Verdict:
    """The outcome of a fetch() given what the server answered.

    ``preflight`` is the answer to the OPTIONS request, when one was needed
    and sent; ``actual`` is the answer to the request itself (None when the
    preflight failed and the browser never sent it).
    """
    preflighted = preflight is not None
    if preflight is not None:
        failure = preflight_check(preflight, request)
        if failure is not None:
            return Verdict(False, failure, preflighted)
    if actual is None:
        raise ValueError("a passing preflight is followed by the actual request; pass its response")
    failure = cors_check(actual, request.origin, request.credentials)
    if failure is not None:
        return Verdict(False, failure, preflighted)
    return Verdict(True, "", preflighted, readable_headers(actual, request.credentials))


@dataclass
class PreflightCache:
    """Chromium's preflight cache, per (origin, url, credentials): which
    methods and headers a cached answer covers, and until when."""

    entries: dict[tuple[str, str, bool], tuple[float, frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def store(self, request: Request, response: Response, now: float) -> None:
        seconds = preflight_cache_seconds(response)
        if seconds <= 0:
            return
        methods = frozenset(_list(response.get(ACAM)))
        headers = frozenset(name.lower() for name in _list(response.get(ACAH)))
        self.entries[(request.origin, request.url, request.credentials)] = (now + seconds, methods, headers)

    def covers(self, request: Request, now: float) -> bool:
        entry = self.entries.get((request.origin, request.url, request.credentials))
        if entry is None or entry[0] <= now:
            return False
        _, methods, headers = entry
        method = normalize_method(request.method)
        star = not request.credentials
        method_ok = method in methods or method in SAFELISTED_METHODS or (star and "*" in methods)
        return method_ok and all(
            name in headers or (star and "*" in headers) for name in unsafe_header_names(request.headers)
        )


def could_be_sent_by_a_browser(origin: str | None, acrh: str | None) -> bool:
    """Whether a request could come from fetch() at all: the model has no
    verdict for hand-made requests (a megabyte of commas, spaces in ACRH)."""
    if origin is None or "," in origin:
        return False
    if acrh is None:
        return True
    names = acrh.split(",")
    return all(names) and names == sorted(set(names)) and all(name == name.lower().strip() for name in names)
