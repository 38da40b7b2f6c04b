"""``<!-- usage -->``: a block of command synopses, one command a line.

Each ``corsguard ...`` line is checked against the installed command's own
``--help``: the subcommand exists and every ``--option`` the line names is
one it accepts. ``python manage.py corsguard`` and ``flask corsguard`` lines
name the same subcommands; ``bash scripts/...`` lines name a script of this
repository. Anything else on such a line fails: the synopsis would be prose.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.docs.blocks import ROOT, Block

BIN = Path(sys.executable).parent
SUBCOMMANDS = ("check", "scan", "lint", "migrate")


def usage(page: object, block: Block) -> None:
    checked = 0
    for line in _logical_lines(block.text):
        words = line.split()
        if words[0] == "bash":
            assert (ROOT / words[1]).is_file(), f"{block.id}: no script {words[1]}"
        elif words[0] == "corsguard":
            _check_options(block, words[1], line)
        else:
            named = line.split("corsguard", 1)[-1].split()[0] if "corsguard" in line else ""
            assert line.startswith(("python manage.py corsguard", "flask corsguard")), f"{block.id}: {line}"
            assert set(named.split("|")) <= set(SUBCOMMANDS), f"{block.id}: {line}"
        checked += 1
    assert checked, f"{block.id}: a usage block with no command"


def _logical_lines(text: str) -> list[str]:
    """One synopsis a line; an indented line goes on with the one above."""
    found: list[str] = []
    for written in text.splitlines():
        line = written.split("  #")[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith(" ") and found:
            found[-1] += " " + line.strip()
        else:
            found.append(line.strip())
    return found


def _check_options(block: Block, subcommand: str, line: str) -> None:
    assert subcommand in SUBCOMMANDS, f"{block.id}: no subcommand {subcommand!r}: {line}"
    done = subprocess.run(
        [str(BIN / "corsguard"), subcommand, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"{block.id}: corsguard {subcommand} --help: {done.stderr}"
    accepted = set(re.findall(r"--[a-z][a-z-]*", done.stdout))
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))
    unknown = sorted(named - accepted)
    assert not unknown, f"{block.id}: corsguard {subcommand} has no {unknown} ({shlex.quote(line)})"
