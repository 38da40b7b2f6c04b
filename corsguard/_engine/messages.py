"""What the browser console says, in Chromium's own words, written once.

The engine's refusal log, the browser model and the command line all quote
these, so a log line, a diagnosis and the console can be matched word for
word (docs/behaviour.md B7). The Chromium suite checks them against a real
browser.
"""

from __future__ import annotations

# Prefix of every preflight failure about the preflight's own answer.
PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: "

NO_ACAO = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
WILDCARD_WITH_CREDENTIALS = (
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the "
    "request's credentials mode is 'include'."
)
NOT_OK_STATUS = PREFLIGHT_PREFIX + "It does not have HTTP ok status."
REDIRECTED_PREFLIGHT = PREFLIGHT_PREFIX + "Redirect is not allowed for a preflight request."
PNA_MISSING = (
    PREFLIGHT_PREFIX + "No 'Access-Control-Allow-Private-Network' header was present in the preflight response "
    "for this private network request."
)

# The body of a refused preflight: says what happened, names nothing of the
# configuration (B4.1; Starlette's answer lists it).
REFUSED_BODY = b"CORS preflight refused: this origin is not allowed.\n"


# Chromium (156, checked by corsguard check against it) ends both of these
# with the same advice.
_VALID_VALUE = " Have the server send the header with a valid value."


def acao_mismatch(value: str) -> str:
    return (
        f"The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin."
        + _VALID_VALUE
    )


def acao_multiple(value: str) -> str:
    return (
        f"The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed."
        + _VALID_VALUE
    )


def acac_missing(value: str) -> str:
    return (
        f"The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be "
        "'true' when the request's credentials mode is 'include'."
    )


def method_not_allowed(method: str) -> str:
    return f"Method {method} is not allowed by Access-Control-Allow-Methods in preflight response."


def header_not_allowed(name: str) -> str:
    return f"Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."


def console_line(url: str, origin: str, detail: str) -> str:
    """The whole line Chromium prints for a blocked fetch()."""
    return f"Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {detail}"


# What Chromium's console says when a WebSocket handshake is answered 403
# (B10.1): the refusal log quotes it as the browser's words (B7).
WEBSOCKET_REFUSED = "Error during WebSocket handshake: Unexpected response code: 403"
