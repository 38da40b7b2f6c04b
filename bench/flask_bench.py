"""Flask: what corsguard_flask and flask-cors add to the same minimal app.

One JSON view, called directly through WSGI (no server, no test client),
bare, with corsguard and with flask-cors, in the same run. "Added" is the
time for a request minus the time the bare app takes for the *same*
request (for a preflight, Flask's automatic OPTIONS answer), so a negative
figure means the CORS layer answered faster than the app would have.

Targets (issue 4): at most 10 µs added for an allowed GET and for a
preflight, flat as the origin list grows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, jsonify
from flask_cors import CORS

from bench.common import (
    Table,
    added_us,
    call_wsgi,
    origins,
    per_call_us,
    standard_requests,
    us,
    wsgi_environ,
)
from corsguard_flask import CorsGuard, cors_policy


def _regexes(count: int) -> list[str]:
    return [rf"https://[a-z0-9-]+\.r{i}\.example\.com" for i in range(count)]


# (label, corsguard settings, flask-cors options, the origin allowed by the last entry)
CONFIGS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("1 exact origin", {"allowed_origins": origins(1)}, {"origins": origins(1)}, origins(1)[-1]),
    ("1,000 exact origins", {"allowed_origins": origins(1000)}, {"origins": origins(1000)}, origins(1000)[-1]),
    ("10,000 exact origins", {"allowed_origins": origins(10_000)}, {"origins": origins(10_000)}, origins(10_000)[-1]),
    ("1,000 regexes", {"origin_regexes": _regexes(1000)}, {"origins": _regexes(1000)}, "https://app.r999.example.com"),
]


def minimal_app(*, route_policy: bool = False) -> Flask:
    """The app under test: one JSON view (and, optionally, a second view with
    its own corsguard policy, which switches on per-route lookups)."""
    app = Flask("bench")

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> Any:
        return jsonify(items=[1, 2, 3])

    if route_policy:

        @app.route("/api/other")
        @cors_policy(max_age=0)
        def other() -> Any:
            return jsonify(other=True)

    return app


def with_corsguard(settings: dict[str, Any], *, route_policy: bool = False) -> Flask:
    app = minimal_app(route_policy=route_policy)
    CorsGuard(app, env={}, **settings)
    return app


def with_flask_cors(options: dict[str, Any]) -> Flask:
    app = minimal_app()
    CORS(app, **options)
    return app


def _acao(app: Flask, environ: dict[str, Any]) -> str | None:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.update((name.lower(), value) for name, value in headers)

    body = app(dict(environ), start_response)
    for _ in body:
        pass
    getattr(body, "close", lambda: None)()
    return seen.get("access-control-allow-origin")


def _check(app: Flask, cases: list[dict[str, Any]], allowed: str, label: str) -> None:
    """Both libraries must actually do CORS here, or the figures mean nothing."""
    assert _acao(app, cases[0]) == allowed, label
    assert _acao(app, cases[1]) == allowed, label
    assert _acao(app, cases[2]) is None, label


def _row(app: Flask, bare: Flask, cases: list[dict[str, Any]], repeat: int) -> list[str]:
    cells = []
    for environ in cases:
        added, _ = added_us(_caller(app, environ), _caller(bare, environ), repeat=repeat)
        cells.append(us(added))
    return cells


def _caller(app: Flask, environ: dict[str, Any]) -> Callable[[], None]:
    return lambda: call_wsgi(app, environ)


def run(quick: bool = False) -> Table:
    repeat = 3 if quick else 9
    table = Table(
        "Flask: µs added over the same app without CORS (median)",
        ["allowed GET", "preflight", "refused origin", "no Origin"],
    )
    bare = minimal_app()
    for label, settings, options, allowed in CONFIGS:
        cases = standard_requests(allowed)
        for library, app in (("corsguard", with_corsguard(settings)), ("flask-cors", with_flask_cors(options))):
            _check(app, cases, allowed, f"{label}, {library}")
            table.add(f"{label}, {library}", *_row(app, bare, cases, repeat))
    _, settings, _, allowed = CONFIGS[0]
    routed = with_corsguard(settings, route_policy=True)
    cases = standard_requests(allowed)
    _check(routed, cases, allowed, "route policies")
    table.add(
        "1 exact origin, corsguard, app with a @cors_policy view",
        *_row(routed, minimal_app(route_policy=True), cases, repeat),
    )
    bare_get = _caller(bare, wsgi_environ())
    table.notes.append(
        f"Bare app: {us(per_call_us(bare_get, repeat=repeat))} per GET (one JSON view, direct WSGI call). "
        "Each figure is the request's time minus the bare app's time for the same request; a preflight's "
        "bare time is Flask's automatic OPTIONS answer, so a negative figure means corsguard answered "
        "the preflight faster than Flask alone would have."
    )
    return table


if __name__ == "__main__":
    print(run().markdown())
