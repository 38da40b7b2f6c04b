"""Which view a request belongs to, found the way Flask finds it.

Used before Flask runs (a preflight is answered before routing, hooks and
redirects) and for responses that routing itself produced (404, 405, a
``strict_slashes`` redirect), where Flask has no ``url_rule`` to tell. It
goes through ``Flask.create_url_adapter``, so ``SERVER_NAME``, subdomain
and host matching, and ``TRUSTED_HOSTS`` behave exactly as for the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from flask import Flask, has_request_context, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import MapAdapter, RequestRedirect

from corsguard._engine.facts import merged_slashes, utf8_path

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Matching attempts per request: the method asked for, the methods a 405
# names, one strict_slashes redirect. Bounded, since the input is hostile.
_MAX_ATTEMPTS = 6


def routed_path(app: Flask, environ: WSGIEnvironment) -> str:
    """The path Werkzeug routes on (B3.4): PATH_INFO decoded once, leading
    slashes stripped to one, and, as ``merge_slashes`` redirects ``/a//b``
    to ``/a/b``, runs of slashes merged too."""
    path = utf8_path(environ.get("PATH_INFO", ""))
    if app.url_map.merge_slashes:
        return merged_slashes(path)
    return "/" + path.lstrip("/")


def endpoint_for(app: Flask, environ: WSGIEnvironment, method: str) -> str | None:
    """The endpoint that would serve ``method`` on this request's URL, if any.

    A redirect (``strict_slashes``, merged slashes) is followed once, since
    the browser will send its request to the target. A method no view on the
    URL handles still resolves to a view of that URL, so its policy, not the
    app's, answers for it.
    """
    try:
        adapter = app.create_url_adapter(app.request_class(environ))
    except HTTPException:  # e.g. a Host outside TRUSTED_HOSTS
        return None
    if adapter is None:
        return None
    return _match(adapter, method, environ.get("REQUEST_METHOD", "GET"))


def _match(adapter: MapAdapter, method: str, request_method: str) -> str | None:
    path: str | None = None  # None: the request's own PATH_INFO
    pending = [method, request_method, "GET"]
    tried: set[tuple[str | None, str]] = set()
    redirects = 1
    for _ in range(_MAX_ATTEMPTS):
        candidates = [m for m in pending if (path, m) not in tried]
        if not candidates:
            return None
        candidate = candidates[0]
        tried.add((path, candidate))
        try:
            endpoint, _arguments = adapter.match(path, candidate)
        except RequestRedirect as redirect:
            if not redirects:
                return None
            redirects -= 1
            path = _redirect_path(adapter, redirect.new_url)
            pending = [method, request_method, "GET"]
        except MethodNotAllowed as refusal:
            pending.extend(refusal.valid_methods or ())
        except HTTPException:
            continue
        else:
            return str(endpoint)
    return None


def _redirect_path(adapter: MapAdapter, url: str) -> str:
    """The PATH_INFO a redirect target would arrive with."""
    path = unquote(urlsplit(url).path)
    root = adapter.script_name.rstrip("/")
    return path[len(root) :] if root and path.startswith(root) else path


def routed_endpoint(environ: WSGIEnvironment) -> str | None:
    """The endpoint Flask matched for this very request, or None if it has not.

    Valid while the response starts inside Flask's request context, which
    is where Werkzeug responses call ``start_response``.
    """
    if not has_request_context() or request.environ is not environ:
        return None
    rule = request.url_rule
    return None if rule is None else rule.endpoint
