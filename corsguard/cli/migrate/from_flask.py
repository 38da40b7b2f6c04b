"""From flask-cors: an app's ``CORS(...)`` resources, ``CORS_*`` config keys
and ``@cross_origin`` views to corsguard_flask settings.

Read without running a request: flask-cors keeps, in the after-request hook
``CORS(app)`` registers, the list of (path pattern, options) it resolved from
its defaults, the app's ``CORS_*`` config and the call's arguments, already
in the order it tries them; ``@cross_origin`` keeps its arguments on the
wrapper. The facts this relies on (flask-cors 6): origins default to every
origin and are compared ignoring case; ``*`` is answered by reflecting the
Origin unless ``send_wildcard``, with credentials too; header names may be
regexes; paths are matched with ``re.match``; ``always_send`` adds CORS
headers to requests without an Origin.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from corsguard.cli.migrate import regexes, values
from corsguard.cli.migrate.report import Migration, any_origin

SOURCE = "flask-cors"
_UNKNOWN = "Unknown option passed to Flask-CORS:"
_UNTRANSLATED = {
    "automatic_options": "corsguard answers preflights itself, before the view",
    "intercept_exceptions": "corsguard adds its headers to error responses always",
}


@contextlib.contextmanager
def unknown_options() -> Iterator[list[str]]:
    """The option names flask-cors logs as unknown while the app is set up
    (it ignores them; the names are not kept anywhere else)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if message.startswith(_UNKNOWN):
                found.append(message[len(_UNKNOWN) :].strip())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("flask_cors")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def translate(app: Any, unknown_options: Iterable[str] = ()) -> Migration:
    """``app``: a Flask app that flask-cors is set up on (CORS(app) or @cross_origin);
    ``unknown_options``: what flask-cors logged as unknown while setting it up."""
    migration = Migration(SOURCE, {})
    for name in dict.fromkeys(unknown_options):
        _unknown_option(name, migration)
    migration.written_as = "CorsGuard(app, "
    migration.note(
        "default-allows-all",
        "flask-cors allows EVERY origin unless told otherwise (origins='*' by default); corsguard allows none. "
        "Every origin your front-ends use must be listed below.",
    )
    resources = list(_resources(app))
    views = list(_views(app))
    if not resources and not views:
        migration.problems.append(
            f"flask-cors is not set up on {getattr(app, 'name', app)!r}: no CORS(app) hook and no @cross_origin view"
        )
        return migration
    translated = [(_path(pattern, migration), _settings(options, migration)) for pattern, options in resources]
    if translated:
        base = translated[0][1]
        migration.settings.update(base)
        if len(translated) > 1 or translated[0][0] not in (".*", "/.*"):
            rules = [(pattern, _overrides(base, settings)) for pattern, settings in translated]
            migration.settings["PATHS"] = [*rules, (r".*", None)]
            migration.note(
                "per-route-options",
                "resources become PATHS rules in flask-cors' own order (full-matched, first wins); paths "
                "no resource matches get no CORS at all.",
            )
    for endpoint, options in views:
        overrides = _overrides(migration.settings, _settings(options, migration))
        migration.views[endpoint] = overrides
        arguments = ", ".join(f"{key.lower()}={value!r}" for key, value in overrides.items())
        migration.edits.append(f"view {endpoint!r}: replace @cross_origin(...) with @cors_policy({arguments})")
        migration.note("per-route-options", f"@cross_origin on {endpoint!r} becomes @cors_policy (corsguard_flask).")
    _unknown_config(app, migration)
    _behaviour(migration)
    migration.edits += [
        "Remove CORS(app) / cors.init_app(app), every @cross_origin and the CORS_* config keys, then "
        "`pip uninstall flask-cors`; corsguard's init_app warns while flask-cors is still hooked in.",
        "Add `from corsguard_flask import CorsGuard, cors_policy` and the CorsGuard(app, ...) call above.",
    ]
    migration.validate()
    return migration


def _resources(app: Any) -> Iterator[tuple[Any, Any]]:
    """The (pattern, options) list of each flask-cors after-request hook."""
    for hooks in app.after_request_funcs.values():
        for hook in hooks:
            if not getattr(hook, "__module__", "").startswith("flask_cors"):
                continue
            for cell in hook.__closure__ or ():
                contents = cell.cell_contents
                if isinstance(contents, list) and all(isinstance(item, tuple) for item in contents):
                    yield from contents


def _views(app: Any) -> Iterator[tuple[str, Any]]:
    from flask_cors.core import get_cors_options  # noqa: PLC0415

    for endpoint, view in sorted(app.view_functions.items()):
        code = getattr(view, "__code__", None)
        if getattr(view, "__wrapped__", None) is None or "flask_cors" not in getattr(code, "co_filename", ""):
            continue
        for cell in view.__closure__ or ():
            if isinstance(cell.cell_contents, dict):
                yield endpoint, get_cors_options(app, cell.cell_contents)


def _settings(options: Any, migration: Migration) -> dict[str, Any]:
    """One resolved flask-cors option set as corsguard settings."""
    credentials = bool(options.supports_credentials)
    out: dict[str, Any] = {}
    if options.allow_all_origins:
        _any_origin(options, migration, out, credentials)
    else:
        _listed_origins(options.origins, migration, out, credentials)
    if credentials:
        out["ALLOW_CREDENTIALS"] = True
    if options.methods:
        out["ALLOW_METHODS"] = values.methods(options.methods.split(","), migration)
    out["ALLOW_HEADERS"] = values.headers(options.allow_headers, migration)
    exposed = values.exposed((options.expose_headers or "").split(","), migration, credentials=credentials)
    if exposed:
        out["EXPOSE_HEADERS"] = exposed
    out["MAX_AGE"] = int(options.max_age) if options.max_age not in (None, "") else None
    if options.allow_private_network:
        out["ALLOW_PRIVATE_NETWORK"] = True
    if not options.vary_header:
        migration.note("vary-origin", "vary_header=False is not carried over: Vary: Origin keeps caches correct.")
    for name, why in _UNTRANSLATED.items():
        if not getattr(options, name):
            migration.note("untranslatable", f"{name}=False has no equivalent: {why}.")
    return out


def _any_origin(options: Any, migration: Migration, out: dict[str, Any], credentials: bool) -> None:
    out["ALLOWED_ORIGINS"] = any_origin(migration, credentials=credentials, what="origins='*'")
    if not credentials and not options.send_wildcard:
        migration.note(
            "wildcard-reflected",
            "'*' was answered by reflecting each request's Origin (send_wildcard=False); corsguard answers "
            "'Access-Control-Allow-Origin: *', which browsers treat the same without credentials.",
        )


def _listed_origins(patterns: list[Any], migration: Migration, out: dict[str, Any], credentials: bool) -> None:
    literal = [pattern for pattern in patterns if isinstance(pattern, str)]
    listed = values.origins(literal, migration, credentials=credentials)
    if literal:
        migration.note(
            "case-insensitive-origins",
            "origins were compared ignoring case; browsers send them in lower case, which corsguard compares exactly.",
        )
    # flask-cors compiles origin regexes with IGNORECASE; that is not a choice the user made.
    exact, kept, everything = regexes.origin_regexes(
        [re.compile(pattern.pattern) for pattern in patterns if isinstance(pattern, re.Pattern)],
        migration,
        prefix_matched=True,
        credentials=credentials,
        where="origins regex",
    )
    if everything:
        _any_origin(SimpleNamespace(send_wildcard=False), migration, out, credentials)
        return
    out["ALLOWED_ORIGINS"] = [*listed, *(origin for origin in exact if origin not in listed)]
    if kept:
        out["ORIGIN_REGEXES"] = kept


def _path(pattern: Any, migration: Migration) -> str:
    """A resource as a PATHS pattern: a literal matched that path exactly
    (flask-cors compares strings without regex characters), a regex with re.match."""
    if isinstance(pattern, str):
        migration.note(
            "literal-resource",
            f"resource {pattern!r} has no regex characters, so flask-cors matched that path exactly; the PATHS "
            f"rule is {re.escape(pattern)!r}, not a prefix.",
        )
        return re.escape(pattern)
    translated = values.path_regex(pattern, migration)
    if translated == ".*":
        if pattern.pattern not in ("/*", ".*"):  # flask-cors' own default says nothing
            migration.note("path-matches-all", f"resource {pattern.pattern!r} matched every path (re.match).")
        return translated
    return regexes.path_pattern(translated, migration, where="resource") or translated


def _unknown_option(name: str, migration: Migration) -> None:
    from flask_cors.core import DEFAULT_OPTIONS  # noqa: PLC0415

    close = difflib.get_close_matches(name, list(DEFAULT_OPTIONS), n=1)
    meant = f" (did you mean {close[0]!r}? it was never applied)" if close else ""
    migration.note(
        "unknown-option",
        f"flask-cors ignored the option {name!r}{meant}; nothing is carried over for it. If you meant it, add "
        "its corsguard equivalent yourself.",
    )


def _unknown_config(app: Any, migration: Migration) -> None:
    from flask_cors.core import DEFAULT_OPTIONS  # noqa: PLC0415

    known = {"CORS_" + name.upper() for name in DEFAULT_OPTIONS} | {"CORS_RESOURCES"}
    for key in sorted(app.config):
        if key.startswith("CORS_") and key not in known:
            migration.note("unknown-setting", f"config key {key} is not a flask-cors option and was ignored.")


def _overrides(base: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in settings.items() if base.get(key, _MISSING) != value}


_MISSING = object()


def _behaviour(migration: Migration) -> None:
    note = migration.note
    note(
        "preflight-lists",
        "corsguard answers a preflight itself (204) and lists every allowed method and header; flask-cors let "
        "Flask answer OPTIONS (200) and echoed only the requested headers that matched.",
    )
    note("preflight-status", "an allowed preflight is answered 204, not 200 (PREFLIGHT_STATUS: 200 keeps 200).")
    note("refused-preflight", "a preflight from an origin not allowed is answered 403 with no CORS headers.")
    note(
        "preflight-vary",
        "a preflight's Vary is 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'.",
    )
    note(
        "no-origin-no-headers",
        "a request without Origin gets no CORS headers (flask-cors' always_send added them); PUBLIC_RESOURCE "
        "sends 'Access-Control-Allow-Origin: *' on every response of a public path.",
    )
    note(
        "vary-origin",
        "Vary: Origin is on every response where CORS applies, not only when several origins could match.",
    )
    note(
        "private-network",
        "Access-Control-Allow-Private-Network is sent only when allowed (flask-cors answered 'false').",
    )
