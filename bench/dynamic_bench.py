"""Origins decided at run time (docs/behaviour.md B9): what the resolver costs.

Targets (issue 12): a resolver hit from the cache within 1.5x of a static
exact hit; a miss storm of 100,000 random origins makes at most the bounded
number of resolver calls.

Run: ``python -m bench.dynamic_bench`` (or ``python -m bench.run --only dynamic_bench``).
"""

from __future__ import annotations

import logging
import random
import statistics
import time

from bench.common import Table, per_call_us, us
from corsguard import Policy, RequestFacts

TENANT = "https://tenant7.example.net"


class Tenants:
    """A resolver standing for a database: it counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, origin: str) -> bool:
        self.calls += 1
        return origin == TENANT


def hit_table(repeat: int) -> Table:
    static = Policy(allowed_origins=["https://app.example.com", TENANT])
    dynamic = Policy(allowed_origins=["https://app.example.com"], origin_resolver=Tenants())
    assert dynamic.evaluate(RequestFacts("GET", TENANT)).allowed  # now cached
    static_rounds, dynamic_rounds = [], []
    for _ in range(repeat):
        static_rounds.append(per_call_us(lambda: static.evaluate(RequestFacts("GET", TENANT)), repeat=1))
        dynamic_rounds.append(per_call_us(lambda: dynamic.evaluate(RequestFacts("GET", TENANT)), repeat=1))
    static_us, dynamic_us = statistics.median(static_rounds), statistics.median(dynamic_rounds)
    table = Table("Run-time origins: an allowed GET decided by Policy.evaluate (median)", ["µs", "vs static"])
    table.add("static exact origin", us(static_us), "1.00x")
    table.add("resolver, answer cached", us(dynamic_us), f"{dynamic_us / static_us:.2f}x")
    table.notes.append(f"Alternating rounds ({repeat}); the target is at most 1.5x.")
    return table


def storm_table(count: int) -> Table:
    resolver = Tenants()
    policy = Policy(origin_resolver=resolver, resolver_calls=100, resolver_call_interval=10.0)
    rng = random.Random(12)
    origins = [f"https://x{rng.getrandbits(48):x}.example.net" for _ in range(count)]
    logging.getLogger("corsguard").setLevel(logging.ERROR)
    started = time.perf_counter()
    refused = sum(not policy.evaluate(RequestFacts("GET", origin)).allowed for origin in origins)
    elapsed = time.perf_counter() - started
    windows = int(elapsed // 10.0) + 1
    table = Table("Run-time origins: a miss storm of random origins", ["value"])
    table.add("requests", f"{count:,}")
    table.add("refused", f"{refused:,}")
    table.add("resolver calls", f"{resolver.calls:,} (budget {100 * windows:,}: 100 per 10 s, {windows} window(s))")
    table.add("time per request", us(elapsed / count * 1e6))
    assert resolver.calls <= 100 * windows, "the call budget was exceeded"
    return table


def run(quick: bool = False) -> list[Table]:
    return [hit_table(3 if quick else 9), storm_table(20_000 if quick else 100_000)]


if __name__ == "__main__":
    for table in run():
        print(table.markdown(), end="\n\n")
