"""The request pipeline every adapter runs (B3).

1. The adapter reads ``RequestFacts`` from the server's data (``corsguard._engine.facts``).
2. ``Pipeline.decide`` chooses the governing policy: the view's own
   declaration if the framework found one (``corsguard._pipeline.declarations``),
   otherwise the path rules, otherwise the base policy (B3.5). Policies
   derived from declarations are cached.
3. That policy's ``evaluate`` makes the decision (``corsguard._engine.policy``).
4. The adapter answers a preflight with the decision, or applies it to the
   application's response with ``corsguard._engine.response``.

Anything that goes wrong while deciding (a view lookup that raises, input
of an unexpected type) refuses, is logged once with its traceback, and
never becomes an allow or a 500 (B3.6).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from corsguard._engine import log
from corsguard._engine.decision import FAILED_ACTUAL, FAILED_PREFLIGHT, OFF, Decision
from corsguard._engine.facts import RequestFacts
from corsguard._engine.messages import NO_ACAO, WEBSOCKET_REFUSED
from corsguard._engine.policy import Policy
from corsguard._pipeline.declarations import Declaration
from corsguard._pipeline.paths import PathRules

# Finds the declaration of the view that will serve the request (None: the
# view declares nothing, or the framework cannot tell).
Lookup = Callable[[RequestFacts], "Declaration | None"]

# Derived policies kept per pipeline; a framework that keeps creating
# declarations cannot grow it without bound.
MAX_DERIVED = 4096


class Pipeline:
    """Path rules plus per-view declarations: which policy governs a request."""

    __slots__ = ("_derived", "_everywhere", "rules")

    def __init__(self, rules: PathRules) -> None:
        self.rules = rules
        self._derived: dict[Declaration, Policy | None] = {}
        # Without path rules one policy governs every undeclared request.
        self._everywhere = rules.uniform

    @property
    def needs_path(self) -> bool:
        """Whether deciding needs the routed path: only path rules read it."""
        return self._everywhere is None

    @property
    def policy(self) -> Policy:
        """The base policy: the settings, without path rules."""
        return self.rules.policy

    def derived(self, declaration: Declaration) -> Policy | None:
        """The policy ``declaration`` yields on top of the base (None: exempt).

        ``PolicyError`` when the combination is refused; adapters call this
        at start-up for every declaration they know of, so it surfaces then.
        """
        try:
            return self._derived[declaration]
        except KeyError:
            pass
        policy = declaration.derive(self.rules.policy)
        if len(self._derived) >= MAX_DERIVED:
            self._derived.clear()
        self._derived[declaration] = policy
        return policy

    def policy_for(self, facts: RequestFacts, lookup: Lookup | None = None) -> Policy | None:
        """B3.5: the view's declaration, then the path rules (None: CORS off)."""
        declaration = None if lookup is None else lookup(facts)
        if declaration is not None:
            return self.derived(declaration)
        return self.rules.policy_for(facts.path)

    def decide(self, facts: RequestFacts, lookup: Lookup | None = None) -> Decision:
        """The decision for one request; never raises (B3.6)."""
        try:
            everywhere = self._everywhere
            policy = everywhere if everywhere is not None and lookup is None else self.policy_for(facts, lookup)
            return OFF if policy is None else policy.evaluate(facts)
        except Exception:
            return failed(facts)

    async def decide_async(self, facts: RequestFacts, lookup: Lookup | None = None) -> Decision:
        """``decide`` for async adapters: an origin resolver is asked first,
        without blocking the event loop (B9); never raises (B3.6)."""
        try:
            everywhere = self._everywhere
            policy = everywhere if everywhere is not None and lookup is None else self.policy_for(facts, lookup)
            if policy is None:
                return OFF
            await policy.resolve(facts)
            return policy.evaluate(facts)
        except Exception:
            return failed(facts)

    async def admits_websocket(self, facts: RequestFacts, lookup: Lookup | None = None) -> bool:
        """B10.2: a WebSocket handshake goes on when the governing policy would
        answer its origin with ACAO, or when CORS is off there. Anything that
        goes wrong refuses (B3.6)."""
        origin = facts.origin or ""
        try:
            governing = self.policy_for(facts, lookup)
            if governing is None:
                return True
            policy: Policy = governing
            await policy.resolve(facts)
            if policy.allows_origin(origin):
                return True
        except Exception:
            log.warn_once("websocket-failure", "corsguard could not check a WebSocket origin; refused", exc_info=True)
            log.refusal(facts, log.FAILURE, WEBSOCKET_REFUSED, "corsguard could not check the WebSocket origin")
            return False
        log.refusal(
            facts,
            log.ORIGIN,
            WEBSOCKET_REFUSED,
            lambda: "a WebSocket handshake, CHECK_WEBSOCKET_ORIGIN is on: " + policy.explain_origin(origin),
        )
        return False

    def policies(self) -> list[Policy]:
        """Every policy in force: the base, the path rules', the views' so far."""
        found = self.rules.policies()
        for policy in self._derived.values():
            if policy is not None and all(policy is not seen for seen in found):
                found.append(policy)
        return found


def failed(facts: RequestFacts) -> Decision:
    """B3.6: refuse; the first failure of each type is logged with its
    traceback, every one is a refusal like any other (rate-limited, hooks)."""
    error = sys.exc_info()[1]
    preflight = facts.method == "OPTIONS" and facts.origin is not None and facts.acrm is not None
    log.warn_once(
        "failure:" + type(error).__name__,
        "corsguard could not decide on a request and refused it (no CORS headers): %s. This is a bug or an "
        "input corsguard did not expect; please report it with the traceback below.",
        log.quote(repr(error)),
        exc_info=True,
    )
    try:
        log.refusal(facts, log.FAILURE, NO_ACAO, f"corsguard could not decide ({type(error).__name__}); refused")
    except Exception:
        log.warn_once("failure-log", "corsguard could not log a refusal", exc_info=True)
    return FAILED_PREFLIGHT if preflight else FAILED_ACTUAL
