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


def reconfigure(policy: object = None) -> None:
    """Swap in a new CORS configuration at once (docs/behaviour.md B9.5).

    ``policy`` is a ``corsguard.Policy`` or ``PathRules``, a mapping in the
    ``CORSGUARD`` vocabulary (``CORSGUARD_*`` variables still override it,
    unless it says ``"USE_ENVIRONMENT": False``), or None to read
    ``settings.CORSGUARD`` again. Declared views are derived on the new
    policy first: a ``PolicyError`` leaves the old configuration in place.
    Requests under way finish under the configuration they started with.
    """
    from corsguard_django import conf  # noqa: PLC0415 - needs Django's settings, read only when called

    conf.install(conf.pipeline_for(policy))
