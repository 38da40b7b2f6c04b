"""How a framework plugs into ``corsguard lint`` and ``corsguard migrate``.

The command line knows no framework by name: it would otherwise import the
framework packages' internals, and a new framework would mean editing the
core. A framework package instead registers one object in the
``corsguard.frameworks`` entry-point group of its distribution::

    [project.entry-points."corsguard.frameworks"]
    django = "corsguard_django.lint_loader:FRAMEWORK"

The object gives the option that names its project (``--django-settings
MODULE``), the ``migrate --from`` sources that option serves, and
``load(args)``, which returns the core's ``Loaded``. Its module must import
the framework itself only inside ``load``, so that ``corsguard check``
works where the framework is not installed.

Entry points are read from the installed metadata. A source checkout run
from ``PYTHONPATH`` (a working tree whose metadata was installed from
another checkout, or never installed) also reads the group from the
``pyproject.toml`` beside the ``corsguard`` package it imported; that file
wins, since it describes the code that runs.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import functools
import importlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from corsguard._engine.errors import Problem
from corsguard._engine.lint import Finding
from corsguard._engine.policy import Policy
from corsguard._pipeline.paths import PathRules

GROUP = "corsguard.frameworks"
# The subcommands that read a framework's project; the others never load a loader.
READERS = ("lint", "migrate")
# Set while building a parser for a command that reads no project.
_unused: contextvars.ContextVar[bool] = contextvars.ContextVar("corsguard_frameworks_unused", default=False)


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
    # Said of the source as a whole (nothing allowed anywhere), before each policy's own.
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Option:
    """The command-line option naming a framework's project."""

    flag: str
    metavar: str
    help: str
    # ``migrate --from`` sources that read the project this option names.
    migrates: tuple[str, ...] = ()

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@runtime_checkable
class Framework(Protocol):
    """One framework's loader, as the ``corsguard.frameworks`` entry point gives it."""

    name: str
    option: Option

    def load(self, args: argparse.Namespace) -> Loaded:
        """The configuration the option names, as the server would compile it;
        ``SourceError`` when it cannot even be imported."""
        ...


@dataclass(frozen=True)
class Registry:
    """The frameworks found, and those whose entry point failed to load (with why)."""

    frameworks: tuple[Framework, ...]
    broken: tuple[tuple[str, str], ...] = ()

    def given(self, args: argparse.Namespace) -> list[Framework]:
        """The frameworks whose option was given."""
        return [framework for framework in self.frameworks if getattr(args, framework.option.dest, None)]

    def flags(self) -> list[str]:
        return [framework.option.flag for framework in self.frameworks]


@functools.cache
def registry() -> Registry:
    """Every registered framework, in name order (the order of the options in ``--help``)."""
    found: list[Framework] = []
    broken: list[tuple[str, str]] = []
    for entry in sorted(_entry_points().values(), key=lambda entry: entry.name):
        try:
            framework = entry.load()
        except ImportError as error:
            # Its framework is not installed: the rest of the command line still works.
            broken.append((entry.name, f"{type(error).__name__}: {error}"))
            continue
        if not isinstance(framework, Framework):
            broken.append((entry.name, f"{entry.value} is not a corsguard.cli.plugins.Framework"))
            continue
        found.append(framework)
    return Registry(tuple(found), tuple(broken))


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    installed = {entry.name: entry for entry in importlib.metadata.entry_points(group=GROUP)}
    declared = {
        name: importlib.metadata.EntryPoint(name, value, GROUP) for name, value in checkout_entry_points().items()
    }
    return installed | declared


def checkout_entry_points(root: Path | None = None) -> dict[str, str]:
    """The group as the source checkout's ``pyproject.toml`` declares it, when
    ``corsguard`` is imported from a checkout (empty for an installed wheel)."""
    if root is None:
        root = Path(__file__).resolve().parents[2]
    pyproject = root / "pyproject.toml"
    try:
        tomllib: Any = importlib.import_module("tomllib")  # 3.11+; by name for the 3.10 type check
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        return {}
    project = data.get("project", {})
    if project.get("name") != "corsguard":
        return {}
    group = project.get("entry-points", {}).get(GROUP, {})
    return {str(name): str(value) for name, value in group.items()}


@contextlib.contextmanager
def unused() -> Iterator[None]:
    """Build parsers without the frameworks' options: ``corsguard check`` and
    ``scan`` would otherwise import every framework (Flask ...) on each run
    only to parse options they never read."""
    token = _unused.set(True)
    try:
        yield
    finally:
        _unused.reset(token)


def add_options(group: argparse._ArgumentGroup | argparse.ArgumentParser, *, migrating: bool = False) -> None:
    """Each framework's option (for ``migrate``, those that serve a ``--from``)."""
    if _unused.get():
        return
    for framework in registry().frameworks:
        option = framework.option
        if migrating and not option.migrates:
            continue
        shown = f"the project that --from {' or '.join(option.migrates)} reads" if migrating else option.help
        group.add_argument(option.flag, dest=option.dest, metavar=option.metavar, help=shown)


def option_for(source: str) -> Option | None:
    """The option that names the project ``migrate --from source`` reads."""
    return next((framework.option for framework in registry().frameworks if source in framework.option.migrates), None)


def import_from_cwd() -> None:
    """Import a project from the current directory, as ``manage.py`` and ``flask`` do."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())


def find_app(spec: str, names: tuple[str, ...], is_app: Callable[[Any], bool]) -> Any:
    """``MODULE:NAME`` or ``MODULE`` (its first attribute among ``names``):
    the app, or what a factory (called without arguments) returns.
    ``SourceError`` when the module or the name is missing."""
    module_name, _, name = spec.partition(":")
    import_from_cwd()
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SourceError(f"cannot import {module_name!r}: {error}") from None
    wanted = (name,) if name else names
    found = next((getattr(module, candidate) for candidate in wanted if hasattr(module, candidate)), None)
    if found is None:
        raise SourceError(f"{module_name!r} has no {' or '.join(wanted)}")
    return found if is_app(found) else found()
