"""Every rule the code cites can be read in the repository.

Code and tests cite docs/behaviour.md by section id (``B4.3``); each id
they use must be a heading there, and nothing may cite the old external
contract (C-section-sign citations), which a reader of the repository
alone cannot follow.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "docs" / "behaviour.md"
CITED = re.compile(r"(?<![\w.])B(\d{1,2}(?:\.\d{1,2})?)(?![\w.]*\d)")
SOURCES = ("corsguard", "corsguard_django", "corsguard_flask", "tests", "testprojects", "bench")


def _sections() -> set[str]:
    return set(re.findall(r"^#{2,3} B(\d{1,2}(?:\.\d{1,2})?)[. ]", SPEC.read_text(), flags=re.M))


def _python_files() -> list[Path]:
    return [path for folder in SOURCES for path in sorted((ROOT / folder).rglob("*.py"))]


def test_every_cited_section_exists() -> None:
    sections = _sections()
    assert {"1.1", "3.6", "5.5", "8"} <= sections, sorted(sections)
    missing = {
        f"{path.relative_to(ROOT)}: B{cited}"
        for path in _python_files()
        for cited in CITED.findall(path.read_text())
        if cited not in sections
    }
    assert not missing, sorted(missing)


def test_nothing_cites_the_external_contract() -> None:
    old_citation = "C" + "\N{SECTION SIGN}"
    stale = [str(path.relative_to(ROOT)) for path in _python_files() if old_citation in path.read_text()]
    assert not stale, stale
