"""The shared matrix through corsguard_flask and the Flask test project."""

from __future__ import annotations

import pytest

from tests.matrix import flask_adapter
from tests.matrix.runner import run_scenario
from tests.matrix.scenarios import scenarios_for


@pytest.mark.parametrize("scenario", scenarios_for(*flask_adapter.FEATURES), ids=lambda s: s.name)
def test_flask(scenario):  # type: ignore[no-untyped-def]
    run_scenario(scenario, flask_adapter.build, flask_adapter.send)
