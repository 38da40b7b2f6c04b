"""From django-cors-headers: its ``CORS_*`` settings to a ``CORSGUARD`` dict.

The facts this relies on (django-cors-headers 4.x): origins are compared by
scheme and netloc, so ``https://app.example.com/`` matched; origin regexes
and ``CORS_URLS_REGEX`` are applied with ``re.match`` (a prefix match);
``CORS_ALLOW_ALL_ORIGINS`` sends ``*`` without credentials and reflects the
Origin with them; every preflight on a CORS path is answered 200, refused
origins included, and method and headers are listed, never checked;
``Vary: origin`` goes on every response of a CORS path.
"""

from __future__ import annotations

from typing import Any

from corsguard.cli.migrate import regexes, values
from corsguard.cli.migrate.report import Migration, any_origin

SOURCE = "django-cors-headers"
THEIR_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
OUR_MIDDLEWARE = "corsguard_django.middleware.CorsGuardMiddleware"
DEFAULT_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with")
DEFAULT_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")
DEFAULT_URLS_REGEX = r"^.*$"
# Every setting django-cors-headers reads, the old names included.
KNOWN = frozenset(
    {
        "CORS_ALLOW_HEADERS",
        "CORS_ALLOW_METHODS",
        "CORS_ALLOW_CREDENTIALS",
        "CORS_ALLOW_PRIVATE_NETWORK",
        "CORS_PREFLIGHT_MAX_AGE",
        "CORS_ALLOW_ALL_ORIGINS",
        "CORS_ORIGIN_ALLOW_ALL",
        "CORS_ALLOWED_ORIGINS",
        "CORS_ORIGIN_WHITELIST",
        "CORS_ALLOWED_ORIGIN_REGEXES",
        "CORS_ORIGIN_REGEX_WHITELIST",
        "CORS_EXPOSE_HEADERS",
        "CORS_URLS_REGEX",
    }
)


def translate(settings: Any) -> Migration:
    """``settings``: a settings module, or any object with the ``CORS_*`` attributes."""

    def read(name: str, old: str | None = None, default: Any = None) -> Any:
        if hasattr(settings, name):
            return getattr(settings, name)
        return getattr(settings, old, default) if old else default

    def listed(name: str, old: str | None = None, default: Any = ()) -> list[Any]:
        written = name if hasattr(settings, name) or not old else old
        return values.sequence(written, read(name, old, default), migration)

    migration = Migration(SOURCE, {})
    credentials = bool(read("CORS_ALLOW_CREDENTIALS", default=False))
    out = migration.settings
    _origins(migration, read, listed, credentials)
    if credentials:
        out["ALLOW_CREDENTIALS"] = True
    out["ALLOW_METHODS"] = values.methods(listed("CORS_ALLOW_METHODS", default=DEFAULT_METHODS), migration)
    out["ALLOW_HEADERS"] = values.headers(listed("CORS_ALLOW_HEADERS", default=DEFAULT_HEADERS), migration)
    values.star_headers(out["ALLOW_HEADERS"], migration, credentials=credentials)
    expose = values.exposed(listed("CORS_EXPOSE_HEADERS"), migration, credentials=credentials)
    if expose:
        out["EXPOSE_HEADERS"] = expose
    max_age = values.seconds("CORS_PREFLIGHT_MAX_AGE", read("CORS_PREFLIGHT_MAX_AGE", default=86400), migration)
    out["MAX_AGE"] = max_age or None
    if not max_age:
        migration.note("max-age", "CORS_PREFLIGHT_MAX_AGE is 0: MAX_AGE None omits the header, as before.")
    if read("CORS_ALLOW_PRIVATE_NETWORK", default=False):
        out["ALLOW_PRIVATE_NETWORK"] = True
        migration.note(
            "private-network",
            "ALLOW_PRIVATE_NETWORK: corsguard answers Access-Control-Request-Private-Network only for allowed "
            "origins on a preflight, as before, and checks the preflight itself.",
        )
    _urls(migration, read("CORS_URLS_REGEX", default=DEFAULT_URLS_REGEX))
    _behaviour(migration)
    _unknown(migration, settings)
    migration.edits = _edits(settings)
    migration.validate()
    return migration


def _origins(migration: Migration, read: Any, sequence: Any, credentials: bool) -> None:
    out = migration.settings
    if read("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", False):
        out["ALLOWED_ORIGINS"] = any_origin(migration, credentials=credentials, what="CORS_ALLOW_ALL_ORIGINS")
        return
    written = [str(value) for value in sequence("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")]
    if "*" in written:
        kept = "it is kept as 'null'" if not credentials else "corsguard refuses 'null' with credentials, so it goes"
        migration.note(
            "star-not-wildcard",
            "'*' in CORS_ALLOWED_ORIGINS was compared as a URL with no scheme and no host, so it matched no origin "
            f"but 'null' (sandboxed iframes, file pages); {kept}. CORS_ALLOW_ALL_ORIGINS is the 'any origin' switch.",
        )
        written = [value if value != "*" else "null" for value in written] if not credentials else written
    listed = values.origins([value for value in written if value != "*"], migration, credentials=credentials)
    exact, patterns, everything = regexes.origin_regexes(
        sequence("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"),
        migration,
        prefix_matched=True,
        credentials=credentials,
        where="CORS_ALLOWED_ORIGIN_REGEXES entry",
    )
    if everything:
        out["ALLOWED_ORIGINS"] = any_origin(migration, credentials=credentials, what="a regex matching every origin")
        return
    out["ALLOWED_ORIGINS"] = [*listed, *(origin for origin in exact if origin not in listed)]
    if patterns:
        out["ORIGIN_REGEXES"] = patterns


def _urls(migration: Migration, urls_regex: Any) -> None:
    text = getattr(urls_regex, "pattern", urls_regex)
    if text in (DEFAULT_URLS_REGEX, r"^.*", ".*", r"^/.*$"):
        return
    translated = values.path_regex(urls_regex, migration)
    if translated == ".*":
        migration.note("path-matches-all", f"CORS_URLS_REGEX {text!r} matched every path: no PATHS rules needed.")
        return
    pattern = regexes.path_pattern(translated, migration, where="CORS_URLS_REGEX")
    if pattern is None:
        return
    migration.settings["PATHS"] = [(pattern, {}), (r".*", None)]
    migration.note(
        "urls-regex-to-paths",
        f"CORS_URLS_REGEX {text!r} (re.match on request.path_info) becomes PATHS [({pattern!r}, {{}}), "
        "('.*', None)]: full-matched, first rule wins, CORS off elsewhere (no Vary: Origin there either).",
    )


def _behaviour(migration: Migration) -> None:
    """What changes for every project, whatever its settings."""
    note = migration.note
    note("preflight-status", "an allowed preflight is answered 204, not 200 (PREFLIGHT_STATUS: 200 keeps 200).")
    note(
        "refused-preflight",
        "a preflight from an origin not allowed is answered 403 with no CORS headers (it was 200 with none).",
    )
    note(
        "preflight-lists",
        "a preflight's requested method and headers are checked and the refusal logged; the answer still "
        "lists every allowed method and header, so the browser's message names what is missing.",
    )
    note(
        "preflight-vary",
        "a preflight's Vary is 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'.",
    )
    note(
        "check-request-enabled",
        "if you connect corsheaders.signals.check_request_enabled, it allowed any origin for the requests it "
        "picked; write an ORIGIN_RESOLVER (a function of the origin) instead, or use corsguard_django.origins.",
    )


def _unknown(migration: Migration, settings: Any) -> None:
    for name in sorted(dir(settings)):
        if name.startswith("CORS_") and name not in KNOWN:
            migration.note("unknown-setting", f"{name} is not a django-cors-headers setting and was ignored.")


def _edits(settings: Any) -> list[str]:
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    apps = list(getattr(settings, "INSTALLED_APPS", None) or [])
    edits = []
    if THEIR_MIDDLEWARE in middleware:
        edits.append(
            f"MIDDLEWARE: replace {THEIR_MIDDLEWARE!r} (position {middleware.index(THEIR_MIDDLEWARE) + 1}) with "
            f"{OUR_MIDDLEWARE!r}, above any middleware that can answer (first, or right after SecurityMiddleware)."
        )
    else:
        edits.append(f"MIDDLEWARE: add {OUR_MIDDLEWARE!r} first (or right after SecurityMiddleware).")
    if "corsheaders" in apps:
        edits.append("INSTALLED_APPS: replace 'corsheaders' with 'corsguard_django'.")
    else:
        edits.append("INSTALLED_APPS: add 'corsguard_django'.")
    edits.append("Delete every CORS_* setting, then `pip uninstall django-cors-headers`.")
    edits.append("Run `python manage.py check`: corsguard_django.E006 fires while both middlewares are listed.")
    return edits
