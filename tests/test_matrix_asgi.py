"""The shared matrix through corsguard._adapters.asgi.CorsMiddleware and the FastAPI test project.

ASGI delivers response header names in lower case (Starlette writes them so,
as HTTP/2 does on the wire), and corsguard's B5.5 warning names the header
as the application set it. Two scenarios look for the mixed-case name in
that warning; for them the run must fail on exactly that line, after every
other check of the scenario passed (``check`` judges the log last), and the
warning must name the header in lower case. If the warning ever names it
canonically, these turn red and belong with the others again.
"""

from __future__ import annotations

import re

import pytest

from tests.matrix import asgi_adapter
from tests.matrix.runner import captured_logs, run_scenario
from tests.matrix.scenarios import scenarios_for
from tests.matrix.websocket import HANDSHAKES, Handshake, run_handshake

SCENARIOS = scenarios_for(*asgi_adapter.FEATURES)
LOWER_CASE_NAMES = {
    "app-set-acao-left-alone": "access-control-allow-origin",
    "app-set-expose-headers-left-alone": "access-control-expose-headers",
}


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.name not in LOWER_CASE_NAMES], ids=lambda s: s.name)
def test_asgi(scenario):  # type: ignore[no-untyped-def]
    run_scenario(scenario, asgi_adapter.build, asgi_adapter.send)


@pytest.mark.parametrize("name", sorted(LOWER_CASE_NAMES))
def test_asgi_header_named_in_lower_case(name: str) -> None:
    (scenario,) = [s for s in SCENARIOS if s.name == name]
    wanted = scenario.steps[0].expect.log_contains[0]
    with captured_logs() as messages, pytest.raises(AssertionError, match=re.escape(repr(wanted))):
        run_scenario(scenario, asgi_adapter.build, asgi_adapter.send)
    assert any(wanted.replace(wanted.split()[-1], LOWER_CASE_NAMES[name]) in line for line in messages), messages


@pytest.mark.parametrize("handshake", HANDSHAKES, ids=lambda h: h.name)
def test_websocket_handshake(handshake: Handshake) -> None:
    run_handshake(handshake)
