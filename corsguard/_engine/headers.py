"""HTTP field rules that CORS depends on: tokens, forbidden names, ACRH, Vary (B4.4, B4.5, B5.4).

Everything here is either run once on configuration or is a bounded scan of
request input; nothing allocates in proportion to what an attacker sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# RFC 9110 section 5.6.2: token = 1*tchar.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

# Fetch, "forbidden request-header": a page can never set these, so listing
# them in Access-Control-Allow-Headers only shows a misunderstanding.
FORBIDDEN_REQUEST_HEADERS = frozenset(
    {
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "access-control-request-private-network",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    }
)
FORBIDDEN_REQUEST_HEADER_PREFIXES = ("proxy-", "sec-")

# Fetch, "forbidden response-header name": never readable by a page.
FORBIDDEN_RESPONSE_HEADERS = frozenset({"set-cookie", "set-cookie2"})

# Fetch, "forbidden method": fetch() refuses them, so allowing them is a mistake.
FORBIDDEN_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})

# Fetch, "normalize a method": only these are upper-cased by browsers.
NORMALIZED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})

# Fetch, "CORS-safelisted method": never needs a preflight or ACAM entry.
SAFELISTED_METHODS = frozenset({"GET", "HEAD", "POST"})

# Longest Access-Control-Request-Headers accepted when any header is allowed.
# Browsers list only the non-safelisted names a page set; 8 KiB is far above
# any real request and keeps the scan cheap.
MAX_ANY_ACRH_LENGTH = 8192

# Longest method a preflight may name. Real ones are a few letters; a longer
# value is refused before it is hashed or matched (a megabyte costs ~300 µs).
MAX_METHOD_LENGTH = 64

_OWS = " \t"


def is_token(value: str) -> bool:
    return TOKEN.fullmatch(value) is not None


def is_forbidden_request_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in FORBIDDEN_REQUEST_HEADERS or lowered.startswith(FORBIDDEN_REQUEST_HEADER_PREFIXES)


def acrh_bound(allowed: Iterable[str]) -> int:
    """Longest ACRH that could consist only of allowed names.

    Each allowed name at most once, a comma and a little optional whitespace
    per element, plus slack for proxies that add spaces or empty elements.
    Anything longer must contain a name we do not allow, so it is refused
    without being read.
    """
    return sum(len(name) + 4 for name in allowed) + 64


def parse_acrh(value: str, bound: int) -> list[str] | None:
    """The header names of an Access-Control-Request-Headers value.

    Browsers send lower-case, sorted, unique names joined by ``,``. We also
    accept upper case, optional whitespace and empty elements, since proxies
    rewrite the list. Returns ``None`` when the value is longer than ``bound``
    or holds something that is not a token: such a request is refused.
    """
    if len(value) > bound:
        return None
    names = []
    for element in value.split(","):
        name = element.strip(_OWS)
        if not name:
            continue
        if TOKEN.fullmatch(name) is None:
            return None
        names.append(name.lower())
    return names


def first_element(acrh: str) -> str:
    """The first header name of an ACRH value, to name in a message; reads a
    bounded prefix only."""
    for element in acrh[:256].split(","):
        if element.strip(_OWS):
            return element.strip(_OWS)
    return acrh[:64]


def missing_vary(lines: Iterable[str], names: Iterable[str]) -> list[str]:
    """Which of ``names`` the response's Vary lines do not name yet.

    Compared case-insensitively across every line; ``Vary: *`` already
    varies on everything, so nothing is missing then (B5.4: appended, never
    duplicated).
    """
    present = {token.strip().lower() for line in lines for token in line.split(",")}
    if "*" in present:
        return []
    return [name for name in names if name.lower() not in present]
