"""Every code block of the README and the documentation site runs (issue 20):
a snippet that stops working fails here. See blocks.py for the markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from corsguard._engine import log as refusal_log
from tests.docs.blocks import ROOT, all_blocks, pages, read
from tests.docs.runner import DIAGRAMS, Page

# Blocks that cannot run, each for a reason of its own; more than these means
# the docs drifted towards untested prose:
# - docs/architecture.md: the layer diagram (mermaid), generated from the
#   import graph by scripts/architecture.py and checked by
#   tests/test_architecture_doc.py;
# - docs/cli.md: regenerating the scanner comparison needs a checkout of
#   Corsy, which no package registry has;
# - docs/responses.md: the summary line after a 30,000-refusal flood of
#   random origins (tests/test_log.py checks that line's shape).
MOST_NOT_RUN = 3


@pytest.mark.parametrize("path", pages(), ids=lambda path: str(path.relative_to(ROOT)))
def test_page(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in __import__("os").environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)
    page = Page(tmp_path)
    # A page's blocks may register refusal hooks (docs/responses.md); they must not outlive the page.
    monkeypatch.setattr(refusal_log._state, "hooks", refusal_log._state.hooks)
    # Each page reads as a fresh process would log: its first refusal of a kind
    # is the WARNING line the page shows, whatever earlier tests refused.
    refusal_log.forget()
    try:
        for block in read(path):
            page.run(block)
        page.finish()
    finally:
        page.close()


def test_few_blocks_are_left_unrun() -> None:
    unrun = [block.id for block in all_blocks() if block.marker == "not-run" or block.lang in DIAGRAMS]
    assert len(unrun) <= MOST_NOT_RUN, f"{len(unrun)} blocks are not run: {unrun}"


def test_every_marker_is_known() -> None:
    known = {"", "continue", "request", "django-settings", "django-urls", "file", "not-run", "diagram"}
    known |= {"server", "output", "usage", "django-more"}
    assert not [block.id for block in all_blocks() if block.marker not in known]
