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
