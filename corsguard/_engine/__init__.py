"""The engine: CORS rules, compiled once into an immutable ``Policy``.

Owns the grammar of origins and header lists, the matchers and the pattern
proofs (``patterns/``), the start-up validation that lists every problem at
once, the compiled plan, and the decision and headers for one request
(``policy.evaluate`` -> ``Decision`` -> ``response``). Also the run-time
services a compiled policy consults: the rate-limited refusal log
(``log``), the cached resolver of run-time origins (``dynamic``) and the
listed-origin store it polls (``origin_store``, ``listed_resolver``).

It imports only the standard library, ``publicsuffixlist`` and itself: no
framework, no socket, no file. Its only clocks and threads are the refusal
log's rate limit, the resolver's caches and the store's poller. Every layer
above may import it; it imports none of them (``.importlinter``).
"""
