"""Proof: a real cache in front never serves one origin's answer to another
(docs/behaviour.md B5.4).

nginx with ``proxy_cache`` (keyed on the URL alone, as a CDN or a default
nginx cache would be) sits in front of a corsguard app under gunicorn. One
cacheable URL is requested many times with alternating origins (two allowed,
one refused, none), with and without a cookie. Every answer must be the one
made for its request's origin, and the cache must really be caching (hits
counted), or the proof proves nothing. The same nginx in front of a
hand-written CORS layer that forgets ``Vary: Origin`` leaks: that is the
failure ``Vary`` prevents, and it shows the proof can fail.

    python -m tests.proofs.cache [--rounds 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
from collections import Counter
from dataclasses import dataclass, field

from tests.proofs.servers import CACHE, Server, gunicorn, nginx

A = "https://a.example.com"
B = "https://b.example.com"
REFUSED = "https://evil.example.net"
SETTINGS = {"ALLOWED_ORIGINS": [A, B], "ALLOW_CREDENTIALS": True}
PATH = "/cached/items"
# (origin or None, send a cookie?)
VARIANTS: tuple[tuple[str | None, bool], ...] = (
    (A, True),
    (B, False),
    (None, False),
    (A, False),
    (REFUSED, True),
    (B, True),
    (REFUSED, False),
    (None, True),
)


@dataclass
class CacheOutcome:
    requests: int = 0
    leaks: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    first_leak: str = ""

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def line(self, name: str) -> str:
        per_variant = ", ".join(f"{variant}: {count}" for variant, count in sorted(self.hits.items()))
        return f"{name}: {self.requests} requests, cache hits {self.total_hits} ({per_variant}), leaks {self.leaks}" + (
            f"\n  first leak: {self.first_leak}" if self.first_leak else ""
        )


def expected_acao(origin: str | None) -> list[str]:
    return [origin] if origin in (A, B) else []


def probe(front: Server, rounds: int) -> CacheOutcome:
    """``rounds`` passes over every variant against one URL, through the cache."""
    outcome = CacheOutcome()
    connection = http.client.HTTPConnection(*front.address, timeout=10)
    try:
        for _ in range(rounds):
            for origin, cookie in VARIANTS:
                headers = {"Origin": origin} if origin else {}
                if cookie:
                    headers["Cookie"] = "session=alice"
                connection.request("GET", PATH, headers=headers)
                answer = connection.getresponse()
                answer.read()
                outcome.requests += 1
                variant = f"{origin or 'no Origin'}{' +cookie' if cookie else ''}"
                if answer.headers.get("X-Cache-Status") == "HIT":
                    outcome.hits[variant] += 1
                acao = answer.headers.get_all("Access-Control-Allow-Origin") or []
                if answer.status != 200 or acao != expected_acao(origin):
                    outcome.leaks += 1
                    outcome.first_leak = outcome.first_leak or f"{variant} got status {answer.status}, ACAO {acao}"
    finally:
        connection.close()
    return outcome


def through_cache(app: str, rounds: int) -> CacheOutcome:
    """``tests.proofs.apps:<app>`` under gunicorn, nginx's cache in front."""
    environ = {"PROOF_CORSGUARD": json.dumps(SETTINGS)}
    with gunicorn(f"tests.proofs.apps:{app}", environ) as upstream, nginx(upstream.port, CACHE) as front:
        return probe(front, rounds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.proofs.cache", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="passes over the 8 request variants")
    args = parser.parse_args(argv)
    guarded = through_cache("cacheable", args.rounds)
    print(guarded.line("corsguard behind nginx proxy_cache"), flush=True)
    careless = through_cache("no_vary", args.rounds)
    print(careless.line("a CORS layer without Vary: Origin, same nginx"), flush=True)
    ok = guarded.leaks == 0 and guarded.total_hits > 0 and careless.leaks > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
