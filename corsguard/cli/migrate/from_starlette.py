"""From Starlette's (and FastAPI's) ``CORSMiddleware`` to ``corsguard._adapters.asgi.CorsMiddleware``.

The arguments are read from the app's middleware stack
(``app.user_middleware``), where ``add_middleware`` and ``middleware=[...]``
keep them. The facts this relies on (Starlette 1.x): ``allow_origin_regex``
is full-matched; ``allow_methods`` defaults to GET only; the four
CORS-safelisted header names are always allowed; ``*`` with credentials
reflects every origin; a refused preflight gets 400 and a text body naming
what failed; ACAC and ACEH go to refused origins too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from corsguard.cli.migrate import regexes, values
from corsguard.cli.migrate.report import Migration, any_origin

SOURCE = "starlette"
SAFELISTED = ("accept", "accept-language", "content-language", "content-type")
DEFAULTS: Mapping[str, Any] = {
    "allow_origins": (),
    "allow_methods": ("GET",),
    "allow_headers": (),
    "allow_credentials": False,
    "allow_origin_regex": None,
    "allow_private_network": False,
    "expose_headers": (),
    "max_age": 600,
}
_PARAMETERS = tuple(DEFAULTS)


def translate(app: Any) -> Migration:
    """``app``: a Starlette or FastAPI app with ``CORSMiddleware`` in its stack."""
    migration = Migration(SOURCE, {})
    migration.written_as = "policy = Policy("
    found = list(_arguments(app))
    if not found:
        migration.problems.append("no CORSMiddleware in the app's middleware stack (app.user_middleware)")
        return migration
    if len(found) > 1:
        migration.note("untranslatable", f"{len(found)} CORSMiddleware layers: only the outermost is translated.")
    arguments = {**DEFAULTS, **found[0]}
    _translate(arguments, migration)
    migration.edits = [
        "Replace app.add_middleware(CORSMiddleware, ...) with "
        "app.add_middleware(corsguard._adapters.asgi.CorsMiddleware, policy=policy), or wrap the whole app, "
        "app = CorsMiddleware(app, policy), so the 500 of an unhandled exception gets CORS headers too.",
        "Optional: check_websocket_origin=True refuses WebSocket handshakes from origins the policy does not allow.",
    ]
    migration.validate()
    return migration


def _arguments(app: Any) -> Iterator[dict[str, Any]]:
    for entry in getattr(app, "user_middleware", ()):
        cls = getattr(entry, "cls", None)
        if getattr(cls, "__name__", "") == "CORSMiddleware" and "starlette" in getattr(cls, "__module__", ""):
            named = dict(zip(_PARAMETERS, getattr(entry, "args", ()), strict=False))
            named.update(getattr(entry, "kwargs", {}) or getattr(entry, "options", {}))
            yield named


def _translate(arguments: Mapping[str, Any], migration: Migration) -> None:
    out = migration.settings
    credentials = bool(arguments["allow_credentials"])
    origins = values.sequence("allow_origins", arguments["allow_origins"], migration)
    if "*" in origins:
        out["ALLOWED_ORIGINS"] = any_origin(migration, credentials=credentials, what="allow_origins=['*']")
    else:
        out["ALLOWED_ORIGINS"] = values.origins(origins, migration, credentials=credentials)
    if arguments["allow_origin_regex"]:
        _origin_regex(arguments["allow_origin_regex"], migration, credentials)
    if credentials:
        out["ALLOW_CREDENTIALS"] = True
    methods = values.sequence("allow_methods", arguments["allow_methods"], migration)
    # Starlette's '*' is its own list of methods, not every method.
    out["ALLOW_METHODS"] = values.methods(_all_methods() if "*" in methods else methods, migration)
    requested = values.sequence("allow_headers", arguments["allow_headers"], migration)
    out["ALLOW_HEADERS"] = ["*"] if "*" in requested else values.headers([*SAFELISTED, *requested], migration)
    exposed = values.exposed(
        values.sequence("expose_headers", arguments["expose_headers"], migration),
        migration,
        credentials=bool(arguments["allow_credentials"]),
    )
    if exposed:
        out["EXPOSE_HEADERS"] = exposed
    out["MAX_AGE"] = arguments["max_age"]
    if arguments["allow_private_network"]:
        out["ALLOW_PRIVATE_NETWORK"] = True
    _behaviour(migration)


def _all_methods() -> tuple[str, ...]:
    from starlette.middleware.cors import ALL_METHODS  # noqa: PLC0415

    return tuple(ALL_METHODS)


def _origin_regex(pattern: str, migration: Migration, credentials: bool) -> None:
    """allow_origin_regex, full-matched by Starlette as by corsguard."""
    out = migration.settings
    exact, kept, everything = regexes.origin_regexes(
        [pattern], migration, prefix_matched=False, credentials=credentials, where="allow_origin_regex"
    )
    if everything:
        out["ALLOWED_ORIGINS"] = any_origin(migration, credentials=credentials, what="allow_origin_regex")
        return
    out["ALLOWED_ORIGINS"] = [
        *out["ALLOWED_ORIGINS"],
        *(origin for origin in exact if origin not in out["ALLOWED_ORIGINS"]),
    ]
    if kept:
        out["ORIGIN_REGEXES"] = kept


def _behaviour(migration: Migration) -> None:
    note = migration.note
    note(
        "refused-preflight",
        "a preflight from an origin not allowed is answered 403 with no CORS headers and a body that names "
        "nothing (Starlette: 400 'Disallowed CORS origin'); the reason goes to the corsguard log.",
    )
    note(
        "preflight-lists",
        "a preflight asking for a method or header not allowed is answered 204 with the full lists, so the "
        "browser names what is missing (Starlette: 400 with a text body).",
    )
    note("preflight-status", "an allowed preflight is answered 204, not 200 (PREFLIGHT_STATUS: 200 keeps 200).")
    note(
        "preflight-vary",
        "a preflight's Vary names Access-Control-Request-Private-Network only when ALLOW_PRIVATE_NETWORK is on.",
    )
    note("refused-no-headers", "a refused origin gets no CORS headers at all (Starlette sent ACAC and ACEH).")
    note("vary-origin", "Vary: Origin is on every response where CORS applies, requests without Origin included.")
