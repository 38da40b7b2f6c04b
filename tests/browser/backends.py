"""The applications the Chromium suite runs against, each served on loopback
with the suite's configuration, and how a page logs in to each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from testprojects import serve, wsgi_app


def suite_config(frontend_port: int) -> dict[str, Any]:
    """One configuration for every backend: the page's origin with
    credentials; subdomain patterns on /public/; no preflight cache on
    /api/v1/users/."""
    page = f"http://localhost:{frontend_port}"
    return {
        "ALLOWED_ORIGINS": [page],
        "ALLOW_CREDENTIALS": True,
        "EXPOSE_HEADERS": ["x-total-count"],
        "MAX_AGE": 600,
        "PATHS": [
            (r"/public/.*", {"ALLOWED_ORIGINS": [f"http://*.localhost:{frontend_port}"], "ALLOW_CREDENTIALS": False}),
            (r"/api/v1/users/.*", {"MAX_AGE": 0}),
            (r".*", {}),
        ],
    }


# JavaScript run in the page to start a session, given the API's base URL.
LOGIN_PLAIN = """async (api) => {
  const r = await fetch(api + "/api/login", {method: "POST", credentials: "include",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify({user: "alice"})});
  return r.status;
}"""


@dataclass(frozen=True)
class Backend:
    name: str
    start: Callable[[Mapping[str, Any]], serve.Running]
    login_js: str
    features: tuple[str, ...] = ()


def _wsgi(config: Mapping[str, Any]) -> serve.Running:
    return serve.serve_wsgi("wsgi", wsgi_app.create_app(config))


BACKENDS: list[Backend] = [
    Backend("wsgi", _wsgi, LOGIN_PLAIN),
]
