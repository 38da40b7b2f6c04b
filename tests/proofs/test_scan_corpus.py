"""``corsguard scan`` over the labelled corpus (tests/cli/corpus): every
entry a real process on loopback; every hole found with exactly its codes,
and no finding at ``low`` or above on any correct configuration (0 false
alarms). The peers' side-by-side is bench/scan_peers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from corsguard.cli import scan
from corsguard.cli.scan.findings import rank
from tests.cli.corpus import fleet
from tests.cli.corpus.entries import ENTRIES, STACKS_REQUIRED, by_name

NAMES = list(by_name())


@pytest.fixture(scope="module")
def ports() -> Iterator[dict[str, int]]:
    missing = fleet.missing_tools()
    if missing:
        why = f"{', '.join(missing)} not installed (scripts/test installs them: ensure_node, ensure_nginx)"
        if os.environ.get("CORSGUARD_REQUIRE_NODE") == "1" or os.environ.get("CORSGUARD_REQUIRE_NGINX") == "1":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    with fleet.running() as started:
        yield started


def test_the_corpus_is_big_and_covers_every_stack_and_code() -> None:
    from corsguard.cli.scan.findings import CODES  # noqa: PLC0415

    assert len(ENTRIES) >= 40
    correct = {entry.stack for entry in ENTRIES if entry.correct}
    assert correct >= STACKS_REQUIRED
    assert {code for entry in ENTRIES for code in entry.holes} == set(CODES)


@pytest.mark.parametrize("name", NAMES)
def test_entry(name: str, ports: dict[str, int]) -> None:
    entry = by_name()[name]
    result = scan.scan(f"http://127.0.0.1:{ports[name]}{entry.path}", entry.trusted, credentials=True)
    assert result.unreachable is None, result.unreachable
    found = {item.code for item in result.findings}
    if entry.correct:
        assert not [item for item in result.findings if rank(item.severity) >= rank("low")], scan.as_text(result)
        assert result.exit_code("low") == 0
    else:
        assert found == entry.holes, scan.as_text(result)
