"""The request facts CORS depends on, read once from a WSGI environ or an
ASGI scope, and the path each framework routes on (B3.4).

Five header values and a path are all the engine ever reads. Adapters build
one ``RequestFacts`` per request straight from the server's data (no
framework request object is needed) and hand it to the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from corsguard.decision import Kind, classify
from corsguard.names import (
    ASGI_ACRH,
    ASGI_ACRM,
    ASGI_ACRPN,
    ASGI_ORIGIN,
    ENVIRON_ACRH,
    ENVIRON_ACRM,
    ENVIRON_ACRPN,
    ENVIRON_ORIGIN,
)

_REPEATED_SLASHES = re.compile("//+")
_DOUBLE_SLASH = re.compile("//")
# NamedTuple's generated __new__ handles defaults in Python; the adapters
# always pass every field, so they build the tuple directly (hot path).
_new = tuple.__new__


class RequestFacts(NamedTuple):
    """Raw values as the server delivered them; ``None`` when absent."""

    method: str = "GET"
    origin: str | None = None
    acrm: str | None = None
    acrh: str | None = None
    acrpn: str | None = None
    # The path the framework routes on, decoded once (B3.4); also named in logs.
    path: str = ""

    @property
    def kind(self) -> Kind:
        return classify(self.method, self.origin, self.acrm)

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any], path: str) -> RequestFacts:
        """From a PEP 3333 environ (or Django's ``request.META``); headers
        repeated on the wire arrive joined by ", ", so two Origin lines
        make a malformed value (B1.3)."""
        get = environ.get
        return _new(
            cls,
            (
                get("REQUEST_METHOD", "GET"),
                get(ENVIRON_ORIGIN),
                get(ENVIRON_ACRM),
                get(ENVIRON_ACRH),
                get(ENVIRON_ACRPN),
                path,
            ),
        )

    @classmethod
    def from_scope(cls, scope: Mapping[str, Any], path: str) -> RequestFacts:
        """From an ASGI HTTP scope; repeated header lines are joined by ", "
        as a WSGI server would, so every adapter sees the same value."""
        found: dict[bytes, str] = {}
        for name, value in scope.get("headers", ()):
            # Servers send lower-case names (ASGI asks them to); others are
            # lowered only when they could be one of the four.
            if name not in _ASGI_NAMES:
                if name[:1] not in _INITIALS:
                    continue
                name = name.lower()  # noqa: PLW2901
                if name not in _ASGI_NAMES:
                    continue
            text = value.decode("latin-1")
            found[name] = found[name] + ", " + text if name in found else text
        get = found.get
        return _new(
            cls,
            (scope.get("method", "GET"), get(ASGI_ORIGIN), get(ASGI_ACRM), get(ASGI_ACRH), get(ASGI_ACRPN), path),
        )


_ASGI_NAMES = frozenset((ASGI_ORIGIN, ASGI_ACRM, ASGI_ACRH, ASGI_ACRPN))
_INITIALS = frozenset((b"o", b"O", b"a", b"A"))


def utf8_path(path_info: str) -> str:
    """PEP 3333 hands PATH_INFO over as latin-1 text of the raw bytes, already
    percent-decoded once by the server; Django and Werkzeug then decode those
    bytes as UTF-8. Doing the same keeps path rules and routing in agreement."""
    if path_info.isascii():
        return path_info
    return path_info.encode("latin-1", "replace").decode("utf-8", "replace")


def merged_slashes(path: str) -> str:
    """One leading slash and no runs of slashes: the path Werkzeug routes on
    (it strips leading slashes and redirects merged ones), and the safe
    reading for any router that treats ``//a`` as ``/a`` (B3.4)."""
    # A regex scan finds "//" several times faster than ``in`` on long input,
    # and one substitution over "/" + path both adds the leading slash and
    # merges every run: a 60,000-slash path costs ~40 µs, not lstrip's 700.
    if path.startswith("/") and _DOUBLE_SLASH.search(path) is None:
        return path
    return _REPEATED_SLASHES.sub("/", "/" + path)


def wsgi_routed_path(environ: Mapping[str, Any]) -> str:
    """The path a generic WSGI app is taken to route on: PATH_INFO decoded
    once, slashes merged (see ``merged_slashes``)."""
    return merged_slashes(utf8_path(environ.get("PATH_INFO", "")))


def raw_path(environ: Mapping[str, Any]) -> str:
    """PATH_INFO as it is, for logs only: where no path rule applies, the
    routed path is not worth its cost on a hostile megabyte-long path."""
    path = environ.get("PATH_INFO", "")
    return path if isinstance(path, str) else repr(path)
