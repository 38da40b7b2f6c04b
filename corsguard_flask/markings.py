"""Per-route and per-blueprint declarations (``corsguard._pipeline.declarations``).

``@cors_policy(**overrides)`` and ``@cors_exempt`` attach the core's
``Declaration`` to the view function itself, the way Flask reads
``methods`` or ``provide_automatic_options`` from view attributes, so they
work above or below ``@app.route`` and survive ``functools.wraps``. The core
holds the one stacking rule. Blueprint declarations live in a weak registry
keyed by the ``Blueprint`` object, which is app-independent, so one
blueprint can be registered on several apps.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask.sansio.blueprints import Blueprint

from corsguard._pipeline.declarations import ATTRIBUTE, EXEMPT, Declaration, attach, declare

View = TypeVar("View", bound=Callable[..., Any])

_blueprints: weakref.WeakKeyDictionary[Blueprint, Declaration] = weakref.WeakKeyDictionary()


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """This view's own CORS policy: the app's settings (or its blueprint's)
    with ``overrides`` (``Policy`` keyword arguments). The policy governs the
    view's preflights too. ``PolicyError`` at decoration time when the
    overrides are wrong in themselves."""
    declaration = declare(**overrides)

    def decorate(view: View) -> View:
        if not _in_method_decorators(view, decorate):
            attach(view, declaration)
        return view

    # Found by corsguard._pipeline.reach in a Flask-RESTX ``method_decorators`` list (B13.1).
    setattr(decorate, ATTRIBUTE, declaration)
    return decorate


def cors_exempt(view: View) -> View:
    """No CORS on this view: no headers, and its preflights reach it like any OPTIONS."""
    if not _in_method_decorators(view, cors_exempt):
        attach(view, EXEMPT)
    return view


def _in_method_decorators(view: Any, decorator: Any) -> bool:
    """Whether Flask-RESTX is applying ``decorator`` from a ``Resource``'s
    ``method_decorators`` to a bound method, on a request: the declaration
    was read from the class at start-up, so there is nothing to mark (and a
    bound method cannot be marked)."""
    if not inspect.ismethod(view):
        return False
    decorators = getattr(type(view.__self__), "method_decorators", None)
    if isinstance(decorators, Mapping):
        return any(decorator in listed for listed in decorators.values() if isinstance(listed, (list, tuple)))
    return isinstance(decorators, (list, tuple)) and decorator in decorators


def declare_blueprint(blueprint: Blueprint, declaration: Declaration) -> bool:
    """Remember ``blueprint``'s declaration; True the first time it gets one."""
    first = blueprint not in _blueprints
    _blueprints[blueprint] = declaration
    return first


def blueprint_declaration(blueprint: Blueprint) -> Declaration | None:
    return _blueprints.get(blueprint)


# ``method_decorators = [cors_exempt]`` on a Flask-RESTX Resource (B13.1).
setattr(cors_exempt, ATTRIBUTE, EXEMPT)
