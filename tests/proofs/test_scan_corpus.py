"""``corsguard scan`` over the labelled corpus (tests/cli/corpus): every
entry a real process on loopback; every hole found with exactly its codes,
and no finding at ``low`` or above on any correct configuration (0 false
alarms); CORScanner side by side. bench/scan_peers.py adds Corsy."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from corsguard.cli import scan
from corsguard.cli.scan.findings import rank
from tests.cli.corpus import fleet, peers, proxy
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


def test_side_by_side_with_corscanner(ports: dict[str, int], tmp_path_factory: pytest.TempPathFactory) -> None:
    """CORScanner (pip-installed from PyPI into a scratch folder) on the same
    corpus: corsguard finds every hole it finds, and raises no false alarm.
    Corsy is not on a registry: bench/scan_peers.py --corsy DIR adds it."""
    entries = by_name()
    scratch = tmp_path_factory.mktemp("peers")
    with proxy.running(ports) as proxy_url:
        theirs = peers.run_corscanner(entries, proxy_url, scratch)
    ours = peers.run_corsguard(entries, ports)
    found, _, alarms, missed, _ = ours.score(entries)
    their_found, *_ = theirs.score(entries)
    print("\n" + peers.table([ours, theirs], entries))
    assert their_found > 0, "CORScanner found nothing: it did not run"
    assert alarms == 0 and not missed
    their_hits = {n for n, e in entries.items() if not e.correct and theirs.reported.get(n, set()) & e.holes}
    our_hits = {n for n, e in entries.items() if not e.correct and ours.reported.get(n, set()) & e.holes}
    assert their_hits <= our_hits and found == len(our_hits)
