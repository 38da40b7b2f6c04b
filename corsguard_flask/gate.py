"""The WSGI layer corsguard puts in front of ``app.wsgi_app``.

Flask's documented way to add middleware (``app.wsgi_app = M(app.wsgi_app)``)
is the one place that runs before the request context, sessions, every
``before_request`` hook of the app and its blueprints, ``strict_slashes``
redirects and 404/405 handling, whatever order they were registered in;
and the one place every response passes, error pages included, with its
headers as a plain list and its body untouched (streams, ``send_file``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from corsguard import Kind, RequestFacts
from corsguard._engine import response
from corsguard._pipeline import layers
from corsguard._pipeline.layers import KEY
from corsguard_flask.state import AppState

# Read on every request: a module global, not the enum attribute (slower on CPython 3.11).
PREFLIGHT = Kind.PREFLIGHT

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class CorsGate:
    """Answers preflights itself; puts the decision on every other response."""

    # B13.4: an outer corsguard layer (an ASGI app mounting this one) steps aside.
    corsguard_layer = True

    def __init__(self, app: WSGIApplication, state: AppState) -> None:
        self.wrapped = app
        self.state = state

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        state = self.state
        if KEY in environ:
            # B13.4: inside an outer corsguard layer, which must see this one.
            layers.bump(environ)
        state.ensure_current()
        pipeline = state.pipeline
        facts = RequestFacts.from_environ(environ, state.routed_path(environ))
        if facts.kind is PREFLIGHT:
            # Routed as the request it announces: a preflight for PUT is
            # governed by the view that will serve the PUT.
            decision = pipeline.decide(facts, state.preflight_lookup(environ))
            if decision.kind is PREFLIGHT:
                # B3.2, B4: answered here, so no hook, redirect or view sees it.
                start_response(decision.status_line, decision.response_headers())
                return [decision.body] if decision.body else []
            # CORS is off for this view or path (B3.4): the app answers the OPTIONS.
            return self.wrapped(environ, start_response)
        lookup = state.response_lookup(environ)

        def start_with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            # Decided as the response starts, once Flask has routed the request,
            # so the view's or blueprint's own policy applies (B5: every response).
            decision = pipeline.decide(facts, lookup)
            return start_response(status, response.apply(headers, decision, facts.path), exc_info)

        return self.wrapped(environ, start_with_cors)
