"""The admin for allowed origins: corsguard's grammar refuses a bad value in the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from corsguard_django.origins.models import AllowedOrigin

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[AllowedOrigin]
else:  # ModelAdmin is generic only to type checkers
    ModelAdmin = admin.ModelAdmin


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(ModelAdmin):
    list_display = ("origin", "is_active", "note", "created")
    list_filter = ("is_active",)
    search_fields = ("origin", "note")
