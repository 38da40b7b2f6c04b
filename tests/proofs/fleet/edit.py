"""The fleet proof's editor: one process that changes AllowedOrigin through
the path it is told, and prints the wall-clock time right after the commit.

Lines on stdin: ``<path> <origin>``; paths: ``add``, ``bulk_add``, ``save_off``
(an admin-style save), ``update_off`` (``QuerySet.update``), ``delete``,
``raw_off`` (raw SQL), ``bulk_many <count>`` (tenants for the flood).
"""

from __future__ import annotations

import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402

from corsguard_django.origins.models import AllowedOrigin  # noqa: E402


def apply(path: str, origin: str) -> None:
    rows = AllowedOrigin.objects
    if path == "add":
        rows.create(origin=origin)
    elif path == "bulk_add":
        rows.bulk_create([AllowedOrigin(origin=origin)])
    elif path == "bulk_many":
        count = int(origin)
        rows.bulk_create([AllowedOrigin(origin=f"https://tenant{index}.fleet.example") for index in range(count)])
    elif path == "save_off":
        row = rows.get(origin=origin)
        row.is_active = False
        row.save()
    elif path == "update_off":
        rows.filter(origin=origin).update(is_active=False)
    elif path == "delete":
        rows.get(origin=origin).delete()
    elif path == "raw_off":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE corsguard_origins_allowedorigin SET is_active = false WHERE origin = %s", [origin])
    else:
        raise ValueError(path)


def main() -> None:
    for line in sys.stdin:
        path, _, origin = line.strip().partition(" ")
        apply(path, origin)
        sys.stdout.write(f"committed {time.time()!r}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
