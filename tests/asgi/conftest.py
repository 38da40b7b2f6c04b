"""Every ASGI unit test runs with the settings it gives, whatever CORSGUARD_*
variables the shell running the tests has (tox passes them through)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)
    yield
