"""Per-view policies: one declaration type for every framework (B3.5).

``@cors_policy(**overrides)`` and ``@cors_exempt`` in the Django, Flask and
ASGI adapters all attach a ``Declaration`` to the view with ``attach`` and
find it with ``declared``; the pipeline turns it into a policy on top of
the application's settings. Overrides are checked when the decorator runs,
so a typo fails at import.

Stacking rule: a view has one declaration. Attaching the same one again is
harmless; attaching a different one (a second ``@cors_policy``, or
``@cors_exempt`` over ``@cors_policy``) raises ``PolicyError`` naming the
view. Nesting is not stacking: a Flask blueprint's declaration and a route's
own combine with ``on_top_of``, the inner one winning key by key.
"""

from __future__ import annotations

import contextlib
import inspect
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from corsguard._engine.errors import PolicyError, Problem

if TYPE_CHECKING:
    from corsguard._engine.policy import Policy

# The attribute a declared view carries. ``functools.wraps`` copies it
# through other decorators, and Django copies a class-based view's
# ``dispatch.__dict__`` onto the function ``as_view()`` returns.
ATTRIBUTE = "corsguard_declaration"

# Every function or class a declaration was attached to, so start-up can name
# the ones no route reaches (B13.2). Weak: a view that is gone is not reported.
_created: weakref.WeakSet[Any] = weakref.WeakSet()


@dataclass(frozen=True, eq=False)
class Declaration:
    """A view's own ``Policy`` keyword overrides, or no CORS at all (exempt).

    Compared by identity, so it can key the pipeline's cache of derived
    policies.
    """

    overrides: Mapping[str, Any]
    exempt: bool = False
    # What a refusal calls this declaration's allowed origins, when it sets
    # them and "ALLOWED_ORIGINS" alone would send the reader to the app's
    # settings, e.g. "blueprint 'api''s ALLOWED_ORIGINS (init_blueprint)".
    origins_named: str = ""

    def on_top_of(self, outer: Declaration) -> Declaration:
        """This declaration nested inside ``outer`` (a route in a blueprint)."""
        if self.exempt or outer.exempt:
            return self if self.exempt else Declaration(self.overrides, origins_named=self.origins_named)
        named = self.origins_named if "allowed_origins" in self.overrides else outer.origins_named
        return Declaration(MappingProxyType({**outer.overrides, **self.overrides}), origins_named=named)

    def derive(self, base: Policy) -> Policy | None:
        """The policy this declares on top of ``base``; None when exempt."""
        if self.exempt:
            return None
        policy = base.replace(**self.overrides) if self.overrides else base
        return policy.naming_origins(self.origins_named) if self.origins_named else policy

    def __repr__(self) -> str:
        if self.exempt:
            return "cors_exempt"
        return f"cors_policy({', '.join(f'{name}={value!r}' for name, value in self.overrides.items())})"


EXEMPT = Declaration(MappingProxyType({}), exempt=True)


def declare(where: str = "@cors_policy", /, **overrides: Any) -> Declaration:
    """A declaration for ``overrides``; ``PolicyError`` now if they are wrong
    on their own (how they combine with the application's settings is
    checked when the application starts). ``where`` prefixes each problem."""
    from corsguard._engine.policy import Policy  # noqa: PLC0415 - policy imports this module's users

    try:
        Policy().replace(**overrides)
    except PolicyError as error:
        raise PolicyError(problem.within(where) for problem in error.problems) from None
    return Declaration(MappingProxyType(dict(overrides)))


def attach(target: Any, declaration: Declaration, *, remember: bool = True) -> None:
    """Put ``declaration`` on ``target`` (a function or a class), by the stacking rule.

    ``remember=False`` for a wrapper made per request (Django's
    ``method_decorator`` decorates a bound method on every call): it is not
    a view a route could reach, and the registry of B13.2 must not churn."""
    if inspect.ismethod(target) or inspect.isbuiltin(target) or isinstance(target, (staticmethod, classmethod)):
        raise _uncarriable(target)
    existing = getattr(target, ATTRIBUTE, None)
    if isinstance(existing, Declaration) and existing is not declaration and not _same(existing, declaration):
        raise _conflict(target, existing, declaration)
    setattr(target, ATTRIBUTE, declaration)
    # Not weak-referenceable: it cannot be reported, but it still works.
    if remember:
        with contextlib.suppress(TypeError):
            _created.add(target)


def created() -> list[Any]:
    """Every live function or class that carries a declaration (B13.2)."""
    return list(_created)


def _uncarriable(target: Any) -> PolicyError:
    """B13.2: a bound method or builtin cannot keep an attribute a router would find."""
    name = getattr(target, "__qualname__", None) or repr(target)
    return PolicyError(
        [
            Problem(
                f"@cors_policy on {name}",
                type(target).__name__,
                "cannot carry a declaration: it is a bound method, builtin or descriptor, not the function a "
                "router registers.",
                "decorate the function where it is defined (the method in the class body, or the class itself).",
            )
        ]
    )


def declared(view: Any) -> Declaration | None:
    """The declaration of a view callable: on the function itself, or on the
    class behind it (Django's ``as_view().view_class``, a Starlette
    endpoint class, Django REST Framework's ``cls``). Both present and
    different is the stacking conflict."""
    own = getattr(view, ATTRIBUTE, None)
    behind = getattr(view, "view_class", None) or getattr(view, "cls", None)  # DRF keeps ``cls``
    klass = getattr(behind, ATTRIBUTE, None) if isinstance(behind, type) else None
    own = own if isinstance(own, Declaration) else None
    klass = klass if isinstance(klass, Declaration) else None
    if own is not None and klass is not None and own is not klass and not _same(own, klass):
        raise _conflict(view, klass, own)
    return own or klass


def _same(first: Declaration, second: Declaration) -> bool:
    return first.exempt == second.exempt and dict(first.overrides) == dict(second.overrides)


def _conflict(target: Any, existing: Declaration, new: Declaration) -> PolicyError:
    name = getattr(target, "__qualname__", None) or repr(target)
    return PolicyError(
        [
            Problem(
                f"@cors_policy on {name}",
                repr(new),
                f"is a second, different declaration: the view already has {existing!r}.",
                "declare one policy per view: merge the arguments into one @cors_policy, or keep only @cors_exempt.",
            )
        ]
    )
