"""``corsguard scan``: one endpoint or a whole API, probed with crafted
origins and preflights, each CORS hole reported with the requests that
prove it (B15).

Modules: ``probes`` (what is sent), ``probed`` (an exchange and its
evidence), ``rules``, ``vary_rules``, ``preflight_rules`` (which answer is
which hole), ``findings`` (codes and severities), ``command`` (one URL, the
subcommand), ``targets`` (--input, --openapi), ``sweep`` (many URLs,
bounded), ``report`` and ``sarif`` (output).
"""

from __future__ import annotations

from corsguard.cli.scan.command import Scan, add_parser, as_json, as_text, run, scan, trusted_origin

__all__ = ["Scan", "add_parser", "as_json", "as_text", "run", "scan", "trusted_origin"]
