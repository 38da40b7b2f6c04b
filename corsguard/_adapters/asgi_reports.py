"""What an ASGI corsguard layer says at start-up about declarations it
cannot honour (B13.2): no router behind the app, or a declared route
function that no route reaches. Logged as errors naming each function."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corsguard._adapters.asgi_routes import declared_routes
from corsguard._engine import log
from corsguard._pipeline.reach import chain, unreached
from corsguard._pipeline.reach import where as defined_at

if TYPE_CHECKING:
    from corsguard._adapters.asgi_routes import Routes


def unrouted(app: object) -> None:
    """B13.2: no router behind ``app``, yet routes declare policies: say
    which ones cannot be honoured, and what to change."""
    names = sorted({getattr(view, "__qualname__", repr(view)) for view in declared_routes})
    if names:
        log.logger.error(
            "corsguard: CorsMiddleware found no Starlette/FastAPI router behind %r, so the per-route "
            "declarations of %s cannot be honoured there: the middleware's own policy answers. To fix: wrap "
            "the FastAPI/Starlette app itself (app.add_middleware(CorsMiddleware, ...)), or keep the wrapped "
            "app in an attribute named .app in the middleware between them.",
            app,
            ", ".join(names[:10]),
        )


def report_unreached(routes: Routes) -> None:
    """B13.2: a module-level route function declared with these decorators,
    in a module that defines routes, that no route reaches."""
    for message in unreached_messages(routes):
        log.logger.error("%s", message)


def unreached_messages(routes: Routes) -> list[str]:
    """What ``report_unreached`` says, one message per declared function no
    route reaches (``corsguard lint --asgi-app`` says the same)."""
    reached = [inner for endpoint in routes.endpoints for inner in chain(endpoint)]
    modules = {getattr(endpoint, "__module__", "") for endpoint in routes.endpoints}
    return [
        f"corsguard: {defined_at(target)} is declared with @cors_policy/@cors_exempt, but no route behind this "
        "CorsMiddleware reaches it: its requests get the middleware's policy instead. Register it with a route of "
        "this app (or of a router included in it), or remove the declaration."
        for target in unreached(reached, modules)
        if target in declared_routes and "<locals>" not in getattr(target, "__qualname__", "")
    ]
