"""Which declarations the middleware can reach for a routed view (B13.1, B13.2).

An adapter resolves a request to the callable its framework routes to; what
that callable declares depends on how the framework built it, and a
declaration the middleware does not find is a restriction silently dropped.
This module reads every shape the common frameworks produce, by duck typing
(no framework is imported):

- the callable's own declaration (``@cors_policy`` outermost, Django's
  ``method_decorator(..., name="dispatch")``, Flask's ``decorators = [...]``);
- the class behind it: ``view_class`` (Django, Flask), ``cls`` (Django REST
  Framework's ``APIView`` and ``ViewSet``);
- a handler method of that class, per HTTP method: ``get``, ``put`` ...; for
  a DRF ``ViewSet`` the action its router maps the method to (``list``,
  ``retrieve``, an ``@action``); a function a wrapper closes over (DRF's
  ``@api_view`` handler, a decorator without ``functools.wraps``);
- Flask-RESTX's ``method_decorators`` (a list, or a dict by method);
- the class attributes ``corsguard_policy = {...}`` / ``corsguard_exempt = True``;
- a Django Ninja path view: each operation's function, declared above or
  below ``@api.get``, or by a router-level ``add_decorator``.

A per-method declaration applies on top of the view's own (B13.1), the way
a route's applies on top of its blueprint's.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from corsguard._engine.errors import PolicyError, Problem
from corsguard._pipeline.declarations import ATTRIBUTE, EXEMPT, Declaration, created, declare, declared

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
# The class-attribute form of a declaration (B13.1).
POLICY_ATTRIBUTE = "corsguard_policy"
EXEMPT_ATTRIBUTE = "corsguard_exempt"
_attributes: weakref.WeakKeyDictionary[type, Declaration] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class Reach:
    """What one routed view declares: for every method, and per method."""

    whole: Declaration | None
    methods: Mapping[str, Declaration]
    # The functions, classes and decorators the declarations were found on.
    sources: tuple[Any, ...] = ()

    def for_method(self, method: str | None) -> Declaration | None:
        """The declaration governing ``method`` (a preflight passes the one it announces)."""
        if method is not None and self.methods:
            found = self.methods.get(method.upper())
            if found is not None:
                return found
        return self.whole

    def declarations(self) -> list[Declaration]:
        """Every distinct declaration, to derive (and so check) at start-up."""
        found = [] if self.whole is None else [self.whole]
        found.extend(d for d in self.methods.values() if all(d is not seen for seen in found))
        return found

    def within(self, outer: Declaration) -> Reach:
        """This view nested in a declared group (a Flask blueprint)."""
        whole = outer if self.whole is None else self.whole.on_top_of(outer)
        methods = {method: d.on_top_of(outer) for method, d in self.methods.items()}
        return Reach(whole, MappingProxyType(methods), self.sources)


def reach(view: Any) -> Reach | None:
    """What ``view`` (the callable a router holds) declares; None: nothing."""
    sources: list[Any] = []
    whole = declared(view)
    # A Starlette endpoint class is routed as itself; Django and Flask route a function.
    klass = view if isinstance(view, type) else getattr(view, "view_class", None) or getattr(view, "cls", None)
    if whole is not None:
        sources.extend([_definer(view)] if isinstance(view, type) else chain(view))
        if isinstance(klass, type) and isinstance(getattr(klass, ATTRIBUTE, None), Declaration):
            sources.append(_definer(klass))
    elif not isinstance(klass, type):
        whole = _closed_over(view, sources)
    if isinstance(klass, type):
        whole = _with_attributes(klass, whole)
    found: dict[str, Declaration] = {}
    if isinstance(klass, type):
        found.update(_handlers(klass, getattr(view, "actions", None), sources))
    found.update(_operations(view, sources))
    if "HEAD" not in found and "GET" in found:
        found["HEAD"] = found["GET"]
    if whole is None and not found:
        return None
    methods = {m: d if whole is None or d is whole else d.on_top_of(whole) for m, d in found.items()}
    return Reach(whole, MappingProxyType(methods), tuple(sources))


def _with_attributes(klass: type, decorated: Declaration | None) -> Declaration | None:
    """The class-attribute form a DRF or MethodView user expects, next to
    the decorator: ``corsguard_policy = {...}`` (``Policy`` keyword
    arguments) or ``corsguard_exempt = True``. Checked once per class."""
    policy = getattr(klass, POLICY_ATTRIBUTE, None)
    exempt = getattr(klass, EXEMPT_ATTRIBUTE, False) is True
    if policy is None and not exempt:
        return decorated
    found = _attributes.get(klass)
    if found is None:
        where = f"{klass.__qualname__}.{POLICY_ATTRIBUTE if policy is not None else EXEMPT_ATTRIBUTE}"
        if policy is not None and (exempt or not isinstance(policy, Mapping)):
            hint = "write corsguard_policy = {'allowed_origins': [...]}, or corsguard_exempt = True, not both."
            raise PolicyError([Problem(where, policy, "must be a dict of Policy arguments, alone.", hint)])
        found = EXEMPT if policy is None else declare(where, **policy)
        _attributes[klass] = found
    if decorated is not None and decorated is not found:
        hint = "declare the class once: keep the decorator or the attribute."
        raise PolicyError([Problem(klass.__qualname__, found, f"is declared twice: also {decorated!r}.", hint)])
    return found


def chain(function: Any) -> list[Any]:
    """``function`` and what it wraps (``__wrapped__``, as ``functools.wraps``
    records it): an outer decorator copies the inner one's declaration."""
    found = [function]
    for _ in range(16):
        function = getattr(function, "__wrapped__", None)
        if function is None:
            break
        found.append(function)
    return found


def _definer(klass: type) -> type:
    """The class in ``klass``'s MRO whose body carries the declaration."""
    for base in klass.__mro__:
        if ATTRIBUTE in vars(base):
            return base
    return klass


def _own(target: Any) -> Declaration | None:
    found = getattr(target, ATTRIBUTE, None)
    return found if isinstance(found, Declaration) else None


def _closed_over(function: Any, sources: list[Any]) -> Declaration | None:
    """A declared callable ``function`` closes over (one level): DRF's
    ``@api_view`` handler calling the declared view, a wrapper without
    ``functools.wraps``."""
    for cell in getattr(function, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:
            continue
        if callable(inner) and not isinstance(inner, type):
            found = _own(inner)
            if found is not None:
                sources.append(inner)
                return found
    return None


def _handlers(klass: type, actions: object, sources: list[Any]) -> dict[str, Declaration]:
    """Per-method declarations of a class-based view."""
    found: dict[str, Declaration] = {}
    decorators = getattr(klass, "method_decorators", None)
    for method in METHODS:
        name = method.lower()
        if isinstance(actions, Mapping):
            name = actions.get(name, "")
            if not isinstance(name, str) or not name:
                continue
        handler = getattr(klass, name, None)
        if handler is None:
            continue
        declaration = _own(handler)
        if declaration is not None:
            sources.extend(chain(handler))
        else:
            declaration = _closed_over(handler, sources)
        marked = _marked(decorators.get(name, ()) if isinstance(decorators, Mapping) else decorators, sources)
        declaration = declaration or marked
        if declaration is not None:
            found[method] = declaration
    return found


def _marked(decorators: object, sources: list[Any]) -> Declaration | None:
    """The declaration a ``cors_policy(...)`` in a RESTX ``method_decorators`` list carries."""
    if not isinstance(decorators, (list, tuple)):
        return None
    for decorator in decorators:
        found = _own(decorator)
        if found is not None:
            sources.append(decorator)
            return found
    return None


def _operations(view: Any, sources: list[Any]) -> dict[str, Declaration]:
    """A Django Ninja path view: the closure holds an object whose
    ``operations`` each have ``methods`` and ``view_func``."""
    found: dict[str, Declaration] = {}
    for cell in getattr(view, "__closure__", None) or ():
        try:
            operations = getattr(cell.cell_contents, "operations", None)
        except ValueError:
            continue
        if not isinstance(operations, list):
            continue
        for operation in operations:
            function = getattr(operation, "view_func", None)
            declaration = _own(function) or _wrapper_of(function, sources)
            if declaration is None:
                continue
            sources.extend(chain(function))
            for method in getattr(operation, "methods", ()):
                if isinstance(method, str):
                    found.setdefault(method.upper(), declaration)
    return found


def _wrapper_of(function: Any, sources: list[Any]) -> Declaration | None:
    """A declared wrapper of ``function`` a framework discarded: ``@cors_policy``
    above ``@api.get``, where Ninja registered the function below it."""
    for target in created():
        if getattr(target, "__wrapped__", None) is function:
            sources.append(target)
            return _own(target)
    return None


def unreached(reached: Iterable[Any], modules: Iterable[str]) -> list[Any]:
    """Declared functions and classes defined in ``modules`` that no route
    reaches (B13.2), in a stable order."""
    seen = {id(source) for source in reached}
    wanted = set(modules)
    found = [t for t in created() if id(t) not in seen and getattr(t, "__module__", None) in wanted]
    return sorted(found, key=lambda t: (t.__module__, getattr(t, "__qualname__", "")))


def where(target: Any) -> str:
    """``module.qualname (file:line)`` for a message that names a view."""
    name = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"
    try:
        defined = target if isinstance(target, type) else inspect.unwrap(target)
        file = inspect.getsourcefile(defined)
        line = inspect.getsourcelines(defined)[1]
    except (OSError, TypeError, ValueError):
        return name
    return f"{name} ({file}:{line})"
