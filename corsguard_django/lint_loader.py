"""``corsguard lint --django-settings MODULE`` and ``manage.py corsguard lint``:
a Django project's ``CORSGUARD`` as the middleware would compile it.

Registered in the ``corsguard.frameworks`` entry-point group, so the
command line finds it without naming Django (``corsguard.cli.plugins``).
Django is imported only when a project is loaded: ``corsguard check``
must work where Django is not installed.
"""

from __future__ import annotations

import argparse
import os

from corsguard._engine.errors import PolicyError
from corsguard.cli.plugins import Loaded, Note, Option, SourceError, import_from_cwd


def from_django(module: str | None) -> Loaded:
    """A Django project's ``CORSGUARD``: ``module`` is imported and Django set up
    (no server, no database); None means Django is already set up (manage.py)."""
    if module is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = module
        import_from_cwd()
        import django  # noqa: PLC0415

        try:
            django.setup()
        except ImportError as error:
            raise SourceError(f"cannot import the Django settings {module!r}: {error}") from None
    from django.conf import settings  # noqa: PLC0415

    from corsguard_django import conf  # noqa: PLC0415

    loaded = Loaded(f"the Django settings {settings_module()!r}", not settings.DEBUG)
    try:
        pipeline = conf.load_configuration().pipeline
        loaded.rules = pipeline.rules
        loaded.views = conf.load_views(pipeline).declared
    except PolicyError as error:
        loaded.problems.extend(error.problems)
    loaded.notes = _django_notes()
    return loaded


def settings_module() -> str | None:
    """The settings module Django runs with (``manage.py``'s own, or ``--settings``)."""
    from django.conf import settings  # noqa: PLC0415

    return getattr(settings, "SETTINGS_MODULE", None) or os.environ.get("DJANGO_SETTINGS_MODULE")


def _django_notes() -> list[Note]:
    """corsguard's Django system checks that the core's problems and lint do
    not already say: middleware order, cookies and CSRF, installation."""
    from django.core import checks  # noqa: PLC0415

    from corsguard_django.checks import TAG  # noqa: PLC0415
    from corsguard_django.checks.configuration import LINT_IDS, OTHER_LINT_ID  # noqa: PLC0415

    said = {f"corsguard_django.{number}" for number in (*LINT_IDS.values(), OTHER_LINT_ID, "E001", "E002")}
    notes = []
    for message in checks.run_checks(tags=[TAG]):
        if message.id in said:
            continue
        level = "error" if message.level >= checks.ERROR else "warning" if message.level >= checks.WARNING else "info"
        notes.append(Note(str(message.id), level, str(message.msg), str(message.hint or "")))
    return notes


class DjangoFramework:
    """The ``corsguard.frameworks`` entry point for Django."""

    name = "django"
    option = Option(
        "--django-settings",
        "MODULE",
        "a Django settings module (django.setup() only)",
        migrates=("django-cors-headers",),
    )

    def load(self, args: argparse.Namespace) -> Loaded:
        return from_django(getattr(args, self.option.dest))


FRAMEWORK = DjangoFramework()
