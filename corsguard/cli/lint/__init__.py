"""``corsguard lint``: a configuration read as the application loads it, and
what it allows that production should not.

Modules: ``command`` (the subcommand), ``loaders`` (settings from a file
or the environment), ``asgi_loader`` (a Starlette or FastAPI app, plugged in
as a framework like Django's and Flask's loaders: ``corsguard.cli.plugins``),
``matching`` (which entry lets an origin in).
"""

from __future__ import annotations

from corsguard.cli.lint.command import add_parser, run

__all__ = ["add_parser", "run"]
