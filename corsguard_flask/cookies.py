"""W002-W004, W006 for Flask: credentials that the browser will not actually send.

The same traps as Django's checks (``corsguard_django.checks.cookies``), in
Flask's settings. With ``ALLOW_CREDENTIALS`` the front-end relies on the
session cookie (Flask's, which Flask-Login and Flask-WTF keep their state
in) and on Flask-Login's remember cookie. A cross-site page never sends a
``Lax``/``Strict`` cookie on fetch, and Chromium treats Flask's default (no
SameSite attribute) as ``Lax``; ``SameSite=None`` needs ``Secure``. Flask-WTF's
``CSRFProtect`` refuses an HTTPS request whose Referer is not this host
(``WTF_CSRF_SSL_STRICT``), so every other origin's unsafe requests fail.

Flask has no ``ALLOWED_HOSTS``: the API's site is read from ``SERVER_NAME``,
else ``SESSION_COOKIE_DOMAIN``. Without either it cannot be known, and the
warning says so; loopback front-ends are then left out, as in development
the API is on loopback too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from corsguard._engine import suffixes
from corsguard._engine.entries import Entry, parse_entry
from corsguard._engine.policy import Policy
from corsguard._pipeline.pipeline import Pipeline
from corsguard_flask.notice import Advice

# (SameSite key, Secure key, the cookie's role); both default to no SameSite and not Secure.
SESSION = ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "session")
REMEMBER = ("REMEMBER_COOKIE_SAMESITE", "REMEMBER_COOKIE_SECURE", "Flask-Login remember")


def advice(app: Flask, pipeline: Pipeline) -> list[Advice]:
    found = insecure_none_cookies(app)
    policies = pipeline.policies()
    origins = credentialed_origins(policies)
    if origins:
        found.extend(same_site_cookies(app, origins))
        if _csrf_protect(app) is not None:
            found.extend(referrer_checked(app, origins))
            found.extend(csrf_header_not_allowed(app, policies))
    return found


def cookies(app: Flask) -> list[tuple[str, str, str]]:
    """The cookies a credentialed front-end needs: the session, and Flask-Login's."""
    return [SESSION, REMEMBER] if getattr(app, "login_manager", None) is not None else [SESSION]


def credentialed_origins(policies: list[Policy]) -> list[Entry]:
    """Configured origins (exact and patterns) of every policy with credentials."""
    found: dict[str, Entry] = {}
    for policy in policies:
        if policy.settings.allow_credentials:
            for origin in policy.settings.allowed_origins:
                entry = parse_entry(origin)
                if isinstance(entry, Entry) and entry.scheme:
                    found.setdefault(origin, entry)
    return list(found.values())


def insecure_none_cookies(app: Flask) -> list[Advice]:
    """W004: ``SameSite=None`` needs ``Secure``, or browsers reject the cookie."""
    found = []
    for same_site, secure, role in cookies(app):
        if str(app.config.get(same_site) or "").lower() == "none" and not app.config.get(secure, False):
            found.append(
                Advice(
                    "corsguard_flask.W004",
                    f"{same_site} is 'None' but {secure} is False: browsers reject a SameSite=None cookie that "
                    f"is not Secure, so the {role} cookie will not be stored.",
                    f"Set {secure} = True and serve the API over HTTPS.",
                )
            )
    return found


def same_site_cookies(app: Flask, origins: list[Entry]) -> list[Advice]:
    """W002: a cross-site front-end never sends Lax or Strict cookies on fetch."""
    sites = api_sites(app)
    if sites is None:
        cross_site = [entry.text for entry in origins if not entry.is_loopback]
        where = "is cross-site to this API unless the API is served on its site (SERVER_NAME is not set, so "
        where += "corsguard cannot tell)"
    else:
        setting, names = sites
        cross_site = [entry.text for entry in origins if site(entry.host) not in names]
        where = f"is cross-site to this API ({setting}: {_listed(sorted(names))})"
    if not cross_site:
        return []
    found = []
    for same_site, secure, role in cookies(app):
        value = app.config.get(same_site)
        if isinstance(value, str) and value.lower() == "none":
            continue
        described = repr(value) if value else f"{value!r} (no SameSite attribute, which browsers treat as Lax)"
        found.append(
            Advice(
                "corsguard_flask.W002",
                f"ALLOW_CREDENTIALS is on and {_listed(cross_site)} {where}, but {same_site} is {described}: the "
                f"browser will not send the {role} cookie with that front-end's requests.",
                f"Set {same_site} = 'None' and {secure} = True (HTTPS), or serve the front-end from the same "
                "site as the API.",
            )
        )
    return found


def referrer_checked(app: Flask, origins: list[Entry]) -> list[Advice]:
    """W003: Flask-WTF's strict Referer check refuses every other origin over HTTPS."""
    config = app.config
    if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_SSL_STRICT", True):
        return []
    return [
        Advice(
            "corsguard_flask.W003",
            f"Credentialed origin {entry.text!r} fails Flask-WTF's CSRF check: with WTF_CSRF_SSL_STRICT on, "
            "CSRFProtect refuses HTTPS requests whose Referer is not this host, so its POST, PUT, PATCH and "
            'DELETE requests will fail CSRF verification with 400 ("The referrer does not match the host.").',
            "Set WTF_CSRF_SSL_STRICT = False (the CSRF token the front-end sends in the X-CSRFToken header still "
            "protects these requests), or exempt the API's views with csrf.exempt if they do not rely on "
            "cookies.",
        )
        for entry in origins
    ]


def csrf_header_not_allowed(app: Flask, policies: list[Policy]) -> list[Advice]:
    """W006: the front-end sends the CSRF token in a header that needs a preflight."""
    headers = [str(name).lower() for name in app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])]
    for policy in policies:
        allowed = policy.settings.allow_headers
        if policy.settings.allow_credentials and "*" not in allowed and not set(headers) & set(allowed):
            return [
                Advice(
                    "corsguard_flask.W006",
                    f"A policy allows credentials but none of the request headers {_listed(headers)} "
                    "(WTF_CSRF_HEADERS): preflights for unsafe requests that send the CSRF token will be refused.",
                    f"Add {headers[0]!r} to ALLOW_HEADERS (x-csrftoken is in corsguard's default list).",
                )
            ]
    return []


def api_sites(app: Flask) -> tuple[str, set[str]] | None:
    """The setting that says where the API is served, and its site; None if unknown."""
    server_name = app.config.get("SERVER_NAME")
    if server_name:
        host = urlsplit(f"//{server_name}").hostname or str(server_name)
        return "SERVER_NAME", {site(host)}
    domain = app.config.get("SESSION_COOKIE_DOMAIN")
    if domain:
        return "SESSION_COOKIE_DOMAIN", {site(str(domain).lstrip("."))}
    return None


def site(host: str) -> str:
    """The registrable domain of ``host``, from the core's one copy of the
    Public Suffix List; the host itself if the list cannot be loaded."""
    try:
        return suffixes.registrable_domain(host)
    except suffixes.SuffixListError:
        return host.lower().rstrip(".")


def _csrf_protect(app: Flask) -> Any:
    """Flask-WTF's ``CSRFProtect`` on this app, found without importing Flask-WTF."""
    found = app.extensions.get("csrf")
    return found if type(found).__module__.startswith("flask_wtf") else None


def _listed(values: list[str]) -> str:
    shown = ", ".join(repr(value) for value in values[:3])
    return shown + (f" and {len(values) - 3} more" if len(values) > 3 else "")
