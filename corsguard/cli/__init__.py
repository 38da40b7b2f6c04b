"""``corsguard`` on the command line: ``check``, ``scan``, ``lint``, ``migrate``.

Standard library only (``argparse``, ``http.client``), so it runs wherever
corsguard is installed, against any server, corsguard or not. Each
subcommand is a sub-package (``check``, ``scan``, ``lint``, ``migrate``)
with ``add_parser(subparsers)`` and ``run(args) -> int``; ``wire``,
``network`` and ``fetch`` are the HTTP and DNS they share, ``frameworks``
hosts them under ``manage.py`` and ``flask``, and ``plugins`` finds the
framework loaders ``lint`` and ``migrate`` read projects with (the
``corsguard.frameworks`` entry points). Exit codes: 0 fine, 1
findings or errors at or above the threshold, 2 usage or network error.

The top layer: it may import every layer below (``corsguard._engine``,
``_pipeline``, ``_origins``, ``_adapters``); none of them imports it, and it
imports no framework package: frameworks plug in (``.importlinter``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from corsguard import __version__
from corsguard.cli import plugins

# Each a module of this package.
SUBCOMMANDS = ("check", "scan", "lint", "migrate")


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="corsguard",
        description="Check a live endpoint the way a browser would, find its CORS holes, lint a configuration, "
        "move a project from django-cors-headers or flask-cors.",
    )
    top.add_argument("--version", action="version", version=f"corsguard {__version__}")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"corsguard.cli.{name}")
        module.add_parser(subparsers)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """The console script ``corsguard`` and ``python -m corsguard``."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = next((argument for argument in arguments if not argument.startswith("-")), None)
    # Frameworks are loaded only for the subcommands that read a project (and for --help).
    reads = command not in SUBCOMMANDS or command in plugins.READERS
    with contextlib.nullcontext() if reads else plugins.unused():
        top = parser()
    try:
        args = top.parse_args(arguments)
    except SystemExit as exit_:
        # argparse exits 2 on usage errors and 0 for --help; keep both.
        return int(exit_.code or 0)
    module = importlib.import_module(f"corsguard.cli.{args.command}")
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_USAGE
