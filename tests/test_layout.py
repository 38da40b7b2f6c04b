"""The size limits the code is kept to (issue 9): a file in ``corsguard/``
fits on a few screens, and a function reads in one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["corsguard", "corsguard_django", "corsguard_flask"]
MAX_CORE_FILE_LINES = 300
MAX_FUNCTION_LINES = 50


def _sources(package: str) -> list[Path]:
    found = sorted((ROOT / package).rglob("*.py"))
    assert found, f"no sources under {package}/"
    return found


def test_no_core_file_is_over_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _sources("corsguard")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_CORE_FILE_LINES
    }
    assert not long, f"split these by job: {long}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_over_50_lines(package: str) -> None:
    long = []
    for path in _sources(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, long
