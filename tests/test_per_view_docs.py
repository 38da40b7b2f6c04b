"""Every Python block of docs/per-view.md runs (B13): a Django block is
imported as a URLconf and each declaration in it must be reached by a URL
(no corsguard_django.E007, at least one declared view found); a Flask or
ASGI block runs its own requests and asserts what the page says."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest
from django.test import override_settings

from corsguard_django import conf
from corsguard_django.checks.views import check_reach

PAGE = Path(__file__).resolve().parents[1] / "docs" / "per-view.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


def run_block(index: int) -> types.ModuleType:
    """The block as a module of its own, so its views have a module name."""
    module = types.ModuleType(f"tests._per_view_docs_{index}")
    sys.modules[module.__name__] = module
    exec(compile(BLOCKS[index], f"{PAGE}:block{index}", "exec"), module.__dict__)
    return module


def test_the_page_has_examples_for_each_framework() -> None:
    assert len(BLOCKS) >= 4
    for name in ("rest_framework", "ninja", "flask_restx", "flask_smorest", "fastapi"):
        assert any(name in block for block in BLOCKS), name


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_block(index: int) -> None:
    module = run_block(index)
    if not hasattr(module, "urlpatterns"):
        return  # a Flask or ASGI block: its own asserts ran
    with override_settings(ROOT_URLCONF=module.__name__, CORSGUARD={"ALLOWED_ORIGINS": ["https://app.example.com"]}):
        assert check_reach() == []
        views = conf.load_views(conf.load_configuration().pipeline)
        assert views.declared and views.active
