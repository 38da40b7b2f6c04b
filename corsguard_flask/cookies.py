"""W002-W004, W006 for Flask: credentials that the browser will not actually send.

The same traps as Django's checks (``corsguard_django.checks.cookies``), in
Flask's settings. With ``ALLOW_CREDENTIALS`` the front-end relies on the
session cookie (Flask's, which Flask-Login and Flask-WTF keep their state
in) and on Flask-Login's remember cookie. A cross-site page never sends a
``Lax``/``Strict`` cookie on fetch, and Chromium treats Flask's default (no
SameSite attribute) as ``Lax``; ``SameSite=None`` needs ``Secure``. Flask-WTF's
``CSRFProtect`` refuses an HTTPS request whose Referer is not this host
(``WTF_CSRF_SSL_STRICT``), so every other origin's unsafe requests fail.

Which origins send cookies and which API hosts they are cross-site to is the
core's (``corsguard._pipeline.credentials``, shared with Django). Flask has
no ``ALLOWED_HOSTS``: the API's host is read from ``SERVER_NAME``, else
``SESSION_COOKIE_DOMAIN``. Without either it cannot be known, and the
warning says so; loopback front-ends are then left out, as in development
the API is on loopback too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from corsguard._engine.policy import Policy
from corsguard._pipeline.credentials import Front, credentialed_fronts, cross_site_hosts, listed, same_site_described
from corsguard._pipeline.pipeline import Pipeline
from corsguard_flask.notice import Advice

# (SameSite key, Secure key, the cookie's role); both default to no SameSite and not Secure.
SESSION = ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "session")
REMEMBER = ("REMEMBER_COOKIE_SAMESITE", "REMEMBER_COOKIE_SECURE", "Flask-Login remember")


def advice(app: Flask, pipeline: Pipeline) -> list[Advice]:
    found = insecure_none_cookies(app)
    policies = pipeline.policies()
    fronts = credentialed_fronts(policies)
    if fronts:
        found.extend(same_site_cookies(app, fronts))
        if _csrf_protect(app) is not None:
            found.extend(referrer_checked(app, fronts))
            found.extend(csrf_header_not_allowed(app, policies))
    return found


def cookies(app: Flask) -> list[tuple[str, str, str]]:
    """The cookies a credentialed front-end needs: the session, and Flask-Login's."""
    return [SESSION, REMEMBER] if getattr(app, "login_manager", None) is not None else [SESSION]


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


def same_site_cookies(app: Flask, fronts: list[Front]) -> list[Advice]:
    """W002: a cross-site front-end never sends Lax or Strict cookies on fetch."""
    known = api_host(app)
    hosts: dict[str, None] = {}
    if known is None:
        crossed = [front for front in fronts if not front.entry.is_loopback]
    else:
        crossed = []
        for front in fronts:
            found = cross_site_hosts(front.entry, [known[1]])
            if found:
                crossed.append(front)
                hosts.update(dict.fromkeys(found))
    if not crossed:
        return []
    return [
        _cross_site(crossed, None if known is None else (known[0], list(hosts)), same_site, secure, role, value)
        for same_site, secure, role in cookies(app)
        if not (isinstance(value := app.config.get(same_site), str) and value.lower() == "none")
    ]


def _cross_site(
    crossed: list[Front], where: tuple[str, list[str]] | None, same_site: str, secure: str, role: str, value: object
) -> Advice:
    """Django's W002 wording, with the Flask setting that says where the API is."""
    fronts = listed([front.shown for front in crossed])
    subject = f"the credentialed origin {fronts} is" if len(crossed) == 1 else f"the credentialed origins {fronts} are"
    whose = "that front-end's" if len(crossed) == 1 else "those front-ends'"
    if where is None:
        place = "cross-site to this API unless the API is served on their site (SERVER_NAME is not set, so corsguard "
        place += "cannot tell)"
        to = ""
    else:
        setting, hosts = where
        place = f"cross-site to the API host {listed([repr(host) for host in hosts])} ({setting})"
        to = " to that host"
    return Advice(
        "corsguard_flask.W002",
        f"ALLOW_CREDENTIALS is on and {subject} {place}, but {same_site} is {same_site_described(value)}: the "
        f"browser will not send the {role} cookie with {whose} requests{to}.",
        f"Set {same_site} = 'None' and {secure} = True (HTTPS), or serve the front-end from the same site as the API.",
    )


def referrer_checked(app: Flask, fronts: list[Front]) -> list[Advice]:
    """W003: Flask-WTF's strict Referer check refuses every other origin over HTTPS."""
    config = app.config
    if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_SSL_STRICT", True):
        return []
    return [
        Advice(
            "corsguard_flask.W003",
            f"Credentialed origin {front.shown} fails Flask-WTF's CSRF check: with WTF_CSRF_SSL_STRICT on, "
            "CSRFProtect refuses HTTPS requests whose Referer is not this host, so its POST, PUT, PATCH and "
            'DELETE requests will fail CSRF verification with 400 ("The referrer does not match the host.").',
            "Set WTF_CSRF_SSL_STRICT = False (the CSRF token the front-end sends in the X-CSRFToken header still "
            "protects these requests), or exempt the API's views with csrf.exempt if they do not rely on "
            "cookies.",
        )
        for front in fronts
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
                    f"A policy allows credentials but none of the request headers "
                    f"{listed([repr(name) for name in headers])} (WTF_CSRF_HEADERS): preflights for unsafe "
                    "requests that send the CSRF token will be refused.",
                    f"Add {headers[0]!r} to ALLOW_HEADERS (x-csrftoken is in corsguard's default list).",
                )
            ]
    return []


def api_host(app: Flask) -> tuple[str, str] | None:
    """The setting that says where the API is served, and the host; None if unknown."""
    server_name = app.config.get("SERVER_NAME")
    if server_name:
        return "SERVER_NAME", urlsplit(f"//{server_name}").hostname or str(server_name)
    domain = app.config.get("SESSION_COOKIE_DOMAIN")
    if domain:
        return "SESSION_COOKIE_DOMAIN", str(domain).lstrip(".")
    return None


def _csrf_protect(app: Flask) -> Any:
    """Flask-WTF's ``CSRFProtect`` on this app, found without importing Flask-WTF."""
    found = app.extensions.get("csrf")
    return found if type(found).__module__.startswith("flask_wtf") else None
