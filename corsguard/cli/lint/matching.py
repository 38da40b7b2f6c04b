"""Which configured entry lets an origin in, and which ones nearly did.

The engine's matcher (``corsguard._engine.matcher``) answers only yes or no, from
hash tables built for speed; ``corsguard lint --origin`` needs the entry
that said yes, as the user wrote it. This walks the settings' entries in
order with the same rules (B1.4: exact, subdomain and port patterns, ``*``,
``null``; regexes by ``fullmatch``, only on well-formed origins, B1.3), and
a property test holds it to the matcher's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from corsguard._engine.entries import Entry, Form, parse_entry
from corsguard._engine.grammar import MAX_ORIGIN_LENGTH, parse_origin
from corsguard._engine.patterns import SafePattern
from corsguard._engine.regexes import compile_regex
from corsguard._engine.settings import Settings

_HOW = {
    Form.EXACT: "exact origin",
    Form.SUBDOMAINS: "subdomain pattern",
    Form.ANY_PORT: "port pattern",
    Form.ANY: "any origin",
    Form.NULL: "the null origin",
}


@dataclass(frozen=True)
class Allowance:
    """The entry that allows an origin: where it is, as written, and its kind."""

    setting: str
    entry: str
    how: str


def allowing_entry(settings: Settings, origin: str) -> Allowance | None:
    """The first entry of ``settings`` that allows ``origin``, or None.

    The static allow-list only; an ``ORIGIN_RESOLVER`` is asked by the caller.
    """
    if len(origin) > MAX_ORIGIN_LENGTH:
        return None
    for index, text in enumerate(settings.allowed_origins):
        entry = parse_entry(text)
        if isinstance(entry, Entry) and entry_allows(entry, origin):
            return Allowance(f"ALLOWED_ORIGINS[{index}]", text, _HOW[entry.form])
    if parse_origin(origin) is None:
        return None
    for index, source in enumerate(settings.origin_regexes):
        pattern = compile_regex(source)
        if isinstance(pattern, SafePattern) and pattern.fullmatch(origin) is not None:
            return Allowance(f"ORIGIN_REGEXES[{index}]", pattern.pattern, "regex, full match")
    return None


def entry_allows(entry: Entry, origin: str) -> bool:
    if entry.form is Form.EXACT:
        return origin == entry.text
    if entry.form is Form.NULL:
        return origin == entry.text
    parsed = parse_origin(origin)
    if parsed is None:
        return False
    if entry.form is Form.ANY:
        return True
    scheme, host, port = parsed[1], parsed[2], parsed[3]
    if scheme != entry.scheme:
        return False
    if entry.form is Form.ANY_PORT:
        return host == entry.host
    return host.endswith("." + entry.host) and entry.port in ("*", port)


def near_misses(settings: Settings, origin: str) -> list[str]:
    """Entries that differ from ``origin`` only in scheme, port or depth:
    the usual reasons a front-end that "is configured" is refused."""
    parsed = parse_origin(origin)
    if parsed is None:
        return []
    scheme, host, port = parsed[1], parsed[2], parsed[3]
    found = []
    for index, text in enumerate(settings.allowed_origins):
        entry = parse_entry(text)
        if not isinstance(entry, Entry) or not entry.host or entry_allows(entry, origin):
            continue
        where = f"ALLOWED_ORIGINS[{index}] {text!r}"
        same_host = host == entry.host if entry.form is not Form.SUBDOMAINS else host.endswith("." + entry.host)
        if entry.form is Form.SUBDOMAINS and host == entry.host:
            found.append(f"{where} matches subdomains of {entry.host} only, not {entry.host} itself")
        elif same_host and scheme != entry.scheme:
            found.append(f"{where} has the scheme {entry.scheme}://, the origin {scheme}://")
        elif same_host and port != entry.port:
            shown = f"port {port}" if port else "no port"
            found.append(
                f"{where} names {'no port' if entry.port is None else 'port ' + entry.port}, the origin {shown}"
            )
    return found
