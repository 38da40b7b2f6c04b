"""The README's first command, as a person would see it: the demo starts,
the dashboard runs every call, and each card shows the verdict the browser
reached and, for refusals, corsguard's reason, the fix, and what
``corsguard check`` says about the same call from a terminal.

A card shows the refusals logged while serving its own exchanges and no
others: the screenshot once showed an allowed Flask call carrying the
previous call's refusal, because log lines were matched by time.

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


# What each card shows, as data: its call, the browser's verdict, its text,
# the query of each refusal shown, the console words, and check's verdict.
CARD_JS = """cards => cards.map(c => ({
  call: c.dataset.call,
  verdict: c.dataset.verdict,
  text: c.innerText,
  refusals: [...c.querySelectorAll('.refusal')].map(r => r.dataset.query),
  consoles: [...c.querySelectorAll('.refusal .why')].map(w => w.innerText)
    .filter(t => t.startsWith('Console: ')).map(t => t.slice('Console: '.length)),
  checkDetail: c.dataset.checkDetail || null,
}))"""


def _demo_env(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CORSGUARD_"))}
    env["DJANGO_PROJECT_DB"] = str(tmp / "db.sqlite3")
    return env


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = _demo_env(tmp_path_factory.mktemp("demo"))
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
        cards = page.eval_on_selector_all(".card", CARD_JS)
        assert len(cards) == 2 * len(EXPECTED)  # the Django API and the Flask API
        for card in cards:
            call, verdict, text = card["call"], card["verdict"], card["text"]
            assert verdict == EXPECTED[call], (call, text)
            assert "Access-Control-Allow-Origin" in text or call == "refused-origin", text
            # Only the refusals of this card's own exchanges, and none on an allowed call.
            assert all(query.startswith(f"demo={call}&") for query in card["refusals"]), (call, card["refusals"])
            if verdict == "allowed":
                assert card["refusals"] == [] and "corsguard:" not in text and "Console:" not in text, (call, text)
                continue
            assert len(card["refusals"]) >= 1 and "Fix:" in text, text
            # corsguard check, run on the same call, says what the browser said.
            assert "$ corsguard check" in text and card["consoles"], text
            assert card["checkDetail"] == card["consoles"][0], (card["checkDetail"], card["consoles"])
        for api in range(2):
            column = cards[api * len(EXPECTED) : (api + 1) * len(EXPECTED)]
            texts = {card["call"]: card["text"] for card in column}
            assert (
                "Request header field x-custom is not allowed by Access-Control-Allow-Headers"
                in texts["refused-header"]
            )
            assert "x-custom is not in ALLOW_HEADERS" in texts["refused-header"]
            assert "add 'x-custom' to ALLOW_HEADERS" in texts["refused-header"]
            assert "not in ALLOWED_ORIGINS" in texts["refused-origin"] and "x-custom" not in texts["refused-origin"]
            assert (
                "x-total-count: 3" in texts["exposed-header"] and "vary: null (not exposed)" in texts["exposed-header"]
            )
        target = (
            ROOT / "docs" / "dashboard.png"
            if os.environ.get("CORSGUARD_UPDATE_SCREENSHOT") == "1"
            else Path(os.environ.get("TMPDIR", "/tmp")) / "corsguard-dashboard.png"
        )
        target.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.close()


def test_demo_diagnose_step(tmp_path: Path) -> None:
    """`bash scripts/demo --diagnose`: corsguard check on the dashboard's refused
    calls, from a terminal, in the browser's words and with the fix."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "testprojects.demo",
            "--port",
            "0",
            "--django-port",
            "0",
            "--flask-port",
            "0",
            "--diagnose",
        ],
        cwd=ROOT,
        env=_demo_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.count("$ corsguard check ") == 2, out
    assert "--header X-Custom:1" in out
    assert (
        "has been blocked by CORS policy: Request header field x-custom is not allowed by "
        "Access-Control-Allow-Headers in preflight response." in out
    )
    assert "Fix: add 'x-custom' to ALLOW_HEADERS." in out
    assert "has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present" in out
    assert "Fix: add 'http://127.0.0.1:" in out and "to ALLOWED_ORIGINS" in out
    assert out.count("Server: corsguard (") == 2, out
