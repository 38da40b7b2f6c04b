"""The contract on the Starlette and FastAPI corpus entries (Python 3.11+,
where current Starlette installs); see ``test_corpus``."""

from __future__ import annotations

import pytest

from tests.migrate.test_corpus import holds, names


@pytest.mark.parametrize("name", names("starlette"))
def test_starlette(name: str) -> None:
    holds("starlette", name)
