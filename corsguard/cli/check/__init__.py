"""``corsguard check``: one request replayed the way a browser would send it,
and the browser's verdict with the reason and the fix.

Modules: ``command`` (the subcommand), ``verdict`` (the browser model's
answer in words), ``fixes`` (what to change), ``server`` (whether the
server is corsguard, from its answers).
"""

from __future__ import annotations

from corsguard.cli.check.command import add_parser, run

__all__ = ["add_parser", "run"]
