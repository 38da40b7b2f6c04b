"""``corsguard lint`` says that asking ORIGIN_RESOLVER reads the store, and
``--offline`` keeps it from reading (docs/behaviour.md B14)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from testprojects import listed_store
from tests.cli.test_lint import run_lint

TENANT = "https://tenant1.example.net"


def lint_on_a_thread(*argv: str) -> tuple[int, str]:
    """A thread of its own: the Chromium suite's Playwright may run an event loop here."""
    found: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: found.append(run_lint(*argv)))
    worker.start()
    worker.join(timeout=30)
    return found[0]


def test_offline_never_reads_the_store_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"ORIGIN_RESOLVER": "testprojects.listed_store.store"}))
    code, out = lint_on_a_thread("--file", str(path), "--origin", TENANT, "--offline")
    assert listed_store.READS == []
    assert "ORIGIN_RESOLVER: not asked (--offline)." in out
    assert "not asked: ORIGIN_RESOLVER decides at run time" in out
    assert code == 1
    code, out = lint_on_a_thread("--file", str(path), "--origin", TENANT)
    assert code == 0 and "load" in listed_store.READS
    assert "which reads your database or store (--offline to skip)" in out
    assert f"Origin {TENANT!r}: allowed by 1 of 1 policies" in out
