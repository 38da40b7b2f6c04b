"""The code blocks of the README and the documentation site, read as data.

A block may be preceded by one HTML comment (blank lines between allowed)
that says how the test suite runs it; the comment is invisible on GitHub and
on the site. The convention:

- ``<!-- continue -->``: a Python block that goes on from the previous Python
  block of the same page, in the same namespace;
- ``<!-- request: GET /path from https://origin -->``: a Python block that
  defines an app (``create_app()``, ``application`` or ``app``); after it runs
  the app is called with a test client, that Origin and that path, and must
  answer with ``Access-Control-Allow-Origin`` set to the Origin;
- ``<!-- django-settings: REQUESTS -->``, ``<!-- django-more: REQUESTS -->``,
  ``<!-- django-urls: REQUESTS -->``: settings of a fresh ``django-admin
  startproject mysite``, more settings for it, its URLconf; ``manage.py
  check`` must pass and each request get the ACAO it names (django_blocks.py);
  console blocks after them on the page replay inside that project;
- ``<!-- file: NAME -->``: the block is written to NAME in the page's
  scratch folder (and parsed, for TOML, JSON and Python);
- ``<!-- server: NAME -->``: a transcript replayed against servers the suite
  starts on free ports, the documented ports put back (servers.py);
- ``<!-- output -->``: every line is among what the Python block above
  printed or logged on the ``corsguard`` logger, in order;
- ``<!-- usage -->``: command synopses, checked against ``--help`` (usage.py);
- ``<!-- not-run: why -->``: the block is not executed; the suite counts these.

In a transcript, ``cd DIR`` enters a directory of this repository, ``cat
FILE`` of a file not yet there writes it as shown, and a documented line
``[... what was left out ...]`` stands for any lines. Normalised before
comparing: the scratch folder's path, and the ports of a ``server`` block.

Unmarked blocks run by their language: ``python`` is executed, ``console``
(and ``text`` holding ``$ `` lines) is replayed with the installed command
line and compared, ``toml``/``json``/``yaml`` are parsed, ``sh``/``bash``
blocks of ``pip install`` lines and ``NAME=value`` settings are checked
against ``pyproject.toml`` and loaded as corsguard's environment settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^<!--\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->$")
FENCE = re.compile(r"^```([a-z]*)\s*$")

# docs/per-view.md has its own runner (tests/test_per_view_docs.py): each
# Django block there is a URLconf whose declarations must be reached.
OWN_RUNNER = {"per-view.md"}


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its language, its marker and its text."""

    page: str
    line: int
    lang: str
    marker: str
    argument: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    """The README, every Markdown page of the site, and the changelog."""
    found = [ROOT / "README.md", ROOT / "CHANGELOG.md"]
    found += sorted(path for path in (ROOT / "docs").rglob("*.md") if path.name not in OWN_RUNNER)
    return found


def read(path: Path) -> list[Block]:
    """The fenced blocks of one page, each with the marker written just above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page = str(path.relative_to(ROOT))
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        marker, argument = _marker_above(lines, index)
        text = "\n".join(lines[index + 1 : end]) + "\n"
        blocks.append(Block(page, index + 1, opening.group(1), marker, argument, text))
        index = end + 1
    return blocks


def _marker_above(lines: list[str], index: int) -> tuple[str, str]:
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    found = MARKER.match(lines[above].strip()) if above >= 0 else None
    if found is None:
        return "", ""
    return found.group(1), found.group(2) or ""


def all_blocks() -> list[Block]:
    return [block for path in pages() for block in read(path)]
