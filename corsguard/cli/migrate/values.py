"""Translating the values every CORS library has: origins, origin regexes,
path regexes, methods, header names. Each rewrite is noted on the migration
with its code (``corsguard.cli.migrate.report.CODES``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from corsguard._engine.grammar import canonical_form, is_serialized_origin
from corsguard._engine.headers import FORBIDDEN_RESPONSE_HEADERS, is_forbidden_request_header
from corsguard.cli.migrate.report import PLACEHOLDER, Migration

# Flags that change what a pattern matches, as inline flags.
_INLINE = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))
# Characters that make a header name a regex in the peers' eyes.
_REGEX_CHARACTERS = frozenset("*+?[](){}|^$\\")


def sequence(setting: str, value: Any, migration: Migration) -> list[Any]:
    """A list setting as a list. A string was read one character at a time
    by django-cors-headers (``('localhost:4200')`` without its comma), so it
    matched nothing: the one-element list is what was meant, to confirm."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if value == "*":
        return ["*"]  # one character: the same either way
    if isinstance(value, str):
        migration.todo(
            "not-a-list",
            f"{setting} is the string {value!r}, not a list: the old library read it one character at a time, so "
            f"it did not do what it says. It is carried over as [{value!r}]; confirm that is what you meant.",
        )
        return [value]
    migration.todo("not-a-list", f"{setting} is {value!r}, not a list: write the list you meant (left empty).")
    return []


def seconds(setting: str, value: Any, migration: Migration) -> int:
    """A max-age as whole seconds; 0 when it is not a number (with a TODO)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        migration.todo("not-a-list", f"{setting} is {value!r}, not a number of seconds: write one.")
        return 0


def star_without_null(migration: Migration) -> None:
    """B1: '*' answers well-formed origins only."""
    migration.note(
        "null-origin",
        "'*' no longer answers Origin 'null' (sandboxed iframes, file pages) or malformed origins such as "
        "'file://': list 'null' explicitly if a page of yours really is one.",
    )


def origins(values: Iterable[str], migration: Migration, *, credentials: bool) -> list[str]:
    """Allowed origins as corsguard entries: rewritten to serialized origins,
    ``file://`` dropped (pointing to ``null``), ``null`` kept only without
    credentials."""
    kept: list[str] = []
    for value in values:
        entry = _origin(str(value), migration, credentials=credentials)
        if entry is not None and entry not in kept:
            kept.append(entry)
    return kept


def _origin(value: str, migration: Migration, *, credentials: bool) -> str | None:
    if value.lower().startswith("file://"):
        migration.note(
            "file-scheme",
            f"{value!r} is dropped: no browser sends a file:// origin today (pages opened from files send "
            "'null', which any sandboxed iframe can send too); add 'null' only if you must, and never with "
            "credentials.",
        )
        return None
    if value == "null":
        if credentials:
            migration.note(
                "null-origin",
                "'null' is dropped: with credentials any sandboxed iframe or file could read your users' "
                "responses; corsguard refuses it. Serve the page from an origin of its own.",
            )
            return None
        migration.note("null-origin", "'null' is kept: every sandboxed iframe and file page sends it; lint warns.")
        return value
    if value == "*" or is_serialized_origin(value):
        return value
    if "://" not in value and canonical_form(value) is not None:
        migration.todo(
            "scheme-less-origin",
            f"{value!r} has no scheme: browsers send 'http://{value}' or 'https://{value}', and only you know "
            "which your front-end uses. Replace the TODO entry with it (or both).",
        )
        return PLACEHOLDER
    fixed = canonical_form(value)
    if fixed is None:
        return value  # corsguard's own validation names the problem
    migration.note(
        "origin-rewritten",
        f"{value!r} becomes {fixed!r}: browsers send an origin as scheme://host[:port], lower case, no path, "
        "no default port, and corsguard compares it byte for byte.",
    )
    return fixed


def origin_regex(pattern: str | re.Pattern[str], migration: Migration, *, prefix_matched: bool) -> str:
    """A peer's origin regex as an ORIGIN_REGEXES entry, matched with ``fullmatch``.

    A prefix match (``re.match``) of an unanchored pattern also accepted
    anything after the match (``https://app.example.com.evil.net``); that
    is what corsguard closes, so the rewrite is not ``<pattern>.*``."""
    text, flags = _text(pattern, migration)
    core = _strip_start(text)
    anchored_end = _ends_anchored(core)
    if anchored_end:
        core = _strip_end(core)
    if prefix_matched and not anchored_end:
        example = _example_suffix(core)
        such_as = f" (such as {example!r})" if is_serialized_origin(example) else ""
        migration.note(
            "fullmatch-regex",
            f"{text!r} was matched with re.match, so it also accepted any origin that merely starts with a "
            f"match{such_as}; corsguard full-matches {flags + core!r}.",
        )
    elif core != text:
        migration.note(
            "fullmatch-regex",
            f"{text!r} becomes {flags + core!r}: corsguard full-matches, so the anchors are not needed.",
        )
    return flags + core


def path_regex(pattern: str | re.Pattern[str], migration: Migration) -> str:
    """A path regex matched with ``re.match`` as a full-matched PATHS pattern:
    the prefix semantic kept (``<pattern>.*``) unless it was anchored.
    ``.*`` when it matched every path (``''``, ``/*``: re.match accepts the
    empty prefix)."""
    text, flags = _text(pattern, migration)
    if _matches_empty(text):
        return ".*"
    if "|" in text:
        # Anchors inside alternatives stay where they are; the group keeps
        # the alternation from swallowing the suffix.
        return f"{flags}(?:{text}).*"
    core = _strip_start(text)
    if _ends_anchored(core):
        return flags + _strip_end(core)
    return flags + core + ".*"


def methods(values: Iterable[str], migration: Migration) -> list[str]:
    result: list[str] = []
    for value in values:
        method = str(value).strip()
        if method != method.upper():
            migration.note(
                "methods-case",
                f"method {method!r} is written {method.upper()!r}: Fetch compares methods case-sensitively.",
            )
            method = method.upper()
        if method and method not in result:
            result.append(method)
    return result


def headers(values: Iterable[Any], migration: Migration) -> list[str]:
    """Header names; a name written as a regex cannot be translated."""
    result: list[str] = []
    for value in values:
        name = value.pattern if isinstance(value, re.Pattern) else str(value).strip()
        if name in ("*", ".*"):
            # flask-cors stores its '*' default as the regex '.*'.
            if "*" not in result:
                result.append("*")
        elif is_forbidden_request_header(name):
            migration.note(
                "browser-header",
                f"header {name!r} is dropped: browsers set it themselves and never let a page send it, so a "
                "preflight never asks for it and allowing it changed nothing (corsguard refuses it as a setting).",
            )
        elif _REGEX_CHARACTERS.intersection(name) or isinstance(value, re.Pattern):
            migration.note(
                "regex-header",
                f"header {name!r} was a regex in the old library; corsguard takes header names literally, so it "
                "is left out: list every header your front-end sends (or '*', which corsguard answers as "
                "'*, authorization').",
            )
        elif name.lower() not in result:
            result.append(name.lower())
    return result


def star_headers(allowed: list[str], migration: Migration, *, credentials: bool) -> None:
    """corsguard answers '*' as '*, authorization' (B4.2): say so, it widens
    what django-cors-headers' literal '*' allowed. (flask-cors and Starlette
    echoed every requested header for '*', Authorization included.)"""
    if "*" not in allowed:
        return
    with_credentials = (
        " With credentials a browser read the old '*' as the literal name '*', so no other header was allowed "
        "at all; now every header is."
        if credentials
        else ""
    )
    migration.note(
        "star-headers",
        "ALLOW_HEADERS '*' is answered '*, authorization': other sites may now send an Authorization header, "
        f"which '*' alone never covered.{with_credentials} List the headers your front-end sends to keep it narrow.",
    )


def exposed(values: Iterable[Any], migration: Migration, *, credentials: bool) -> list[str]:
    """Exposed header names; Set-Cookie can never be read by a page, and with
    credentials a browser reads '*' as a header named '*'."""
    result = []
    for value in values:
        name = str(value).strip()
        if name == "*" and credentials:
            migration.note(
                "star-exposed-credentials",
                "exposed headers '*' is dropped: with credentials a browser reads it as a header named '*', so it "
                "exposed nothing; list the headers your front-end reads if it needs any.",
            )
        elif name.lower() in FORBIDDEN_RESPONSE_HEADERS:
            migration.note("browser-header", f"exposed header {name!r} is dropped: no page can ever read it.")
        elif name and name not in result:
            result.append(name)
    return result


def _matches_empty(text: str) -> bool:
    """Whether re.match accepts every string (an empty match at the start);
    a pattern that does not compile is left to corsguard's loader to name."""
    try:
        return re.compile(text).match("") is not None
    except re.error:
        return False


def _text(pattern: str | re.Pattern[str], migration: Migration) -> tuple[str, str]:
    if not isinstance(pattern, re.Pattern):
        return str(pattern), ""
    inline = "".join(letter for flag, letter in _INLINE if pattern.flags & flag)
    if inline:
        migration.note("regex-flags", f"{pattern.pattern!r} was compiled with flags; written with (?{inline}).")
    return pattern.pattern, f"(?{inline})" if inline else ""


def _strip_start(text: str) -> str:
    for anchor in ("\\A", "^"):
        if text.startswith(anchor):
            return text[len(anchor) :]
    return text


def _ends_anchored(text: str) -> bool:
    if text.endswith("\\Z"):
        return not text.endswith("\\\\Z")
    return text.endswith("$") and not text.endswith("\\$")


def _strip_end(text: str) -> str:
    return text[:-2] if text.endswith("\\Z") else text[:-1]


def _example_suffix(core: str) -> str:
    """A readable origin the prefix match let through, for the report."""
    sample = re.sub(r"\(([^|()]*)\|[^()]*\)", r"\1", core)
    sample = re.sub(r"\\[wdsWDS][+*?]?|\[[^\]]*\][+*?]?|\.[+*?]", "x", sample)
    sample = re.sub(r"\\(.)", r"\1", sample)
    sample = re.sub(r"[()?|+*]", "", sample)
    return sample.rstrip("$") + ".evil.example"
