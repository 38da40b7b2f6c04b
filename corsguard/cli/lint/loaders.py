"""Where ``corsguard lint`` finds a configuration that no framework owns.

The environment (``CORSGUARD_*``) and a TOML or JSON file in the shared
upper-case vocabulary, each read the way the adapter reads it (B2.4), so
lint sees exactly what the server would. Frameworks (Django settings, a
Flask app, an ASGI app) bring their own loaders (``corsguard.cli.plugins``).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from corsguard._engine.errors import PolicyError
from corsguard._engine.lint import Finding
from corsguard._pipeline import config, unconfigured
from corsguard.cli.plugins import Loaded, Note, SourceError

__all__ = ["FILE_TABLE", "Loaded", "Note", "SourceError", "compiled", "from_env", "from_file", "read_file"]

# The table or key a file may keep its settings under.
FILE_TABLE = "corsguard"
# The finding's code when no policy in force lets any origin in (B2.1).
UNCONFIGURED = "unconfigured"
# The variable a middleware without a policy reads its origins from.
ENV_NAME = "CORSGUARD_ALLOWED_ORIGINS"


def compiled(
    source: str,
    production: bool,
    mapping: Mapping[str, object],
    env: Mapping[str, str] | None,
    if_nothing: Finding | None = None,
) -> Loaded:
    """``mapping`` with ``env``'s CORSGUARD_* variables over it, as ``config.load``
    compiles them; ``if_nothing`` is reported when no origin is allowed
    anywhere (B2.1)."""
    try:
        configuration = config.load(mapping, environ=env)
    except PolicyError as error:
        return Loaded(source, production, problems=list(error.problems))
    loaded = Loaded(source, production, configuration.pipeline.rules)
    if if_nothing is not None and unconfigured.allows_nothing(configuration.pipeline):
        loaded.findings.append(if_nothing)
    return loaded


def nothing_allowed(looked_for: str, found: Iterable[str], setting: str = "ALLOWED_ORIGINS") -> Finding:
    """B2.1: the warning an adapter logs at start-up when no origin is allowed
    anywhere, as a lint finding: what was looked for, and the look-alikes
    found; the fix names ``setting``, the name to write where it was looked for."""
    message = unconfigured.message(looked_for, list(found), fix="").removeprefix("corsguard ")
    return Finding(setting, [], message, f"List your front-end's origin in {setting}.", UNCONFIGURED)


def from_env(environ: Mapping[str, str]) -> Loaded:
    """``CORSGUARD_*`` variables alone, as a middleware given no policy reads them."""
    found = unconfigured.lookalikes(environ, ENV_NAME)
    if_nothing = nothing_allowed("CORSGUARD_* environment variables", found, ENV_NAME)
    return compiled("the environment (CORSGUARD_*)", True, {}, environ, if_nothing)


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
    settings = read_file(path)
    found = unconfigured.lookalikes(settings, "ALLOWED_ORIGINS")
    if environ is None:
        return compiled(shown, True, settings, None, nothing_allowed(f"ALLOWED_ORIGINS in {path}", found))
    found += unconfigured.lookalikes(environ, ENV_NAME)
    looked_for = f"ALLOWED_ORIGINS in {path} and CORSGUARD_* environment variables"
    return compiled(shown, True, settings, environ, nothing_allowed(looked_for, found))
