"""Configured origins, parsed once into one value (B1.4).

An ``ALLOWED_ORIGINS`` entry is an exact origin, a subdomain pattern
(``https://*.example.com[:port|:*]``), a port pattern
(``http://localhost:*``), ``*`` or ``null``. The matcher, lint and the
Django checks all read the same ``Entry``, so none of them takes a pattern
apart again by string surgery.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from corsguard._engine.grammar import (
    HOST,
    PORT,
    SCHEME,
    canonical_form,
    is_ip_host,
    is_loopback_host,
    malformation,
    parse_origin,
    port_ok,
)
from corsguard._engine.names import ANY, NULL

_SUBDOMAIN_PATTERN = re.compile(rf"({SCHEME})://\*\.({HOST})(?::({PORT}|\*))?", re.ASCII)
_PORT_PATTERN = re.compile(rf"({SCHEME})://({HOST}):\*", re.ASCII)


class Form(enum.Enum):
    EXACT = "exact"
    SUBDOMAINS = "subdomains"  # one or more labels in front of ``host``
    ANY_PORT = "any-port"  # ``host`` on any port, or none
    ANY = "any"
    NULL = "null"


@dataclass(frozen=True)
class Entry:
    """One allowed-origin entry: its form and parts, as written."""

    text: str
    form: Form
    scheme: str = ""
    # The exact host; for SUBDOMAINS the parent domain the labels go in front of.
    host: str = ""
    # As written: None (no port), digits, or "*" for any port.
    port: str | None = None

    @property
    def is_loopback(self) -> bool:
        return bool(self.host) and is_loopback_host(self.host)

    @property
    def is_plain_http(self) -> bool:
        """Plain http:// to a host that is not this machine."""
        return self.scheme == "http" and not self.is_loopback

    def example(self, port: str = "3000") -> str:
        """A concrete origin this entry allows (for hints and checks)."""
        if self.form in (Form.ANY, Form.NULL):
            return self.text
        host = f"app.{self.host}" if self.form is Form.SUBDOMAINS else self.host
        shown_port = port if self.port == "*" or self.form is Form.ANY_PORT else self.port
        return f"{self.scheme}://{host}" + (f":{shown_port}" if shown_port else "")


@dataclass(frozen=True)
class Fault:
    """Why a value is not an entry, and what to write instead."""

    message: str
    hint: str


def parse_entry(value: str) -> Entry | Fault:
    """``value`` as an ``Entry``, or the ``Fault`` that makes it unusable.

    Only the shape is judged here; what depends on the rest of the
    configuration (credentials, public suffixes) is judged by the caller.
    """
    if value == ANY:
        return Entry(value, Form.ANY)
    if value == NULL:
        return Entry(value, Form.NULL)
    if "*" in value:
        return _parse_pattern(value)
    match = parse_origin(value)
    if match is None:
        suggestion = canonical_form(value)
        hint = f"write {suggestion!r}." if suggestion else "write scheme://host[:port], e.g. 'https://app.example.com'."
        return Fault(f"is not a serialized origin: it {malformation(value) or 'is malformed'}.", hint)
    return Entry(value, Form.EXACT, match[1], match[2], match[3])


def _parse_pattern(value: str) -> Entry | Fault:
    sub = _SUBDOMAIN_PATTERN.fullmatch(value)
    if sub is not None:
        scheme, host, port = sub[1], sub[2], sub[3]
        if is_ip_host(host):
            return Fault("puts a wildcard on an IP address; IP addresses have no subdomains.", "list each origin.")
        if port is not None and port != "*" and not port_ok(scheme, port):
            return Fault("has a default or out-of-range port.", f"write '{scheme}://*.{host}'.")
        return Entry(value, Form.SUBDOMAINS, scheme, host, port)
    ports = _PORT_PATTERN.fullmatch(value)
    if ports is not None:
        return Entry(value, Form.ANY_PORT, ports[1], ports[2], "*")
    return Fault("is not a pattern corsguard understands.", _pattern_hint(value))


def _pattern_hint(value: str) -> str:
    scheme, sep, rest = value.partition("://")
    if not sep:
        return f"add the scheme: 'https://{value}'."
    if rest == "*":
        return "to allow any origin write '*' on its own (never with credentials)."
    if rest.startswith("*") and not rest.startswith("*."):
        return (
            f"'{value}' would also match look-alikes such as '{scheme}://evil{rest[1:]}'; "
            f"write '{scheme}://*.{rest[1:].lstrip('.')}' for subdomains."
        )
    return (
        "a wildcard may only be the first label ('https://*.example.com') or the port "
        "('http://localhost:*'); use ORIGIN_REGEXES for anything else."
    )
