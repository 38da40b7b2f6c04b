"""``corsguard migrate``: a project's django-cors-headers, flask-cors or
Starlette CORS configuration as corsguard settings, with every place where
corsguard will behave differently, one coded line each.

The settings printed are built as corsguard would build them at start-up;
what corsguard refuses (any origin with credentials, ``null`` with
credentials ...) is printed with what to change, and the exit code is 1, so
a migration is never refused silently on the first deploy.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, plugins
from corsguard.cli.migrate.report import Migration, render_json, render_text

SOURCES = ("django-cors-headers", "flask-cors", "starlette")
_APP_NAMES = ("app", "application", "create_app", "make_app")


class LoadError(Exception):
    """The project named on the command line cannot be imported."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="translate a django-cors-headers, flask-cors or Starlette configuration to corsguard",
        description="Print the corsguard settings equivalent to a project's current CORS library, the edits to "
        "make, and every place where corsguard behaves differently. Exit 0 ready to use, 1 something to fill in "
        "or a setting corsguard refuses, 2 usage error.",
    )
    parser.add_argument("--from", dest="source", choices=SOURCES, required=True, help="the library used today")
    plugins.add_options(parser, migrating=True)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def run(args: argparse.Namespace) -> int:
    try:
        migration = migrate(args.source, _project(args))
    except LoadError as error:
        print(f"corsguard migrate: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(render_json(migration) if args.json else render_text(migration), end="" if not args.json else "\n")
    return EXIT_OK if migration.ok else EXIT_FINDINGS


def _project(args: argparse.Namespace) -> str:
    """The project ``--from`` reads, named by the framework option that serves it."""
    option = plugins.option_for(args.source)
    if option is None:
        raise LoadError(f"--from {args.source}: no installed framework loader reads that project")
    value = getattr(args, option.dest, None)
    if not value:
        raise LoadError(f"--from {args.source} needs {option.flag} {option.metavar}")
    return str(value)


def migrate(source: str, project: str) -> Migration:
    """The migration of ``project`` (a settings module, or ``MODULE[:APP]``);
    ``LoadError`` when it cannot be loaded."""
    if source == "django-cors-headers":
        from corsguard.cli.migrate import from_django as migrate_django  # noqa: PLC0415

        return migrate_django.translate(_import(project))
    if source == "flask-cors":
        from corsguard.cli.migrate import from_flask as migrate_flask  # noqa: PLC0415

        with migrate_flask.unknown_options() as unknown:
            app = _app(project)
        return migrate_flask.translate(app, unknown)
    from corsguard.cli.migrate import from_starlette as migrate_starlette  # noqa: PLC0415

    return migrate_starlette.translate(_app(project))


def _import(name: str) -> Any:
    """A module, imported from the current directory as manage.py would."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(name)
    except Exception as error:  # a settings module can fail in any way
        raise LoadError(f"cannot import {name!r}: {type(error).__name__}: {error}") from None


def _app(spec: str) -> Any:
    """``MODULE:APP`` (an app, or a factory called without arguments) or
    ``MODULE`` (its ``app``, ``application``, ``create_app`` or ``make_app``)."""
    module_name, _, name = spec.partition(":")
    module = _import(module_name)
    names = (name,) if name else _APP_NAMES
    found = next((getattr(module, candidate) for candidate in names if hasattr(module, candidate)), None)
    if found is None:
        raise LoadError(f"{module_name!r} has no {' or '.join(names)}")
    if hasattr(found, "user_middleware") or hasattr(found, "after_request_funcs"):
        return found
    try:
        return found()
    except Exception as error:
        raise LoadError(f"{spec!r}: the factory raised {type(error).__name__}: {error}") from None
