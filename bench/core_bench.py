"""The engine and the WSGI adapter: cost per decision, and how it grows.

Targets (issue 2): an allowed simple request decided in <= 3 µs; the
10,000-origin and 1,000-pattern figures within 1.2x of the 1-origin one; a
1 MiB Access-Control-Request-Headers refused in < 1 ms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from bench.common import CASE_NAMES, Table, added_us, call_wsgi, origins, per_call_us, standard_requests, us
from bench.common import PREFLIGHT_HEADERS as ACRH
from corsguard import Policy, RequestFacts
from corsguard._adapters.wsgi import CorsMiddleware

ONE_MIB_ACRH = "," * (1 << 20)


def _patterns(count: int) -> list[str]:
    return [f"https://*.tenant{i}.example.com" for i in range(count)]


def _regexes(count: int) -> list[str]:
    return [rf"https://[a-z0-9-]+\.r{i}\.example\.com" for i in range(count)]


# Each configuration and the origin that it allows, matched by its last entry.
CONFIGS: list[tuple[str, dict[str, Any], str]] = [
    ("1 exact origin", {"allowed_origins": origins(1)}, origins(1)[-1]),
    ("1,000 exact origins", {"allowed_origins": origins(1000)}, origins(1000)[-1]),
    ("10,000 exact origins", {"allowed_origins": origins(10_000)}, origins(10_000)[-1]),
    ("1 subdomain pattern", {"allowed_origins": _patterns(1)}, "https://app.tenant0.example.com"),
    ("1,000 subdomain patterns", {"allowed_origins": _patterns(1000)}, "https://app.tenant999.example.com"),
    ("1 regex", {"origin_regexes": _regexes(1)}, "https://app.r0.example.com"),
    ("1,000 regexes", {"origin_regexes": _regexes(1000)}, "https://app.r999.example.com"),
]


def _bare_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = json.dumps({"items": [1, 2, 3]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def engine_table(repeat: int) -> Table:
    table = Table(
        "Engine: µs per Policy.evaluate (median)",
        ["allowed GET", "allowed preflight", "refused origin", "1 MiB ACRH refused"],
    )
    for label, kwargs, allowed in CONFIGS:
        policy = Policy(**kwargs)
        assert policy.evaluate(RequestFacts("GET", allowed)).allowed, label
        assert not policy.evaluate(RequestFacts("OPTIONS", allowed, "PUT", ONE_MIB_ACRH)).allowed
        requests = (
            RequestFacts("GET", allowed),
            RequestFacts("OPTIONS", allowed, "PUT", ACRH),
            RequestFacts("GET", "https://evil.example.net"),
            RequestFacts("OPTIONS", allowed, "PUT", ONE_MIB_ACRH),
        )
        table.add(
            label, *(us(per_call_us(lambda e=policy.evaluate, f=facts: e(f), repeat=repeat)) for facts in requests)
        )
    return table


def wsgi_table(repeat: int) -> Table:
    table = Table("WSGI adapter: µs added over the bare app for the same request (median)", list(CASE_NAMES))
    bare_us = 0.0
    for label, kwargs, allowed in CONFIGS:
        app = CorsMiddleware(_bare_app, Policy(**kwargs))
        cells = []
        for environ in standard_requests(allowed):
            added, bare = added_us(
                lambda a=app, e=environ: call_wsgi(a, e), lambda e=environ: call_wsgi(_bare_app, e), repeat=repeat
            )
            bare_us = max(bare_us, bare)
            cells.append(us(added))
        table.add(label, *cells)
    table.notes.append(
        f"Bare app: about {us(bare_us)} per request (a JSON view called directly through WSGI); a preflight's "
        "figure is corsguard's answer minus the bare app's, so it can be below zero."
    )
    return table


def run(quick: bool = False) -> list[Table]:
    repeat = 3 if quick else 7
    return [engine_table(repeat), wsgi_table(repeat)]


if __name__ == "__main__":
    for table in run():
        print(table.markdown(), end="\n\n")
