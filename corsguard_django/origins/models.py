"""The table of origins allowed at run time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from corsguard_django.origins.validators import validate_origin, validate_under_settings


class OriginQuerySet(models.QuerySet["AllowedOrigin"]):
    def bulk_create(self, objs: Iterable[AllowedOrigin], *args: Any, **kwargs: Any) -> list[AllowedOrigin]:
        """The same validation as the admin, for every row (uniqueness is left
        to the database's constraint, one query instead of one per row)."""
        rows = list(objs)
        for row in rows:
            row.full_clean(validate_unique=False)
        return super().bulk_create(rows, *args, **kwargs)


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

    objects = OriginQuerySet.as_manager()

    class Meta:
        ordering = ("origin",)
        verbose_name = "allowed origin"

    def clean(self) -> None:
        """Refused in the admin (and ``bulk_create``) when the settings could never allow it."""
        if self.origin:
            try:
                validate_origin(self.origin)
            except ValidationError:
                return  # the field's own validator reports it
            validate_under_settings(self.origin)

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
