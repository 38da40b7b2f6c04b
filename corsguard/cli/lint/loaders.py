"""Where ``corsguard lint`` finds a configuration, loaded without starting a server.

The environment (``CORSGUARD_*``), a TOML or JSON file in the shared
upper-case vocabulary, a Django settings module (``django.setup()``, then
what the middleware would compile), or a Flask app (imported, or built by
its factory, then what ``init_app`` compiled). Each is read the way the
adapter reads it (B2.4), so lint sees exactly what the server would.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.policy import Policy
from corsguard._pipeline import config
from corsguard._pipeline.paths import PathRules

# The table or key a file may keep its settings under.
FILE_TABLE = "corsguard"
_FLASK_NAMES = ("app", "application", "create_app", "make_app")


class SourceError(Exception):
    """The configuration could not even be loaded (no such module or file)."""


@dataclass(frozen=True)
class Note:
    """A message of the framework's own checks (Django's system checks)."""

    id: str
    level: str
    message: str
    hint: str = ""


@dataclass
class Loaded:
    """A configuration as the server would compile it, or why it would not start."""

    source: str
    production: bool
    rules: PathRules | None = None
    problems: list[Problem] = field(default_factory=list)
    # Views with their own declaration: (label, policy, or None when exempt).
    views: list[tuple[str, Policy | None]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _compiled(source: str, production: bool, mapping: Mapping[str, object], env: Mapping[str, str] | None) -> Loaded:
    try:
        configuration = config.load(mapping, environ=env)
    except PolicyError as error:
        return Loaded(source, production, problems=list(error.problems))
    return Loaded(source, production, configuration.pipeline.rules)


def from_env(environ: Mapping[str, str]) -> Loaded:
    """``CORSGUARD_*`` variables alone, as a middleware given no policy reads them."""
    return _compiled("the environment (CORSGUARD_*)", True, {}, environ)


def read_file(path: str) -> dict[str, object]:
    """A file's settings: its ``[corsguard]`` table (or ``corsguard`` key), else
    its top level. PATHS pairs become tuples; ``false`` switches CORS off,
    since TOML has no null."""
    file = Path(path)
    try:
        if file.suffix == ".toml":
            if sys.version_info < (3, 11):
                raise SourceError("reading TOML needs Python 3.11 or later (tomllib); use a JSON file")
            # By name: the type checker targets 3.10, which has no tomllib.
            data: Any = importlib.import_module("tomllib").loads(file.read_text(encoding="utf-8"))
        elif file.suffix == ".json":
            data = json.loads(file.read_text(encoding="utf-8"))
        else:
            raise SourceError(f"{path}: write the settings in a .toml or .json file")
    except (OSError, ValueError) as error:
        raise SourceError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: the settings must be a table (an object)")
    table = next((value for key, value in data.items() if key.lower() == FILE_TABLE and isinstance(value, dict)), data)
    settings = dict(table)
    paths = settings.get("PATHS")
    if isinstance(paths, list):
        settings["PATHS"] = [tuple(item) if isinstance(item, list) and len(item) == 2 else item for item in paths]
    return settings


def from_file(path: str, environ: Mapping[str, str] | None) -> Loaded:
    """A settings file; with ``environ``, CORSGUARD_* variables laid over it."""
    shown = f"{path}" + (" with the environment (CORSGUARD_*) over it" if environ is not None else "")
    return _compiled(shown, True, read_file(path), environ)


def from_django(module: str | None) -> Loaded:
    """A Django project's ``CORSGUARD``: ``module`` is imported and Django set up
    (no server, no database); None means Django is already set up (manage.py)."""
    if module is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = module
        _import_path()
        import django  # noqa: PLC0415

        try:
            django.setup()
        except ImportError as error:
            raise SourceError(f"cannot import the Django settings {module!r}: {error}") from None
    from django.conf import settings  # noqa: PLC0415

    from corsguard_django import conf  # noqa: PLC0415

    name = getattr(settings, "SETTINGS_MODULE", None) or os.environ.get("DJANGO_SETTINGS_MODULE")
    loaded = Loaded(f"the Django settings {name!r}", not settings.DEBUG)
    try:
        pipeline = conf.load_configuration().pipeline
        loaded.rules = pipeline.rules
        loaded.views = conf.load_views(pipeline).declared
    except PolicyError as error:
        loaded.problems.extend(error.problems)
    loaded.notes = _django_notes()
    return loaded


def _django_notes() -> list[Note]:
    """corsguard's Django system checks that the core's problems and lint do
    not already say: middleware order, cookies and CSRF, installation."""
    from django.core import checks  # noqa: PLC0415

    from corsguard_django.checks import TAG  # noqa: PLC0415
    from corsguard_django.checks.configuration import LINT_IDS, OTHER_LINT_ID  # noqa: PLC0415

    said = {f"corsguard_django.{number}" for number in (*LINT_IDS.values(), OTHER_LINT_ID, "E001", "E002")}
    notes = []
    for message in checks.run_checks(tags=[TAG]):
        if message.id in said:
            continue
        level = "error" if message.level >= checks.ERROR else "warning" if message.level >= checks.WARNING else "info"
        notes.append(Note(str(message.id), level, str(message.msg), str(message.hint or "")))
    return notes


def from_flask(spec: str) -> Loaded:
    """``MODULE:APP`` (an app, or a factory called without arguments) or
    ``MODULE`` (its ``app``, ``application``, ``create_app`` or ``make_app``)."""
    module_name, _, name = spec.partition(":")
    _import_path()
    try:
        module = importlib.import_module(module_name)
    except PolicyError as error:
        return Loaded(f"the Flask app {spec!r}", True, problems=list(error.problems))
    except ImportError as error:
        raise SourceError(f"cannot import {module_name!r}: {error}") from None
    names = (name,) if name else _FLASK_NAMES
    found = next((getattr(module, candidate) for candidate in names if hasattr(module, candidate)), None)
    if found is None:
        raise SourceError(f"{module_name!r} has no {' or '.join(names)}")
    return from_flask_loader(lambda: found if hasattr(found, "extensions") else found(), f"the Flask app {spec!r}")


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
        loaded = _compiled(source, production, flask_config.merged_settings(app.config, {}), os.environ)
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


def _import_path() -> None:
    """Import from the current directory, as ``manage.py`` and ``flask`` do."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
