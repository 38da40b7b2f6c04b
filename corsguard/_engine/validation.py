"""Raw settings in, a ``Settings`` value out, or every problem at once (B2).

Each setting is checked on its own here; the allow-list, whose entries are
judged against credentials and the Public Suffix List, in
``corsguard._engine.allowlist``. Problems are collected rather than raised, so one
``PolicyError`` lists them all, each with the value to write instead.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corsguard._engine import allowlist
from corsguard._engine import headers as fields
from corsguard._engine.dynamic import Limits, Resolver, shared
from corsguard._engine.entries import Entry
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.listed_resolver import listed
from corsguard._engine.names import ANY
from corsguard._engine.origin_store import ListedOrigins
from corsguard._engine.patterns import SafePattern
from corsguard._engine.settings import DEFAULTS, Settings


@dataclass(frozen=True)
class Validated:
    """Valid settings with their origins parsed and regexes compiled."""

    settings: Settings
    entries: tuple[Entry, ...]
    regexes: tuple[SafePattern, ...]
    resolver: Resolver | None = None


def validate(arguments: Mapping[str, object]) -> Validated:
    """``arguments`` (``Policy`` keyword arguments, defaults filled in) checked."""
    problems: list[Problem] = []
    credentials = _boolean("ALLOW_CREDENTIALS", arguments["allow_credentials"], problems)
    insecure = _boolean(
        allowlist.INSECURE_SWITCH, arguments["dangerously_allow_insecure_origins_with_credentials"], problems
    )
    suffix_list = allowlist.suffix_list(arguments["public_suffix_list"], problems)
    origins = _strings("ALLOWED_ORIGINS", arguments["allowed_origins"], problems)
    raw_regexes = _regexes("ORIGIN_REGEXES", arguments["origin_regexes"], problems)
    judge = allowlist.Judge(credentials, insecure, suffix_list, problems)
    entries = tuple(entry for index, value in enumerate(origins) if (entry := judge.entry(index, value)))
    regexes = tuple(pattern for index, source in enumerate(raw_regexes) if (pattern := judge.regex(index, source)))
    settings = Settings(
        allowed_origins=tuple(origins),
        origin_regexes=tuple(allowlist.source(pattern) for pattern in regexes),
        allow_credentials=credentials,
        allow_methods=_methods(_strings("ALLOW_METHODS", arguments["allow_methods"], problems), problems),
        allow_headers=_request_headers(_strings("ALLOW_HEADERS", arguments["allow_headers"], problems), problems),
        expose_headers=_exposed_headers(
            _strings("EXPOSE_HEADERS", arguments["expose_headers"], problems), credentials, problems
        ),
        max_age=_max_age(arguments["max_age"], problems),
        allow_private_network=_boolean("ALLOW_PRIVATE_NETWORK", arguments["allow_private_network"], problems),
        preflight_status=_preflight_status(arguments["preflight_status"], problems),
        dangerously_allow_insecure_origins_with_credentials=insecure,
        public_suffix_list=suffix_list,
        origin_resolver=allowlist.resolver_function(arguments["origin_resolver"], problems),
        public_resource=_boolean("PUBLIC_RESOURCE", arguments["public_resource"], problems),
        **_resolver_limits(arguments, problems),
    )
    _check_public_resource(settings, problems)
    if problems:
        raise PolicyError(problems)
    resolver: Resolver | None = None
    if isinstance(settings.origin_resolver, ListedOrigins):
        resolver = listed(settings.origin_resolver, credentials and not insecure)
    elif settings.origin_resolver is not None:
        limits = Limits(**{name.removeprefix("resolver_"): getattr(settings, name) for name in _LIMITS})
        resolver = shared(settings.origin_resolver, limits, (credentials, insecure))
    return Validated(settings, entries, regexes, resolver)


_LIMITS = (
    "resolver_ttl",
    "resolver_negative_ttl",
    "resolver_cache_size",
    "resolver_calls",
    "resolver_call_interval",
    "resolver_timeout",
)


def _resolver_limits(arguments: Mapping[str, object], problems: list[Problem]) -> dict[str, Any]:
    """B9.3: positive numbers; counts are whole."""
    limits: dict[str, Any] = {}
    for name in _LIMITS:
        value = arguments[name]
        whole = name in ("resolver_cache_size", "resolver_calls")
        numeric = isinstance(value, int) if whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not numeric or value <= 0:  # type: ignore[operator]
            shown = "a whole number above 0" if whole else "a number of seconds above 0"
            problems.append(Problem(name.upper(), value, f"must be {shown}.", f"keep the default, {DEFAULTS[name]!r}."))
            value = DEFAULTS[name]
        limits[name] = value
    return limits


def _check_public_resource(settings: Settings, problems: list[Problem]) -> None:
    """B11.1: one answer for everyone only where everyone is allowed anyway."""
    if not settings.public_resource:
        return
    if settings.allow_credentials or settings.allowed_origins != (ANY,) or settings.origin_regexes:
        problems.append(
            Problem(
                "PUBLIC_RESOURCE",
                True,
                "needs ALLOWED_ORIGINS = ['*'], no ORIGIN_REGEXES and no ALLOW_CREDENTIALS: it answers every "
                "request the same way.",
                "make the resource public (ALLOWED_ORIGINS = ['*'] without credentials), or switch it off here "
                "(PUBLIC_RESOURCE = False, or public_resource=False in a @cors_policy that narrows the origins).",
            )
        )


def _strings(setting: str, value: object, problems: list[Problem]) -> list[str]:
    return [item for item in _items(setting, value, problems, (str,)) if isinstance(item, str)]


def _regexes(setting: str, value: object, problems: list[Problem]) -> list[str | re.Pattern[str]]:
    """Regex sources; compiled patterns are accepted as they are."""
    return [item for item in _items(setting, value, problems, (str, re.Pattern)) if isinstance(item, (str, re.Pattern))]


def _items(setting: str, value: object, problems: list[Problem], accepted: tuple[type, ...]) -> list[object]:
    if isinstance(value, str):
        problems.append(Problem(setting, value, "must be a list of strings, not one string.", f"write [{value!r}]."))
        return []
    if not isinstance(value, Iterable):
        problems.append(Problem(setting, value, "must be a list of strings.", "write a list, e.g. []."))
        return []
    result = []
    for index, item in enumerate(value):
        if isinstance(item, accepted):
            result.append(item)
        else:
            problems.append(Problem(f"{setting}[{index}]", item, "is not a string.", "quote it."))
    return result


def _boolean(setting: str, value: object, problems: list[Problem]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(Problem(setting, value, "must be True or False.", "write True or False, without quotes."))
    return False


def _methods(methods: list[str], problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, method in enumerate(methods):
        setting = f"ALLOW_METHODS[{index}]"
        if method == ANY:
            result.append(method)
        elif not fields.is_token(method):
            problems.append(Problem(setting, method, "is not an HTTP method name (a token).", "write e.g. 'PUT'."))
        elif method.upper() in fields.FORBIDDEN_METHODS:
            problems.append(
                Problem(setting, method, "is a method browsers refuse to send (Fetch: forbidden method).", "remove it.")
            )
        else:
            # B4.4: browsers upper-case exactly six methods, so for those the
            # upper-case form is the only one a preflight can ask for.
            result.append(method.upper() if method.upper() in fields.NORMALIZED_METHODS else method)
    return tuple(dict.fromkeys(result))


def _request_headers(names: list[str], problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, name in enumerate(names):
        setting = f"ALLOW_HEADERS[{index}]"
        if name == ANY:
            result.append(name)
        elif not fields.is_token(name):
            problems.append(Problem(setting, name, "is not a header name (a token).", _header_hint(name)))
        elif fields.is_forbidden_request_header(name):
            problems.append(
                Problem(
                    setting,
                    name,
                    "is a forbidden request header: pages can never set it, so allowing it has no effect.",
                    "remove it; cookies are sent by ALLOW_CREDENTIALS, not by allowing a header.",
                )
            )
        else:
            result.append(name.lower())
    return tuple(dict.fromkeys(result))


def _header_hint(name: str) -> str:
    if any(character in name for character in "[]()\\") or ".*" in name:
        return "header names are matched exactly, not as regexes: list each name, e.g. 'x-company-id'."
    return "write e.g. 'x-api-key'."


def _exposed_headers(names: list[str], credentials: bool, problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, name in enumerate(names):
        setting = f"EXPOSE_HEADERS[{index}]"
        if name == ANY and credentials:
            problems.append(
                Problem(
                    setting,
                    name,
                    "'*' is read literally by browsers when credentials are included, so it exposes nothing.",
                    "list the header names the front-end reads, e.g. 'x-total-count'.",
                )
            )
        elif name == ANY:
            result.append(name)
        elif not fields.is_token(name):
            problems.append(Problem(setting, name, "is not a header name (a token).", "write e.g. 'x-total-count'."))
        elif name.lower() in fields.FORBIDDEN_RESPONSE_HEADERS:
            problems.append(
                Problem(setting, name, "can never be read by a page (Fetch: forbidden response header).", "remove it.")
            )
        else:
            result.append(name.lower())
    return tuple(dict.fromkeys(result))


def _max_age(value: object, problems: list[Problem]) -> int | None:
    if isinstance(value, datetime.timedelta):
        seconds = value.total_seconds()
        if seconds == int(seconds):
            value = int(seconds)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem("MAX_AGE", value, "must be a whole number of seconds or None.", "write e.g. 600."))
        return None
    if value < 0:
        problems.append(
            Problem(
                "MAX_AGE", value, "is negative.", "write 0 to disable preflight caching, or None to omit the header."
            )
        )
        return None
    return value


def _preflight_status(value: object, problems: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value in (200, 204):
        return value
    problems.append(Problem("PREFLIGHT_STATUS", value, "must be 204 or 200.", "keep the default, 204."))
    return 204
