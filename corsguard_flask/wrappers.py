"""What was put around the app, and routes added after ``init_app`` (B13.2, B13.4).

corsguard's gate decides on the request as Flask will route it. Two Werkzeug
wrappers installed *before* ``init_app`` break that silently: ``ProxyFix``
rewrites the Host, scheme and prefix only after corsguard has routed, and
``DispatcherMiddleware`` sends mounted apps' requests through this app's
CORS layer, which then overrides the mounted app's own refusals. Both are
refused with the order that works. Routes added after ``init_app`` are
checked as they are added, so a declaration that clashes with the app's
settings fails at import, not as a 500 on every request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask

from corsguard import PolicyError, Problem
from corsguard._pipeline.reach import reach

if TYPE_CHECKING:
    from corsguard_flask.state import AppState

# How far ``.app`` chains of wrappers are followed.
MAX_DEPTH = 16

_REFUSED = {
    "ProxyFix": (
        "was put around app.wsgi_app before corsguard: corsguard would route on the Host, scheme and "
        "prefix before ProxyFix rewrites them, so subdomain and host-matched views get the wrong policy.",
        "call CorsGuard(app) or init_app(app) first, then app.wsgi_app = ProxyFix(app.wsgi_app, ...): "
        "ProxyFix then rewrites the request before corsguard reads it.",
    ),
    "DispatcherMiddleware": (
        "was put around app.wsgi_app before corsguard: the mounted apps' requests would pass this app's CORS "
        "layer, which would answer for them over their own policy.",
        "call CorsGuard(app) or init_app(app) first, then app.wsgi_app = DispatcherMiddleware(app.wsgi_app, "
        "{...}), and give each mounted app its own CorsGuard.",
    ),
}


def refuse_hiding_wrappers(app: Flask) -> None:
    """``PolicyError`` when a Werkzeug wrapper that hides routing from corsguard is already installed."""
    layer: Any = app.wsgi_app
    for _ in range(MAX_DEPTH):
        if layer is None or getattr(layer, "__self__", None) is app:
            return
        name = type(layer).__name__
        if type(layer).__module__.startswith("werkzeug.middleware") and name in _REFUSED:
            message, hint = _REFUSED[name]
            raise PolicyError([Problem(f"app.wsgi_app of {app.name!r}", name, message, hint)])
        layer = getattr(layer, "app", None)


def check_routes_as_added(app: Flask, state: AppState) -> None:
    """Derive each view's declarations when its route is added after ``init_app``."""
    add_url_rule = app.add_url_rule

    def checked(rule: str, endpoint: str | None = None, view_func: Any = None, *args: Any, **kwargs: Any) -> None:
        if view_func is not None:
            found = reach(view_func)
            problems: list[Problem] = []
            for declaration in [] if found is None else found.declarations():
                try:
                    state.pipeline.derived(declaration)
                except PolicyError as error:
                    label = f"@cors_policy({endpoint or getattr(view_func, '__name__', rule)})"
                    problems.extend(problem.within(label) for problem in error.problems)
            if problems:
                raise PolicyError(problems)
        add_url_rule(rule, endpoint, view_func, *args, **kwargs)

    app.add_url_rule = checked  # type: ignore[method-assign]
