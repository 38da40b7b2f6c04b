"""The fleet proof's Django site: one view, corsguard's middleware, the
origins app read through ``corsguard_django.origins.store.listed`` from a
real PostgreSQL (tests/proofs/test_fleet.py)."""

import os

SECRET_KEY = "fleet-proof-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "corsguard_django",
    "corsguard_django.origins",
    "tests.proofs.fleet.revoke",
]
MIDDLEWARE = ["corsguard_django.middleware.CorsGuardMiddleware"]
ROOT_URLCONF = "tests.proofs.fleet.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": os.environ.get("FLEET_PG_PORT", "18650"),
        "NAME": "postgres",
        "USER": "postgres",
        "CONN_MAX_AGE": None,
    }
}
CORSGUARD = {
    "ALLOWED_ORIGINS": ["https://app.example.com"],
    "ALLOW_CREDENTIALS": True,
    "ORIGIN_RESOLVER": "corsguard_django.origins.store.listed",
    "USE_ENVIRONMENT": False,
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
