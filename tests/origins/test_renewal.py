"""Per-origin resolvers under a flood (docs/behaviour.md B14.4): a tenant whose
cached answer expired is renewed from a budget the flood cannot spend."""

from __future__ import annotations

from corsguard._engine.dynamic import Limits, Resolver

TENANT = "https://tenant.example.com"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_spends_the_shared_budget_but_not_a_tenants_renewal() -> None:
    allowed = {TENANT}
    calls: list[str] = []

    def resolver(origin: str) -> bool:
        calls.append(origin)
        return origin in allowed

    clock = Clock()
    subject = Resolver(resolver, Limits(ttl=1.0, negative_ttl=1.0, calls=5, call_interval=10.0))
    subject.clock = clock
    assert subject.resolve(TENANT)
    for index in range(100):
        assert not subject.resolve(f"https://r{index}.example.org")
    assert len(calls) == 5  # the shared budget: spent by the flood
    assert subject.explain("https://r99.example.org") == "over budget"
    clock.now += 2  # the tenant's answer expired; the window has not
    assert subject.resolve(TENANT)  # renewed from its own budget
    assert calls[-1] == TENANT
    allowed.clear()  # revoked
    clock.now += 2
    assert not subject.resolve(TENANT)
    clock.now += 2
    calls_before = len(calls)
    assert not subject.resolve(TENANT)  # a revoked origin is unknown again: the shared budget, spent
    assert len(calls) == calls_before
