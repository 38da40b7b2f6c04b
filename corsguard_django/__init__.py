"""corsguard for Django.

Add ``"corsguard_django"`` to ``INSTALLED_APPS`` (it registers the system
checks) and ``"corsguard_django.middleware.CorsGuardMiddleware"`` at the top
of ``MIDDLEWARE``, then configure one ``CORSGUARD`` dict in the core's
settings vocabulary. Per-view policies live in ``corsguard_django.decorators``.

Everything about CORS itself is decided by ``corsguard`` (``Policy``,
``PathRules``); this package only translates between Django and the engine.
"""

MIDDLEWARE_PATH = "corsguard_django.middleware.CorsGuardMiddleware"
APP_NAME = "corsguard_django"
