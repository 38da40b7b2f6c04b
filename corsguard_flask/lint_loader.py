"""``corsguard lint --flask-app MODULE[:APP]`` and ``flask corsguard lint``:
what ``init_app`` compiled on a Flask app, views added after it included.

Registered in the ``corsguard.frameworks`` entry-point group, so the
command line finds it without naming Flask (``corsguard.cli.plugins``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from corsguard._engine.errors import PolicyError
from corsguard.cli.lint.loaders import compiled
from corsguard.cli.plugins import Loaded, Note, Option, find_app

_FLASK_NAMES = ("app", "application", "create_app", "make_app")


def from_flask(spec: str) -> Loaded:
    """``MODULE:APP`` (an app, or a factory called without arguments) or
    ``MODULE`` (its ``app``, ``application``, ``create_app`` or ``make_app``)."""
    source = f"the Flask app {spec!r}"
    try:
        app = find_app(spec, _FLASK_NAMES, lambda found: hasattr(found, "extensions"))
    except PolicyError as error:
        return Loaded(source, True, problems=list(error.problems))
    return from_flask_app(app, source)


def from_flask_loader(load: Callable[[], Any], source: str | None = None) -> Loaded:
    """The app ``load()`` returns (``flask``'s own loading), or the problems
    that stopped its factory; ``source`` defaults to the app's import name."""
    try:
        app = load()
    except PolicyError as error:
        return Loaded(source or "the Flask app", True, problems=list(error.problems))
    return from_flask_app(app, source or f"the Flask app {app.import_name!r}")


def from_flask_app(app: Any, source: str) -> Loaded:
    """A Flask app object: what ``init_app`` compiled, or its CORSGUARD_* config
    when corsguard is not set up on it."""
    from corsguard_flask import EXTENSION_KEY, AppState  # noqa: PLC0415
    from corsguard_flask import config as flask_config  # noqa: PLC0415
    from corsguard_flask.advice import advice  # noqa: PLC0415

    production = not (app.debug or app.testing)
    state = app.extensions.get(EXTENSION_KEY)
    if not isinstance(state, AppState):
        loaded = compiled(source, production, flask_config.merged_settings(app.config, {}), os.environ)
        loaded.notes.append(Note("flask", "warning", "corsguard is not set up on this app (no init_app).", ""))
        return loaded
    loaded = Loaded(source, production, state.pipeline.rules)
    try:
        state.refresh()  # views registered after init_app, as the first request would
        loaded.views = [
            (f"view {endpoint!r}", state.pipeline.derived(declaration))
            for endpoint, item in state.table.items()
            for declaration in item.declarations()
        ]
    except PolicyError as error:
        loaded.problems.extend(error.problems)
    loaded.notes.extend(Note("flask-unreached", "error", message) for message in state.unreached())
    loaded.notes.extend(Note(item.id, "warning", item.message, item.hint) for item in advice(app, state.pipeline))
    return loaded


class FlaskFramework:
    """The ``corsguard.frameworks`` entry point for Flask."""

    name = "flask"
    option = Option(
        "--flask-app", "MODULE[:APP]", "a Flask app, or a factory called without arguments", migrates=("flask-cors",)
    )

    def load(self, args: argparse.Namespace) -> Loaded:
        return from_flask(getattr(args, self.option.dest))


FRAMEWORK = FlaskFramework()
