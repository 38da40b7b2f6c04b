"""``python manage.py corsguard check|lint|...``: corsguard's command line in a Django project.

The subcommands and options are the console script's (``corsguard.cli``);
``lint`` reads this project's settings unless told otherwise. The command
skips Django's system checks before running, because reporting a broken
configuration is what ``lint`` is for.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corsguard.cli import frameworks
from corsguard.cli.lint import loaders


class Command(BaseCommand):
    help = "corsguard's command line: check a live endpoint, lint this project's CORS configuration, ..."
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        frameworks.add_subcommands(parser.add_subparsers(dest="corsguard_command", required=True))

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["corsguard_command"]
        code = frameworks.run(name, argparse.Namespace(**options), lambda: loaders.from_django(None))
        if code:
            sys.exit(code)
