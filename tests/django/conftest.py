"""Tests here that touch the database leave no open connection behind.

Most of the suite runs with database access blocked (pytest-django's
default); a connection left open by one of the few database tests would make
the next request's ``close_old_connections`` try to use it, and fail. The
connection is closed after every fixture's teardown, pytest-django's
rollback included.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield
    connections.close_all()
