"""A second, independent statement of what corsguard must answer.

This module imports nothing from corsguard: it is written from the rules
(README "Allowed origins", "Path rules", "What corsguard sends"; docs/
behaviour.md B1, B3, B4, B5), so that a bug in corsguard's engine cannot
hide itself by also being in the judge. It is meant to be read against those
rules in a few minutes, so it favours plain code over speed.

It takes a configuration in corsguard's upper-case vocabulary (the mapping
handed to ``PathRules.from_mapping``, Django's ``CORSGUARD``, Flask's
settings) and the raw request values an adapter received, and says what the
CORS part of the response must be. It does not model the method and header
lists of a preflight answer: they never decide the status or ACAO.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# B1.1: scheme "://" host [":" port], lower-case ASCII.
_SCHEME = r"[a-z][a-z0-9+.-]*"
_LABELS = r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?"
_IPV6 = r"\[[0-9a-f:.]+\]"
_ORIGIN = re.compile(rf"({_SCHEME})://({_LABELS}|{_IPV6})(?::(0|[1-9][0-9]{{0,4}}))?")
DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}
MAX_ORIGIN_LENGTH = 300


def parse(origin: str) -> tuple[str, str, str | None] | None:
    """(scheme, host, port or None) of a well-formed origin; None otherwise."""
    if len(origin) > MAX_ORIGIN_LENGTH or not origin.isascii():
        return None
    match = _ORIGIN.fullmatch(origin)
    if match is None:
        return None
    scheme, host, port = match.group(1), match.group(2), match.group(3)
    if port is not None and (int(port) > 65535 or DEFAULT_PORTS.get(scheme) == port):
        return None
    return scheme, host, port


def _split_pattern(entry: str) -> tuple[str, str, str | None]:
    """A configured pattern's (scheme, host, port): ``*.domain`` hosts have no
    colon of their own, so a colon left after ``:*`` is handled is the port's."""
    scheme, _, rest = entry.partition("://")
    if rest.endswith(":*"):
        return scheme, rest[:-2], "*"
    host, colon, port = rest.rpartition(":")
    return (scheme, host, port) if colon else (scheme, rest, None)


def entry_matches(entry: str, origin: str, parts: tuple[str, str, str | None]) -> bool:
    """Does one ALLOWED_ORIGINS entry (not ``*``, not ``null``) match a well-formed origin? (B1.4)"""
    if "*" not in entry:
        return origin == entry
    scheme, host, port = _split_pattern(entry)
    o_scheme, o_host, o_port = parts
    if scheme != o_scheme or port not in ("*", o_port):
        return False
    if host.startswith("*."):
        # One or more whole labels in front of the domain, never the apex.
        domain = host[2:]
        return o_host.endswith("." + domain) and len(o_host) > len(domain) + 1
    return o_host == host


@dataclass(frozen=True)
class Effective:
    """The settings that decide ACAO, ACAC and ACAPN on one path."""

    origins: tuple[str, ...]
    regexes: tuple[str, ...]
    credentials: bool
    private_network: bool
    preflight_status: int


def effective(settings: Mapping[str, object]) -> Effective:
    return Effective(
        tuple(settings.get("ALLOWED_ORIGINS", ())),  # type: ignore[arg-type]
        tuple(settings.get("ORIGIN_REGEXES", ())),  # type: ignore[arg-type]
        bool(settings.get("ALLOW_CREDENTIALS", False)),
        bool(settings.get("ALLOW_PRIVATE_NETWORK", False)),
        int(settings.get("PREFLIGHT_STATUS", 204)),  # type: ignore[call-overload]
    )


def settings_for_path(config: Mapping[str, object], path: str) -> Effective | None:
    """B3.4: the first PATHS rule that full-matches wins; no match, or a
    rule mapped to None, means CORS is off. Without PATHS: the base settings."""
    base = {key: value for key, value in config.items() if key != "PATHS"}
    rules = config.get("PATHS")
    if rules is None:
        return effective(base)
    for pattern, overrides in rules:  # type: ignore[attr-defined]
        if re.fullmatch(pattern, path) is not None:
            return None if overrides is None else effective({**base, **overrides})
    return None


Facts = tuple[str, str | None, str | None, str | None, str]  # method, Origin, ACRM, ACRPN, routed path


def facts(meta: Mapping[str, Any], path: str) -> Facts:
    """What the oracle reads from a WSGI environ or Django's ``request.META``, and the routed path."""
    get = meta.get
    return (get("REQUEST_METHOD", ""), get("HTTP_ORIGIN"), get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"), path)  # fmt: skip


def routed_path(path_info: str) -> str:
    """B3.4, for the WSGI middleware and Flask: PATH_INFO (latin-1 text of the
    bytes the server decoded once) read as UTF-8, one leading slash, runs of
    slashes merged. Django routes on its own ``request.path_info`` instead."""
    text = path_info.encode("latin-1").decode("utf-8", "replace")
    return "/" + re.sub("/+", "/", text.lstrip("/"))


def allowed_acao(policy: Effective, origin: str) -> str | None:
    """The ACAO an allowed origin gets, or None when the origin is refused (B1).

    An any-origin policy answers ``*`` to every origin it allows, a listed
    ``null`` included (B1.4: "answered ACAO: *, to listed origins too"); a
    browser accepts ``*`` from an opaque origin as it does from any other.
    """
    any_origin = "*" in policy.origins
    if origin == "null":
        return None if "null" not in policy.origins else "*" if any_origin else "null"
    parts = parse(origin)
    if parts is None:
        return None
    if any_origin:
        return "*"
    for entry in policy.origins:
        if entry != "null" and entry_matches(entry, origin, parts):
            return origin
    for regex in policy.regexes:
        if re.fullmatch(regex, origin) is not None:
            return origin
    return None


@dataclass(frozen=True)
class Answer:
    """What the CORS part of a response must be."""

    cors_path: bool  # CORS is on here: Vary must name Origin (B5.4)
    preflight: bool  # corsguard answers itself (B3.2); the app never runs
    acao: str | None  # None: no Access-Control-* header at all
    credentials: bool = False  # ACAC: true
    private_network: bool = False  # ACAPN: true
    status: int | None = None  # a preflight's status; None: whatever the app answers
    vary: tuple[str, ...] = ()  # tokens Vary must contain


_PREFLIGHT_VARY = ("origin", "access-control-request-method", "access-control-request-headers")
OFF = Answer(cors_path=False, preflight=False, acao=None)


def expect(
    config: Mapping[str, object],
    method: str,
    origin: str | None,
    acrm: str | None,
    acrpn: str | None,
    path: str,
) -> Answer:
    """The answer corsguard owes this request under ``config``."""
    policy = settings_for_path(config, path)
    if policy is None:
        return OFF
    if origin is None:
        return Answer(cors_path=True, preflight=False, acao=None, vary=("origin",))
    acao = allowed_acao(policy, origin)
    allowed = acao is not None
    if method == "OPTIONS" and acrm is not None:
        return Answer(
            cors_path=True,
            preflight=True,
            acao=acao,
            credentials=allowed and policy.credentials,
            private_network=allowed and policy.private_network and acrpn == "true",
            status=policy.preflight_status if allowed else 403,
            vary=_PREFLIGHT_VARY if allowed else ("origin",),
        )
    credentials = allowed and policy.credentials
    return Answer(cors_path=True, preflight=False, acao=acao, credentials=credentials, vary=("origin",))


Difference = tuple[str, str]  # (count, what is wrong)


def differences(answer: Answer, status: int | None, headers: list[tuple[str, str]]) -> list[Difference]:
    """Each way a response differs from ``answer``, named by the count it falls under."""
    found = [("crlf", f"header {n!r}: {v!r}") for n, v in headers if any(c in n + v for c in "\r\n\x00")]
    if status is not None and status >= 500:
        found.append(("exceptions", f"status {status}"))
    lowered = [(name.lower(), value) for name, value in headers]
    cors = {name: [v for n, v in lowered if n == name] for name, _ in lowered if name.startswith("access-control-")}
    acao = cors.get("access-control-allow-origin", [])
    if answer.acao is None:
        if cors:
            found.append(("wrong_allows", f"refused, yet sent {sorted(cors)} (ACAO {acao!r})"))
        if answer.preflight and status != 403:
            found.append(("wrong_allows", f"refused preflight answered {status}"))
    else:
        if not acao:
            found.append(("wrong_refusals", f"owed ACAO {answer.acao!r}, got none (status {status})"))
        elif acao != [answer.acao]:
            found.append(("wrong_allows", f"ACAO {acao!r}, owed {answer.acao!r}"))
        found += _flag("ACAC", cors.get("access-control-allow-credentials", []), answer.credentials)
        found += _flag("ACAPN", cors.get("access-control-allow-private-network", []), answer.private_network)
        if answer.preflight and status != answer.status:
            found.append(("wrong_refusals", f"allowed preflight answered {status}, owed {answer.status}"))
    vary = {token.strip().lower() for name, value in lowered if name == "vary" for token in value.split(",")}
    if any(token not in vary for token in answer.vary) or (not answer.cors_path and "origin" in vary):
        found.append(("vary", f"Vary {sorted(vary)}, owed {list(answer.vary)} (CORS on: {answer.cors_path})"))
    return found


def _flag(name: str, values: list[str], owed: bool) -> list[Difference]:
    """ACAC and ACAPN: exactly ``true`` when owed, absent otherwise."""
    if owed and values != ["true"]:
        return [("wrong_refusals", f"{name} {values!r}, owed 'true'")]
    if not owed and values:
        return [("wrong_allows", f"{name} {values!r} not owed")]
    return []


_LINE = logging.Formatter("%(levelname)s %(name)s %(message)s")


def log_differences(record: logging.LogRecord) -> list[Difference]:
    """B6.1: a corsguard log line, formatted as a log file holds it, never contains CR, LF
    or NUL; and a record with a traceback means corsguard caught an exception of its own."""
    record.message = record.getMessage()
    line = _LINE.formatMessage(record)
    found = [("crlf", f"log line {line!r}")] if any(c in line for c in "\r\n\x00") else []
    if record.exc_info:
        found.append(("exceptions", f"{record.exc_info[1]!r}, logged as: {record.message}"))
    return found
