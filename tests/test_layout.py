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


@pytest.mark.parametrize("layer", ["_engine", "_pipeline", "_origins", "_adapters", "cli"])
def test_each_layer_says_what_it_owns_and_may_import(layer: str) -> None:
    """A newcomer opening a layer's ``__init__`` learns its job and its
    boundary before reading a line of code (issue 23); the boundary itself is
    enforced by import-linter (``[tool.importlinter]`` in pyproject.toml)."""
    init = ROOT / "corsguard" / layer / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert len(doc.split()) >= 25, f"{init} needs a paragraph: what the layer owns"
    assert "import" in doc, f"{init}'s docstring must say what the layer may import"
