"""``flask corsguard check|lint|...``: corsguard's command line in a Flask project.

Registered through the ``flask.commands`` entry point. The subcommands and
options are the console script's (``corsguard.cli``), parsed by the same
``argparse`` parser; ``lint`` reads the app ``flask`` loaded (``--app`` or
``FLASK_APP``) unless told otherwise.
"""

from __future__ import annotations

import sys

import click
from flask.cli import ScriptInfo

from corsguard.cli import frameworks
from corsguard.cli.plugins import Loaded
from corsguard_flask.lint_loader import from_flask_loader


@click.group(help="corsguard's command line: check a live endpoint, lint this app's CORS configuration, ...")
def corsguard() -> None:
    pass


def _forward(name: str) -> click.Command:
    """A click command that hands its arguments to corsguard's own parser."""

    @click.pass_context
    def command(context: click.Context, args: tuple[str, ...]) -> None:
        parsed = frameworks.parser("flask corsguard").parse_args([name, *args])

        def project() -> Loaded:
            return from_flask_loader(context.ensure_object(ScriptInfo).load_app)

        code = frameworks.run(name, parsed, project)
        if code:
            sys.exit(code)

    command.__name__ = name
    decorated = click.argument("args", nargs=-1, type=click.UNPROCESSED)(command)
    return click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
        help=f"corsguard {name} (flask corsguard {name} --help for its options)",
        add_help_option=False,
    )(decorated)


for _name in frameworks.available():
    corsguard.add_command(_forward(_name))
