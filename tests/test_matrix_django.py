"""The shared matrix through corsguard_django, sync (WSGI) and async (ASGI).

Each scenario's configuration becomes ``settings.CORSGUARD`` for that
scenario only, and each scenario gets a freshly built handler.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.matrix import django_adapter
from tests.matrix.runner import run_scenario
from tests.matrix.scenarios import scenarios_for

SCENARIOS = scenarios_for("view-policies", "django-routing")


@pytest.fixture(autouse=True)
def _no_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The scenario's config alone decides: CORSGUARD_* variables of the shell
    running the tests (tox passes them through) must not leak in."""
    import os  # noqa: PLC0415

    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)
    yield


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_django_sync(scenario):  # type: ignore[no-untyped-def]
    with override_settings(CORSGUARD=dict(scenario.config)):
        run_scenario(scenario, django_adapter.build_wsgi, django_adapter.send_wsgi)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_django_async(scenario):  # type: ignore[no-untyped-def]
    with override_settings(CORSGUARD=dict(scenario.config)):
        run_scenario(scenario, django_adapter.build_asgi, django_adapter.send_asgi)
