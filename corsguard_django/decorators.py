"""Per-view policies: ``@cors_policy(...)`` and ``@cors_exempt``.

The decorators only *declare*: they attach a ``ViewCors`` marker to the view
and leave the request untouched. ``CorsGuardMiddleware`` finds the marker by
resolving the request's path, before anything else runs, so the view's
policy governs its preflights too (a preflight never reaches the view).

Overrides are checked when ``cors_policy(...)`` is called, i.e. when the
views module is imported: a typo or an unsafe value raises ``PolicyError``
at start-up, not on the first request. Their combination with the project's
``CORSGUARD`` settings is checked when the middleware is built and by
``manage.py check`` (``corsguard_django.E003``).

Usage::

    @cors_policy(allowed_origins=["https://partner.example"], allow_credentials=False)
    def partner_feed(request): ...

    @cors_policy(max_age=0)            # on a class-based view
    class ItemsView(View): ...

    @method_decorator(cors_policy(expose_headers=["x-total-count"]), name="dispatch")
    class ReportView(View): ...

    @cors_exempt                       # CORS off: no headers, preflights reach the view
    def webhook(request): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from corsguard import Policy, PolicyError

# The attribute a decorated view carries. Django copies a class-based view's
# ``dispatch.__dict__`` onto the function ``as_view()`` returns, and
# ``functools.wraps`` copies it through other decorators, so the marker
# survives ``method_decorator`` and decorator stacks.
ATTRIBUTE = "corsguard_view"

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class ViewCors:
    """What a view declared: ``Policy`` keyword overrides, or exempt (``None``).

    Compared by identity, so it can key caches of derived policies.
    """

    overrides: Mapping[str, object] | None

    @property
    def exempt(self) -> bool:
        return self.overrides is None


EXEMPT = ViewCors(None)

# The defaults that overrides are validated against at import time, when the
# project's settings may not be readable yet.
_DEFAULTS = Policy()


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """Give a view its own policy: the project's ``CORSGUARD`` settings with
    these ``Policy`` keyword arguments (``allowed_origins``, ``allow_credentials``,
    ``expose_headers``, ``max_age`` ...) replaced. ``PATHS`` rules do not apply
    to a decorated view: the decorator is the more specific declaration.
    """
    try:
        _DEFAULTS.replace(**overrides)
    except PolicyError as error:
        raise PolicyError(problem.within("@cors_policy") for problem in error.problems) from None
    marker = ViewCors(MappingProxyType(dict(overrides)))

    def decorate(view: View) -> View:
        return _mark(view, marker)

    return decorate


def cors_exempt(view: View) -> View:
    """Switch CORS off for this view: no CORS headers, no ``Vary: Origin``,
    and preflights are passed to the view like any other OPTIONS request."""
    return _mark(view, EXEMPT)


def declared_for(view: object) -> ViewCors | None:
    """The marker of a resolved view callback: on the function itself (function
    views, ``method_decorator(..., name="dispatch")``) or on the class behind
    ``as_view()`` (class decorator)."""
    marker = getattr(view, ATTRIBUTE, None)
    if marker is None:
        marker = getattr(getattr(view, "view_class", None), ATTRIBUTE, None)
    return marker if isinstance(marker, ViewCors) else None


def _mark(view: View, marker: ViewCors) -> View:
    if isinstance(view, type):
        # A class-based view: found through ``as_view().view_class``;
        # subclasses inherit the declaration like any class attribute.
        setattr(view, ATTRIBUTE, marker)
        return view
    # Functions are wrapped, not modified, so the same function routed
    # elsewhere undecorated keeps its own behaviour. method_decorator calls
    # this on every request, so it stays a plain wrapper with no checks.
    wrapper = _async_wrapper(view) if iscoroutinefunction(view) else _sync_wrapper(view)
    setattr(wrapper, ATTRIBUTE, marker)
    return cast(View, wrapper)


def _sync_wrapper(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return wrapper


def _async_wrapper(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        return await view(*args, **kwargs)

    return markcoroutinefunction(wrapper)
