"""The shared matrix through the engine alone: what corsguard decides,
before any framework is involved."""

from __future__ import annotations

import pytest

from corsguard import Decision, Kind, PathRules
from tests.matrix.model import Request, Result
from tests.matrix.runner import run_scenario
from tests.matrix.scenarios import ENGINE_SCENARIOS
from tests.matrix.wsgi_adapter import facts_for


def _send(rules: PathRules, request: Request) -> Result:
    decision: Decision = rules.evaluate(facts_for(request))
    if decision.kind is Kind.PREFLIGHT:
        return Result(decision.status, decision.response_headers(), decision.body, False)
    headers = list(decision.headers)
    if decision.vary:
        headers.append(("Vary", ", ".join(decision.vary)))
    return Result(None, headers, None, None)


def _build(config: object) -> PathRules:
    assert isinstance(config, dict)
    return PathRules.from_mapping(config)


@pytest.mark.parametrize("scenario", ENGINE_SCENARIOS, ids=lambda s: s.name)
def test_engine(scenario):  # type: ignore[no-untyped-def]
    run_scenario(scenario, _build, _send, cors_only=True)
