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
from corsguard._engine.origin_store import ListedOrigins

TENANT = "https://tenant7.example.net"


class Tenants:
    """A resolver standing for a database: it counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, origin: str) -> bool:
        self.calls += 1
        return origin == TENANT


class Store:
    """A listed store (B14) standing for a table of 100,000 tenants: it counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.origins = [TENANT] + [f"https://t{index}.example.net" for index in range(100_000)]

    def load(self) -> list[str]:
        self.calls += 1
        return self.origins

    def version(self) -> int:
        self.calls += 1
        return 1


def hit_table(repeat: int) -> Table:
    static = Policy(allowed_origins=["https://app.example.com", TENANT])
    dynamic = Policy(allowed_origins=["https://app.example.com"], origin_resolver=Tenants())
    store = ListedOrigins(Store().load, Store().version, poll=5, bound=3600, name="bench store")
    listed = Policy(allowed_origins=["https://app.example.com"], origin_resolver=store)
    assert dynamic.evaluate(RequestFacts("GET", TENANT)).allowed  # now cached
    assert listed.evaluate(RequestFacts("GET", TENANT)).allowed  # loaded
    policies = {"static exact origin": static, "resolver, answer cached": dynamic, "listed store (B14)": listed}
    rounds: dict[str, list[float]] = {name: [] for name in policies}
    for _ in range(repeat):
        for name, policy in policies.items():
            rounds[name].append(
                per_call_us(lambda policy=policy: policy.evaluate(RequestFacts("GET", TENANT)), repeat=1)
            )
    static_us = statistics.median(rounds["static exact origin"])
    table = Table("Run-time origins: an allowed GET decided by Policy.evaluate (median)", ["µs", "vs static"])
    for name in policies:
        median = statistics.median(rounds[name])
        table.add(name, us(median), f"{median / static_us:.2f}x")
    table.notes.append(f"Alternating rounds ({repeat}); targets: resolver ≤ 1.5x, listed store ≤ 1.1x.")
    return table


def listed_storm_table(count: int) -> Table:
    source = Store()
    store = ListedOrigins(source.load, source.version, poll=5, bound=3600, name="bench storm store")
    policy = Policy(origin_resolver=store)
    assert policy.evaluate(RequestFacts("GET", TENANT)).allowed
    calls = source.calls
    rng = random.Random(13)
    origins = [f"https://x{rng.getrandbits(48):x}.example.net" for _ in range(count)]
    logging.getLogger("corsguard").setLevel(logging.ERROR)
    started = time.perf_counter()
    refused = sum(not policy.evaluate(RequestFacts("GET", origin)).allowed for origin in origins)
    elapsed = time.perf_counter() - started
    table = Table("Listed origins (B14): a miss storm of random origins, 100,000 tenants listed", ["value"])
    table.add("requests", f"{count:,}")
    table.add("refused", f"{refused:,}")
    table.add("store calls during the storm", f"{source.calls - calls:,} (the poller's, every 5 s here)")
    table.add("tenant still allowed", str(policy.evaluate(RequestFacts("GET", TENANT)).allowed))
    table.add("time per request", us(elapsed / count * 1e6))
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
    count = 20_000 if quick else 100_000
    return [hit_table(3 if quick else 9), storm_table(count), listed_storm_table(count)]


if __name__ == "__main__":
    for table in run():
        print(table.markdown(), end="\n\n")
