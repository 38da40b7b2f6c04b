"""The README's first command, as a person would see it: the demo starts,
the dashboard runs every call, and each card shows the verdict the browser
reached and, for refusals, corsguard's reason and the fix.

Set CORSGUARD_UPDATE_SCREENSHOT=1 to refresh docs/dashboard.png.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "allowed-get": "allowed",
    "credentialed-get": "allowed",
    "preflighted-put": "allowed",
    "refused-origin": "blocked",
    "refused-header": "blocked",
    "exposed-header": "allowed",
    "error-read": "allowed",
}


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CORSGUARD_"))}
    env["DJANGO_PROJECT_DB"] = str(tmp_path_factory.mktemp("demo") / "db.sqlite3")
    process = subprocess.Popen(
        [sys.executable, "-m", "testprojects.demo", "--port", "0", "--django-port", "0", "--flask-port", "0", "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, "the demo exited before printing its URL"
        yield json.loads(line)["url"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_dashboard_shows_every_verdict_and_reason(browser: Any, demo_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(demo_url)
        page.wait_for_function("document.body.dataset.done === '1'", timeout=60_000)
        cards = page.eval_on_selector_all(
            ".card", "cards => cards.map(c => [c.dataset.call, c.dataset.verdict, c.innerText])"
        )
        assert len(cards) == 2 * len(EXPECTED)  # the Django API and the Flask API
        for call, verdict, text in cards:
            assert verdict == EXPECTED[call], (call, text)
            assert "Access-Control-Allow-Origin" in text or call == "refused-origin", text
            if verdict == "blocked":
                assert "corsguard:" in text and "Fix:" in text and "Console:" in text, text
        refused_header = next(text for call, _, text in cards if call == "refused-header")
        assert "Request header field x-custom is not allowed by Access-Control-Allow-Headers" in refused_header
        assert "x-custom is not in ALLOW_HEADERS" in refused_header
        exposed = next(text for call, _, text in cards if call == "exposed-header")
        assert "x-total-count: 3" in exposed and "vary: null (not exposed)" in exposed
        target = (
            ROOT / "docs" / "dashboard.png"
            if os.environ.get("CORSGUARD_UPDATE_SCREENSHOT") == "1"
            else Path(os.environ.get("TMPDIR", "/tmp")) / "corsguard-dashboard.png"
        )
        target.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.close()
