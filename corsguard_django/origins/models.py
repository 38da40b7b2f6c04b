"""The table of origins allowed at run time."""

from __future__ import annotations

from django.db import models

from corsguard_django.origins.validators import validate_origin


class AllowedOrigin(models.Model):
    # B1.1: a serialized origin fits in 300 characters.
    origin: models.CharField[str, str] = models.CharField(max_length=300, unique=True, validators=[validate_origin])
    is_active: models.BooleanField[bool, bool] = models.BooleanField(
        default=True, help_text="Only active origins are allowed."
    )
    note: models.CharField[str, str] = models.CharField(
        max_length=200, blank=True, help_text="Whose front-end this is."
    )
    created: models.DateTimeField[object, object] = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("origin",)
        verbose_name = "allowed origin"

    def __str__(self) -> str:
        return str(self.origin)


class OriginsVersion(models.Model):
    """One row whose ``version`` changes with every change to ``AllowedOrigin``.

    Database triggers (migration 0002, PostgreSQL and SQLite) bump it for
    every write, whatever made it: the admin, ``QuerySet.update()``,
    ``bulk_create``, a data migration, raw SQL. Each process polls it (B14).
    """

    version: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)

    class Meta:
        db_table = "corsguard_origins_version"
        verbose_name = "allowed origins version"
