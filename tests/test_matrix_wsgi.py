"""The shared matrix through corsguard._adapters.wsgi.CorsMiddleware."""

from __future__ import annotations

import pytest

from tests.matrix import wsgi_adapter
from tests.matrix.runner import run_scenario
from tests.matrix.scenarios import scenarios_for


@pytest.mark.parametrize("scenario", scenarios_for("plain-routing"), ids=lambda s: s.name)
def test_wsgi(scenario):  # type: ignore[no-untyped-def]
    run_scenario(scenario, wsgi_adapter.build, wsgi_adapter.send)
