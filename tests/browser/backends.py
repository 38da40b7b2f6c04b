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


LOGIN_DJANGO = """async (api) => {
  const token = (await (await fetch(api + "/api/csrf", {credentials: "include"})).json()).csrfToken;
  const r = await fetch(api + "/api/login", {method: "POST", credentials: "include",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
    body: JSON.stringify({username: "alice", password: "wonderland"})});
  return r.status;
}"""


def _wsgi(config: Mapping[str, Any]) -> serve.Running:
    return serve.serve_wsgi("wsgi", wsgi_app.create_app(config))


def _flask(config: Mapping[str, Any]) -> serve.Running:
    from testprojects.flask_project.app import create_app  # noqa: PLC0415

    app = create_app({f"CORSGUARD_{key}": value for key, value in config.items()}, env={})
    return serve.serve_wsgi("flask", app)


def _fastapi(config: Mapping[str, Any]) -> serve.Running:
    """The FastAPI test project behind corsguard._adapters.asgi, served by uvicorn."""
    from testprojects.fastapi_app.app import create_app  # noqa: PLC0415

    return serve.serve_asgi("fastapi", create_app(config, environ=None))


def _django_settings(config: Mapping[str, Any]) -> Any:
    """The suite's CORS settings and its page as a CSRF-trusted origin."""
    from django.test import override_settings  # noqa: PLC0415

    origins = [origin for origin in config["ALLOWED_ORIGINS"] if "*" not in origin]
    return override_settings(CORSGUARD=dict(config), CSRF_TRUSTED_ORIGINS=origins)


def _django(handler: str) -> Callable[[Mapping[str, Any]], serve.Running]:
    def start(config: Mapping[str, Any]) -> serve.Running:
        override = _django_settings(config)
        override.enable()
        if handler == "asgi":
            from django.core.handlers.asgi import ASGIHandler  # noqa: PLC0415

            running = serve.serve_asgi("django-async", ASGIHandler())
        else:
            from django.core.handlers.wsgi import WSGIHandler  # noqa: PLC0415

            running = serve.serve_wsgi("django-sync", WSGIHandler())
        stop = running.stop

        def stop_and_restore() -> None:
            stop()
            override.disable()

        running.stop = stop_and_restore
        return running

    return start


BACKENDS: list[Backend] = [
    Backend("wsgi", _wsgi, LOGIN_PLAIN),
    Backend("django-sync", _django("wsgi"), LOGIN_DJANGO, ("view-policies",)),
    Backend("django-async", _django("asgi"), LOGIN_DJANGO, ("view-policies",)),
    Backend("flask", _flask, LOGIN_PLAIN, ("view-policies", "blueprints")),
    Backend("fastapi", _fastapi, LOGIN_PLAIN, ("view-policies",)),
]
