"""The test project as an app, so its migration can create the demo user."""

from __future__ import annotations

from django.apps import AppConfig


class DjangoProjectConfig(AppConfig):
    name = "testprojects.django_project"
    label = "corsguard_test_project"
    default_auto_field = "django.db.models.AutoField"
