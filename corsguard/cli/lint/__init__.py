"""``corsguard lint``: a configuration read as the application loads it, and
what it allows that production should not.

Modules: ``command`` (the subcommand), ``loaders`` (settings from Django,
Flask, a mapping or the environment), ``matching`` (which entry lets an
origin in).
"""

from __future__ import annotations

from corsguard.cli.lint.command import add_parser, run

__all__ = ["add_parser", "run"]
