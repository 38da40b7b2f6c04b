"""Fixtures of the Chromium suite: the browser, the page's server, and each
backend served with the suite's configuration.

Without Chromium the suite is skipped with one line saying how to install
it; with ``CORSGUARD_REQUIRE_BROWSER=1`` (set by .ci/run) that is a failure.

The fixtures are package-scoped, not session-scoped: while Playwright's sync
API is running it leaves its event loop marked as running on the main thread,
and code that asks ``asyncio.get_running_loop()`` later in the session (the
resolver's "never block the loop" rule) would believe it is inside one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from testprojects import serve
from tests.browser import chromium
from tests.browser.backends import Backend, suite_config


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    why = chromium.missing()
    if why is not None:
        if os.environ.get("CORSGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CORSGUARD_REQUIRE_BROWSER=1 but {why}", pytrace=False)
        pytest.skip(why)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        launched = chromium.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def frontend() -> Iterator[serve.Running]:
    running = serve.serve_wsgi("frontend", chromium.page_app)
    yield running
    running.stop()


class Servers:
    """Backends started on first use and stopped when the Chromium suite ends."""

    def __init__(self, frontend: serve.Running) -> None:
        self._frontend = frontend
        self._running: dict[str, serve.Running] = {}

    def __call__(self, spec: Backend) -> serve.Running:
        if spec.name not in self._running:
            self._running[spec.name] = spec.start(suite_config(self._frontend.port))
        return self._running[spec.name]

    def stop(self) -> None:
        for running in self._running.values():
            running.stop()


@pytest.fixture(scope="package")
def servers(frontend: serve.Running) -> Iterator[Servers]:
    started = Servers(frontend)
    yield started
    started.stop()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh profile per test: its own cookies and preflight cache."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()
