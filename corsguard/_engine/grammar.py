"""The serialized-origin grammar, and why a value fails it (B1.1-B1.3).

Browsers send an origin in one exact form (HTML, "ASCII serialization of an
origin"), so a request's value is checked against that form and never
normalised. Only diagnostics (hints, log details) ever guess what a
malformed value was meant to be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final
from urllib.parse import urlsplit

from corsguard._engine.names import NULL

# B1.5: longer Origin values are refused before any parsing or regex. A
# 253-byte DNS name plus scheme and port fits.
MAX_ORIGIN_LENGTH: Final = 300

DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}

SCHEME = r"[a-z][a-z0-9+.\-]*"
HOST = r"[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.?|\[[0-9a-f:.]+\]"
PORT = r"0|[1-9][0-9]{0,4}"

# scheme "://" host [":" port], lower case; groups 1-3.
ORIGIN = re.compile(rf"({SCHEME})://({HOST})(?::({PORT}))?", re.ASCII)
_IPV4 = re.compile(r"[0-9]+(?:\.[0-9]+){3}\.?", re.ASCII)
_origin_fullmatch = ORIGIN.fullmatch


def port_ok(scheme: str, port: str | None) -> bool:
    """B1.1: no port, or one in range that is not the scheme's default."""
    return port is None or (int(port) <= 65535 and DEFAULT_PORTS.get(scheme) != port)


def parse_origin(value: str) -> re.Match[str] | None:
    """``value`` split into scheme (1), host (2) and port (3), or None when it
    is not a serialized origin (B1.3). Over-long values are refused unread."""
    if len(value) > MAX_ORIGIN_LENGTH:
        return None
    match = _origin_fullmatch(value)
    if match is None or not port_ok(match[1], match[3]):
        return None
    return match


def is_serialized_origin(value: str) -> bool:
    """True for exactly the strings a browser can send as a non-null Origin."""
    return parse_origin(value) is not None


def is_loopback_host(host: str) -> bool:
    host = host.rstrip(".")
    return (
        host == "localhost"
        or host.endswith(".localhost")
        or host == "[::1]"
        or (_IPV4.fullmatch(host) is not None and host.startswith("127."))
    )


def is_ip_host(host: str) -> bool:
    """URL standard, "ends in a number checker": a host whose last label is
    numeric is parsed as IPv4, however many labels it has."""
    last = host.rstrip(".").rpartition(".")[2]
    return host.startswith("[") or last.isdigit() or (last[:2] == "0x" and last[2:].isalnum())


def canonical_form(value: str) -> str | None:
    """The serialized origin someone most likely meant by ``value``, if any.

    Used only for hints and log details, never to decide a request.
    """
    text = value.strip()
    if text.lower() == NULL:
        # The opaque origin (sandboxed iframes, file:// pages) has one spelling.
        return NULL if value != NULL else None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if not parts.scheme or not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if ":" in host:
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    suffix = "" if port is None or DEFAULT_PORTS.get(scheme) == str(port) else f":{port}"
    candidate = f"{scheme}://{host}{suffix}"
    return candidate if is_serialized_origin(candidate) and candidate != value else None


# (test, reason) in the order a person would fix them; each test sees a value
# of at most MAX_ORIGIN_LENGTH characters.
_CHARACTER_FAULTS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda v: "\r" in v or "\n" in v, "contains a line break"),
    (lambda v: "," in v, "holds several origins joined by a comma"),
    (lambda v: any(ch.isspace() for ch in v), "contains whitespace"),
    (lambda v: not v.isascii(), "is not ASCII (write internationalised hosts in punycode, xn--...)"),
    (lambda v: not v.isprintable(), "contains control characters"),
)
_AFTER_SCHEME_FAULTS = (("@", "contains user information (@)"), ("\\", "contains a backslash"))
_URL_PARTS = (("?", "has a query string"), ("#", "has a fragment"))


def malformation(value: str) -> str:
    """Why ``value`` is not a serialized origin, in a few words; "" if it is.

    Safe on hostile input: it reads a bounded value and names kinds of
    characters, never the characters themselves.
    """
    if value == "":
        return "is empty"
    if len(value) > MAX_ORIGIN_LENGTH:
        return f"is longer than {MAX_ORIGIN_LENGTH} characters"
    for test, reason in _CHARACTER_FAULTS:
        if test(value):
            return reason
    _, sep, rest = value.partition("://")
    if not sep:
        return "has no scheme (an origin looks like https://app.example.com)"
    for character, reason in (*_AFTER_SCHEME_FAULTS, *_URL_PARTS):
        if character in rest:
            return reason
    if "/" in rest:
        return "ends with a slash" if rest.index("/") == len(rest) - 1 else "has a path"
    if value != value.lower():
        return "is not lower-case (browsers send scheme and host in lower case)"
    return _shape_fault(value)


def _shape_fault(value: str) -> str:
    match = ORIGIN.fullmatch(value)
    if match is None:
        return "is not of the form scheme://host[:port]"
    scheme, port = match[1], match[3]
    if port is not None and DEFAULT_PORTS.get(scheme) == port:
        return f"has the default port :{port}, which browsers never send"
    if port is not None and int(port) > 65535:
        return "has a port above 65535"
    return ""
