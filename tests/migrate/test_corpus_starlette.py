"""The contract on the Starlette and FastAPI corpus entries (Python 3.11+,
where current Starlette installs); see ``test_corpus``."""

from __future__ import annotations

import pytest

from corsguard.cli.migrate import from_starlette
from tests.migrate import contract
from tests.migrate.corpus import starlette as starlette_corpus
from tests.migrate.corpus_apps import starlette_app, starlette_pair
from tests.migrate.test_corpus import by_name, holds


@pytest.mark.parametrize("name", sorted(by_name(starlette_corpus.ENTRIES)))
def test_starlette(name: str) -> None:
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

    entry = by_name(starlette_corpus.ENTRIES)[name]
    migration = from_starlette.translate(starlette_app([Middleware(CORSMiddleware, **entry.settings)]))
    found = None
    if migration.ok:
        with starlette_pair(entry, migration) as (peer, ours):
            found = contract.replay(entry, peer, ours)
    holds(entry, migration, found)
