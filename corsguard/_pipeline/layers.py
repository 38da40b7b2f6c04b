"""Two corsguard layers on one request: the inner one decides (B13.4).

An app mounted inside another (a Starlette ``Mount``, a FastAPI sub-app, a
Flask app behind ``WSGIMiddleware``) may carry its own corsguard layer. The
outer layer must then neither answer the mounted app's preflights nor add
headers to its responses, or it would override the inner layer's refusals.
Each layer class carries the ``MARK`` attribute, so an outer layer can see
an inner one behind a mount at start-up; and each layer counts itself into
the request's scope (or environ), so on the way out only the innermost layer
that saw the request applies its decision.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from corsguard._engine.errors import PolicyError, Problem
from corsguard._pipeline.declarations import ATTRIBUTE, EXEMPT

# A class attribute set to True on every corsguard layer.
MARK = "corsguard_layer"
# The number of corsguard layers a request has entered, in the ASGI scope or the WSGI environ.
KEY = "corsguard._pipeline.layers"
# How far wrappers are followed looking for a layer.
MAX_DEPTH = 16
# Attributes under which wrappers keep what they wrap.
_INNER = ("app", "_app", "wsgi_app", "application", "wsgi", "asgi_app")


class InnerLayer:
    """Stands for the endpoint of a mount with its own corsguard layer: to
    the outer layer, CORS is off there (the inner layer decides)."""

    def __repr__(self) -> str:
        return "<a mounted app with its own corsguard layer>"


INNER = InnerLayer()
setattr(INNER, ATTRIBUTE, EXEMPT)


def has_layer(app: object) -> bool:
    """Whether ``app``, or what it wraps, is a corsguard layer (a FastAPI or
    Starlette app's ``add_middleware`` list included)."""
    seen: set[int] = set()
    pending: list[Any] = [app]
    while pending and len(seen) < MAX_DEPTH * 4:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if getattr(type(current), MARK, False) is True:
            return True
        for entry in getattr(current, "user_middleware", None) or ():
            if getattr(getattr(entry, "cls", None), MARK, False) is True:
                return True
        pending.extend(getattr(current, name, None) for name in _INNER)
    return False


def enter(request: MutableMapping[str, Any]) -> int:
    """Count this layer into the request's scope or environ; its depth."""
    depth = request.get(KEY, 0)
    depth = (depth if isinstance(depth, int) else 0) + 1
    request[KEY] = depth
    return depth


def innermost(request: MutableMapping[str, Any], depth: int) -> bool:
    """Whether no deeper corsguard layer entered this request: only then does
    the layer at ``depth`` put its decision on the response."""
    return request.get(KEY) == depth


def refuse_stacked(app: object, layer: str) -> None:
    """B13.4: ``layer`` put directly around an app that has its own corsguard
    layer would answer its preflights first, over the inner layer's policy."""
    if has_layer(app):
        raise PolicyError(
            [
                Problem(
                    layer,
                    type(app).__name__,
                    "wraps an application that already has a corsguard layer: the outer layer would answer its "
                    "preflights, over the inner layer's policy.",
                    "keep one corsguard layer per application: remove this one, or the application's own.",
                )
            ]
        )


def mounts_layer(app: object) -> bool:
    """Whether ``app`` (or what it wraps) mounts an application with its own
    corsguard layer: Werkzeug's ``DispatcherMiddleware`` keeps them in
    ``mounts``. Only such a layer needs to count itself into each request."""
    layer: Any = app
    for _ in range(MAX_DEPTH):
        if layer is None:
            return False
        mounts = getattr(layer, "mounts", None)
        if isinstance(mounts, dict) and any(has_layer(mounted) for mounted in mounts.values()):
            return True
        layer = getattr(layer, "app", None)
    return False


def bump(request: MutableMapping[str, Any]) -> None:
    """For a layer that mounts none: count itself only where an outer layer
    started a count, so that layer sees it (B13.4); nothing is written otherwise."""
    outer = request.get(KEY)
    if outer is not None:
        request[KEY] = outer + 1 if type(outer) is int else 1
