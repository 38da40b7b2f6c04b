"""corsguard's system checks (``manage.py check``), registered by the app.

Every message has a stable id and a hint that says what to change:

Errors
  E001  a problem in ``CORSGUARD`` (or its ``PATHS``, or a ``CORSGUARD_*``
        environment variable), one message per problem
  E002  an unknown key in ``CORSGUARD``
  E003  a problem in a view's ``@cors_policy`` combined with ``CORSGUARD``
  E004  the app is installed but ``CorsGuardMiddleware`` is not in ``MIDDLEWARE``,
        under its own path or built by a wrapper class or factory listed there
  E005  ``CorsGuardMiddleware`` without the app: raised when the middleware
        is built, since without the app no check runs
  E006  another CORS library's middleware (django-cors-headers') in
        ``MIDDLEWARE`` next to corsguard's: two layers, remove theirs
  E007  a ``@cors_policy``/``@cors_exempt`` no URL reaches (B13.2)

Warnings
  W001  ``CorsGuardMiddleware`` below a middleware whose own answers bypass
        it (not those given from ``process_view``, which it wraps)
  W002  credentials on, an origin (entry or regex) cross-site to an API host
        in ``ALLOWED_HOSTS``, and a ``SameSite=Lax/Strict`` (or absent)
        session or CSRF cookie: the browser will not send it
  W003  a credentialed origin (entry or regex) missing from ``CSRF_TRUSTED_ORIGINS``
  W004  ``SameSite=None`` without ``Secure``: the browser drops the cookie
  W005  no origin is allowed anywhere: every cross-origin request is refused
  W006  credentials on, but the CSRF header is not in ``ALLOW_HEADERS``
  W007  WhiteNoise's own ``Access-Control-Allow-Origin: *`` on static files,
        which the policy cannot take back
  W010-W017, I001  the core's lint findings (``corsguard._engine.lint``): any origin,
        ``null``, plain http, localhost (with ``DEBUG`` off), look-alike
        regexes, lower-case methods, a pattern or regex open to a whole public
        suffix (W016), a header name that looks like a regex (W017), a max-age
        above browser caps
"""

from __future__ import annotations

from django.core import checks as django_checks

TAG = "corsguard"


def register() -> None:
    """Register every check; idempotent (Django keeps a set)."""
    from corsguard_django.checks import configuration, cookies, installation, views  # noqa: PLC0415

    for check in (
        configuration.check_configuration,
        installation.check_installation,
        cookies.check_cookies,
        views.check_reach,
    ):
        django_checks.register(check, TAG)
