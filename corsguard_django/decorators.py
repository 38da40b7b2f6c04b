"""Per-view policies: ``@cors_policy(...)`` and ``@cors_exempt``.

The decorators only *declare*: they attach the core's ``Declaration`` to the
view (``corsguard._pipeline.declarations``, which also holds the one stacking rule)
and leave the request untouched. ``CorsGuardMiddleware`` finds the
declaration by resolving the request's path before anything else runs, so
the view's policy governs its preflights too.

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
from collections.abc import Callable
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from corsguard._pipeline.declarations import EXEMPT, Declaration, attach, declare

View = TypeVar("View", bound=Callable[..., Any])


def cors_policy(**overrides: Any) -> Callable[[View], View]:
    """Give a view its own policy: the project's ``CORSGUARD`` settings with
    these ``Policy`` keyword arguments replaced. ``PATHS`` rules do not apply
    to a declared view: the declaration is the more specific one."""
    declaration = declare(**overrides)

    def decorate(view: View) -> View:
        return _declare(view, declaration)

    return decorate


def cors_exempt(view: View) -> View:
    """Switch CORS off for this view: no CORS headers, no ``Vary: Origin``,
    and preflights are passed to the view like any other OPTIONS request."""
    return _declare(view, EXEMPT)


def _declare(view: View, declaration: Declaration) -> View:
    if isinstance(view, type):
        # A class-based view: found through ``as_view().view_class``;
        # subclasses inherit the declaration like any class attribute.
        attach(view, declaration)
        return view
    # Functions are wrapped, not modified, so the same function routed
    # elsewhere undeclared keeps its own behaviour. ``functools.wraps`` copies
    # an inner declaration onto the wrapper, so stacking is still detected.
    # method_decorator calls this on every request: a plain wrapper, no checks
    # beyond ``attach``'s identity test.
    wrapper = _async_wrapper(view) if iscoroutinefunction(view) else _sync_wrapper(view)
    # A partial is method_decorator's bound method, wrapped anew on every request.
    attach(wrapper, declaration, remember=not isinstance(view, functools.partial))
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
