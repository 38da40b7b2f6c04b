"""Per-route and per-blueprint declarations (``corsguard.declarations``).

``@cors_policy(**overrides)`` and ``@cors_exempt`` attach the core's
``Declaration`` to the view function itself, the way Flask reads
``methods`` or ``provide_automatic_options`` from view attributes, so they
work above or below ``@app.route`` and survive ``functools.wraps``. The core
holds the one stacking rule. Blueprint declarations live in a weak registry
keyed by the ``Blueprint`` object, which is app-independent, so one
blueprint can be registered on several apps.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from flask.sansio.blueprints import Blueprint

from corsguard.declarations import EXEMPT, Declaration, attach, declare

View = TypeVar("View", bound=Callable[..., Any])

_blueprints: weakref.WeakKeyDictionary[Blueprint, Declaration] = weakref.WeakKeyDictionary()


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """This view's own CORS policy: the app's settings (or its blueprint's)
    with ``overrides`` (``Policy`` keyword arguments). The policy governs the
    view's preflights too. ``PolicyError`` at decoration time when the
    overrides are wrong in themselves."""
    declaration = declare(**overrides)

    def decorate(view: View) -> View:
        attach(view, declaration)
        return view

    return decorate


def cors_exempt(view: View) -> View:
    """No CORS on this view: no headers, and its preflights reach it like any OPTIONS."""
    attach(view, EXEMPT)
    return view


def declare_blueprint(blueprint: Blueprint, declaration: Declaration) -> bool:
    """Remember ``blueprint``'s declaration; True the first time it gets one."""
    first = blueprint not in _blueprints
    _blueprints[blueprint] = declaration
    return first


def blueprint_declaration(blueprint: Blueprint) -> Declaration | None:
    return _blueprints.get(blueprint)
