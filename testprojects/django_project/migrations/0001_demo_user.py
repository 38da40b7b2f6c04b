"""The demo user the login endpoint accepts: alice / wonderland."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import migrations

DEMO_USERNAME = "alice"
DEMO_PASSWORD = "wonderland"


def create_demo_user(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("auth", "User")
    user_model.objects.update_or_create(
        username=DEMO_USERNAME, defaults={"password": make_password(DEMO_PASSWORD), "is_active": True}
    )


def remove_demo_user(apps: Any, schema_editor: Any) -> None:
    apps.get_model("auth", "User").objects.filter(username=DEMO_USERNAME).delete()


class Migration(migrations.Migration):
    dependencies = (("auth", "0012_alter_user_first_name_max_length"),)
    operations = (migrations.RunPython(create_demo_user, remove_demo_user),)
