"""Settings of the corsguard Django test project.

A small, real project: a JSON API with session login, served to a
front-end on another loopback port (``http://localhost:3000`` by default).
The front-end origins come from ``FRONTEND_ORIGINS`` (comma-separated), so
a browser suite can start the API for whatever port it serves pages on.

Cookies: a page on ``http://localhost:3000`` calling ``http://localhost:8000``
is cross-origin but same-site (the port is not part of the site), so the
default ``SameSite=Lax`` session and CSRF cookies are sent with
``credentials: "include"``. Keep the front-end on ``localhost`` too: a page
on ``127.0.0.1`` would be cross-site and its cookies would need
``SameSite=None; Secure`` (HTTPS).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "corsguard-test-project-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

FRONTEND_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("FRONTEND_ORIGINS", "http://localhost:3000").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "corsguard_django",
    # Customers' front-ends kept in the database, edited in the admin (B9);
    # switched on by CORSGUARD["ORIGIN_RESOLVER"] (see TENANT_ORIGINS below).
    "corsguard_django.origins",
]

MIDDLEWARE = [
    # First: preflights are answered before anything below can refuse or
    # redirect them, and every response below gets its CORS headers.
    "corsguard_django.middleware.CorsGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every view needs a logged-in user unless marked @login_not_required;
    # API clients get 401 JSON instead of a redirect to a login page.
    "testprojects.django_project.middleware.ApiLoginRequiredMiddleware",
]

CORSGUARD = {
    "ALLOWED_ORIGINS": FRONTEND_ORIGINS,
    "ALLOW_CREDENTIALS": True,
    "EXPOSE_HEADERS": ["x-total-count"],
    # Chromium caps preflight caching at 2 hours; asking for more gains nothing.
    "MAX_AGE": 7200,
}

# Unsafe requests from the front-end pass Django's Origin check.
CSRF_TRUSTED_ORIGINS = FRONTEND_ORIGINS
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Plain http on loopback; set both to True behind HTTPS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

ROOT_URLCONF = "testprojects.django_project.urls"
WSGI_APPLICATION = "testprojects.django_project.wsgi.application"
ASGI_APPLICATION = "testprojects.django_project.asgi.application"

# The API reads and writes no database: sessions live in signed cookies and
# the demo user in memory (auth.py), so it runs inside any test process as it
# is. The database (outside the repository) holds the admin's users and the
# AllowedOrigin rows of corsguard_django.origins.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_PROJECT_DB", str(Path(tempfile.gettempdir()) / "corsguard-project.sqlite3")),
        # The test database is a file, one per process (tox runs environments
        # side by side): Django's SQLite backend never closes an in-memory one,
        # and a connection left open would trip the tests that run without
        # database access.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"corsguard-project-test-{os.getpid()}.sqlite3")},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# The API's demo user lives in memory; the admin's staff users in the database.
AUTHENTICATION_BACKENDS = [
    "testprojects.django_project.auth.DemoUserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
# TENANT_ORIGINS=1 asks the database, through the admin-edited AllowedOrigin
# table, about origins the list above does not allow.
if os.environ.get("TENANT_ORIGINS") == "1":
    CORSGUARD["ORIGIN_RESOLVER"] = "corsguard_django.origins.store.listed"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
APPEND_SLASH = True

LOGGING = {
    "version": 1,
    # Keep every logger configured before this one alive, "corsguard" included:
    # its refusal lines are how a wrong origin shows up in the server log.
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"corsguard": {"handlers": ["console"], "level": "WARNING"}},
}
