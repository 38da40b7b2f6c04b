"""The request facts CORS depends on, read once from a WSGI environ or an
ASGI scope, and the path each framework routes on (B3.4).

Five header values and a path are all the engine ever reads. Adapters build
one ``RequestFacts`` per request straight from the server's data (no
framework request object is needed) and hand it to the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from corsguard._engine.decision import Kind, classify
from corsguard._engine.names import (
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
_new: Final = tuple.__new__


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
        values: list[Any] = [scope.get("method", "GET"), None, None, None, None, path]
        for line in scope.get("headers", ()):
            # Most lines are none of the four: one test of the first byte
            # skips them. Servers send lower-case names (ASGI asks them to);
            # others are lowered here. Indexing, not unpacking, reads only the
            # name of a line that is none of ours (and compiles to less).
            name = line[0]
            if name and name[0] in _INITIALS:
                index = _ASGI_FIELDS.get(name)
                if index is None:
                    index = _ASGI_FIELDS.get(name.lower())
                if index:
                    text = line[1].decode("latin-1")
                    seen = values[index]
                    values[index] = text if seen is None else seen + ", " + text
        return _new(cls, values)


# Each header's place in the facts; 0 marks the common lines that start
# like one of ours, so they cost one lookup, not two.
_ASGI_FIELDS: Final = {ASGI_ORIGIN: 1, ASGI_ACRM: 2, ASGI_ACRH: 3, ASGI_ACRPN: 4}
_ASGI_FIELDS.update(dict.fromkeys((b"accept", b"accept-encoding", b"accept-language", b"authorization"), 0))
# The four names' first bytes, either case, as ints (what ``name[0]`` gives).
_INITIALS: Final = frozenset(b"oOaA")


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
