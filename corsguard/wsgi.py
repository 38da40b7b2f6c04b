"""A WSGI middleware: corsguard in front of any WSGI application.

It answers preflights itself (C§3), so nothing behind it (authentication,
CSRF, routing) ever sees one, and adds headers to every other response as it
starts, without touching the body: streamed bodies stay streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from corsguard.decision import Decision, Kind
from corsguard.headers import missing_vary
from corsguard.paths import PathRules, RuleSpec
from corsguard.policy import Policy

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_ACAO_LOWER = "access-control-allow-origin"


def routed_path(environ: WSGIEnvironment) -> str:
    """The path as frameworks route on it: PATH_INFO, UTF-8 decoded once.

    PEP 3333 hands PATH_INFO over as latin-1 text of the raw bytes, already
    percent-decoded once by the server; Django and Werkzeug then decode those
    bytes as UTF-8. Doing the same keeps path rules and routing in agreement.
    """
    path: str = environ.get("PATH_INFO", "")
    if path.isascii():
        return path
    return path.encode("latin-1", "replace").decode("utf-8", "replace")


def add_headers(headers: list[tuple[str, str]], decision: Decision, path: str) -> list[tuple[str, str]]:
    """A new header list: ``headers`` plus the decision's CORS headers and Vary.

    Vary is merged across all of the application's Vary lines, each name
    once (C§5); ``Vary: *`` is left alone.
    """
    result = list(headers)
    vary_lines: list[str] = []
    has_acao = False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "vary":
            vary_lines.append(value)
        elif lowered == _ACAO_LOWER:
            has_acao = True
    result.extend(decision.headers_to_add(has_acao, path))
    missing = missing_vary(vary_lines, decision.vary)
    if missing:
        result.append(("Vary", ", ".join(missing)))
    return result


class CorsMiddleware:
    """Wrap a WSGI application: ``app = CorsMiddleware(app, policy)``.

    ``paths`` takes path rules (see ``PathRules``); ``policy`` may also be a
    ready ``PathRules``.
    """

    def __init__(self, app: WSGIApplication, policy: Policy | PathRules, paths: RuleSpec | None = None) -> None:
        if isinstance(policy, PathRules):
            if paths is not None:
                raise TypeError("pass path rules either inside PathRules or as paths=, not both")
            self._rules = policy
        else:
            self._rules = PathRules(policy, paths)
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = routed_path(environ)
        get = environ.get
        decision = self._rules.evaluate(
            path,
            get("REQUEST_METHOD", "GET"),
            get("HTTP_ORIGIN"),
            get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
            get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
        )
        if decision.kind is Kind.PREFLIGHT:
            start_response(decision.status_line, decision.response_headers())
            return [decision.body] if decision.body else []
        if not decision.headers and not decision.vary:
            return self._app(environ, start_response)

        def start_with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            return start_response(status, add_headers(headers, decision, path), exc_info)

        return self._app(environ, start_with_cors)
