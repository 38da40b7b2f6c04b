"""Header names and fixed wire values, each written once.

Every module that sends, reads or checks a CORS header takes its name from
here, so a typo cannot make one adapter disagree with another. The rules
behind them are in docs/behaviour.md (B-sections) and WHATWG Fetch.
"""

from __future__ import annotations

# Request headers (Fetch, "CORS protocol").
ORIGIN = "Origin"
ACRM = "Access-Control-Request-Method"
ACRH = "Access-Control-Request-Headers"
ACRPN = "Access-Control-Request-Private-Network"

# Response headers.
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"
VARY = "Vary"

# Every CORS response header starts with this (lower case), which is how an
# application's own CORS headers are recognised (B5.5).
CORS_PREFIX = "access-control-"

# WSGI environ keys (PEP 3333: "HTTP_" + upper case, "-" as "_").
ENVIRON_ORIGIN = "HTTP_ORIGIN"
ENVIRON_ACRM = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
ENVIRON_ACRH = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"
ENVIRON_ACRPN = "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"

# ASGI header names (lower-case bytes, as servers deliver them).
ASGI_ORIGIN = b"origin"
ASGI_ACRM = b"access-control-request-method"
ASGI_ACRH = b"access-control-request-headers"
ASGI_ACRPN = b"access-control-request-private-network"

# B5.4: what every response of a CORS-enabled path varies on.
VARY_ACTUAL: tuple[str, ...] = (ORIGIN,)
# B4.7: a preflight answer also depends on what the preflight asked for.
VARY_PREFLIGHT: tuple[str, ...] = (ORIGIN, ACRM, ACRH)
VARY_PREFLIGHT_PNA: tuple[str, ...] = (*VARY_PREFLIGHT, ACRPN)

ANY = "*"
NULL = "null"

DEFAULT_METHODS: tuple[str, ...] = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
DEFAULT_HEADERS: tuple[str, ...] = (
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
)

STATUS_LINES = {200: "200 OK", 204: "204 No Content", 403: "403 Forbidden"}
