"""Allowed origins kept in the database, for multi-tenant sites (docs/behaviour.md B9).

Add ``"corsguard_django.origins"`` to ``INSTALLED_APPS``, run ``migrate``, and
point the resolver at the ready-made one::

    CORSGUARD = {
        "ALLOWED_ORIGINS": ["https://app.example.com"],   # your own front-ends
        "ORIGIN_RESOLVER": "corsguard_django.origins.resolver.allowed",
    }

Each customer's front-end is then an ``AllowedOrigin`` row, edited in the
admin, validated with corsguard's origin grammar, and saving or deleting one
drops the resolver's cached answers in this process at once.
"""
