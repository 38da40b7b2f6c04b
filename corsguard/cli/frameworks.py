"""The command line as the frameworks host it: ``python manage.py corsguard ...``
and ``flask corsguard ...``.

The same subcommands with the same options, parsed by ``argparse`` as the
console script parses them; the one difference is that ``lint`` reads the
project it runs in when no other source is named. The framework packages
only say how their project is loaded.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from corsguard.cli import EXIT_USAGE, SUBCOMMANDS, plugins
from corsguard.cli.lint import command as lint
from corsguard.cli.plugins import Loaded, SourceError


def available() -> list[str]:
    """The subcommands whose module is installed."""
    return [name for name in SUBCOMMANDS if importlib.util.find_spec(f"corsguard.cli.{name}") is not None]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"corsguard.cli.{name}")


def add_subcommands(subparsers: argparse._SubParsersAction[Any]) -> None:
    for name in available():
        if name == "lint":
            parser = subparsers.add_parser(
                "lint",
                help="check this project's CORS configuration without starting a server",
                description="Lint this project's CORS configuration (or the one another option names).",
            )
            lint.add_arguments(parser, framework=True)
        else:
            _module(name).add_parser(subparsers)


def parser(prog: str) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog=prog, description="corsguard's command line, in this project.")
    add_subcommands(top.add_subparsers(dest="command", required=True))
    return top


def sources(args: argparse.Namespace) -> list[str]:
    """The options naming where ``lint`` reads its configuration that were given."""
    given = [framework.option.flag for framework in plugins.registry().given(args)]
    return [*(flag for flag in ("--env", "--file") if getattr(args, flag[2:], None)), *given]


def run(
    name: str,
    args: argparse.Namespace,
    project: Callable[[], Loaded],
    answers: Mapping[str, str] | None = None,
) -> int:
    """Run subcommand ``name``; ``lint`` without a source lints ``project()``.
    ``answers``: for the other subcommands, options the host project answers
    itself when they are not given (``manage.py``'s own settings module for
    ``migrate --from django-cors-headers``), by dest."""
    if name == "lint" and not sources(args):
        try:
            loaded = project()
        except SourceError as error:
            print(f"corsguard lint: {error}", file=sys.stderr)
            return EXIT_USAGE
        return lint.run_loaded(loaded, args)
    for dest, value in (answers or {}).items() if name != "lint" else ():
        if not getattr(args, dest, None):
            setattr(args, dest, value)
    return int(_module(name).run(args))
