"""A stand-in for one classification the core does not expose yet.

The gate must know *before* Flask runs whether a request is a preflight,
so it can route it as the request it announces (a preflight for ``PUT``
is governed by the view that will handle the ``PUT``) and answer it before
any ``before_request`` hook. ``Policy.evaluate`` makes that classification
internally but only together with a full decision (and its refusal log),
which needs the policy that routing is about to choose.

Core change requested: ``corsguard.decision.classify(method, origin, acrm)
-> Kind``, used by ``Policy.evaluate`` itself. Until then this module holds
the one line of C§3 the adapter needs; ``tests/flask/test_core_gap.py``
checks that it agrees with ``Policy.evaluate`` on arbitrary input.
"""

from __future__ import annotations


def announced_method(method: str, origin: str | None, acrm: str | None) -> str | None:
    """The method a preflight asks about, or None when this is no preflight.

    C§3: ``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``
    is a preflight; anything else with ``Origin`` is an actual request.
    """
    if origin is not None and acrm is not None and method == "OPTIONS":
        return acrm
    return None
