"""Revokes FLEET_REVOKE_ORIGIN, committed at once (not atomic), then prints
the wall-clock time of the commit for the proof to measure from."""

import os
import sys
import time
from typing import Any

from django.db import migrations


def revoke(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("corsguard_origins", "AllowedOrigin")
    model.objects.filter(origin=os.environ.get("FLEET_REVOKE_ORIGIN", "")).update(is_active=False)
    sys.stdout.write(f"committed {time.time()!r}\n")
    sys.stdout.flush()


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("corsguard_origins", "0002_version_and_triggers")]
    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
