"""``python manage.py corsguard check|lint|...``: corsguard's command line in a Django project.

The subcommands and options are the console script's (``corsguard.cli``);
``lint`` reads this project's settings unless told otherwise, and
``migrate --from django-cors-headers`` this project's settings module.
Django's own options (``--settings``, ``--pythonpath``, ``--verbosity`` ...)
are accepted after the subcommand too, as with any management command
(``manage.py`` applies ``--settings`` and ``--pythonpath`` wherever they
are). The command skips Django's system checks before running, because
reporting a broken configuration is what ``lint`` is for.
"""

from __future__ import annotations

import argparse
import copy
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corsguard.cli import frameworks
from corsguard_django.lint_loader import FRAMEWORK, from_django, settings_module


class Command(BaseCommand):
    help = "corsguard's command line: check a live endpoint, lint this project's CORS configuration, ..."
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="corsguard_command", required=True)
        frameworks.add_subcommands(subparsers)
        for subparser in subparsers.choices.values():
            _accept_django_options(parser, subparser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["corsguard_command"]
        answers = {FRAMEWORK.option.dest: module} if (module := settings_module()) else {}
        code = frameworks.run(name, argparse.Namespace(**options), lambda: from_django(None), answers)
        if code:
            sys.exit(code)


def _accept_django_options(parser: argparse.ArgumentParser, subparser: argparse.ArgumentParser) -> None:
    """BaseCommand's options (``--settings``, ``--verbosity`` ...) on a
    subcommand too. Each copy is given only when typed there (no default),
    so the top-level default stays; corsguard's own options keep their
    meaning where a name is shared."""
    taken = {flag for action in subparser._actions for flag in action.option_strings}
    for action in parser._actions:
        flags = action.option_strings
        if not flags or action.dest == "help" or taken.intersection(flags):
            continue
        if action.dest not in _DJANGO_OPTIONS:
            continue
        twin = copy.copy(action)
        twin.default = argparse.SUPPRESS
        subparser._add_action(twin)


# BaseCommand.create_parser's options (Django 5.2 to 6.1), by dest.
_DJANGO_OPTIONS = frozenset(
    {"version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"}
)
