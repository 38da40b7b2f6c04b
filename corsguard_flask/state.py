"""Everything corsguard knows about one app, in ``app.extensions["corsguard"]``.

Compiled at ``init_app`` (and again when a blueprint is registered or new
views appear), so a request only does dictionary lookups to find what the
view that will serve it declared. Which policy that yields, and the order
of precedence, are the core pipeline's (``corsguard._pipeline.pipeline``):

1. the view's own ``@cors_exempt`` / ``@cors_policy``, on top of its
   blueprint's declaration (nested blueprints add theirs to their parent's);
2. the nearest blueprint with ``init_blueprint`` overrides;
3. the app's path rules (``CORSGUARD_PATHS``) on the routed path;
4. the app's base settings.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from flask import Flask

from corsguard import Declaration, Pipeline, Policy, PolicyError, Problem, RequestFacts
from corsguard._engine import log
from corsguard._engine.facts import raw_path
from corsguard._pipeline.pipeline import Lookup
from corsguard._pipeline.reach import Reach, reach, unreached, where
from corsguard_flask import advice, routing
from corsguard_flask.markings import blueprint_declaration

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Endpoint -> what governs it, per method (B13.1). Endpoints that declare
# nothing, in no declared blueprint, are absent and fall back to the path rules.
Table = Mapping[str, Reach]


class AppState:
    """One app's compiled CORS configuration; share between threads freely."""

    def __init__(self, app: Flask, pipeline: Pipeline) -> None:
        self.app = app
        self.pipeline = pipeline
        self._table: Table = MappingProxyType({})
        self._compiled_views = -1
        # Whether unreached declarations were reported, at the first request (B13.2).
        self._reported = False
        # Advice (corsguard_flask.advice) logged so far, each said once.
        self.advised: set[str] = set()
        self._lock = threading.Lock()
        self.refresh()

    @property
    def table(self) -> Table:
        return self._table

    def policies(self) -> list[Policy]:
        """Every distinct policy in use: base, path rules, blueprints, views."""
        return self.pipeline.policies()

    def refresh(self) -> None:
        """Compile every view's and blueprint's declaration; ``PolicyError`` lists every problem."""
        with self._lock:
            count = len(self.app.view_functions)
            self._table = MappingProxyType(compile_table(self.app, self.pipeline))
            self._compiled_views = count

    def install(self, pipeline: Pipeline) -> None:
        """Swap in ``pipeline`` (B9.5): every declaration is derived on it
        first, so a refused one raises here and the old pipeline stays. The
        table of declarations does not depend on the pipeline, and a request
        reads ``self.pipeline`` once, so the swap is one assignment."""
        with self._lock:
            table = MappingProxyType(compile_table(self.app, pipeline))
            self._table = table
            self.pipeline = pipeline

    def ensure_current(self) -> None:
        """Pick up views registered since the last compile (cheap when there are none).

        Flask has no hook for ``add_url_rule``, so views added after
        ``init_app`` outside an ``init_blueprint`` blueprint are compiled
        here, before the first request that could need them is routed.
        """
        if len(self.app.view_functions) != self._compiled_views:
            self.refresh()
        if not self._reported:
            # B13.2: every route is registered by the first request.
            self._reported = True
            for message in self.unreached():
                log.logger.error("corsguard: %s", message)
            advice.report(self.app, self.pipeline, self.advised)

    def unreached(self) -> list[str]:
        """B13.2: declared functions and classes, defined in the modules of
        this app's views, that no endpoint reaches; each named with a fix."""
        sources = [source for found in self._table.values() for source in found.sources]
        modules = {
            getattr(getattr(view, "view_class", None) or view, "__module__", "")
            for view in self.app.view_functions.values()
        }
        return [
            f"{where(target)} is declared with @cors_policy/@cors_exempt, but no route of {self.app.name!r} "
            "reaches it: its requests get the app's policy instead. Register it with a route, or declare it where "
            "corsguard finds it: on the view function, the MethodView/Resource class, a handler method (get, put), "
            "or in a Resource's method_decorators."
            for target in unreached(sources, modules)
            if "<locals>" not in getattr(target, "__qualname__", "")
        ]

    def routed_path(self, environ: WSGIEnvironment) -> str:
        """The path Werkzeug routes on where path rules need it; else PATH_INFO for logs."""
        return routing.routed_path(self.app, environ) if self.pipeline.needs_path else raw_path(environ)

    def preflight_lookup(self, environ: WSGIEnvironment) -> Lookup | None:
        """For a preflight: the view that will serve the method it announces."""
        if not self._table:
            return None

        def lookup(facts: RequestFacts) -> Declaration | None:
            method = facts.acrm or "GET"
            found = self._table.get(routing.endpoint_for(self.app, environ, method) or "")
            return None if found is None else found.for_method(method)

        return lookup

    def response_lookup(self, environ: WSGIEnvironment) -> Lookup | None:
        """For a response that is starting: the view Flask routed to, or, when
        routing failed (404, 405, redirect) or the response started outside
        Flask's request context, the view routing ourselves finds."""
        if not self._table:
            return None

        def lookup(facts: RequestFacts) -> Declaration | None:
            endpoint = routing.routed_endpoint(environ) or routing.endpoint_for(self.app, environ, facts.method)
            found = self._table.get(endpoint or "")
            return None if found is None else found.for_method(facts.method)

        return lookup


def compile_table(app: Flask, pipeline: Pipeline) -> dict[str, Reach]:
    """Each endpoint's declarations (its own, per method, on top of its
    blueprint's), every one derived once now so a clash with the app's
    settings is found here."""
    problems: list[Problem] = []
    blueprints = _blueprint_declarations(app, pipeline, problems)
    table: dict[str, Reach] = {}
    for endpoint, view in app.view_functions.items():
        inherited = _nearest(blueprints, endpoint.rpartition(".")[0])
        try:
            own = reach(view)
            if own is not None:
                combined = own.within(inherited) if inherited is not None else own
                for declaration in combined.declarations():
                    pipeline.derived(declaration)
                table[endpoint] = combined
            elif inherited is not None:
                table[endpoint] = Reach(inherited, MappingProxyType({}))
        except PolicyError as error:
            problems.extend(problem.within(f"@cors_policy({endpoint})") for problem in error.problems)
    if problems:
        raise PolicyError(problems)
    return table


def _blueprint_declarations(app: Flask, pipeline: Pipeline, problems: list[Problem]) -> dict[str, Declaration]:
    """Registered blueprint name (``parent.child``) -> its declaration, parents
    first; each derived now, its problems reported once, under its name."""
    found: dict[str, Declaration] = {}
    for name in sorted(app.blueprints, key=lambda registered: registered.count(".")):
        own = blueprint_declaration(app.blueprints[name])
        if own is None:
            continue
        inherited = _nearest(found, name.rpartition(".")[0])
        combined = own.on_top_of(inherited) if inherited is not None else own
        try:
            pipeline.derived(combined)
        except PolicyError as error:
            problems.extend(problem.within(f"init_blueprint({name})") for problem in error.problems)
            continue
        found[name] = combined
    return found


def _nearest(declarations: Mapping[str, Declaration], blueprint: str) -> Declaration | None:
    """The declaration of ``blueprint`` or of its nearest ancestor (names are dotted)."""
    while blueprint:
        if blueprint in declarations:
            return declarations[blueprint]
        blueprint = blueprint.rpartition(".")[0]
    return None
