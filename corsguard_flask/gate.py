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

from corsguard.decision import Decision, Kind, classify
from corsguard.paths import decide
from corsguard.policy import Policy
from corsguard.wsgi import add_headers, routed_path
from corsguard_flask.state import AppState

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class CorsGate:
    """Answers preflights itself; adds CORS headers to every other response."""

    def __init__(self, app: WSGIApplication, state: AppState) -> None:
        self.wrapped = app
        self.state = state

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        state = self.state
        state.ensure_current()
        path = routed_path(environ)
        get = environ.get
        method: str = get("REQUEST_METHOD", "GET")
        origin: str | None = get("HTTP_ORIGIN")
        acrm: str | None = get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")

        if classify(method, origin, acrm) is Kind.PREFLIGHT:
            # Routed as the request it announces: a preflight for PUT is
            # governed by the view that will serve the PUT.
            assert acrm is not None
            policy = state.preflight_policy(environ, path, acrm)
            decision = _evaluate(policy, environ, path, method, origin, acrm)
            if decision.kind is Kind.PREFLIGHT:
                # C§3, C§4: answered here, so no hook, redirect or view sees it.
                start_response(decision.status_line, decision.response_headers())
                return [decision.body] if decision.body else []
            # CORS is off for this view or path (C§3): the app answers the OPTIONS.
            return self.wrapped(environ, start_response)

        def start_with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            # Decided as the response starts, once Flask has routed the request,
            # so the view's or blueprint's own policy applies (C§5: every response).
            decision = _evaluate(state.response_policy(environ, path), environ, path, method, origin, acrm)
            if decision.headers or decision.vary:
                headers = add_headers(headers, decision, path)
            return start_response(status, headers, exc_info)

        return self.wrapped(environ, start_with_cors)


def _evaluate(
    policy: Policy | None, environ: WSGIEnvironment, path: str, method: str, origin: str | None, acrm: str | None
) -> Decision:
    return decide(
        policy,
        path,
        method,
        origin,
        acrm,
        environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
        environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
    )
