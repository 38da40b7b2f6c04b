"""W002-W004, W006: credentials that the browser will not actually send.

With ``ALLOW_CREDENTIALS`` the front-end relies on Django's session and CSRF
cookies. Three settings decide whether it gets them: the cookies' SameSite
(a cross-site page never sends ``Lax``/``Strict`` cookies on fetch),
``Secure`` (browsers drop ``SameSite=None`` cookies without it), and
``CSRF_TRUSTED_ORIGINS`` (Django refuses unsafe requests from other origins
with 403). "Site" is the scheme-less registrable domain, as browsers use it:
``app.example.com`` and ``api.example.com`` are the same site,
``localhost`` and ``127.0.0.1`` are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Warning

from corsguard._engine.entries import Entry
from corsguard_django.checks.common import PREFIX, Configuration, load
from corsguard_django.checks.fronts import Front, api_hosts, credentialed_fronts, cross_site_hosts

# (SameSite setting, Secure setting, the cookie's role) for Django's cookies.
COOKIES = (
    ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "session"),
    ("CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF"),
)


def check_cookies(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    messages = list(insecure_none_cookies())
    configuration = load()
    if configuration is None:
        return messages
    fronts = credentialed_fronts(configuration)
    if fronts:
        messages.extend(same_site_cookies(fronts))
        messages.extend(untrusted_by_csrf(fronts))
        messages.extend(csrf_header_not_allowed(configuration))
    return messages


def insecure_none_cookies() -> list[CheckMessage]:
    """W004: ``SameSite=None`` needs ``Secure``, or browsers reject the cookie."""
    messages: list[CheckMessage] = []
    for same_site, secure, role in COOKIES:
        if str(getattr(settings, same_site, "")).lower() == "none" and not getattr(settings, secure, False):
            messages.append(
                Warning(
                    f"{same_site} is 'None' but {secure} is False: browsers reject a SameSite=None cookie that "
                    f"is not Secure, so the {role} cookie will not be stored.",
                    hint=f"Set {secure} = True and serve the API over HTTPS.",
                    id=PREFIX + "W004",
                )
            )
    return messages


def same_site_cookies(fronts: list[Front]) -> list[CheckMessage]:
    """W002: a cross-site front-end never sends Lax or Strict cookies on fetch."""
    hosts = api_hosts()
    if hosts is None:
        return []
    # Front-ends cross-site to the same API hosts are said together.
    groups: dict[tuple[str, ...], list[Front]] = {}
    for front in fronts:
        found = tuple(cross_site_hosts(front.entry, hosts))
        if found:
            groups.setdefault(found, []).append(front)
    messages: list[CheckMessage] = []
    for same_site, secure, role in COOKIES:
        if role == "CSRF" and getattr(settings, "CSRF_USE_SESSIONS", False):
            continue
        value = getattr(settings, same_site, "Lax")
        if isinstance(value, str) and value.lower() == "none":
            continue
        for cross, crossed in groups.items():
            messages.append(_cross_site_warning(crossed, list(cross), same_site, secure, role, value))
    return messages


def _cross_site_warning(
    crossed: list[Front], hosts: list[str], same_site: str, secure: str, role: str, value: object
) -> CheckMessage:
    described = repr(value) if value else f"{value!r} (no SameSite attribute, which browsers treat as Lax)"
    fronts = listed([front.shown for front in crossed])
    subject = f"the credentialed origin {fronts} is" if len(crossed) == 1 else f"the credentialed origins {fronts} are"
    where = listed([repr(host) for host in hosts])
    whose = "that front-end's" if len(crossed) == 1 else "those front-ends'"
    return Warning(
        f"ALLOW_CREDENTIALS is on and {subject} cross-site to the API host{'s' if len(hosts) > 1 else ''} "
        f"{where} (ALLOWED_HOSTS), but {same_site} is {described}: the browser will not send the {role} cookie "
        f"with {whose} requests to "
        f"{'that host' if len(hosts) == 1 else 'those hosts'}.",
        hint=f"Set {same_site} = 'None' and {secure} = True (HTTPS), or serve the front-end from the same site as "
        "the API.",
        id=PREFIX + "W002",
    )


def untrusted_by_csrf(fronts: list[Front]) -> list[CheckMessage]:
    """W003: Django's CSRF Origin check refuses origins it does not trust."""
    trusted = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    messages: list[CheckMessage] = []
    for front in fronts:
        entry = front.entry
        if _csrf_trusts(entry, trusted):
            continue
        if entry.port == "*":
            hint = (
                "CSRF_TRUSTED_ORIGINS has no port wildcard: add each front-end origin with its port, e.g. "
                f"{entry.example()!r}."
            )
        else:
            hint = f"Add {entry.text!r} to CSRF_TRUSTED_ORIGINS."
        messages.append(
            Warning(
                f"Credentialed origin {front.shown} is not in CSRF_TRUSTED_ORIGINS: its POST, PUT, PATCH and DELETE "
                "requests will fail CSRF verification with 403.",
                hint=hint,
                id=PREFIX + "W003",
            )
        )
    return messages


def csrf_header_not_allowed(configuration: Configuration) -> list[CheckMessage]:
    """W006: the front-end sends the CSRF token in a header that needs a preflight."""
    header = str(getattr(settings, "CSRF_HEADER_NAME", "HTTP_X_CSRFTOKEN")).removeprefix("HTTP_")
    name = header.replace("_", "-").lower()
    messages: list[CheckMessage] = []
    for source, policy in configuration.policies():
        allowed = policy.settings.allow_headers
        if not policy.settings.allow_credentials or name in allowed or "*" in allowed:
            continue
        messages.append(
            Warning(
                f"{source} allows credentials but not the request header {name!r} (CSRF_HEADER_NAME): preflights "
                "for unsafe requests that send the CSRF token will be refused.",
                hint=f"Add {name!r} to ALLOW_HEADERS (it is in corsguard's default list).",
                id=PREFIX + "W006",
            )
        )
    return messages


def _csrf_trusts(entry: Entry, trusted: list[str]) -> bool:
    """Django's own rule: exact origins, or ``scheme://*.domain`` wildcards."""
    if entry.text in trusted:
        return True
    if entry.port == "*":
        # Django has no port wildcard: only exact entries can cover it.
        return False
    netloc = entry.host + (f":{entry.port}" if entry.port else "")
    for value in trusted:
        if "://*" not in value:
            continue
        parts = urlsplit(value)
        suffix = parts.netloc.lstrip("*")
        if parts.scheme == entry.scheme and (netloc.endswith(suffix) or netloc == suffix.lstrip(".")):
            return True
    return False


def listed(values: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c and 2 more``."""
    if len(values) > 3:
        return ", ".join(values[:3]) + f" and {len(values) - 3} more"
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]
