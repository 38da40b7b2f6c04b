"""Another CORS layer on the same app: flask-cors left installed next to corsguard.

Two layers write Access-Control-* headers on one response. corsguard leaves
lines the application set alone (B5.4), so flask-cors' answer, laxer by
default (it allows every origin), is the one the browser sees. Found without
importing flask-cors: only an app that already uses it has it loaded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

FLASK_CORS = "flask_cors"
HINT = (
    "remove flask-cors from this app (its CORS(app) call or init_app, and every @cross_origin), and uninstall it; "
    "`corsguard migrate --from flask-cors --flask-app MODULE:APP` translates its options"
)


def other_cors_layers(app: Flask) -> list[str]:
    """Where flask-cors is hooked into ``app``: its after-request hooks, app-wide
    or per blueprint, and the views ``@cross_origin`` wrapped."""
    if FLASK_CORS not in sys.modules:
        return []
    found = [
        f"a flask-cors after_request hook ({'app-wide' if scope is None else f'blueprint {scope!r}'})"
        for scope, hooks in app.after_request_funcs.items()
        for hook in hooks
        if _from_flask_cors(hook)
    ]
    found.extend(
        f"the view {endpoint!r}, wrapped by @cross_origin"
        for endpoint, view in sorted(app.view_functions.items())
        if _wrapped_by_flask_cors(view)
    )
    return found


def _from_flask_cors(function: Callable[..., Any]) -> bool:
    return _defined_in_flask_cors(getattr(function, "__code__", None))


def _wrapped_by_flask_cors(view: Callable[..., Any]) -> bool:
    """``@cross_origin`` copies the view's name and module onto its wrapper;
    only the wrapper's code tells where it was written."""
    return getattr(view, "__wrapped__", None) is not None and _from_flask_cors(view)


def _defined_in_flask_cors(code: Any) -> bool:
    filename = getattr(code, "co_filename", "")
    package = _package_dirs()
    return isinstance(filename, str) and any(filename.startswith(directory) for directory in package)


def _package_dirs() -> Iterable[str]:
    module = sys.modules.get(FLASK_CORS)
    return list(getattr(module, "__path__", ()))
