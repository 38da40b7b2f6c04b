"""The cache proof in the test command (tests/proofs/cache.py): corsguard
behind nginx's proxy_cache leaks nothing while the cache really caches, and
the same cache in front of a layer that forgets Vary: Origin does leak."""

from __future__ import annotations

from tests.proofs.cache import VARIANTS, through_cache

ROUNDS = 100


def test_no_origin_ever_gets_another_origins_cached_answer() -> None:
    outcome = through_cache("cacheable", ROUNDS)
    assert outcome.requests == ROUNDS * len(VARIANTS)
    assert outcome.leaks == 0, outcome.first_leak
    # Every variant is served from the cache after its first request: the
    # cache is really in the way, so the zero above means something.
    assert len(outcome.hits) == len(VARIANTS) and outcome.total_hits >= outcome.requests - 2 * len(VARIANTS)


def test_without_vary_the_same_cache_leaks() -> None:
    outcome = through_cache("no_vary", ROUNDS)
    assert outcome.leaks > 0 and outcome.total_hits > 0
