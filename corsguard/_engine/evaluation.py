"""What ``Policy.evaluate`` does for one request: classify it (B3), look up
its origin, and decide its CORS headers (B4, B5) from the compiled plan.

Apart from ``Policy`` so that it holds only the hot path: this module is
one of those ``scripts/compiled.py`` compiles, while ``Policy``, whose
constructor checks a user's arguments and says what to change, stays
interpreted. Section numbers refer to docs/behaviour.md.
"""

from __future__ import annotations

from typing import Final, Protocol

from corsguard._engine import headers as fields
from corsguard._engine import log, preflight
from corsguard._engine.decision import ACTUAL, NOT_CORS, PREFLIGHT, Decision, classify
from corsguard._engine.facts import RequestFacts
from corsguard._engine.messages import NO_ACAO
from corsguard._engine.names import ACAO, VARY_ACTUAL
from corsguard._engine.plan import MAX_REMEMBERED, AnswerKey, Plan

# NamedTuple's generated __new__ fills defaults in Python; the two allowed
# answers, the hot path, build the tuple directly with every field.
_new: Final = tuple.__new__
_NOT_CORS: Final = Decision(NOT_CORS, True, (), VARY_ACTUAL)


class Explaining(Protocol):
    """The policy, asked why an origin was refused only when a log line is written."""

    def explain_origin(self, origin: str) -> str: ...


def evaluate(plan: Plan, facts: RequestFacts, policy: Explaining) -> Decision:
    """Classify a request (B3) and decide its CORS headers (B4, B5)."""
    method, origin, acrm, acrh, acrpn, _ = facts
    kind = classify(method, origin, acrm)
    if plan.public is not None and kind is not PREFLIGHT:
        # B11.1: the same answer whatever the Origin, a new list each time.
        return _new(Decision, (kind, True, list(plan.public), (), 0, b"", "", ""))
    if kind is NOT_CORS:
        # B3.1: no Origin, not CORS; Vary still, for caches (B5.4).
        return _NOT_CORS
    assert origin is not None
    acao = plan.origins.match(origin)
    if kind is PREFLIGHT:
        acrm = acrm or ""
        # B1.5: the length comes first; hashing a megabyte costs hundreds
        # of µs, so only short requests are looked up or remembered.
        short = len(acrm) + len(acrh or "") + len(acrpn or "") <= MAX_REMEMBERED
        key = (acrm, acrh, acrpn) if short else None
        if acao is not None and key is not None:
            known = plan.answers.get(key)
            if known is not None:
                # Allowed before with these very values (see ``Plan.answers``).
                lines = [(ACAO, acao), *known]
                status = plan.preflight_status
                return _new(Decision, (PREFLIGHT, True, lines, plan.vary_preflight, status, b"", "", ""))
        return _preflight(plan, facts, acao, key, policy)
    if acao is None:
        # B5.2: refused origins get no CORS headers at all.
        log.refusal(facts, log.ORIGIN, NO_ACAO, lambda: policy.explain_origin(origin))
        return plan.refused_actual
    return _new(Decision, (ACTUAL, True, [(ACAO, acao), *plan.actual_extra], VARY_ACTUAL, 0, b"", "", ""))


def _preflight(
    plan: Plan, facts: RequestFacts, acao: str | None, key: AnswerKey | None, policy: Explaining
) -> Decision:
    """``key`` is (ACRM, ACRH, ACRPN) when short enough to remember, else None."""
    _, _, acrm, acrh, acrpn, _ = facts
    acrm = acrm or ""
    if acao is None:
        # B4.1: 403, no CORS headers, nothing about the configuration.
        origin = facts.origin or ""
        log.refusal(facts, log.ORIGIN, plan.refused_preflight.reason, lambda: policy.explain_origin(origin))
        return plan.refused_preflight
    headers = [(ACAO, acao), *plan.preflight_extra]
    # Each check may add to the answer, so each runs when its input is
    # there; the first refusal, in Fetch's order, is the one reported.
    refusal = None
    if plan.any_method or len(acrm) > fields.MAX_METHOD_LENGTH or acrm not in plan.methods_ok:
        refusal = preflight.method_refusal(plan, acrm, headers)
    if acrh is not None:
        found = preflight.headers_refusal(plan, acrh, headers)
        refusal = refusal or found
    if acrpn is not None:
        found = preflight.private_network_refusal(plan, acrpn, headers)
        refusal = refusal or found
    if refusal is not None:
        category, reason, detail = refusal
        log.refusal(facts, category, reason, detail)
        # B4.3: still answered 2xx with the full lists, so the browser
        # prints the precise method or header message.
        return Decision(
            PREFLIGHT, False, headers, plan.vary_preflight, plan.preflight_status, reason=reason, detail=detail
        )
    if key is not None:
        plan.remember(key, tuple(headers[1:]))
    return _new(Decision, (PREFLIGHT, True, headers, plan.vary_preflight, plan.preflight_status, b"", "", ""))
