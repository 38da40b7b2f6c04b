"""``corsguard lint --asgi-app MODULE[:APP]``: a Starlette or FastAPI app's
corsguard layer, with the policy each route declares (``@cors_policy``,
``@cors_exempt``), as the middleware compiles them at start-up.

The layer is found the way a request meets it: the app itself, the
middleware stack Starlette builds from ``add_middleware`` (built here
without serving), or middleware that keep the app they wrap as ``.app``.
Registered in the ``corsguard.frameworks`` entry-point group like any other
framework's loader; neither Starlette nor FastAPI is imported.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from corsguard._adapters.asgi import CorsMiddleware
from corsguard._adapters.asgi_reports import unreached_messages
from corsguard._adapters.asgi_routes import MAX_DEPTH
from corsguard._engine.errors import PolicyError
from corsguard.cli.lint.loaders import compiled
from corsguard.cli.plugins import Loaded, Note, Option, find_app

_ASGI_NAMES = ("app", "application", "create_app", "make_app")
_WRAPPED = ("app", "_app", "application", "asgi_app", "inner", "_inner")


def _is_app(found: Any) -> bool:
    """An ASGI app object rather than a factory: Starlette and FastAPI apps
    have a router; a plain middleware wraps an app."""
    return hasattr(found, "router") or hasattr(found, "user_middleware") or isinstance(found, CorsMiddleware)


def layer_of(app: Any) -> CorsMiddleware | None:
    """The outermost corsguard layer a request to ``app`` passes through."""
    current = app
    for _ in range(MAX_DEPTH):
        if current is None or isinstance(current, CorsMiddleware):
            return current
        build = getattr(current, "build_middleware_stack", None)
        if callable(build) and hasattr(current, "user_middleware"):
            # Starlette builds the stack on the first request; building it
            # here instantiates each middleware as serving would.
            current = getattr(current, "middleware_stack", None) or build()
            continue
        current = next((inner for name in _WRAPPED if (inner := getattr(current, name, None)) is not None), None)
    return None


def from_asgi_app(app: Any, source: str) -> Loaded:
    """What the corsguard layer on ``app`` compiled, every route's declared policy included."""
    production = not getattr(app, "debug", False)
    try:
        layer = layer_of(app)
    except PolicyError as error:
        return Loaded(source, production, problems=list(error.problems))
    if layer is None:
        loaded = compiled(source, production, {}, os.environ)
        loaded.notes.append(
            Note(
                "asgi",
                "warning",
                "corsguard's CorsMiddleware is not on this app: shown is what it would read from CORSGUARD_*.",
                "app.add_middleware(CorsMiddleware, ...) (from corsguard.asgi), or wrap the app in it.",
            )
        )
        return loaded
    pipeline = layer.pipeline
    loaded = Loaded(source, production, pipeline.rules)
    routes = layer.routes
    if routes is None:
        return loaded
    try:
        loaded.views = [
            (f"route {where!r}", pipeline.derived(declaration)) for declaration, where in routes.declarations.items()
        ]
    except PolicyError as error:
        loaded.problems.extend(error.problems)
    loaded.notes.extend(Note("asgi-unreached", "error", message) for message in unreached_messages(routes))
    return loaded


def from_asgi(spec: str) -> Loaded:
    """``MODULE:APP`` (an app, or a factory called without arguments) or ``MODULE``."""
    source = f"the ASGI app {spec!r}"
    try:
        app = find_app(spec, _ASGI_NAMES, _is_app)
    except PolicyError as error:
        return Loaded(source, True, problems=list(error.problems))
    return from_asgi_app(app, source)


class AsgiFramework:
    """The ``corsguard.frameworks`` entry point for Starlette, FastAPI and other ASGI apps."""

    name = "asgi"
    option = Option(
        "--asgi-app",
        "MODULE[:APP]",
        "a Starlette or FastAPI app, or a factory called without arguments",
        migrates=("starlette",),
    )

    def load(self, args: argparse.Namespace) -> Loaded:
        return from_asgi(getattr(args, self.option.dest))


FRAMEWORK = AsgiFramework()
