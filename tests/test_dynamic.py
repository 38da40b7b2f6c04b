"""Origins decided at run time (docs/behaviour.md B9): caches, budget,
failure, thread and event-loop safety. No framework needed."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Iterator

import pytest

from corsguard import Policy, PolicyError, RequestFacts
from corsguard._engine import dynamic

TENANTS = {f"https://tenant{index}.example.net" for index in range(50)}


class Database:
    """A resolver with a call counter and a switch to make it fail."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()
        self.down = False

    def __call__(self, origin: str) -> bool:
        with self.lock:
            self.calls += 1
        if self.down:
            raise ConnectionError("down")
        return origin in TENANTS


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def database() -> Iterator[Database]:
    yield Database()


def policy_for(database: Database, **limits: object) -> Policy:
    return Policy(allowed_origins=["https://app.example.com"], origin_resolver=database, **limits)  # type: ignore[arg-type]


def allowed(policy: Policy, origin: str) -> bool:
    return policy.evaluate(RequestFacts("GET", origin)).allowed


def resolver_of(policy: Policy) -> dynamic.Resolver:
    resolver = policy._plan.origins.resolver
    assert resolver is not None
    return resolver


def test_a_miss_storm_makes_at_most_the_budgeted_calls(database: Database) -> None:
    policy = policy_for(database, resolver_calls=100, resolver_call_interval=3600.0)
    rng = random.Random(8)
    for _ in range(100_000):
        assert not allowed(policy, f"https://x{rng.getrandbits(64):x}.example.net")
    assert database.calls == 100


def test_a_storm_never_evicts_allowed_origins(database: Database) -> None:
    policy = policy_for(database, resolver_cache_size=60, resolver_calls=100_000)
    for origin in sorted(TENANTS):
        assert allowed(policy, origin)
    before = database.calls
    for index in range(5_000):
        allowed(policy, f"https://unknown{index}.example.net")
    calls_for_storm = database.calls - before
    assert calls_for_storm == 5_000
    for origin in TENANTS:
        assert allowed(policy, origin)
    assert database.calls - before == calls_for_storm, "a tenant was evicted and asked again"


def test_answers_expire_refusals_sooner(database: Database) -> None:
    policy = policy_for(database, resolver_ttl=300.0, resolver_negative_ttl=30.0)
    clock = Clock()
    resolver_of(policy).clock = clock
    assert allowed(policy, "https://tenant1.example.net") and not allowed(policy, "https://nope.example.net")
    calls = database.calls
    clock.now += 31  # the refusal expired, the allowed answer did not
    assert allowed(policy, "https://tenant1.example.net") and not allowed(policy, "https://nope.example.net")
    assert database.calls == calls + 1
    clock.now += 300
    allowed(policy, "https://tenant1.example.net")
    assert database.calls == calls + 2


def test_forget_makes_the_next_request_ask_again(database: Database) -> None:
    policy = policy_for(database)
    allowed(policy, "https://tenant2.example.net")
    calls = database.calls
    dynamic.forget(database, "https://tenant2.example.net")
    allowed(policy, "https://tenant2.example.net")
    assert database.calls == calls + 1


def test_a_failing_resolver_refuses_and_says_so_once(database: Database, caplog: pytest.LogCaptureFixture) -> None:
    database.down = True
    policy = policy_for(database)
    for index in range(3):
        assert not allowed(policy, f"https://tenant{index}.example.net")
    failures = [record for record in caplog.records if record.getMessage().startswith("ORIGIN_RESOLVER")]
    assert len(failures) == 1 and failures[0].exc_info is not None
    assert "failed: ConnectionError" in policy.explain_origin("https://tenant0.example.net")


def test_threads_get_consistent_answers(database: Database) -> None:
    # A small cache that churns under eight threads; the budget is out of the
    # way here (over budget, a new origin is refused by design, B9.3).
    policy = policy_for(database, resolver_cache_size=64, resolver_calls=10**9)
    origins = sorted(TENANTS) + [f"https://other{index}.example.net" for index in range(200)]
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(2_000):
            origin = rng.choice(origins)
            if allowed(policy, origin) != (origin in TENANTS):
                errors.append(origin)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


def test_the_event_loop_is_never_blocked(database: Database) -> None:
    """In async code the resolver is asked through resolve_async; evaluate alone
    never calls it there, it refuses instead of blocking the loop."""
    policy = policy_for(database)

    async def requests() -> list[bool]:
        assert not allowed(policy, "https://tenant3.example.net")  # not asked from inside the loop
        facts = [RequestFacts("GET", origin) for origin in sorted(TENANTS)]
        await asyncio.gather(*(policy.resolve(fact) for fact in facts))
        return [policy.evaluate(fact).allowed for fact in facts]

    assert all(asyncio.run(requests()))


def test_policies_with_other_eligibility_rules_do_not_share_answers() -> None:
    """B9.2: an http:// origin allowed without credentials is still refused
    with credentials, even once cached."""

    def everything(origin: str) -> bool:
        return True

    open_policy = Policy(origin_resolver=everything)
    credentialed = Policy(origin_resolver=everything, allow_credentials=True)
    assert allowed(open_policy, "http://intranet.example.com")
    assert not allowed(credentialed, "http://intranet.example.com")
    assert allowed(credentialed, "http://localhost:4000")


def test_a_resolver_path_that_does_not_import_is_refused_at_start_up() -> None:
    with pytest.raises(PolicyError, match="cannot be imported"):
        Policy(origin_resolver="testprojects.resolvers.no_such_function")
    with pytest.raises(PolicyError, match="is not callable"):
        Policy(origin_resolver="testprojects.resolvers.TENANT_ORIGINS")
