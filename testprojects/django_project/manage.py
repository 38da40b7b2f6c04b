#!/usr/bin/env python
"""``python testprojects/django_project/manage.py runserver|check``.

No database to migrate: log in as alice / wonderland (see auth.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    # The project is imported as testprojects.django_project: put the
    # repository root on the path whichever directory this is run from.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testprojects.django_project.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
