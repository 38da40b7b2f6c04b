"""Per-route and per-blueprint policies, as marks that init_app compiles.

``@cors_policy(**overrides)`` and ``@cors_exempt`` only *mark* a view
function, the way Flask itself reads ``methods`` or
``provide_automatic_options`` from view attributes, so they work above or
below ``@app.route`` and survive ``functools.wraps``. Blueprint overrides
live in a weak registry keyed by the ``Blueprint`` object, which is
app-independent, so one blueprint can be registered on several apps.

Overrides are checked on their own as soon as they are declared (unknown
argument names, malformed values); how they combine with an app's own
settings is checked when the app compiles them (``AppState.refresh``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from flask.sansio.blueprints import Blueprint

from corsguard.policy import Policy

View = TypeVar("View", bound=Callable[..., Any])

# The attribute a marked view function carries (Flask reads view options
# from attributes the same way).
MARK_ATTRIBUTE = "_corsguard_mark"

# A default policy, used only to validate overrides as soon as they are written.
_DEFAULTS = Policy()


@dataclass(frozen=True)
class Mark:
    """What a route or blueprint asks for: its own overrides, or no CORS at all."""

    overrides: Mapping[str, object]
    exempt: bool = False

    def apply(self, inherited: Policy) -> Policy | None:
        """The policy this mark yields on top of ``inherited``; None if exempt."""
        if self.exempt:
            return None
        return inherited.replace(**self.overrides) if self.overrides else inherited


EXEMPT = Mark(MappingProxyType({}), exempt=True)

_blueprint_marks: weakref.WeakKeyDictionary[Blueprint, Mark] = weakref.WeakKeyDictionary()


def checked(overrides: Mapping[str, Any]) -> Mark:
    """A mark for ``overrides``, refused now (``PolicyError``) if they are wrong on their own."""
    _DEFAULTS.replace(**overrides)
    return Mark(MappingProxyType(dict(overrides)))


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """This view's own CORS policy: the app's settings with ``overrides``
    (``Policy`` keyword arguments, e.g. ``allowed_origins=[...]``).

    The policy governs the view's preflights too. Raises ``PolicyError``
    at decoration time when the overrides are wrong in themselves.
    """
    mark = checked(overrides)

    def decorate(view: View) -> View:
        return _mark(view, mark)

    return decorate


def cors_exempt(view: View) -> View:
    """No CORS on this view: no headers, and its preflights reach it like any OPTIONS."""
    return _mark(view, EXEMPT)


def _mark(view: View, mark: Mark) -> View:
    existing = view_mark(view)
    if existing is not None and existing != mark:
        raise TypeError(f"{view!r} already has a corsguard policy; use either @cors_policy or @cors_exempt, once")
    setattr(view, MARK_ATTRIBUTE, mark)
    return view


def view_mark(view: object) -> Mark | None:
    mark = getattr(view, MARK_ATTRIBUTE, None)
    return mark if isinstance(mark, Mark) else None


def mark_blueprint(blueprint: Blueprint, mark: Mark) -> bool:
    """Remember ``blueprint``'s mark; True the first time it gets one."""
    first = blueprint not in _blueprint_marks
    _blueprint_marks[blueprint] = mark
    return first


def blueprint_mark(blueprint: Blueprint) -> Mark | None:
    return _blueprint_marks.get(blueprint)
