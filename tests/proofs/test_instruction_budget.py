"""The instruction budget (issue 18): no adapter may grow what it costs on
the realistic responses by more than 10% over ``bench/instruction_baseline.json``.

Counts, not times: valgrind's callgrind counts the instructions corsguard
adds to each realistic row (``bench.instructions``), which are the same on
a loaded shared machine as on an idle one. The figures depend on the
interpreter and the framework releases too, so the baseline names them; on
others the test fails and says how to record a new baseline, rather than
comparing counts that cannot be compared.

Needs Debian's valgrind (``scripts/lib/setup.sh`` installs it); without it
the test skips, and fails under ``CORSGUARD_REQUIRE_BROWSER=1`` (CI).
Re-record after an intended change: ``python -m bench.instructions --record-baseline``.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

pytest.importorskip("django")
pytest.importorskip("flask")
pytest.importorskip("fastapi")

from bench import instructions


def _need_valgrind() -> None:
    if shutil.which("valgrind") and shutil.which("callgrind_control"):
        return
    why = "valgrind is not installed (sudo apt-get install -y valgrind; scripts/lib/setup.sh does it)"
    if os.environ.get("CORSGUARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CORSGUARD_REQUIRE_BROWSER=1 but {why}", pytrace=False)
    pytest.skip(why)


def over_budget(figures: dict[str, float], baseline: dict[str, float], tolerance: float) -> list[str]:
    """The adapters whose figure grew by more than ``tolerance``, described."""
    grown = []
    for adapter, recorded in baseline.items():
        now = figures.get(adapter)
        if now is None:
            grown.append(f"{adapter}: not counted")
        elif now > recorded * (1 + tolerance):
            grown.append(f"{adapter}: {now:,.0f} instructions against {recorded:,.0f} ({now / recorded - 1:+.1%})")
    return grown


def test_the_budget_check_catches_growth() -> None:
    """The comparison itself: 10% over fails, within 10% and shrinking pass."""
    baseline = {"WSGI": 100_000.0, "Flask": 200_000.0}
    assert over_budget({"WSGI": 110_000.0, "Flask": 150_000.0}, baseline, 0.10) == []
    assert over_budget({"WSGI": 110_001.0, "Flask": 200_000.0}, baseline, 0.10) == [
        "WSGI: 110,001 instructions against 100,000 (+10.0%)"
    ]
    assert over_budget({"WSGI": 1.0}, baseline, 0.10) == ["Flask: not counted"]


def test_no_adapter_costs_more_than_its_recorded_budget() -> None:
    _need_valgrind()
    baseline = json.loads(instructions.BASELINE.read_text(encoding="utf-8"))
    assert instructions.versions() == baseline["versions"], (
        "the baseline was counted on other releases; re-record it with "
        "python -m bench.instructions --record-baseline and commit the file"
    )
    counts = instructions.guard_counts()
    figures = instructions.guard_figures(counts)
    grown = over_budget(figures, baseline["figures"], baseline["tolerance"])
    assert not grown, "corsguard grew on the realistic rows: " + "; ".join(grown)
